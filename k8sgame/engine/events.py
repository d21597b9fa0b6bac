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
from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import rfc3339, unix_nanos

NORMAL, WARNING = "Normal", "Warning"


class EventRecorder:
    """Writes core/v1 Events for the simulated components."""

    def __init__(self, api: Client, clock: SimClock) -> None:
        self.api = api
        self.clock = clock
        # Events written, by what makes them the same: (namespace, name, count).
        self._index: dict[tuple[Any, ...], tuple[str, str, int]] = {}

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
            # The recorder's own cache knows the event and its count: it patches, never
            # reads (a component's role grants create and patch on events, not get).
            ev_namespace, ev_name, count = existing
            patch = {"count": count + 1, "lastTimestamp": rfc3339(now)}
            try:
                self.api.patch("Event", ev_name, ev_namespace, patch)
            except ApiError as error:
                if error.reason != "NotFound":
                    raise
                # The event expired (or was deleted): record a new one.
            else:
                self._index[key] = (ev_namespace, ev_name, count + 1)
                return
        nanos = unix_nanos(now)
        while True:
            name = f"{md['name']}.{nanos:x}"
            event = {
                "apiVersion": "v1",
                "kind": "Event",
                "metadata": {"name": name, "namespace": namespace},
                "involvedObject": involved,
                "reason": reason,
                "message": message,
                "source": {"component": component, **({"host": host} if host else {})},
                "firstTimestamp": rfc3339(now),
                "lastTimestamp": rfc3339(now),
                "count": 1,
                "type": event_type,
                "eventTime": None,
                "reportingComponent": component,
                "reportingInstance": host,
            }
            try:
                self.api.create(event, trusted=True)
            except ApiError as error:
                if error.reason != "AlreadyExists":
                    raise
                nanos += 1  # another event of the same object in the same nanosecond
                continue
            break
        self._index[key] = (namespace, name, 1)
