"""kubectl's view of a Deployment's ReplicaSets (``kubectl/pkg/util/deployment``:
``GetAllReplicaSets``, ``FindNewReplicaSet``), shared by ``describe deployment`` and the
``rollout`` commands: the ReplicaSets the Deployment's selector lists and that it controls,
the one whose template is the Deployment's (the oldest such), and the others."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.deployment.revisions import equal_ignore_hash
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.timefmt import parse_rfc3339

Obj = dict[str, Any]


def _controlled_by(obj: Obj, owner: Obj) -> bool:
    refs = obj["metadata"].get("ownerReferences") or []
    uid = owner["metadata"].get("uid")
    return any(r.get("controller") and r.get("uid") == uid for r in refs)


def _created(obj: Obj) -> tuple[float, str]:
    stamp = obj["metadata"].get("creationTimestamp")
    return (parse_rfc3339(stamp) if stamp else 0.0, obj["metadata"]["name"])


def replica_sets_of(deployment: Obj, api: Any) -> tuple[Obj | None, list[Obj]]:
    """The new ReplicaSet (or None) and every old one, oldest first."""
    try:
        selector = from_label_selector((deployment.get("spec") or {}).get("selector"))
    except SelectorError:
        return None, []
    owned = api.list(
        "ReplicaSet",
        deployment["metadata"].get("namespace") or None,
        selector=selector,
        field_filter=lambda rs: _controlled_by(rs, deployment),
    )
    owned.sort(key=_created)
    template = (deployment.get("spec") or {}).get("template")
    new_rs = next(
        (rs for rs in owned if equal_ignore_hash((rs.get("spec") or {}).get("template"), template)),
        None,
    )
    return new_rs, [rs for rs in owned if rs is not new_rs]
