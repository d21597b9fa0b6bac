"""Kubernetes Events as the client-go recorder writes them.

Identical events (same source, object, type, reason and message) are folded into one
object whose ``count`` grows and ``lastTimestamp`` moves (client-go
``tools/record/events_cache.go``). Event names are ``{object}.{unix nanos in hex}``. The API
server keeps events for one hour after their last write (``--event-ttl=1h``, the Event
kind's ``ttl_seconds``).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.timefmt import rfc3339, unix_nanos

NORMAL, WARNING = "Normal", "Warning"


class EventRecorder:
    """Writes core/v1 Events for the simulated components."""

    def __init__(self, api: Client, clock: SimClock) -> None:
        self.api = api
        self.clock = clock
        self._index: dict[tuple[Any, ...], tuple[str, str]] = {}

    def record(
        self,
        obj: dict[str, Any],
        event_type: str,
        reason: str,
        message: str,
        component: str,
        host: str = "",
        field_path: str = "",
    ) -> None:
        """Record one occurrence of an event about ``obj``."""
        md = obj["metadata"]
        namespace = md.get("namespace") or "default"
        involved = {
            "apiVersion": obj.get("apiVersion", "v1"),
            "kind": obj["kind"],
            "name": md["name"],
            "uid": md.get("uid", ""),
        }
        if md.get("namespace"):
            involved["namespace"] = md["namespace"]
        if field_path:
            involved["fieldPath"] = field_path
        if obj["kind"] == "Pod" and md.get("resourceVersion"):
            involved["resourceVersion"] = md["resourceVersion"]
        key = (
            component,
            host,
            obj["kind"],
            namespace,
            md["name"],
            md.get("uid"),
            field_path,
            event_type,
            reason,
            message,
        )
        now = self.clock.now
        existing = self._index.get(key)
        if existing is not None:
            current = self.api.peek("Event", existing[1], existing[0])
            if current is not None:
                updated = dict(current)
                updated["count"] = int(current.get("count", 1)) + 1
                updated["lastTimestamp"] = rfc3339(now)
                self.api.update(updated)
                return
        name = f"{md['name']}.{unix_nanos(now):x}"
        while self.api.peek("Event", name, namespace) is not None:
            name = f"{md['name']}.{unix_nanos(now) + 1:x}"
            now += 1e-9
        event = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"name": name, "namespace": namespace},
            "involvedObject": involved,
            "reason": reason,
            "message": message,
            "source": {"component": component, **({"host": host} if host else {})},
            "firstTimestamp": rfc3339(self.clock.now),
            "lastTimestamp": rfc3339(self.clock.now),
            "count": 1,
            "type": event_type,
            "eventTime": None,
            "reportingComponent": component,
            "reportingInstance": host,
        }
        self.api.create(event, trusted=True)
        self._index[key] = (namespace, name)
