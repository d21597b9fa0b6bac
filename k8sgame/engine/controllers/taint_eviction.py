"""The taint-eviction controller (``pkg/controller/tainteviction``, K8S-FACTS §9.7): a pod on a
node with a NoExecute taint it does not tolerate is deleted at once; one that tolerates it
for ``tolerationSeconds`` is deleted when that time has passed since the taint was added
(the smallest such time among its matching tolerations); a toleration without seconds keeps
the pod there. Before deleting it the controller records ``TaintManagerEviction`` and marks
the pod ``DisruptionTarget`` (``DeletionByTaintManager``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import NODE_NAME_INDEX, Informer, QueueController, Result
from k8sgame.engine.controllers.disruption import delete_disrupted
from k8sgame.engine.events import NORMAL, EventRecorder
from k8sgame.engine.scheduler.taints import tolerates
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339

COMPONENT = "taint-eviction-controller"

Obj = dict[str, Any]


def eviction_time(pod: Obj, taints: list[Obj], now: float) -> float | None:
    """When the pod must go for the node's NoExecute taints: ``now`` for one it does not
    tolerate, the earliest end of a bounded toleration, or None to stay."""
    tolerations = (pod.get("spec") or {}).get("tolerations") or []
    due: float | None = None
    for taint in taints:
        if taint.get("effect") != "NoExecute":
            continue
        matching = [t for t in tolerations if tolerates(t, taint)]
        if not matching:
            return now
        bounded = [
            int(t["tolerationSeconds"]) for t in matching if t.get("tolerationSeconds") is not None
        ]
        if len(bounded) < len(matching):
            continue  # a toleration without seconds: forever
        added = parse_rfc3339(taint["timeAdded"]) if taint.get("timeAdded") else now
        end = added + max(min(bounded), 0)
        due = end if due is None else min(due, end)
    return due


class TaintEvictionController(QueueController[tuple[str, str]]):
    name = "taint-eviction-controller"
    kinds = ("Pod", "Node")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)

    def on_event(self, event: WatchEvent) -> None:
        if event.type == DELETED:
            return
        if event.kind == "Node":
            for key, _ in self.informer.by_index(NODE_NAME_INDEX, event.obj["metadata"]["name"]):
                if key[0] == "Pod":
                    self.queue.add((key[1], key[2]))
            return
        if (event.obj.get("spec") or {}).get("nodeName"):
            md = event.obj["metadata"]
            self.queue.add((md.get("namespace", ""), md["name"]))

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        pod = self.informer.get(("Pod", namespace, name))
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            return None
        node_name = (pod.get("spec") or {}).get("nodeName")
        node = self.informer.get(("Node", "", str(node_name))) if node_name else None
        if node is None:
            return None
        taints = (node.get("spec") or {}).get("taints") or []
        now = self.clock.now
        due = eviction_time(pod, taints, now)
        if due is None:
            return None
        if due > now:
            return Result(requeue_after=due - now)
        self._evict(pod)
        return None

    def _evict(self, pod: Obj) -> None:
        md = pod["metadata"]
        self.recorder.record(
            pod,
            NORMAL,
            "TaintManagerEviction",
            f"Marking for deletion Pod {md.get('namespace', '')}/{md['name']}",
            COMPONENT,
        )
        delete_disrupted(
            self.api,
            pod,
            "DeletionByTaintManager",
            "Taint manager: deleting due to NoExecute taint",
            self.clock.now,
        )
