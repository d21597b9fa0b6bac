"""How kubectl shows a Deployment: ``kubectl get deploy`` (``deploymentColumnDefinitions`` /
``printDeployment``: READY is ``status.readyReplicas/spec.replicas``, UP-TO-DATE
``status.updatedReplicas``, AVAILABLE ``status.availableReplicas``; ``-o wide`` adds the
template's containers and images and the selector) and its describer."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.deployment import describe_deployment
from k8sgame.kubectl.describers.text import format_label_selector
from k8sgame.kubectl.kinds.replica_set import container_cells
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return [
        obj["metadata"]["name"],
        f"{status.get('readyReplicas') or 0}/{spec.get('replicas') or 0}",
        str(status.get("updatedReplicas") or 0),
        str(status.get("availableReplicas") or 0),
        age(obj, now),
    ]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    spec = obj.get("spec") or {}
    return [*container_cells(spec.get("template")), format_label_selector(spec.get("selector"))]


VIEW = KindView(
    "Deployment",
    TableSpec(
        ("NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"),
        _columns,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _wide_columns,
    ),
    describe_deployment,
)
