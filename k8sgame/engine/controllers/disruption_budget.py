"""The disruption controller (``pkg/controller/disruption/disruption.go``): each
PodDisruptionBudget's status from the pods its selector matches.

- ``expectedPods``: with an integer ``minAvailable`` the number of matching pods; otherwise
  the desired replicas of their controllers (a Deployment, a ReplicaSet of its own or a
  StatefulSet), each counted once;
- ``desiredHealthy``: ``minAvailable`` (a percentage of expected, rounded up), or expected
  minus ``maxUnavailable`` (a percentage rounded up);
- ``currentHealthy``: matching pods that are Ready, not being deleted and not in
  ``disruptedPods`` (evictions the API server granted in the last two minutes);
- ``disruptionsAllowed``: current minus desired, never below 0 (0 with no expected pods),
  with the ``DisruptionAllowed`` condition (SufficientPods / InsufficientPods, or SyncFailed
  when a pod's controller has no scale). Events come from ``controllermanager``."""

from __future__ import annotations

import math
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import (
    KIND_NAMESPACE_INDEX,
    Informer,
    QueueController,
    Result,
    write_status,
)
from k8sgame.engine.controllers.ownership import controller_ref
from k8sgame.engine.events import NORMAL, EventRecorder
from k8sgame.engine.intstr import percent_of, scaled_value
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.store import WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339, rfc3339

COMPONENT = "controllermanager"
DELETION_TIMEOUT = 120.0  # DeletionTimeout: how long a granted eviction counts as disrupted
CONDITION = "DisruptionAllowed"

Obj = dict[str, Any]


class ScaleError(Exception):
    """A pod's controller whose desired replicas cannot be read."""


def _ready(pod: Obj) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


class DisruptionController(QueueController[tuple[str, str]]):
    name = "disruption-controller"
    kinds = ("PodDisruptionBudget", "Pod", "ReplicaSet", "Deployment", "StatefulSet")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.kind == "PodDisruptionBudget":
            self.queue.add((namespace, md["name"]))
            return
        # A pod or a controller's scale changed: the namespace's budgets are counted again.
        for _, pdb in self.informer.by_index(
            KIND_NAMESPACE_INDEX, f"PodDisruptionBudget/{namespace}"
        ):
            self.queue.add((namespace, pdb["metadata"]["name"]))

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        stored = self.informer.get(("PodDisruptionBudget", namespace, name))
        if stored is None or stored["metadata"].get("deletionTimestamp"):
            return None
        spec = stored.get("spec") or {}
        try:
            selector = from_label_selector(spec.get("selector"))
        except SelectorError:
            return None
        pods = [
            pod
            for _, pod in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{namespace}")
            if selector.matches(pod["metadata"].get("labels") or {})
        ]
        if not pods:
            self.recorder.record(stored, NORMAL, "NoPods", "No matching pods found", COMPONENT)
        try:
            expected, desired = self._expected(spec, pods)
        except ScaleError as error:
            self._write(stored, 0, 0, 0, 0, {}, ("False", "SyncFailed", str(error)))
            return None
        disrupted, wake = self._disrupted(stored, pods)
        healthy = sum(
            1
            for pod in pods
            if not pod["metadata"].get("deletionTimestamp")
            and pod["metadata"]["name"] not in disrupted
            and _ready(pod)
        )
        allowed = healthy - desired
        if expected <= 0 or allowed <= 0:
            allowed = 0
        reason = (
            ("True", "SufficientPods", "") if allowed > 0 else ("False", "InsufficientPods", "")
        )
        self._write(stored, allowed, healthy, desired, expected, disrupted, reason)
        return Result(requeue_after=wake) if wake is not None else None

    def _expected(self, spec: Obj, pods: list[Obj]) -> tuple[int, int]:
        """``getExpectedPodCount``: (expectedPods, desiredHealthy)."""
        min_available, max_unavailable = spec.get("minAvailable"), spec.get("maxUnavailable")
        if max_unavailable is not None:
            expected = self._expected_scale(pods)
            down = scaled_value(max_unavailable, expected, True)
            return expected, max(0, expected - down)
        if min_available is None:
            return 0, 0
        if isinstance(min_available, int):
            return len(pods), min_available
        expected = self._expected_scale(pods)
        percent = percent_of(min_available) or 0
        return expected, math.ceil(percent * expected / 100)

    def _expected_scale(self, pods: list[Obj]) -> int:
        """``getExpectedScale``: each controller's desired replicas, once per controller."""
        seen: set[str] = set()
        total = 0
        for pod in pods:
            ref = controller_ref(pod)
            if ref is None:
                continue  # unmanaged: not counted
            namespace = pod["metadata"].get("namespace", "")
            owner = self.informer.get((str(ref.get("kind")), namespace, str(ref.get("name"))))
            if ref.get("kind") == "ReplicaSet" and owner is not None:
                parent = controller_ref(owner)
                if parent is not None and parent.get("kind") == "Deployment":
                    owner = self.informer.get(("Deployment", namespace, str(parent.get("name"))))
            if owner is None or ref.get("kind") not in ("ReplicaSet", "StatefulSet"):
                kind = str(ref.get("kind", "")).lower() + "s"
                raise ScaleError(f"{kind}.apps does not implement the scale subresource")
            uid = str(owner["metadata"].get("uid"))
            if uid in seen:
                continue
            seen.add(uid)
            total += int((owner.get("spec") or {}).get("replicas") or 0)
        return total

    def _disrupted(self, pdb: Obj, pods: list[Obj]) -> tuple[dict[str, str], float | None]:
        """``buildDisruptedPodMap``: evictions still in flight, and when the first expires."""
        live = {p["metadata"]["name"]: p for p in pods}
        kept: dict[str, str] = {}
        wake = None
        for name, stamp in ((pdb.get("status") or {}).get("disruptedPods") or {}).items():
            pod = live.get(name)
            if pod is None or pod["metadata"].get("deletionTimestamp"):
                continue
            expires = parse_rfc3339(stamp) + DELETION_TIMEOUT
            if expires <= self.clock.now:
                continue
            kept[name] = stamp
            wait = expires - self.clock.now
            wake = wait if wake is None else min(wake, wait)
        return kept, wake

    def _write(
        self,
        stored: Obj,
        allowed: int,
        healthy: int,
        desired: int,
        expected: int,
        disrupted: dict[str, str],
        condition: tuple[str, str, str],
    ) -> None:
        old = stored.get("status") or {}
        generation = stored["metadata"].get("generation")
        status: Obj = {
            "disruptionsAllowed": allowed,
            "currentHealthy": healthy,
            "desiredHealthy": desired,
            "expectedPods": expected,
        }
        if generation is not None:
            status["observedGeneration"] = generation
        if disrupted:
            status["disruptedPods"] = disrupted
        state, reason, message = condition
        previous = next(
            (c for c in old.get("conditions") or [] if c.get("type") == CONDITION), None
        )
        # SetStatusCondition: the transition time moves only when the status flips.
        since = (
            previous.get("lastTransitionTime")
            if previous is not None and previous.get("status") == state
            else rfc3339(self.clock.now)
        )
        status["conditions"] = [
            {
                "type": CONDITION,
                "status": state,
                "observedGeneration": generation,
                "lastTransitionTime": since,
                "reason": reason,
                "message": message,
            }
        ]
        write_status(self.api, stored, status)
