"""How kubectl shows a ReplicationController: ``kubectl get rc`` (``printReplicationController``:
DESIRED, CURRENT, READY; ``-o wide`` adds containers, images and the selector as ``k=v``) and
its describer (``describeReplicationController``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.replica_set import pods_template_conditions
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    format_labels,
    labels_multiline,
)
from k8sgame.kubectl.kinds.replica_set import container_cells
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(rc: dict[str, Any], now: float) -> list[str]:
    spec, status = rc.get("spec") or {}, rc.get("status") or {}
    return [
        rc["metadata"]["name"],
        str(spec.get("replicas") or 0),
        str(status.get("replicas") or 0),
        str(status.get("readyReplicas") or 0),
        age(rc, now),
    ]


def _wide(rc: dict[str, Any], now: float) -> list[str]:
    spec = rc.get("spec") or {}
    return [*container_cells(spec.get("template")), format_labels(spec.get("selector"))]


def describe_replication_controller(rc: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = rc["metadata"], rc.get("spec") or {}, rc.get("status") or {}
    selector = spec.get("selector") or {}
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"Selector:\t{format_labels(selector)}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(
        f"Replicas:\t{status.get('replicas') or 0} current / {spec.get('replicas') or 0} desired"
    )
    pods_template_conditions(rc, {"matchLabels": selector}, ctx, out)
    return finish(out, ctx.search_events(rc, "ReplicationController"), ctx.now)


VIEW = KindView(
    "ReplicationController",
    TableSpec(
        ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
        _columns,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _wide,
    ),
    describe_replication_controller,
)
