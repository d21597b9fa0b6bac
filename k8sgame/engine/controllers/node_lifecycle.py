"""The node lifecycle controller (``pkg/controller/nodelifecycle``, K8S-FACTS §10).

- **Health.** Every ``--node-monitor-period`` (5 s) it looks at each node's heartbeat: its
  Lease's ``renewTime`` or its Ready condition's ``lastHeartbeatTime``, whichever is later. A
  node silent for longer than ``--node-monitor-grace-period`` (50 s) gets every condition
  set to ``Unknown`` (``NodeStatusUnknown``, ``Kubelet stopped posting node status.``) and
  its pods marked not Ready. Only nodes that have a Lease are watched: a node declared without
  a kubelet keeps the conditions it was given.
- **Taints.** It keeps the taints that match the Ready condition: none when True;
  ``not-ready`` when False, ``unreachable`` when Unknown or missing, each with effect
  NoSchedule and NoExecute (the NoExecute one with ``timeAdded``); a cordoned node carries
  ``unschedulable:NoSchedule``. Evicting pods for NoExecute taints is the taint-eviction
  controller's work.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.controllers.base import (
    KIND_NAMESPACE_INDEX,
    NODE_NAME_INDEX,
    Informer,
    QueueController,
    Result,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.node import ready_condition
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339, rfc3339

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
MONITOR_PERIOD = 5.0
GRACE_PERIOD = 50.0  # --node-monitor-grace-period since 1.32
LEASE_NAMESPACE = "kube-node-lease"
WATCHED_CONDITIONS = ("Ready", "MemoryPressure", "DiskPressure", "PIDPressure")
UNKNOWN_REASON = "NodeStatusUnknown"
UNKNOWN_MESSAGE = "Kubelet stopped posting node status."

Obj = dict[str, Any]


def wanted_taint(node: Obj) -> str | None:
    condition = ready_condition(node)
    if condition is None or condition.get("status") not in ("True", "False"):
        return UNREACHABLE
    return None if condition.get("status") == "True" else NOT_READY


class NodeLifecycleController(QueueController[tuple[str]]):
    name = "node-lifecycle-controller"
    kinds = ("Node",)

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        clock.call_later(MONITOR_PERIOD, self._monitor, PRIORITY_CONTROLLER)

    def on_event(self, event: WatchEvent) -> None:
        if event.kind == "Node" and event.type != DELETED:
            self.queue.add((event.obj["metadata"]["name"],))

    # -- health -----------------------------------------------------------------------------

    def _monitor(self) -> None:
        """``monitorNodeHealth``: mark silent nodes Unknown."""
        if self.queue.stopped:
            return
        for key, node in self.informer.by_index(KIND_NAMESPACE_INDEX, "Node/"):
            lease = self.informer.get(("Lease", LEASE_NAMESPACE, key[2]))
            if lease is None:
                continue
            ready = ready_condition(node)
            if ready is not None and ready.get("status") == "Unknown":
                continue
            heartbeat = _heartbeat(node, lease)
            if heartbeat is not None and self.clock.now - heartbeat > GRACE_PERIOD:
                self._mark_unknown(node)
        self.clock.call_later(MONITOR_PERIOD, self._monitor, PRIORITY_CONTROLLER)

    def _mark_unknown(self, node: Obj) -> None:
        stamp = rfc3339(self.clock.now)
        updated = clone(node)
        conditions = (updated.setdefault("status", {})).setdefault("conditions", [])
        for kind in WATCHED_CONDITIONS:
            condition = next((c for c in conditions if c.get("type") == kind), None)
            if condition is None:
                conditions.append(
                    {
                        "type": kind,
                        "status": "Unknown",
                        "reason": "NodeStatusNeverUpdated",
                        "message": "Kubelet never posted node status.",
                        "lastHeartbeatTime": node["metadata"].get("creationTimestamp"),
                        "lastTransitionTime": stamp,
                    }
                )
                continue
            condition.update(
                {
                    "status": "Unknown",
                    "reason": UNKNOWN_REASON,
                    "message": UNKNOWN_MESSAGE,
                    "lastTransitionTime": stamp,
                }
            )
        try:
            self.api.update_status(updated)
        except ApiError:
            return
        self._mark_pods_not_ready(node["metadata"]["name"], stamp)

    def _mark_pods_not_ready(self, node_name: str, stamp: str) -> None:
        """``MarkPodsNotReady``: the node's pods lose their Ready condition (and so their
        place behind Services)."""
        for _, pod in self.informer.by_index(NODE_NAME_INDEX, node_name):
            if pod.get("kind") != "Pod":
                continue
            status = pod.get("status") or {}
            conditions = [dict(c) for c in status.get("conditions") or []]
            changed = False
            for condition in conditions:
                if condition.get("type") == "Ready" and condition.get("status") != "False":
                    condition["status"] = "False"
                    condition["lastTransitionTime"] = stamp
                    changed = True
            if not changed:
                continue
            updated = dict(pod)
            updated["status"] = {**status, "conditions": conditions}
            try:
                self.api.update_status(updated)
            except ApiError:
                continue

    # -- taints -----------------------------------------------------------------------------

    def reconcile(self, key: tuple[str]) -> Result | None:
        node = self.informer.get(("Node", "", key[0]))
        if node is None:
            return None
        taints = list((node.get("spec") or {}).get("taints") or [])
        managed = (NOT_READY, UNREACHABLE, UNSCHEDULABLE)
        keep = [
            t
            for t in taints
            if not (t.get("key") in managed and t.get("effect") in ("NoSchedule", "NoExecute"))
        ]
        wanted = []
        condition_taint = wanted_taint(node)
        if condition_taint:
            wanted += [(condition_taint, "NoSchedule"), (condition_taint, "NoExecute")]
        if (node.get("spec") or {}).get("unschedulable"):
            # TaintNodesByCondition: a cordoned node carries the unschedulable taint too.
            wanted.append((UNSCHEDULABLE, "NoSchedule"))
        for taint_key, effect in wanted:
            existing = next(
                (t for t in taints if t.get("key") == taint_key and t.get("effect") == effect),
                None,
            )
            if existing is None:
                existing = {"key": taint_key, "effect": effect}
                if effect == "NoExecute":
                    existing["timeAdded"] = rfc3339(self.clock.now)
            keep.append(existing)
        if keep == taints:
            return None
        updated = clone(node)
        if keep:
            updated["spec"]["taints"] = keep
        else:
            updated["spec"].pop("taints", None)
        self.api.update(updated)
        return None


def _heartbeat(node: Obj, lease: Obj) -> float | None:
    """The later of the Lease's renewal and the Ready condition's heartbeat."""
    times = []
    renewed = (lease.get("spec") or {}).get("renewTime")
    if renewed:
        times.append(parse_rfc3339(renewed))
    ready = ready_condition(node)
    if ready is not None and ready.get("lastHeartbeatTime"):
        times.append(parse_rfc3339(ready["lastHeartbeatTime"]))
    return max(times) if times else None
