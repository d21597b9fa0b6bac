"""Controller references (``controller_ref_manager.go``): what a workload controller owns,
adopting matching orphans and releasing what stopped matching (``ClaimObjects``), and the
owner reference it writes (``metav1.NewControllerRef``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.controllers.base import Informer, claim_candidates
from k8sgame.engine.errors import ApiError

Obj = dict[str, Any]


def controller_ref(obj: Obj | None) -> Obj | None:
    """The owner reference with ``controller: true``, if any."""
    if obj is None:
        return None
    return next(
        (r for r in obj["metadata"].get("ownerReferences") or [] if r.get("controller")), None
    )


def controller_reference(owner: Obj) -> Obj:
    """``metav1.NewControllerRef``: the owner as the controlling owner reference."""
    return {
        "apiVersion": owner["apiVersion"],
        "kind": owner["kind"],
        "name": owner["metadata"]["name"],
        "uid": owner["metadata"]["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def set_controller(api: Client, obj: Obj, owner: Obj | None) -> Obj | None:
    """Make ``owner`` the controller of ``obj`` (adopt), or None its controller (release);
    the object as stored, or None when the write failed."""
    others = [r for r in obj["metadata"].get("ownerReferences") or [] if not r.get("controller")]
    refs = others + ([controller_reference(owner)] if owner is not None else [])
    try:
        return api.patch(
            obj["kind"],
            obj["metadata"]["name"],
            obj["metadata"].get("namespace", ""),
            {"metadata": {"ownerReferences": refs or None}},
            "merge",
        )
    except ApiError:
        return None


def claim(
    informer: Informer,
    api: Client,
    owner: Obj,
    kind: str,
    selects: Callable[[dict[str, str]], bool],
) -> list[Obj]:
    """``ClaimObjects``: the objects of ``kind`` the owner controls and still selects, and
    the orphans it selects, adopted; the ones it controls but no longer selects are released.
    An owner being deleted adopts nothing and keeps what it has."""
    deleting = bool(owner["metadata"].get("deletionTimestamp"))
    owned = []
    for obj in claim_candidates(informer, owner, kind):
        matches = selects(obj["metadata"].get("labels") or {})
        if controller_ref(obj) is not None:
            if matches or deleting:
                owned.append(obj)
            else:
                set_controller(api, obj, None)
        elif matches and not deleting and not obj["metadata"].get("deletionTimestamp"):
            adopted = set_controller(api, obj, owner)
            if adopted is not None:
                owned.append(adopted)
    return owned
