"""The TTL-after-finished controller as ``ttl-after-finished-controller``
(``pkg/controller/ttlafterfinished``): a finished Job with ``ttlSecondsAfterFinished`` is
deleted that long after it finished (its Complete or Failed condition's transition time),
its pods with it (background propagation)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339


def finish_time(job: dict[str, Any]) -> float | None:
    """When the Job finished: its Complete or Failed condition's transition time."""
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            stamp = condition.get("lastTransitionTime")
            return parse_rfc3339(stamp) if stamp else None
    return None


class TTLAfterFinishedController(QueueController[tuple[str, str]]):
    name = "ttl-after-finished-controller"
    kinds = ("Job",)

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock

    def on_event(self, event: WatchEvent) -> None:
        if event.type == DELETED:
            return
        md = event.obj["metadata"]
        if (event.obj.get("spec") or {}).get("ttlSecondsAfterFinished") is not None:
            self.queue.add((md.get("namespace", ""), md["name"]))

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        job = self.informer.get(("Job", namespace, name))
        if job is None or job["metadata"].get("deletionTimestamp"):
            return None
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        finished = finish_time(job)
        if ttl is None or finished is None:
            return None
        left = finished + int(ttl) - self.clock.now
        if left > 0:
            return Result(requeue_after=left)
        try:
            self.api.delete("Job", name, namespace, propagation="Background")
        except ApiError as error:
            if error.reason != "NotFound":
                raise
        return None
