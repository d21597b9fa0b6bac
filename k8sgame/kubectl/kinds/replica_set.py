"""How kubectl shows a ReplicaSet: the columns of ``kubectl get rs``
(``replicaSetColumnDefinitions`` / ``printReplicaSet`` in ``pkg/printers/internalversion``:
DESIRED is ``spec.replicas``, CURRENT ``status.replicas``, READY ``status.readyReplicas``;
``-o wide`` adds the template's containers and images, ``layoutContainerCells``, and the
selector) and its describer."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.replica_set import describe_replica_set
from k8sgame.kubectl.describers.text import format_label_selector
from k8sgame.kubectl.tables import KindView, TableSpec, age


def container_cells(template: dict[str, Any] | None) -> list[str]:
    """``layoutContainerCells``: the template's container names and images, each joined
    with commas."""
    containers = ((template or {}).get("spec") or {}).get("containers") or []
    return [
        ",".join(str(c.get("name", "")) for c in containers),
        ",".join(str(c.get("image", "")) for c in containers),
    ]


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return [
        obj["metadata"]["name"],
        str(spec.get("replicas") or 0),
        str(status.get("replicas") or 0),
        str(status.get("readyReplicas") or 0),
        age(obj, now),
    ]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    spec = obj.get("spec") or {}
    return [*container_cells(spec.get("template")), format_label_selector(spec.get("selector"))]


VIEW = KindView(
    "ReplicaSet",
    TableSpec(
        ("NAME", "DESIRED", "CURRENT", "READY", "AGE"),
        _columns,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _wide_columns,
    ),
    describe_replica_set,
)
