"""The ReplicaSet describer (``kubectl/pkg/describe/describe.go``: ``ReplicaSetDescriber``,
``describeReplicaSet``, ``getPodStatusForController``, ``DescribePodTemplate``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.labels import from_label_selector
from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    conditions_table,
    finish,
    format_label_selector,
    labels_multiline,
)

# getPodStatusForController: phase -> the counter it adds to (Unknown counts nowhere).
_PHASE_SLOTS = {"Running": 0, "Pending": 1, "Succeeded": 2, "Failed": 3}


def controller_of(obj: dict[str, Any]) -> dict[str, Any] | None:
    """``metav1.GetControllerOf``: the owner reference with ``controller: true``."""
    refs = obj["metadata"].get("ownerReferences") or []
    return next((r for r in refs if r.get("controller")), None)


def pod_status_for_controller(
    obj: dict[str, Any], selector: dict[str, Any] | None, ctx: DescribeContext
) -> tuple[int, int, int, int]:
    """``getPodStatusForController``: the pods the selector lists in the object's namespace
    whose controller reference carries the object's uid, counted by phase (Running, Pending
    as Waiting, Succeeded, Failed). A nil selector lists every pod, as its empty string
    does upstream."""
    md = obj["metadata"]
    uid = md.get("uid")

    def owned(pod: dict[str, Any]) -> bool:
        ref = controller_of(pod)
        return ref is not None and ref.get("uid") == uid

    pods = ctx.store.list(
        "Pod",
        md.get("namespace") or None,
        selector=from_label_selector(selector) if selector is not None else None,
        field_filter=owned,
    )
    counts = [0, 0, 0, 0]
    for pod in pods:
        slot = _PHASE_SLOTS.get((pod.get("status") or {}).get("phase") or "")
        if slot is not None:
            counts[slot] += 1
    return counts[0], counts[1], counts[2], counts[3]


def describe_replica_set(rs: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, namespace, selector, labels, annotations, owner, replica counts, the pods'
    phases, the pod template, the conditions and the events (searched by the ReplicaSet's
    kind, name and uid)."""
    md, spec, status = rs["metadata"], rs.get("spec") or {}, rs.get("status") or {}
    selector = spec.get("selector")
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"Selector:\t{format_label_selector(selector)}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    owner = controller_of(rs)
    if owner:
        out.append(f"Controlled By:\t{owner.get('kind')}/{owner.get('name')}")
    out.append(
        f"Replicas:\t{status.get('replicas') or 0} current / {spec.get('replicas') or 0} desired"
    )
    pods_template_conditions(rs, selector, ctx, out)
    return finish(out, ctx.search_events(rs, "ReplicaSet"), ctx.now)


def pods_template_conditions(
    obj: dict[str, Any], selector: dict[str, Any] | None, ctx: DescribeContext, out: list[str]
) -> None:
    """The lines ReplicaSets and ReplicationControllers end with: the pods' phases, the pod
    template and the conditions (type, status, reason)."""
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    running, waiting, succeeded, failed = pod_status_for_controller(obj, selector, ctx)
    out.append(
        f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded"
        f" / {failed} Failed"
    )
    describe_pod_template(spec.get("template"), out)
    conditions_table(status.get("conditions"), out)
