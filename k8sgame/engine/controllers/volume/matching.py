"""Which PersistentVolume a claim may bind to (``pv_helpers.go`` ``FindMatchingVolume``,
``index.go`` ``findByClaim``), as pure functions shared by the persistentvolume-controller and
the scheduler's VolumeBinding plugin."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.quantity import parse_quantity

Obj = dict[str, Any]

BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer"
# GetAccessModesAsString: this order, duplicates dropped.
_MODE_SHORT = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes_text(modes: Iterable[str] | None) -> str:
    """``GetAccessModesAsString``: ``RWO,ROX``."""
    wanted = set(modes or ())
    return ",".join(short for mode, short in _MODE_SHORT if mode in wanted)


def storage_amount(amounts: Any) -> Fraction:
    value = (amounts or {}).get("storage")
    return parse_quantity(value) if value is not None else Fraction(0)


def claim_class(pvc: Obj) -> str:
    """``GetPersistentVolumeClaimClass``: the beta annotation, else the spec, else ""."""
    annotations = pvc["metadata"].get("annotations") or {}
    beta = annotations.get("volume.beta.kubernetes.io/storage-class")
    if beta is not None:
        return str(beta)
    return str((pvc.get("spec") or {}).get("storageClassName") or "")


def volume_class(pv: Obj) -> str:
    """``GetPersistentVolumeClass``."""
    annotations = pv["metadata"].get("annotations") or {}
    beta = annotations.get("volume.beta.kubernetes.io/storage-class")
    if beta is not None:
        return str(beta)
    return str((pv.get("spec") or {}).get("storageClassName") or "")


def bound_to_claim(pv: Obj, pvc: Obj) -> bool:
    """``IsVolumeBoundToClaim``: the volume's claimRef names this claim (and its uid, if the
    reference has one)."""
    ref = (pv.get("spec") or {}).get("claimRef")
    if not ref:
        return False
    md = pvc["metadata"]
    if ref.get("name") != md["name"] or ref.get("namespace") != md.get("namespace"):
        return False
    return not ref.get("uid") or ref.get("uid") == md.get("uid")


def claim_reference(pvc: Obj) -> Obj:
    """``reference.GetReference`` of a claim: what a bound volume's ``claimRef`` holds."""
    md = pvc["metadata"]
    return {
        "kind": "PersistentVolumeClaim",
        "namespace": md.get("namespace", ""),
        "name": md["name"],
        "uid": md.get("uid", ""),
        "apiVersion": "v1",
        "resourceVersion": md.get("resourceVersion", ""),
    }


def _modes_cover(pv: Obj, pvc: Obj) -> bool:
    have = set((pv.get("spec") or {}).get("accessModes") or ())
    return set((pvc.get("spec") or {}).get("accessModes") or ()) <= have


def _selector_matches(pvc: Obj, pv: Obj) -> bool:
    selector = (pvc.get("spec") or {}).get("selector")
    if not selector:
        return True
    try:
        return from_label_selector(selector).matches(pv["metadata"].get("labels") or {})
    except SelectorError:
        return False


def mismatch(pv: Obj, pvc: Obj) -> str | None:
    """``checkVolumeSatisfyClaim``: why a volume named by ``spec.volumeName`` cannot serve the
    claim, in the controller's words, or None."""
    if storage_amount((pv.get("spec") or {}).get("capacity")) < storage_amount(
        ((pvc.get("spec") or {}).get("resources") or {}).get("requests")
    ):
        return "requested PV is too small"
    if volume_class(pv) != claim_class(pvc):
        return "storageClassName does not match"
    if ((pv.get("spec") or {}).get("volumeMode") or "Filesystem") != (
        (pvc.get("spec") or {}).get("volumeMode") or "Filesystem"
    ):
        return "incompatible volumeMode"
    if not _modes_cover(pv, pvc):
        return "incompatible accessMode"
    return None


def find_matching_volume(
    pvc: Obj, volumes: Iterable[Obj], delay_binding: bool, node_fits: Any = None
) -> Obj | None:
    """``findByClaim``/``FindMatchingVolume``: a volume pre-bound to the claim at once, else
    the smallest Available volume of the claim's class that has its access modes (the
    fewest extra modes first), volume mode, size and labels; none when binding waits for the
    first consumer (the scheduler then picks, passing ``node_fits`` for its node). Ties go to
    the name that sorts first."""
    request = storage_amount(((pvc.get("spec") or {}).get("resources") or {}).get("requests"))
    wanted_mode = (pvc.get("spec") or {}).get("volumeMode") or "Filesystem"
    best: tuple[int, Fraction, str] | None = None
    chosen: Obj | None = None
    for pv in volumes:
        spec = pv.get("spec") or {}
        if pv["metadata"].get("deletionTimestamp"):
            continue
        if storage_amount(spec.get("capacity")) < request:
            continue
        if (spec.get("volumeMode") or "Filesystem") != wanted_mode:
            continue
        if not _modes_cover(pv, pvc):
            continue
        if bound_to_claim(pv, pvc):
            return pv
        if spec.get("claimRef"):
            continue
        if delay_binding and node_fits is None:
            continue
        if (pv.get("status") or {}).get("phase") != "Available":
            continue
        if volume_class(pv) != claim_class(pvc) or not _selector_matches(pvc, pv):
            continue
        if node_fits is not None and not node_fits(pv):
            continue
        rank = (
            len(set(spec.get("accessModes") or ())),
            storage_amount(spec.get("capacity")),
            pv["metadata"]["name"],
        )
        if best is None or rank < best:
            best, chosen = rank, pv
    return chosen
