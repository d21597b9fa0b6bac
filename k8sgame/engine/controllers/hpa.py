"""The horizontal pod autoscaler controller (``pkg/controller/podautoscaler``,
``horizontal.go``, ``replica_calculator.go``) for Resource metrics, on the simulated clock.

Every 15 seconds (the first time 15 seconds after the HPA appears) it reads the target's
replicas and the metrics-server's usage of the pods its selector matches:

- utilization is the pods' summed usage as a whole percentage of their summed requests (a
  container without a request for the resource makes the metric invalid: ``missing request
  for cpu in container app of Pod web-…``); Pending and not-yet-ready pods are set aside, and
  pods without metrics are counted as using the target (scaling down) or nothing (scaling up);
- within a 10% tolerance nothing changes, else ``ceil(ratio × ready pods)``;
- the legacy rules bound it: the highest recommendation of the last five minutes (no quick
  scale-down), at most ``max(2 × current, 4)`` when scaling up, then min and max replicas;
- a change is written to the target with ``SuccessfulRescale``; the status carries the
  current metrics and the AbleToScale, ScalingActive and ScalingLimited conditions."""

from __future__ import annotations

import math
from dataclasses import dataclass
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
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.metrics import MetricsServer
from k8sgame.engine.objcopy import clone
from k8sgame.engine.quantity import parse_quantity
from k8sgame.engine.store import ADDED, DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339, rfc3339

COMPONENT = "horizontal-pod-autoscaler"
SYNC_PERIOD = 15.0
TOLERANCE = 0.1
DOWNSCALE_STABILIZATION = 300.0
CPU_INITIALIZATION_PERIOD = 300.0
INITIAL_READINESS_DELAY = 30.0
SCALABLE = {"Deployment": "deployments", "ReplicaSet": "replicasets", "StatefulSet": "statefulsets"}

Obj = dict[str, Any]


class MetricError(Exception):
    """A metric the controller could not compute; the message is upstream's."""


@dataclass(frozen=True)
class Proposal:
    replicas: int
    status: Obj
    name: str  # "cpu resource utilization (percentage of request)"


def _milli_quantity(milli: int) -> str:
    """``NewMilliQuantity(v, DecimalSI).String()``: ``250m``, ``1``, ``1500m``."""
    return str(milli // 1000) if milli % 1000 == 0 else f"{milli}m"


def _binary_quantity(value: int) -> str:
    """A byte count in BinarySI's canonical form: ``12Mi``, ``1536Ki``, ``1000``."""
    for suffix, size in (
        ("Ei", 2**60),
        ("Pi", 2**50),
        ("Ti", 2**40),
        ("Gi", 2**30),
        ("Mi", 2**20),
        ("Ki", 2**10),
    ):
        if value and value % size == 0:
            return f"{value // size}{suffix}"
    return str(value)


def _ready_condition(pod: Obj) -> Obj | None:
    return next(
        (c for c in (pod.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"),
        None,
    )


class HorizontalPodAutoscalerController(QueueController[tuple[str, str]]):
    name = "horizontal-pod-autoscaler"
    kinds = ("HorizontalPodAutoscaler",)

    def __init__(
        self, api: Client, informer: Informer, clock: SimClock, metrics: MetricsServer
    ) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.metrics = metrics
        self.recorder = EventRecorder(api, clock)
        # Each HPA's recent recommendations (time, replicas): the downscale stabilization.
        self._recommendations: dict[tuple[str, str], list[tuple[float, int]]] = {}

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        key = (md.get("namespace", ""), md["name"])
        if event.type == DELETED:
            self._recommendations.pop(key, None)
        elif event.type == ADDED:
            # A new HPA is queued rate-limited: its first sync comes one period later.
            self.queue.add_after(key, SYNC_PERIOD)

    # -- one sync -------------------------------------------------------------------------

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        stored = self.informer.get(("HorizontalPodAutoscaler", *key))
        if stored is None:
            return None
        hpa = clone(stored)
        spec = hpa.get("spec") or {}
        old = stored.get("status") or {}
        conditions = {c["type"]: c for c in old.get("conditions") or []}
        new: dict[str, tuple[str, str, str]] = {}
        ref = spec.get("scaleTargetRef") or {}
        kind, target_name = str(ref.get("kind", "")), str(ref.get("name", ""))
        target = self.informer.get((kind, key[0], target_name)) if kind in SCALABLE else None
        status: Obj = {
            "currentMetrics": old.get("currentMetrics"),
            "desiredReplicas": old.get("desiredReplicas", 0),
        }
        if old.get("lastScaleTime"):
            status["lastScaleTime"] = old["lastScaleTime"]
        if target is None:
            plural = SCALABLE.get(kind, kind.lower() + "s")
            message = f'{plural}.apps "{target_name}" not found'
            self._event(hpa, WARNING, "FailedGetScale", message)
            new["AbleToScale"] = (
                "False",
                "FailedGetScale",
                f"the HPA controller was unable to get the target's current scale: {message}",
            )
            self._write(stored, status, conditions, new)
            return Result(requeue_after=SYNC_PERIOD)
        new["AbleToScale"] = (
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
        )
        current = int((target.get("spec") or {}).get("replicas") or 0)
        history = self._recommendations.setdefault(key, [(self.clock.now, current)])
        minimum = int(spec.get("minReplicas") or 1)
        maximum = int(spec.get("maxReplicas") or 0)
        status["currentReplicas"] = current
        desired, reason = current, ""
        if current == 0 and minimum != 0:
            new["ScalingActive"] = (
                "False",
                "ScalingDisabled",
                "scaling is disabled since the replica count of the target is zero",
            )
            desired = 0
        elif current > maximum:
            desired, reason = maximum, "Current number of replicas above Spec.MaxReplicas"
        elif current < minimum:
            desired, reason = minimum, "Current number of replicas below Spec.MinReplicas"
        else:
            outcome = self._compute(hpa, target, current, status, new)
            if outcome is None:
                self._write(stored, status, conditions, new)
                return Result(requeue_after=SYNC_PERIOD)
            proposal = outcome
            desired = self._normalize(history, proposal.replicas, current, minimum, maximum, new)
            reason = (
                f"{proposal.name} above target" if desired > current else "All metrics below target"
            )
        if desired != current:
            try:
                # UpdateScale: a PUT of the target's Scale (the role grants */scale).
                md = target["metadata"]
                self.api.scale(
                    target["kind"], md["name"], md.get("namespace", ""), desired, verb="update"
                )
            except ApiError as error:
                self._event(
                    hpa,
                    WARNING,
                    "FailedRescale",
                    f"New size: {desired}; reason: {reason}; error: {error}",
                )
                new["AbleToScale"] = (
                    "False",
                    "FailedUpdateScale",
                    f"the HPA controller was unable to update the target scale: {error}",
                )
            else:
                self._event(
                    hpa, NORMAL, "SuccessfulRescale", f"New size: {desired}; reason: {reason}"
                )
                new["AbleToScale"] = (
                    "True",
                    "SucceededRescale",
                    f"the HPA controller was able to update the target scale to {desired}",
                )
                status["lastScaleTime"] = rfc3339(self.clock.now)
        status["desiredReplicas"] = desired
        self._write(stored, status, conditions, new)
        return Result(requeue_after=SYNC_PERIOD)

    # -- metrics ----------------------------------------------------------------------------

    def _compute(
        self, hpa: Obj, target: Obj, current: int, status: Obj, new: dict[str, tuple[str, str, str]]
    ) -> Proposal | None:
        """``computeReplicasForMetrics``: the highest proposal, or None (status and events
        written) when every metric failed."""
        namespace = hpa["metadata"].get("namespace", "")
        try:
            selector = from_label_selector((target.get("spec") or {}).get("selector"))
        except SelectorError:
            selector = None
        if selector is None or selector.empty:
            self._event(hpa, WARNING, "SelectorRequired", "selector is required")
            new["ScalingActive"] = (
                "False",
                "InvalidSelector",
                "the HPA target's scale is missing a selector",
            )
            return None
        pods = [
            pod
            for _, pod in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{namespace}")
            if selector.matches(pod["metadata"].get("labels") or {})
        ]
        metrics = (hpa.get("spec") or {}).get("metrics") or []
        best: Proposal | None = None
        statuses: list[Obj] = []
        failures: list[str] = []
        for metric in metrics:
            source = metric.get("resource") or {}
            resource = str(source.get("name", "cpu"))
            target_spec = source.get("target") or {}
            utilization = target_spec.get("type") == "Utilization"
            word = "utilization" if utilization else "usage"
            try:
                proposal = self._resource(pods, namespace, selector, resource, target_spec, current)
            except MetricError as error:
                text = f"failed to get {resource} {word}: {error}"
                self._event(hpa, WARNING, "FailedGetResourceMetric", text)
                if not failures:
                    new["ScalingActive"] = (
                        "False",
                        "FailedGetResourceMetric",
                        f"the HPA was unable to compute the replica count: {text}",
                    )
                failures.append(f"failed to get {resource} resource metric value: {text}")
                statuses.append({"type": ""})
                continue
            statuses.append(proposal.status)
            if best is None or proposal.replicas > best.replicas:
                best = proposal
        status["currentMetrics"] = statuses or None
        if failures and (best is None or best.replicas < current):
            self._event(
                hpa,
                WARNING,
                "FailedComputeMetricsReplicas",
                f"invalid metrics ({len(failures)} invalid out of {len(metrics)}), first error is: "
                f"{failures[0]}",
            )
            return None
        assert best is not None
        new["ScalingActive"] = (
            "True",
            "ValidMetricFound",
            f"the HPA was able to successfully calculate a replica count from {best.name}",
        )
        return best

    def _resource(
        self,
        pods: list[Obj],
        namespace: str,
        selector: Any,
        resource: str,
        target: Obj,
        current: int,
    ) -> Proposal:
        """``GetResourceReplicas`` / ``GetRawResourceReplicas`` for cpu or memory."""
        usage: dict[str, int] = {}
        samples: dict[str, tuple[float, float]] = {}
        for sample in self.metrics.list_pods(namespace, selector):
            samples[sample.name] = (sample.timestamp, sample.window)
            if resource == "cpu":
                usage[sample.name] = sample.cpu_nanocores // 1_000_000
            else:
                usage[sample.name] = sample.memory_bytes
        if not usage:
            raise MetricError(
                f"unable to get metrics for resource {resource}: no metrics returned from resource "
                "metrics API"
            )
        if not pods:
            raise MetricError("no pods returned by selector while calculating replica count")
        ready, unready, missing = self._group(pods, samples, resource)
        for name in list(usage):
            if name not in ready:
                del usage[name]
        if not usage:
            raise MetricError("did not receive metrics for targeted pods (pods might be unready)")
        requests = {pod["metadata"]["name"]: self._request(pod, resource) for pod in pods}
        utilization_target = target.get("averageUtilization")
        if target.get("type") == "Utilization":
            wanted = int(utilization_target or 0)
            total_request = sum(requests[n] for n in usage)
            utilization = sum(usage.values()) * 100 // total_request if total_request else 0
            ratio = utilization / wanted
            raw = sum(usage.values()) // len(usage)
            name = f"{resource} resource utilization (percentage of request)"
            current_status: Obj = {"averageUtilization": utilization}
        else:
            wanted_value = parse_quantity(target.get("averageValue") or 0)
            unit = 1000 if resource == "cpu" else 1
            raw = sum(usage.values()) // len(usage)
            ratio = float(raw / (wanted_value * unit)) if wanted_value else 0.0
            name = f"{resource} resource"
            current_status = {}
        current_status["averageValue"] = (
            _milli_quantity(raw) if resource == "cpu" else _binary_quantity(raw)
        )
        status = {"type": "Resource", "resource": {"name": resource, "current": current_status}}
        replicas = self._replicas(
            ratio, len(ready), current, missing, unready, usage, requests, target, resource
        )
        return Proposal(replicas, status, name)

    def _replicas(
        self,
        ratio: float,
        ready_count: int,
        current: int,
        missing: list[str],
        unready: list[str],
        usage: dict[str, int],
        requests: dict[str, int],
        target: Obj,
        resource: str,
    ) -> int:
        """The ratio turned into replicas, with missing and unready pods filled in."""
        if not missing and not (unready and ratio > 1.0):
            if 1.0 - TOLERANCE <= ratio <= 1.0 + TOLERANCE:
                return current
            return math.ceil(ratio * ready_count)
        filled = dict(usage)
        utilization = target.get("type") == "Utilization"
        wanted = int(target.get("averageUtilization") or 0)
        for name in missing:
            if ratio < 1.0:
                filled[name] = (
                    requests[name] * max(100, wanted) // 100
                    if utilization
                    else int(usage_target(target, resource))
                )
            else:
                filled[name] = 0
        if ratio > 1.0:
            for name in unready:
                filled[name] = 0
        if utilization:
            total_request = sum(requests[n] for n in filled)
            new_ratio = (
                (sum(filled.values()) * 100 // total_request) / wanted if total_request else 0.0
            )
        else:
            new_ratio = (sum(filled.values()) / len(filled)) / usage_target(target, resource)
        if (
            (1.0 - TOLERANCE <= new_ratio <= 1.0 + TOLERANCE)
            or (ratio < 1.0 < new_ratio)
            or (ratio > 1.0 > new_ratio)
        ):
            return current
        proposed = math.ceil(new_ratio * len(filled))
        if (new_ratio < 1.0 and proposed > current) or (new_ratio > 1.0 and proposed < current):
            return current
        return proposed

    def _group(
        self, pods: list[Obj], samples: dict[str, tuple[float, float]], resource: str
    ) -> tuple[list[str], list[str], list[str]]:
        """``groupPods``: (ready with metrics, unready, missing metrics); ignored are dropped."""
        ready, unready, missing = [], [], []
        now = self.clock.now
        for pod in pods:
            name = pod["metadata"]["name"]
            status = pod.get("status") or {}
            if pod["metadata"].get("deletionTimestamp") or status.get("phase") == "Failed":
                continue
            if status.get("phase") == "Pending":
                unready.append(name)
                continue
            if name not in samples:
                missing.append(name)
                continue
            if resource == "cpu":
                condition = _ready_condition(pod)
                started = status.get("startTime")
                if condition is None or not started:
                    unready.append(name)
                    continue
                start = parse_rfc3339(started)
                transition = parse_rfc3339(condition.get("lastTransitionTime") or started)
                is_ready = condition.get("status") == "True"
                if start + CPU_INITIALIZATION_PERIOD > now:
                    timestamp, window = samples[name]
                    if not is_ready or timestamp < transition + window:
                        unready.append(name)
                        continue
                elif not is_ready and start + INITIAL_READINESS_DELAY > transition:
                    unready.append(name)
                    continue
            ready.append(name)
        return ready, unready, missing

    @staticmethod
    def _request(pod: Obj, resource: str) -> int:
        """The pod's request (milli-cpu or bytes); MetricError for a container without one."""
        spec = pod.get("spec") or {}
        containers = list(spec.get("containers") or []) + [
            c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"
        ]
        total = 0
        for container in containers:
            value = ((container.get("resources") or {}).get("requests") or {}).get(resource)
            if value is None:
                raise MetricError(
                    f"missing request for {resource} in container {container.get('name')} of "
                    f"Pod {pod['metadata']['name']}"
                )
            amount = parse_quantity(value)
            total += int(amount * 1000) if resource == "cpu" else int(amount)
        return total

    # -- the legacy normalization -------------------------------------------------------------

    def _normalize(
        self,
        history: list[tuple[float, int]],
        proposal: int,
        current: int,
        minimum: int,
        maximum: int,
        new: dict[str, tuple[str, str, str]],
    ) -> int:
        """``normalizeDesiredReplicas``: stabilization, then the scale-up rate and bounds."""
        cutoff = self.clock.now - DOWNSCALE_STABILIZATION
        history[:] = [(t, r) for t, r in history if t > cutoff]
        stabilized = max([proposal, *(r for _, r in history)])
        history.append((self.clock.now, proposal))
        if stabilized != proposal:
            new["AbleToScale"] = (
                "True",
                "ScaleDownStabilized",
                "recent recommendations were higher than current one, applying the highest "
                "recent recommendation",
            )
        else:
            new["AbleToScale"] = (
                "True",
                "ReadyForNewScale",
                "recommended size matches current size",
            )
        limit = max(2 * current, 4)
        if maximum > limit:
            ceiling, over = (
                limit,
                (
                    "ScaleUpLimit",
                    "the desired replica count is increasing faster than the maximum scale rate",
                ),
            )
        else:
            ceiling, over = (
                maximum,
                (
                    "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count",
                ),
            )
        if stabilized < minimum:
            desired, (reason, message) = (
                minimum,
                (
                    "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count",
                ),
            )
        elif stabilized > ceiling:
            desired, (reason, message) = ceiling, over
        else:
            desired, (reason, message) = (
                stabilized,
                ("DesiredWithinRange", "the desired count is within the acceptable range"),
            )
        new["ScalingLimited"] = ("True" if desired != stabilized else "False", reason, message)
        return desired

    # -- writing ------------------------------------------------------------------------------

    def _write(
        self,
        stored: Obj,
        status: Obj,
        old_conditions: dict[str, Obj],
        new: dict[str, tuple[str, str, str]],
    ) -> None:
        conditions = []
        for kind in ("AbleToScale", "ScalingActive", "ScalingLimited"):
            if kind not in new:
                if kind in old_conditions:
                    conditions.append(old_conditions[kind])
                continue
            state, reason, message = new[kind]
            previous = old_conditions.get(kind)
            since = (
                previous.get("lastTransitionTime")
                if previous is not None and previous.get("status") == state
                else rfc3339(self.clock.now)
            )
            conditions.append(
                {
                    "type": kind,
                    "status": state,
                    "lastTransitionTime": since,
                    "reason": reason,
                    "message": message,
                }
            )
        status["conditions"] = conditions
        if not status.get("currentReplicas"):
            status.pop("currentReplicas", None)
        write_status(self.api, stored, status)

    def _event(self, hpa: Obj, kind: str, reason: str, message: str) -> None:
        self.recorder.record(hpa, kind, reason, message, COMPONENT)


def usage_target(target: Obj, resource: str) -> float:
    """An AverageValue target in the usage's unit (milli-cpu or bytes)."""
    value = parse_quantity(target.get("averageValue") or 0)
    return float(value * 1000) if resource == "cpu" else float(value)
