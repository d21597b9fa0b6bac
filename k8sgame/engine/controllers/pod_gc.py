"""The pod garbage collector as ``pod-garbage-collector`` (``pkg/controller/podgc``): pods
bound to a node that no longer exists are deleted at once, without a grace period (no kubelet
is left to stop them), after a quarantine of 40 s in case the node comes back. Each is first
marked ``DisruptionTarget`` (``DeletionByPodGC``)."""

from __future__ import annotations

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import NODE_NAME_INDEX, Informer, QueueController, Result
from k8sgame.engine.controllers.disruption import delete_disrupted
from k8sgame.engine.store import DELETED, WatchEvent

QUARANTINE = 40.0  # quarantineTime


class PodGCController(QueueController[tuple[str]]):
    name = "pod-garbage-collector"
    kinds = ("Node",)

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock

    def on_event(self, event: WatchEvent) -> None:
        if event.type == DELETED:
            self.queue.add_after((event.obj["metadata"]["name"],), QUARANTINE)

    def reconcile(self, key: tuple[str]) -> Result | None:
        node = key[0]
        if self.informer.get(("Node", "", node)) is not None:
            return None
        for (kind, _, _), pod in self.informer.by_index(NODE_NAME_INDEX, node):
            if kind == "Pod":
                delete_disrupted(
                    self.api,
                    pod,
                    "DeletionByPodGC",
                    "PodGC: node no longer exists",
                    self.clock.now,
                    grace_period=0,
                )
        return None
