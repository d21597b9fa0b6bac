"""Kubernetes Events as the client-go recorder writes them.

Identical events (same source, object, type, reason and message) are folded into one
object whose ``count`` grows and ``lastTimestamp`` moves (client-go
``tools/record/events_cache.go``). Event names are ``{object}.{unix nanos in hex}``. The API
server keeps events for one hour after their last write (``--event-ttl=1h``).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.store import Store
from k8sgame.engine.timefmt import parse_rfc3339, rfc3339, unix_nanos

EVENT_TTL_SECONDS = 3600
NORMAL, WARNING = "Normal", "Warning"


class EventRecorder:
    """Writes core/v1 Events for the simulated components."""

    def __init__(self, store: Store, clock: SimClock) -> None:
        self.store = store
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
            current = self.store.peek("Event", existing[1], existing[0])
            if current is not None:
                updated = dict(current)
                updated["count"] = int(current.get("count", 1)) + 1
                updated["lastTimestamp"] = rfc3339(now)
                self.store.update(updated)
                return
        name = f"{md['name']}.{unix_nanos(now):x}"
        while self.store.peek("Event", name, namespace) is not None:
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
        self.store.create(event, trusted=True)
        self._index[key] = (namespace, name)
        self._expire_later(namespace, name)

    def _expire_later(self, namespace: str, name: str) -> None:
        self.clock.call_later(
            EVENT_TTL_SECONDS, lambda: self._expire(namespace, name), PRIORITY_CONTROLLER
        )

    def _expire(self, namespace: str, name: str) -> None:
        event = self.store.peek("Event", name, namespace)
        if event is None:
            return
        last = parse_rfc3339(event["lastTimestamp"])
        if self.clock.now - last >= EVENT_TTL_SECONDS:
            self.store.finalize("Event", name, namespace)
            self._index = {k: v for k, v in self._index.items() if v != (namespace, name)}
        else:
            # Written again since: one timer per event, moved to the new deadline.
            self.clock.call_at(
                last + EVENT_TTL_SECONDS, lambda: self._expire(namespace, name), PRIORITY_CONTROLLER
            )
