"""The ReplicaSet controller (``pkg/controller/replicaset``, ``controller_utils.go``): keeps
``spec.replicas`` pods running that match the selector, as the ``replicaset-controller``
service account.

- It claims pods by labels: an orphan that matches is adopted (given this ReplicaSet as
  controller owner), an owned pod that stops matching is released; pods another controller
  owns are left alone.
- Active pods are those not being deleted and not Succeeded or Failed. Missing ones are
  created from the template (``generateName: <name>-``, the template's labels and
  annotations, a controller reference); extra ones are deleted, unscheduled before scheduled,
  Pending before Running, not ready before ready, and so on (``ActivePodsWithRanks``).
- Each create and delete is an Event from ``replicaset-controller``: ``Created pod: x``,
  ``Deleted pod: x``.
- Status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas (ready for
  ``minReadySeconds``), terminatingReplicas (on by default in 1.35), observedGeneration.
"""

from __future__ import annotations

import math
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import KIND_NAMESPACE_INDEX, Informer, QueueController, Result
from k8sgame.engine.controllers.ownership import claim, controller_ref
from k8sgame.engine.controllers.pod_control import PodControl
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import EventRecorder
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339

COMPONENT = "replicaset-controller"
BURST_REPLICAS = 500
DELETION_COST = "controller.kubernetes.io/pod-deletion-cost"
_PHASE_ORDER = {"Pending": 0, "Unknown": 1, "Running": 2}


def pod_ready_since(pod: dict[str, Any]) -> float | None:
    """When the pod's Ready condition turned True, or None when it is not ready."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "True":
            stamp = condition.get("lastTransitionTime")
            return parse_rfc3339(stamp) if stamp else 0.0
    return None


def _rs_inputs(rs: dict[str, Any]) -> tuple[Any, ...]:
    """What a sync reads of the ReplicaSet itself: a write of its status alone (the
    controller's own, after a sync) changes nothing the next sync would do."""
    md = rs["metadata"]
    return (
        rs.get("spec"),
        md.get("labels"),
        md.get("ownerReferences"),
        md.get("deletionTimestamp"),
        md.get("generation"),
        md.get("uid"),
    )


def _seen_by_owner(pod: dict[str, Any]) -> tuple[Any, ...]:
    """What a ReplicaSet's sync reads of a pod: which ReplicaSet may own it, whether it is
    active, ready (and since when), where it runs and how often it restarted."""
    md, status = pod["metadata"], pod.get("status") or {}
    return (
        md.get("labels"),
        md.get("ownerReferences"),
        md.get("deletionTimestamp"),
        md.get("annotations"),
        status.get("phase"),
        pod_ready_since(pod),
        (pod.get("spec") or {}).get("nodeName"),
        tuple(int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or []),
    )


def _active(pod: dict[str, Any]) -> bool:
    return not pod["metadata"].get("deletionTimestamp") and (pod.get("status") or {}).get(
        "phase"
    ) not in ("Succeeded", "Failed")


def _age_bucket(now: float, since: float | None) -> int:
    """LogarithmicScaleDown: times compare by the power of two of their age."""
    if since is None:
        return -1
    return math.floor(math.log2(max(now - since, 1.0)))


class ReplicaSetController(QueueController[tuple[str, str]]):
    name = "replicaset-controller"
    kinds = ("ReplicaSet", "Pod")
    # What the ReplicationController manager changes (it is this controller, adapted).
    owner_kind = "ReplicaSet"
    component = COMPONENT
    counts_terminating = True

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.pods = PodControl(api, EventRecorder(api, clock), self.component)
        # Whether the running sync failed to create a pod (it is then retried with back-off).
        self._create_failed = False

    @staticmethod
    def label_selector(rs: dict[str, Any]) -> dict[str, Any] | None:
        """The owner's selector as a ``metav1.LabelSelector``."""
        selector: dict[str, Any] | None = (rs.get("spec") or {}).get("selector")
        return selector

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.kind == self.owner_kind:
            if event.old is None or _rs_inputs(event.old) != _rs_inputs(event.obj):
                self.queue.add((namespace, md["name"]))
            return
        if (
            event.type != DELETED
            and event.old is not None
            and _seen_by_owner(event.old) == _seen_by_owner(event.obj)
        ):
            # A change a ReplicaSet cannot see (a container's state while the pod stays
            # Pending, a probe's result that leaves Ready as it was): the sync it would
            # trigger would find everything as before.
            return
        ref = controller_ref(event.obj)
        old_ref = controller_ref(event.old) if event.old is not None else None
        for owner in (ref, old_ref):
            if owner is not None and owner.get("kind") == self.owner_kind:
                self.queue.add((namespace, str(owner.get("name", ""))))
        if ref is None:
            # An orphan may be adopted by any ReplicaSet that selects it.
            for _, rs in self.informer.by_index(
                KIND_NAMESPACE_INDEX, f"{self.owner_kind}/{namespace}"
            ):
                if self._selects(rs, md.get("labels") or {}):
                    self.queue.add((namespace, rs["metadata"]["name"]))

    def _selects(self, rs: dict[str, Any], labels: dict[str, str]) -> bool:
        try:
            return from_label_selector(self.label_selector(rs)).matches(labels)
        except SelectorError:
            return False

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        rs = self.informer.get((self.owner_kind, namespace, name))
        if rs is None:
            return None
        pods = self._claim(rs)
        self._create_failed = False
        if not rs["metadata"].get("deletionTimestamp") and self._manage(
            rs, [p for p in pods if _active(p)]
        ):
            # Pods were created or deleted: count what is there now.
            pods = self._claim(rs)
        result = self._write_status(rs, pods)
        if self._create_failed:
            # manageReplicas returned the creation error: the key comes back after its
            # back-off (5 ms doubling up to 1000 s), and each try records FailedCreate.
            return Result(rate_limited=True)
        return result

    # -- claiming -----------------------------------------------------------------------------

    def _claim(self, rs: dict[str, Any]) -> list[dict[str, Any]]:
        """The pods this ReplicaSet owns after adopting matching orphans and releasing owned
        pods that no longer match (``ClaimPods``)."""
        try:
            selector = from_label_selector(self.label_selector(rs))
        except SelectorError:
            return claim(self.informer, self.api, rs, "Pod", lambda labels: False)
        return claim(self.informer, self.api, rs, "Pod", selector.matches)

    # -- creating and deleting ----------------------------------------------------------------

    def _manage(self, rs: dict[str, Any], active: list[dict[str, Any]]) -> bool:
        """Create or delete pods toward ``spec.replicas``; whether anything was asked for."""
        wanted = int((rs.get("spec") or {}).get("replicas", 1))
        diff = len(active) - wanted
        if diff < 0:
            for _ in range(min(-diff, BURST_REPLICAS)):
                if not self._create(rs):
                    self._create_failed = True
                    break
        elif diff > 0:
            for pod in self._to_delete(active, min(diff, BURST_REPLICAS)):
                self._delete(rs, pod)
        return diff != 0

    def _create(self, rs: dict[str, Any]) -> bool:
        return self.pods.create(rs, (rs.get("spec") or {}).get("template"))

    def _delete(self, rs: dict[str, Any], pod: dict[str, Any]) -> None:
        self.pods.delete(rs, pod)

    def _to_delete(self, active: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
        """The ``count`` pods to remove first (``ActivePodsWithRanks.Less``)."""
        if count >= len(active):
            return active
        now = self.clock.now
        on_node: dict[str, int] = {}
        for pod in active:
            node = (pod.get("spec") or {}).get("nodeName") or ""
            on_node[node] = on_node.get(node, 0) + 1

        def rank(pod: dict[str, Any]) -> tuple[Any, ...]:
            spec, status = pod.get("spec") or {}, pod.get("status") or {}
            node = spec.get("nodeName") or ""
            ready_since = pod_ready_since(pod)
            restarts = max(
                (int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or []),
                default=0,
            )
            created = pod["metadata"].get("creationTimestamp")
            try:
                cost = int((pod["metadata"].get("annotations") or {}).get(DELETION_COST, 0))
            except ValueError:
                cost = 0
            return (
                bool(node),  # unscheduled first
                _PHASE_ORDER.get(status.get("phase", ""), 3),  # Pending, Unknown, Running
                ready_since is not None,  # not ready first
                cost,  # lower deletion cost first
                -on_node.get(node, 0) if node else 0,  # more crowded node first
                _age_bucket(now, ready_since)
                if ready_since is not None
                else 0,  # ready more recently first
                -restarts,  # more restarts first
                _age_bucket(now, parse_rfc3339(created) if created else None),  # newer first
                pod["metadata"].get("uid", ""),
            )

        return sorted(active, key=rank)[:count]

    # -- status -------------------------------------------------------------------------------

    def _write_status(self, rs: dict[str, Any], pods: list[dict[str, Any]]) -> Result | None:
        spec = rs.get("spec") or {}
        template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        min_ready = int(spec.get("minReadySeconds") or 0)
        now = self.clock.now
        # One pass over the pods (this runs on every pod change a ReplicaSet can see).
        active = labelled = ready = available = terminating = 0
        for pod in pods:
            if not _active(pod):
                if pod["metadata"].get("deletionTimestamp") and (pod.get("status") or {}).get(
                    "phase"
                ) not in ("Succeeded", "Failed"):
                    terminating += 1
                continue
            active += 1
            labels = pod["metadata"].get("labels") or {}
            if all(labels.get(k) == v for k, v in template_labels.items()):
                labelled += 1
            since = pod_ready_since(pod)
            if since is not None:
                ready += 1
                if min_ready == 0 or since + min_ready <= now:
                    available += 1
        status: dict[str, Any] = {"replicas": active}
        for field, counted in (
            ("fullyLabeledReplicas", labelled),
            ("readyReplicas", ready),
            ("availableReplicas", available),
        ):
            if counted:
                status[field] = counted
        if self.counts_terminating:
            status["terminatingReplicas"] = terminating
        generation = rs["metadata"].get("generation")
        if generation:
            status["observedGeneration"] = generation
        if (rs.get("status") or {}) != status:
            # A status write keeps everything but the status: a shallow copy will do.
            updated = dict(rs)
            updated["status"] = status
            try:
                self.api.update_status(updated)
            except ApiError:
                return Result(requeue_after=1.0)
        if ready > available:
            # A ready pod becomes available once it has been ready for minReadySeconds.
            return Result(requeue_after=float(min_ready) + 1.0)
        return None


class ReplicationControllerManager(ReplicaSetController):
    """The ReplicationController manager (``pkg/controller/replication``): the ReplicaSet
    controller run over ReplicationControllers, whose selector is a plain label map, as
    ``replication-controller``; its status has no terminatingReplicas."""

    name = "replication-controller"
    kinds = ("ReplicationController", "Pod")
    owner_kind = "ReplicationController"
    component = "replication-controller"
    counts_terminating = False

    @staticmethod
    def label_selector(rs: dict[str, Any]) -> dict[str, Any] | None:
        labels = (rs.get("spec") or {}).get("selector")
        return {"matchLabels": labels} if labels else None
