"""The default scheduler: a queue of pods without a node, one scheduling cycle at a time.

A cycle filters nodes (a rotating, adaptive sample in big clusters, K8S-FACTS §9.2), scores
the feasible ones, picks the best and binds by setting ``spec.nodeName``. Ties go to the
node whose name sorts first — the real scheduler picks a random one among equals
(``selectHost``), which a deterministic simulator cannot; docs/engine.md says so.

Unschedulable pods wait until a cluster event could help them (a node added or changed, a
bound pod deleted) after their back-off (1 s doubling to 10 s), or at most 5 minutes
(``podMaxInUnschedulablePodsDuration``); each failed attempt records ``FailedScheduling``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock, Timer
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.scheduler import messages
from k8sgame.engine.scheduler.cache import TERMINAL_PHASES, NodeInfo, SchedulerCache
from k8sgame.engine.scheduler.filters import PodContext, run_filters
from k8sgame.engine.scheduler.node_affinity import name_restriction
from k8sgame.engine.scheduler.scores import RESOURCE_PLUGINS, total_scores
from k8sgame.engine.scheduler.volume_binding import PLUGIN as VOLUME_BINDING
from k8sgame.engine.scheduler.volume_binding import claim_names, pre_bind, pre_filter
from k8sgame.engine.store import ADDED, DELETED, WatchEvent
from k8sgame.engine.timefmt import rfc3339

SCHEDULER_NAME = "default-scheduler"
MIN_FEASIBLE_NODES = 100
MIN_FEASIBLE_PERCENTAGE = 5
INITIAL_BACKOFF = 1.0
MAX_BACKOFF = 10.0
MAX_UNSCHEDULABLE_SECONDS = 300.0
FLUSH_PERIOD = 30.0
# How often PreBind looks again whether a pod's claims are bound (WaitForCondition's poll).
BIND_POLL_SECONDS = 1.0
# Plugins whose failures a deleted or changed bound pod could resolve.
POD_EVENT_PLUGINS = frozenset({"NodeResourcesFit", "NodePorts", "InterPodAffinity"})


def num_feasible_nodes_to_find(total: int, percentage: int = 0) -> int:
    """How many feasible nodes to look for before scoring (``numFeasibleNodesToFind``)."""
    if total < MIN_FEASIBLE_NODES:
        return total
    if percentage <= 0:
        percentage = max(50 - total // 125, MIN_FEASIBLE_PERCENTAGE)
    if percentage >= 100:
        return total
    return max(total * percentage // 100, MIN_FEASIBLE_NODES)


@dataclass
class QueuedPod:
    key: tuple[str, str]
    attempts: int = 0
    last_attempt: float = 0.0
    unschedulable_since: float | None = None
    plugins: frozenset[str] = frozenset()
    # Placed, and waiting in PreBind for its claims to be bound.
    waiting_for_volumes: bool = False


class Scheduler:
    """Binds pending pods whose ``schedulerName`` is ``default-scheduler``."""

    def __init__(
        self,
        api: Client,
        clock: SimClock,
        recorder: EventRecorder,
        percentage_of_nodes_to_score: int = 0,
        vectorized: bool = True,
    ) -> None:
        self.api = api
        self.clock = clock
        self.recorder = recorder
        self.cache = SchedulerCache(api)
        self.percentage = percentage_of_nodes_to_score
        # The array fast path gives the same placements; False forces the scalar loop.
        self.vectorized = vectorized
        self._queued: dict[tuple[str, str], QueuedPod] = {}
        self._active: set[tuple[str, str]] = set()
        self._timer: Timer | None = None
        self._flush: Timer | None = None
        self._next_start = 0
        api.watch(self._on_pod, ("Pod",))
        api.watch(self._on_node, ("Node",))
        api.watch(
            self._on_volume_object, ("PersistentVolumeClaim", "PersistentVolume", "StorageClass")
        )

    # -- queue -----------------------------------------------------------------------------

    @staticmethod
    def _wants(pod: dict[str, Any]) -> bool:
        spec = pod.get("spec") or {}
        return (
            not spec.get("nodeName")
            and spec.get("schedulerName", SCHEDULER_NAME) == SCHEDULER_NAME
            and not pod["metadata"].get("deletionTimestamp")
            and (pod.get("status") or {}).get("phase") not in TERMINAL_PHASES
            and not spec.get("schedulingGates")
        )

    def _on_pod(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        key = (md.get("namespace", ""), md["name"])
        if event.type != DELETED and self._wants(event.obj):
            if key not in self._queued:
                self._queued[key] = QueuedPod(key)
                self._activate(key)
            elif key not in self._active and _pod_schedulingly_different(event.obj, event.old):
                # A new toleration or label can make the pod fit (QueueingHint on pod updates).
                self._activate(key)
            return
        if (
            event.type != DELETED
            and _gated(event.obj)
            and not _has_condition(event.obj, "PodScheduled")
        ):
            self.clock.call_soon(lambda: self._mark_gated(key), PRIORITY_CONTROLLER)
        self._queued.pop(key, None)
        self._active.discard(key)
        bound = (event.obj.get("spec") or {}).get("nodeName")
        if bound and (
            event.type == DELETED or (event.obj.get("status") or {}).get("phase") in TERMINAL_PHASES
        ):
            self._requeue_unschedulable(lambda q: bool(q.plugins & POD_EVENT_PLUGINS))
        elif bound and event.type == ADDED:
            self._requeue_unschedulable(lambda q: "InterPodAffinity" in q.plugins)

    def _on_node(self, event: WatchEvent) -> None:
        if event.type == DELETED:
            return
        if event.type == ADDED or _schedulingly_different(event.obj, event.old):
            self._requeue_unschedulable(lambda q: True)

    def _requeue_unschedulable(self, wanted: Any) -> None:
        for key, queued in self._queued.items():
            if (
                queued.unschedulable_since is not None
                and key not in self._active
                and wanted(queued)
            ):
                self._activate(key)

    def _activate(self, key: tuple[str, str]) -> None:
        self._active.add(key)
        self._wake_at(max(self.clock.now, self._ready_at(key)))

    def _backoff(self, queued: QueuedPod) -> float:
        if queued.attempts == 0:
            return 0.0
        return min(INITIAL_BACKOFF * 2 ** (queued.attempts - 1), MAX_BACKOFF)

    def _ready_at(self, key: tuple[str, str]) -> float:
        queued = self._queued[key]
        if queued.waiting_for_volumes:
            return queued.last_attempt + BIND_POLL_SECONDS
        return queued.last_attempt + self._backoff(queued) if queued.attempts else self.clock.now

    def _wake(self) -> None:
        if self._active:
            self._wake_at(max(self.clock.now, min(self._ready_at(k) for k in self._active)))

    def _wake_at(self, due: float) -> None:
        if self._timer is not None and not self._timer.cancelled and self._timer.due <= due:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.clock.call_at(due, self._run, PRIORITY_CONTROLLER)

    def _order(self, key: tuple[str, str]) -> tuple[int, str, str, str]:
        """PrioritySort: higher priority first, then older pods, then by name."""
        pod = self.api.peek("Pod", key[1], key[0])
        if pod is None:
            return (0, "", key[0], key[1])
        return (
            -int((pod.get("spec") or {}).get("priority") or 0),
            pod["metadata"]["creationTimestamp"],
            key[0],
            key[1],
        )

    def _run(self) -> None:
        self._timer = None
        now = self.clock.now
        ready = sorted((k for k in self._active if self._ready_at(k) <= now), key=self._order)
        for key in ready:
            self._active.discard(key)
            pod = self.api.peek("Pod", key[1], key[0])
            if pod is None or not self._wants(pod):
                self._queued.pop(key, None)
                continue
            self.schedule_one(pod)
        self._wake()
        self._arm_flush()

    def _arm_flush(self) -> None:
        waiting = any(q.unschedulable_since is not None for q in self._queued.values())
        if waiting and (self._flush is None or self._flush.cancelled):
            self._flush = self.clock.call_later(
                FLUSH_PERIOD, self._flush_unschedulable, PRIORITY_CONTROLLER
            )

    def _flush_unschedulable(self) -> None:
        self._flush = None
        now = self.clock.now
        for key, queued in self._queued.items():
            since = queued.unschedulable_since
            if (
                since is not None
                and key not in self._active
                and now - since >= MAX_UNSCHEDULABLE_SECONDS
            ):
                self._activate(key)
        self._arm_flush()

    # -- one cycle ------------------------------------------------------------------------------

    def schedule_one(self, pod: dict[str, Any]) -> str | None:
        """Try to place one pod; returns the chosen node name or None."""
        md = pod["metadata"]
        key = (md.get("namespace", ""), md["name"])
        queued = self._queued.setdefault(key, QueuedPod(key))
        nodes = self.cache.ordered()
        queued.attempts += 1
        queued.last_attempt = self.clock.now
        queued.waiting_for_volumes = False
        if not nodes:
            self._fail(pod, queued, messages.NO_NODES, frozenset())
            return None
        ctx = PodContext.build(pod, nodes, self.cache.bound_with_affinity())
        if claim_names(pod):
            volumes, refused = pre_filter(pod, self._lookup)
            if refused is not None:
                self._fail(
                    pod,
                    queued,
                    messages.pre_filter_error(len(nodes), refused),
                    frozenset((VOLUME_BINDING,)),
                )
                return None
            ctx.volumes = volumes
            ctx.plain = False
            ctx.available_volumes = [
                pv
                for pv in self.api.view("PersistentVolume")
                if (pv.get("status") or {}).get("phase") == "Available"
            ]
        allowed = name_restriction(ctx.spec)
        wanted = num_feasible_nodes_to_find(len(nodes), self.percentage)
        start = self._next_start % len(nodes)
        if self.vectorized and self._fast_path_applies(ctx, allowed):
            placed = self._fast_cycle(pod, ctx, nodes, start, wanted)
            if placed is not None:
                self._queued.pop(key, None)
                return placed
        feasible: list[NodeInfo] = []
        failures: list[tuple[str, ...]] = []
        plugins: set[str] = set()
        preemption: list[str] = []
        processed = 0
        for offset in range(len(nodes)):
            if len(feasible) >= wanted:
                break
            info = nodes[(start + offset) % len(nodes)]
            processed += 1
            if allowed is not None and info.name not in allowed:
                failures.append(("node(s) didn't satisfy plugin(s) [NodeAffinity]",))
                preemption.append(messages.PREEMPTION_NOT_HELPFUL)
                plugins.add("NodeAffinity")
                continue
            rejection = run_filters(ctx, info, nodes)
            if rejection is None:
                feasible.append(info)
            else:
                failures.append(rejection.reasons)
                plugins.add(rejection.plugin)
                preemption.append(
                    messages.PREEMPTION_NOT_HELPFUL
                    if rejection.unresolvable
                    else messages.NO_VICTIMS
                )
        self._next_start = (start + processed) % len(nodes)
        if not feasible:
            self._fail(
                pod,
                queued,
                messages.fit_error(len(nodes), failures, preemption),
                frozenset(plugins),
            )
            return None
        chosen = self._select(ctx, feasible)
        if ctx.volumes is not None and ctx.volumes.waiting:
            # PreBind: the pod waits, Pending, until its claims are bound on this node.
            pre_bind(ctx.volumes, chosen.node, ctx.available_volumes, self._update_volume_object)
            queued.waiting_for_volumes = True
            self.clock.call_later(
                BIND_POLL_SECONDS, lambda: self._activate(key), PRIORITY_CONTROLLER
            )
            return None
        self._bind(pod, chosen.name)
        self._queued.pop(key, None)
        return chosen.name

    def _lookup(self, kind: str, name: str, namespace: str) -> dict[str, Any] | None:
        return self.api.peek(kind, name, namespace)

    def _update_volume_object(self, obj: dict[str, Any]) -> None:
        try:
            self.api.update(obj)
        except ApiError:
            pass

    def _on_volume_object(self, event: WatchEvent) -> None:
        # A claim, volume or class changed: pods VolumeBinding refused may fit now, and pods
        # waiting for their claims may be bound.
        self._requeue_unschedulable(lambda q: VOLUME_BINDING in q.plugins)
        for key, queued in self._queued.items():
            if queued.waiting_for_volumes and key not in self._active:
                self._activate(key)

    @staticmethod
    def _fast_path_applies(ctx: PodContext, allowed: set[str] | None) -> bool:
        return (
            ctx.plain
            and allowed is None
            and not ctx.with_affinity
            and not ctx.existing_anti
            and not ctx.affinity_terms
            and not ctx.anti_affinity_terms
            and all(name in ("cpu", "memory") for name, _ in ctx.positive_requests)
        )

    def _fast_cycle(
        self, pod: dict[str, Any], ctx: PodContext, nodes: list[NodeInfo], start: int, wanted: int
    ) -> str | None:
        """The same cycle on arrays; None when no node fits (the scalar loop then explains why)."""
        arrays = self.cache.arrays()
        fits = arrays.resource_fit(ctx.requests.get("cpu", 0), ctx.requests.get("memory", 0))
        # Tainted or cordoned nodes still go through every filter.
        for position in (~arrays.plain).nonzero()[0]:
            fits[position] = run_filters(ctx, nodes[position], nodes) is None
        positions, processed = arrays.first_feasible(fits, start, wanted)
        if len(positions) == 0:
            return None
        self._next_start = (start + processed) % len(nodes)
        if len(positions) == 1:
            chosen = nodes[int(positions[0])]
        else:
            totals = arrays.resource_scores(
                positions,
                ctx.requests.get("cpu", 0),
                ctx.requests.get("memory", 0),
                ctx.non_zero.get("cpu", 0),
                ctx.non_zero.get("memory", 0),
            )
            if totals is not None and not arrays.prefer_no_schedule[positions].any():
                # Only the resource scores differ between these nodes; ties go to the first
                # name, and positions are name order.
                best = positions[totals == totals.max()]
                chosen = nodes[int(best.min())]
                self._bind(pod, chosen.name)
                return chosen.name
            feasible = [nodes[int(p)] for p in positions]
            if totals is None:
                chosen = self._select(ctx, feasible)
            else:
                extra = total_scores(ctx, feasible, skip=RESOURCE_PLUGINS)
                combined = [int(t) + e for t, e in zip(totals.tolist(), extra, strict=True)]
                best = max(combined)
                chosen = min(
                    (n for n, s in zip(feasible, combined, strict=True) if s == best),
                    key=lambda n: n.name,
                )
        self._bind(pod, chosen.name)
        return chosen.name

    def _select(self, ctx: PodContext, feasible: list[NodeInfo]) -> NodeInfo:
        if len(feasible) == 1:
            return feasible[0]
        scores = total_scores(ctx, feasible)
        best = max(scores)
        return min(
            (info for info, score in zip(feasible, scores, strict=True) if score == best),
            key=lambda n: n.name,
        )

    def _bind(self, pod: dict[str, Any], node: str) -> None:
        md = pod["metadata"]
        try:
            bound = self.api.bind(md["name"], md.get("namespace", ""), node)
        except ApiError:
            return
        self._set_condition(bound, "True", None, None)
        self.recorder.record(
            bound,
            NORMAL,
            "Scheduled",
            f"Successfully assigned {md.get('namespace')}/{md['name']} to {node}",
            SCHEDULER_NAME,
        )

    def _fail(
        self, pod: dict[str, Any], queued: QueuedPod, message: str, plugins: frozenset[str]
    ) -> None:
        # Back in the unschedulable list from now: the 5-minute flush counts from here.
        queued.unschedulable_since = self.clock.now
        queued.plugins = plugins
        self._set_condition(pod, "False", "Unschedulable", message)
        self.recorder.record(pod, WARNING, "FailedScheduling", message, SCHEDULER_NAME)

    def _mark_gated(self, key: tuple[str, str]) -> None:
        """Gated pods are not tried; their PodScheduled condition says why."""
        pod = self.api.peek("Pod", key[1], key[0])
        if pod is not None and _gated(pod) and not _has_condition(pod, "PodScheduled"):
            self._set_condition(
                pod,
                "False",
                "SchedulingGated",
                "Scheduling is blocked due to non-empty scheduling gates",
            )

    def _set_condition(
        self, pod: dict[str, Any], status: str, reason: str | None, message: str | None
    ) -> None:
        md = pod["metadata"]
        current = self.api.peek("Pod", md["name"], md.get("namespace", ""))
        if current is None:
            return
        updated = dict(current)
        pod_status = dict(current.get("status") or {})
        conditions = [
            c for c in pod_status.get("conditions") or [] if c.get("type") != "PodScheduled"
        ]
        previous = next(
            (c for c in pod_status.get("conditions") or [] if c.get("type") == "PodScheduled"), None
        )
        condition: dict[str, Any] = {"type": "PodScheduled", "status": status}
        if previous is not None and previous.get("status") == status:
            condition["lastTransitionTime"] = previous.get("lastTransitionTime")
        else:
            condition["lastTransitionTime"] = rfc3339(self.clock.now)
        condition["lastProbeTime"] = None
        if reason:
            condition["reason"] = reason
        if message:
            condition["message"] = message
        # handleSchedulingFailure sets the pod's generation on its Unschedulable condition;
        # the API server's SchedulingGated condition has none.
        generation = md.get("generation") if reason == "Unschedulable" else None
        if generation:
            condition["observedGeneration"] = generation
        conditions.append(condition)
        pod_status["conditions"] = conditions
        updated["status"] = pod_status
        self.api.update_status(updated)


def _gated(pod: dict[str, Any]) -> bool:
    spec = pod.get("spec") or {}
    return (
        bool(spec.get("schedulingGates"))
        and not spec.get("nodeName")
        and not pod["metadata"].get("deletionTimestamp")
    )


def _has_condition(pod: dict[str, Any], kind: str) -> bool:
    return any(c.get("type") == kind for c in (pod.get("status") or {}).get("conditions") or [])


POD_FIELDS_THAT_HELP = (
    ("metadata", "labels"),
    ("spec", "tolerations"),
    ("spec", "nodeSelector"),
    ("spec", "affinity"),
)
NODE_FIELDS_THAT_HELP = (
    ("metadata", "labels"),
    ("spec", "taints"),
    ("spec", "unschedulable"),
    ("status", "allocatable"),
)


def _fields_differ(
    new: dict[str, Any], old: dict[str, Any], paths: tuple[tuple[str, str], ...]
) -> bool:
    for path in paths:
        a: Any = new
        b: Any = old
        for part in path:
            a = (a or {}).get(part)
            b = (b or {}).get(part)
        if a != b:
            return True
    return False


def _pod_schedulingly_different(new: dict[str, Any], old: dict[str, Any] | None) -> bool:
    """Pod changes that can make it fit now (labels, tolerations, node selection)."""
    return old is not None and _fields_differ(new, old, POD_FIELDS_THAT_HELP)


def _schedulingly_different(new: dict[str, Any], old: dict[str, Any] | None) -> bool:
    """Node changes that can make an unschedulable pod fit (QueueingHint-like)."""
    return old is None or _fields_differ(new, old, NODE_FIELDS_THAT_HELP)
