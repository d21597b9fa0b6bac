"""The node lifecycle controller, reduced to what the simulation needs so far.

It keeps the NoSchedule taint that matches a node's Ready condition: none when Ready=True
(removing the ``not-ready`` taint the NodeTaint admission plugin added), ``not-ready`` when
Ready=False, ``unreachable`` when Ready is Unknown or missing (K8S-FACTS §10, §13). NoExecute
taints and evictions for failed nodes are not simulated yet (docs/engine.md).
"""

from __future__ import annotations

from k8sgame.engine.controllers.base import QueueController, Result
from k8sgame.engine.kinds.node import ready_condition
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


class NodeLifecycleController(QueueController[tuple[str]]):
    name = "node-lifecycle-controller"
    kinds = ("Node",)

    def on_event(self, event: WatchEvent) -> None:
        if event.kind == "Node" and event.type != DELETED:
            self.queue.add((event.obj["metadata"]["name"],))

    def reconcile(self, key: tuple[str]) -> Result | None:
        node = self.informer.get(("Node", "", key[0]))
        if node is None:
            return None
        taints = list((node.get("spec") or {}).get("taints") or [])
        managed = (NOT_READY, UNREACHABLE, UNSCHEDULABLE)
        keep = [
            t for t in taints if not (t.get("key") in managed and t.get("effect") == "NoSchedule")
        ]
        wanted = [taint for taint in (wanted_taint(node),) if taint]
        if (node.get("spec") or {}).get("unschedulable"):
            # TaintNodesByCondition: a cordoned node carries the unschedulable taint too.
            wanted.append(UNSCHEDULABLE)
        for taint_key in wanted:
            existing = next(
                (
                    t
                    for t in taints
                    if t.get("key") == taint_key and t.get("effect") == "NoSchedule"
                ),
                None,
            )
            keep.append(existing or {"key": taint_key, "effect": "NoSchedule"})
        if keep == taints:
            return None
        updated = clone(node)
        if keep:
            updated["spec"]["taints"] = keep
        else:
            updated["spec"].pop("taints", None)
        self.api.update(updated)
        return None
