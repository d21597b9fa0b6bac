"""The node lifecycle controller, reduced to what the simulation needs so far.

It keeps the NoSchedule taint that matches a node's Ready condition: none when Ready=True
(removing the ``not-ready`` taint the NodeTaint admission plugin added), ``not-ready`` when
Ready=False, ``unreachable`` when Ready is Unknown or missing (K8S-FACTS §10, §13). NoExecute
taints and evictions for failed nodes are not simulated yet (docs/engine.md).
"""

from __future__ import annotations

from k8sgame.engine.api.node import ready_condition
from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"


def wanted_taint(node: dict) -> str | None:
    condition = ready_condition(node)
    if condition is None or condition.get("status") not in ("True", "False"):
        return UNREACHABLE
    return None if condition.get("status") == "True" else NOT_READY


class NodeLifecycleController:
    def __init__(self, api: Client, clock: SimClock) -> None:
        self.api = api
        self.clock = clock
        api.watch(self._on_node, ("Node",))

    def _on_node(self, event: WatchEvent) -> None:
        if event.type == DELETED:
            return
        name = event.obj["metadata"]["name"]
        self.clock.call_soon(lambda: self._reconcile(name), PRIORITY_CONTROLLER)

    def _reconcile(self, name: str) -> None:
        node = self.api.peek("Node", name)
        if node is None:
            return
        taints = list((node.get("spec") or {}).get("taints") or [])
        managed = (NOT_READY, UNREACHABLE, UNSCHEDULABLE)
        keep = [
            t for t in taints if not (t.get("key") in managed and t.get("effect") == "NoSchedule")
        ]
        wanted = [key for key in (wanted_taint(node),) if key]
        if (node.get("spec") or {}).get("unschedulable"):
            # TaintNodesByCondition: a cordoned node carries the unschedulable taint too.
            wanted.append(UNSCHEDULABLE)
        for key in wanted:
            existing = next(
                (t for t in taints if t.get("key") == key and t.get("effect") == "NoSchedule"), None
            )
            keep.append(existing or {"key": key, "effect": "NoSchedule"})
        if keep == taints:
            return
        updated = clone(node)
        if keep:
            updated["spec"]["taints"] = keep
        else:
            updated["spec"].pop("taints", None)
        self.api.update(updated)
