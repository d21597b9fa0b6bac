"""The core/v1 Event kind (what ``kubectl get events`` and ``describe`` read)."""

from __future__ import annotations

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
)
