"""The core/v1 Event kind (what ``kubectl get events`` and ``describe`` read)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.field_selectors import text_value
from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.api.schema import ANY, INT32, STRING, TIME, Struct

OBJECT_REFERENCE = Struct(
    "ObjectReference",
    {
        "kind": STRING,
        "namespace": STRING,
        "name": STRING,
        "uid": STRING,
        "apiVersion": STRING,
        "resourceVersion": STRING,
        "fieldPath": STRING,
    },
)
EVENT = Struct(
    "Event",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "involvedObject": OBJECT_REFERENCE,
        "reason": STRING,
        "message": STRING,
        "source": Struct("EventSource", {"component": STRING, "host": STRING}),
        "firstTimestamp": TIME,
        "lastTimestamp": TIME,
        "count": INT32,
        "type": STRING,
        "eventTime": ANY,
        "series": ANY,
        "action": STRING,
        "related": ANY,
        "reportingComponent": STRING,
        "reportingInstance": STRING,
    },
)


def event_selectable_fields(event: dict[str, Any]) -> dict[str, str]:
    """``event.ToSelectableFields`` (``pkg/registry/core/event/strategy.go``)."""
    involved = event.get("involvedObject") or {}
    source = event.get("source") or {}
    fields = {
        f"involvedObject.{key}": text_value(involved.get(key))
        for key in (
            "kind",
            "namespace",
            "name",
            "uid",
            "apiVersion",
            "resourceVersion",
            "fieldPath",
        )
    }
    fields.update(
        reason=text_value(event.get("reason")),
        reportingComponent=text_value(event.get("reportingComponent")),
        source=text_value(source.get("component")),
        type=text_value(event.get("type")),
    )
    return fields


EVENT_KIND = KindInfo(
    kind="Event",
    group="",
    version="v1",
    plural="events",
    namespaced=True,
    schema=EVENT,
    short_names=("ev",),
    status_subresource=False,
    generation_fields=(),
    # kube-apiserver --event-ttl (default 1h): etcd drops an event that long after its last
    # write.
    ttl_seconds=3600,
    selectable_fields=event_selectable_fields,
)
