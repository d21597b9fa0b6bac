"""Table columns per kind (``kubectl get``), registered so later kinds plug in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8sgame.kubectl.duration import since
from k8sgame.kubectl.node_columns import node_row
from k8sgame.kubectl.pod_columns import pod_row

Row = Callable[[dict[str, Any], float], list[str]]


@dataclass(frozen=True)
class TableSpec:
    headers: tuple[str, ...]
    row: Row
    wide_headers: tuple[str, ...] = ()
    wide_row: Row | None = None
    # Events print a different row with -o wide instead of extra columns.
    wide_replaces: bool = False


TABLES: dict[str, TableSpec] = {}


def register_table(kind: str, spec: TableSpec) -> None:
    TABLES[kind] = spec


def _pod(obj: dict[str, Any], now: float) -> list[str]:
    r = pod_row(obj, now)
    return [r.name, r.ready, r.status, r.restarts, r.age]


def _pod_wide(obj: dict[str, Any], now: float) -> list[str]:
    r = pod_row(obj, now)
    return [r.ip, r.node, r.nominated_node, r.readiness_gates]


def _node(obj: dict[str, Any], now: float) -> list[str]:
    r = node_row(obj, now)
    return [r.name, r.status, r.roles, r.age, r.version]


def _node_wide(obj: dict[str, Any], now: float) -> list[str]:
    r = node_row(obj, now)
    return [r.internal_ip, r.external_ip, r.os_image, r.kernel_version, r.container_runtime]


def _age(obj: dict[str, Any], now: float) -> str:
    return since(obj["metadata"].get("creationTimestamp"), now)


def _event_target(obj: dict[str, Any]) -> str:
    involved = obj.get("involvedObject") or {}
    kind = str(involved.get("kind", "")).lower()
    return f"{kind}/{involved['name']}" if involved.get("name") else kind


def _event_last_seen(obj: dict[str, Any], now: float) -> str:
    """``printEvent``'s interval: ``12s (x5 over 3m)`` for a repeated event."""
    first = since(obj.get("firstTimestamp") or obj["metadata"].get("creationTimestamp"), now)
    last = since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = int(obj.get("count") or 1)
    return f"{last} (x{count} over {first})" if count > 1 else last


def event_columns(obj: dict[str, Any], now: float) -> list[str]:
    """``kubectl get events`` columns: LAST SEEN, TYPE, REASON, OBJECT, MESSAGE."""
    return [
        _event_last_seen(obj, now),
        obj.get("type", ""),
        obj.get("reason", ""),
        _event_target(obj),
        str(obj.get("message", "")).strip(),
    ]


def _event_wide(obj: dict[str, Any], now: float) -> list[str]:
    source = obj.get("source") or {}
    origin = source.get("component", "")
    if source.get("host"):
        origin += f", {source['host']}"
    return [
        _event_last_seen(obj, now),
        obj.get("type", ""),
        obj.get("reason", ""),
        _event_target(obj),
        (obj.get("involvedObject") or {}).get("fieldPath", ""),
        origin,
        str(obj.get("message", "")).strip(),
        since(obj.get("firstTimestamp"), now),
        str(obj.get("count", 1)),
        obj["metadata"]["name"],
    ]


register_table(
    "Pod",
    TableSpec(
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        _pod,
        ("IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
        _pod_wide,
    ),
)
register_table(
    "Node",
    TableSpec(
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
        _node,
        ("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"),
        _node_wide,
    ),
)
register_table(
    "Namespace",
    TableSpec(
        ("NAME", "STATUS", "AGE"),
        lambda o, now: [
            o["metadata"]["name"],
            (o.get("status") or {}).get("phase", ""),
            _age(o, now),
        ],
    ),
)
register_table(
    "ConfigMap",
    TableSpec(
        ("NAME", "DATA", "AGE"),
        lambda o, now: [
            o["metadata"]["name"],
            str(len(o.get("data") or {}) + len(o.get("binaryData") or {})),
            _age(o, now),
        ],
    ),
)
register_table(
    "Secret",
    TableSpec(
        ("NAME", "TYPE", "DATA", "AGE"),
        lambda o, now: [
            o["metadata"]["name"],
            o.get("type", ""),
            str(len(o.get("data") or {})),
            _age(o, now),
        ],
    ),
)
register_table(
    "Event",
    TableSpec(
        ("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"),
        event_columns,
        # -o wide replaces the whole row for events.
        (
            "LAST SEEN",
            "TYPE",
            "REASON",
            "OBJECT",
            "SUBOBJECT",
            "SOURCE",
            "MESSAGE",
            "FIRST SEEN",
            "COUNT",
            "NAME",
        ),
        _event_wide,
        wide_replaces=True,
    ),
)
