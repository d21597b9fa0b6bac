"""How kubectl shows a DaemonSet: ``kubectl get ds`` (``daemonSetColumnDefinitions`` /
``printDaemonSet``: DESIRED, CURRENT, READY, UP-TO-DATE and AVAILABLE from the status, NODE
SELECTOR from the template; ``-o wide`` adds containers, images and the selector) and its
describer (``describeDaemonSet``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.replica_set import pod_status_for_controller
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    format_label_selector,
    format_labels,
    labels_multiline,
)
from k8sgame.kubectl.kinds.replica_set import container_cells
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _node_selector(obj: dict[str, Any]) -> dict[str, str] | None:
    return (((obj.get("spec") or {}).get("template") or {}).get("spec") or {}).get("nodeSelector")


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    status = obj.get("status") or {}
    return [
        obj["metadata"]["name"],
        *(
            str(status.get(field) or 0)
            for field in (
                "desiredNumberScheduled",
                "currentNumberScheduled",
                "numberReady",
                "updatedNumberScheduled",
                "numberAvailable",
            )
        ),
        format_labels(_node_selector(obj)),
        age(obj, now),
    ]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    spec = obj.get("spec") or {}
    return [*container_cells(spec.get("template")), format_label_selector(spec.get("selector"))]


def describe_daemon_set(ds: dict[str, Any], ctx: DescribeContext) -> str:
    """Name to annotations, the scheduling counts (written without a tab, so they are not
    aligned with the rest, as kubectl writes them), the pods' phases, the pod template and
    the events."""
    md, spec, status = ds["metadata"], ds.get("spec") or {}, ds.get("status") or {}
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"Selector:\t{format_label_selector(spec.get('selector'))}",
        f"Node-Selector:\t{format_labels(_node_selector(ds))}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    for label, field in (
        ("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
        ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
        ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ):
        out.append(f"{label}: {status.get(field) or 0}")
    running, waiting, succeeded, failed = pod_status_for_controller(ds, spec.get("selector"), ctx)
    out.append(
        f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded"
        f" / {failed} Failed"
    )
    describe_pod_template(spec.get("template"), out)
    return finish(out, ctx.search_events(ds, "DaemonSet"), ctx.now)


VIEW = KindView(
    "DaemonSet",
    TableSpec(
        ("NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE"),
        _columns,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _wide_columns,
    ),
    describe_daemon_set,
)
