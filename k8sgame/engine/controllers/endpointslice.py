"""The EndpointSlice controller (``pkg/controller/endpointslice``), as the
``endpointslice-controller`` service account: for every Service with a selector (not
ExternalName), EndpointSlices listing the pods the selector matches in its namespace.

- A Service, or a pod whose labels, IP, readiness, phase, node, hostname or deletion
  changed, queues the Services concerned (found through the namespace's Services, never by
  looking at every pod); the sync (``endpointslice_reconciler``) creates, updates and
  deletes slices with upstream's rules, 100 endpoints at most per slice.
- A Service losing its selector keeps the slices it had; a deleted Service's slices go with
  it through the garbage collector (they have it as controlling owner).
- A change someone else makes to one of its slices is looked at again a second later
  (``endpointSliceChangeMinSyncDelay``), so an edited or deleted slice is put back; its own
  writes do not queue anything."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.base import KIND_NAMESPACE_INDEX, Result
from k8sgame.engine.controllers.endpoint_util import (
    ServiceEndpointsController,
    ServiceKey,
    matching_pods,
    service_selector,
)
from k8sgame.engine.controllers.endpointslice_reconciler import (
    CONTROLLER_NAME,
    MAX_ENDPOINTS_PER_SLICE,
    SlicePlan,
    reconcile_slices,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.endpoint_slice import MANAGED_BY_LABEL, SERVICE_NAME_LABEL
from k8sgame.engine.store import WatchEvent

Obj = dict[str, Any]

# endpointSliceChangeMinSyncDelay: how long after someone else's change to a managed slice
# its Service is synced again.
SLICE_CHANGE_DELAY = 1.0


# Updates go the trusted way (no decoding or validation of what the controller built);
# a test turns it off to show the stored objects are the same either way.
TRUSTED_WRITES = True


class EndpointSliceController(ServiceEndpointsController):
    name = "endpointslice-controller"
    kinds = ("Service", "Pod", "EndpointSlice")

    def on_written(self, event: WatchEvent) -> None:
        """Someone else changed a slice: the Services of the slice (before and after the
        change) are synced again if this controller manages it."""
        namespace = event.obj["metadata"].get("namespace") or ""
        versions = [event.obj] if event.old is None else [event.obj, event.old]
        managed = [
            labels
            for labels in (v["metadata"].get("labels") or {} for v in versions)
            if labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME
        ]
        if not managed:
            return
        for labels in (v["metadata"].get("labels") or {} for v in versions):
            service = labels.get(SERVICE_NAME_LABEL)
            if service:
                self.queue.add_after((namespace, service), SLICE_CHANGE_DELAY)

    def reconcile(self, key: ServiceKey) -> Result | None:
        namespace, name = key
        svc = self.informer.get(("Service", namespace, name))
        if svc is None:
            # Its slices go with it (garbage collector); only the bookkeeping is left.
            self.triggers.forget(key)
            self.memo.forget(key)
            return None
        selector = service_selector(svc)
        if selector is None:
            return None
        pods = matching_pods(self.informer, svc, selector)
        slices = [
            eps
            for _, eps in self.informer.by_index(KIND_NAMESPACE_INDEX, f"EndpointSlice/{namespace}")
            if (eps["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL) == name
            and (eps["metadata"].get("labels") or {}).get(MANAGED_BY_LABEL) == CONTROLLER_NAME
            and not eps["metadata"].get("deletionTimestamp")
        ]
        # Computed on every sync so the tracker sees each change once, even a no-op one.
        trigger = self.triggers.compute(svc, pods)
        plans = reconcile_slices(
            svc, pods, slices, self._node, trigger, MAX_ENDPOINTS_PER_SLICE, self.memo
        )
        self._writing = True
        try:
            for plan in plans:
                self._apply(svc, plan)
        finally:
            self._writing = False
        return None

    def _node(self, name: str) -> Obj | None:
        return self.informer.get(("Node", "", name)) if name else None

    def _apply(self, svc: Obj, plan: SlicePlan) -> None:
        """``finalize``'s writes. No new slice for a Service being deleted (the garbage
        collector would race it); a failed write is retried with back-off by the queue."""
        namespace = svc["metadata"].get("namespace") or ""
        if not svc["metadata"].get("deletionTimestamp"):
            for eps in plan.create:
                try:
                    self.api.create(eps)
                except ApiError as error:
                    if error.reason == "Forbidden":
                        return  # the namespace is terminating: nothing more to do
                    raise
        for eps in plan.update:
            # The controller's own well-formed slices: kept as written, checked against
            # their resourceVersion (a rollout behind a Service rewrites them often).
            self.api.update(eps, trusted=TRUSTED_WRITES)
        for eps in plan.delete:
            try:
                self.api.delete("EndpointSlice", eps["metadata"]["name"], namespace)
            except ApiError as error:
                if error.reason != "NotFound":
                    raise
