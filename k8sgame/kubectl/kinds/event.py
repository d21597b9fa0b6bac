"""How kubectl shows an Event: ``printEvent``'s columns (``-o wide`` replaces the whole
row). Events have no describer in kubectl's map, so ``describe`` prints the generic one."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.duration import since
from k8sgame.kubectl.tables import KindView, TableSpec


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


VIEW = KindView(
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
    None,
)
