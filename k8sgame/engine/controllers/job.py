"""The Job controller as ``job-controller`` (``pkg/controller/job/job_controller.go``,
``backoff_utils.go``; K8S-FACTS §8.1–8.2).

Each sync of a Job:

1. claims the pods its selector matches (adopting orphans, releasing strays);
2. counts pods that finished since the last sync (Succeeded, Failed) into ``status`` and
   removes their ``batch.kubernetes.io/job-tracking`` finalizer, so the count survives the
   pod;
3. decides whether the Job is done: enough successes (``SuccessCriteriaMet``, then
   ``Complete`` once no pod is left running), more failures than ``backoffLimit`` (with
   ``restartPolicy: OnFailure`` container restarts count) or ``activeDeadlineSeconds`` passed
   (``FailureTarget``, the running pods deleted, then ``Failed``);
4. otherwise keeps ``min(parallelism, completions − succeeded)`` pods running, waiting
   ``10 s × 2^(n−1)`` (at most ten minutes) after the n-th failure in a row before it replaces
   a failed pod; a suspended Job runs none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.controllers.ownership import claim, controller_ref
from k8sgame.engine.controllers.pod_control import PodControl
from k8sgame.engine.controllers.replicaset import KIND_NAMESPACE_INDEX, pod_ready_since
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.kinds.job import FAILED
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339, rfc3339

COMPONENT = "job-controller"
TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
# K8S-FACTS §8.2: DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff.
POD_FAILURE_BACKOFF = 10.0
MAX_POD_FAILURE_BACKOFF = 600.0

BACKOFF_LIMIT_EXCEEDED = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
DEADLINE_EXCEEDED = ("DeadlineExceeded", "Job was active longer than specified deadline")
COMPLETIONS_REACHED = ("CompletionsReached", "Reached expected number of succeeded pods")

Obj = dict[str, Any]


@dataclass
class BackoffRecord:
    """``backoffRecord``: failures since the last success and when the last one finished."""

    failures: int = 0
    last_failure: float = 0.0

    def remaining(self, now: float) -> float:
        """``getRemainingTime``: how long to wait before replacing a failed pod."""
        if self.failures == 0:
            return 0.0
        delay = min(POD_FAILURE_BACKOFF * 2 ** (self.failures - 1), MAX_POD_FAILURE_BACKOFF)
        elapsed = now - self.last_failure
        if elapsed < 0:
            return delay
        return max(delay - elapsed, 0.0)


def _update_backoff(
    record: BackoffRecord, succeeded: list[Obj], failed: list[Obj], now: float
) -> None:
    """``newBackoffRecord``: a success starts the count again, from the failures that
    finished after it."""
    times = [finished_at(pod) or now for pod in failed]
    if succeeded:
        last_success = max(finished_at(pod) or now for pod in succeeded)
        later = [t for t in times if t > last_success]
        record.failures = len(later)
        if later:
            record.last_failure = max(later)
        return
    if times:
        record.failures += len(times)
        record.last_failure = max([record.last_failure, *times])


def _phase(pod: Obj) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def finished_at(pod: Obj) -> float | None:
    """``getFinishedTime``: when the last container of a finished pod terminated."""
    latest = None
    status = pod.get("status") or {}
    for entry in (status.get("containerStatuses") or []) + (
        status.get("initContainerStatuses") or []
    ):
        stamp = ((entry.get("state") or {}).get("terminated") or {}).get("finishedAt")
        if stamp:
            moment = parse_rfc3339(stamp)
            latest = moment if latest is None else max(latest, moment)
    if latest is None and pod["metadata"].get("deletionTimestamp"):
        latest = parse_rfc3339(pod["metadata"]["deletionTimestamp"])
    return latest


def condition(job: Obj, kind: str) -> Obj | None:
    for entry in (job.get("status") or {}).get("conditions") or []:
        if entry.get("type") == kind and entry.get("status") == "True":
            return entry
    return None


def is_finished(job: Obj) -> bool:
    """``IsJobFinished``: a Complete or Failed condition that is True."""
    return condition(job, "Complete") is not None or condition(job, "Failed") is not None


class JobController(QueueController[tuple[str, str]]):
    name = "job-controller"
    kinds = ("Job", "Pod")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)
        self.pods = PodControl(api, self.recorder, COMPONENT)
        self.backoff: dict[tuple[str, str], BackoffRecord] = {}

    # -- which Jobs an event concerns -------------------------------------------------------

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.kind == "Job":
            self.queue.add((namespace, md["name"]))
            return
        for pod in (event.obj, event.old):
            ref = controller_ref(pod) if pod is not None else None
            if ref is not None and ref.get("kind") == "Job":
                self.queue.add((namespace, str(ref.get("name", ""))))
        if TRACKING_FINALIZER in (md.get("finalizers") or []):
            ref = controller_ref(event.obj)
            owner = (
                self.informer.get(("Job", namespace, str(ref.get("name", ""))))
                if ref is not None
                else None
            )
            if owner is None or owner["metadata"].get("uid") != (ref or {}).get("uid"):
                # A tracked pod whose Job is gone: nobody else would let it go.
                self.queue.add((namespace, "pod:" + md["name"]))
        elif controller_ref(event.obj) is None:
            labels = md.get("labels") or {}
            for _, job in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Job/{namespace}"):
                if self._selects(job, labels):
                    self.queue.add((namespace, job["metadata"]["name"]))

    @staticmethod
    def _selects(job: Obj, labels: dict[str, str]) -> bool:
        try:
            selector = from_label_selector((job.get("spec") or {}).get("selector"))
        except SelectorError:
            return False
        return not selector.empty and selector.matches(labels)

    # -- the sync ---------------------------------------------------------------------------

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        if name.startswith("pod:"):
            self._release_orphan(namespace, name.removeprefix("pod:"))
            return None
        stored = self.informer.get(("Job", namespace, name))
        if stored is None:
            self.backoff.pop(key, None)
            return None
        job = clone(stored)
        pods = self._claim(job)
        if job["metadata"].get("deletionTimestamp") or is_finished(job):
            for pod in pods:
                self._untrack(pod)
            return None
        return self._sync(key, job, pods)

    def _sync(self, key: tuple[str, str], job: Obj, pods: list[Obj]) -> Result | None:
        spec, status = job.get("spec") or {}, job.setdefault("status", {})
        now = self.clock.now
        record = self.backoff.setdefault(key, BackoffRecord())
        succeeded, failed = int(status.get("succeeded") or 0), int(status.get("failed") or 0)
        new_succeeded, new_failed = [], []
        for pod in pods:
            if TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or []):
                continue
            phase = _phase(pod)
            if phase == "Succeeded":
                new_succeeded.append(pod)
            elif phase == "Failed":
                new_failed.append(pod)
            else:
                continue
            self._untrack(pod)
        succeeded += len(new_succeeded)
        failed += len(new_failed)
        _update_backoff(record, new_succeeded, new_failed, now)
        running = [p for p in pods if _phase(p) not in ("Succeeded", "Failed")]
        active = [p for p in running if not p["metadata"].get("deletionTimestamp")]
        terminating = [p for p in running if p["metadata"].get("deletionTimestamp")]
        suspended = bool(spec.get("suspend"))
        if status.get("startTime") is None and not suspended:
            status["startTime"] = rfc3339(now)
        target = _target(status)
        if target is None:
            target = self._finishing_reason(job, succeeded, failed, active, now)
            if target is not None:
                kind, (reason, message) = target
                status.setdefault("conditions", []).append(
                    _condition(
                        "FailureTarget" if kind == "Failed" else "SuccessCriteriaMet",
                        reason,
                        message,
                        now,
                    )
                )
        requeue: float | None = None
        if target is not None:
            for pod in active:
                self._delete(job, pod)
            terminating += active
            active = []
            if not terminating:
                kind, (reason, message) = target
                status["conditions"].append(_condition(kind, reason, message, now))
                if kind == "Complete":
                    status["completionTime"] = rfc3339(now)
                    self.recorder.record(job, NORMAL, "Completed", "Job completed", COMPONENT)
                else:
                    self.recorder.record(job, WARNING, reason, message, COMPONENT)
        elif suspended:
            # A suspended Job's clock stops: it starts again when the Job is resumed.
            status.pop("startTime", None)
            for pod in active:
                self._delete(job, pod)
            terminating += active
            active = []
            if condition(job, "Suspended") is None:
                _set_condition(
                    status, _condition("Suspended", "JobSuspended", "Job suspended", now)
                )
                self.recorder.record(job, NORMAL, "Suspended", "Job suspended", COMPONENT)
        else:
            if _drop_suspended(status, now):
                self.recorder.record(job, NORMAL, "Resumed", "Job resumed", COMPONENT)
            requeue = self._manage(job, succeeded, active, terminating, record)
            deadline = spec.get("activeDeadlineSeconds")
            if deadline is not None and status.get("startTime"):
                left = parse_rfc3339(status["startTime"]) + int(deadline) - now
                requeue = left if requeue is None else min(requeue, left)
            active = [
                p
                for p in self._claim(job)
                if _phase(p) not in ("Succeeded", "Failed")
                and not p["metadata"].get("deletionTimestamp")
            ]
        self._write_status(job, status, succeeded, failed, active, terminating)
        return Result(requeue_after=max(requeue, 0.0)) if requeue is not None else None

    def _finishing_reason(
        self, job: Obj, succeeded: int, failed: int, active: list[Obj], now: float
    ) -> tuple[str, tuple[str, str]] | None:
        """Whether the Job has just succeeded or failed, and why."""
        spec, status = job.get("spec") or {}, job.get("status") or {}
        completions = spec.get("completions")
        if completions is not None and succeeded >= int(completions):
            return "Complete", COMPLETIONS_REACHED
        if completions is None and succeeded > 0 and not active:
            return "Complete", COMPLETIONS_REACHED
        limit = int(spec.get("backoffLimit") or 0)
        if failed > limit or self._past_backoff_on_failure(job, active, limit):
            return "Failed", BACKOFF_LIMIT_EXCEEDED
        deadline = spec.get("activeDeadlineSeconds")
        start = status.get("startTime")
        if deadline is not None and start and not spec.get("suspend"):
            if now - parse_rfc3339(start) >= int(deadline):
                return "Failed", DEADLINE_EXCEEDED
        return None

    @staticmethod
    def _past_backoff_on_failure(job: Obj, active: list[Obj], limit: int) -> bool:
        """``pastBackoffLimitOnFailure``: with OnFailure, container restarts count."""
        template_spec = ((job.get("spec") or {}).get("template") or {}).get("spec") or {}
        if template_spec.get("restartPolicy") != "OnFailure":
            return False
        restarts = 0
        for pod in active:
            if _phase(pod) not in ("Running", "Pending"):
                continue
            status = pod.get("status") or {}
            for entry in (status.get("initContainerStatuses") or []) + (
                status.get("containerStatuses") or []
            ):
                restarts += int(entry.get("restartCount") or 0)
        return restarts > 0 if limit == 0 else restarts >= limit

    # -- pods -------------------------------------------------------------------------------

    def _manage(
        self,
        job: Obj,
        succeeded: int,
        active: list[Obj],
        terminating: list[Obj],
        record: BackoffRecord,
    ) -> float | None:
        """``manageJob``: create or delete pods toward the wanted number; the wait left
        before a failed pod may be replaced, if any."""
        spec = job.get("spec") or {}
        parallelism = int(spec.get("parallelism") or 0)
        completions = spec.get("completions")
        if completions is None:
            wanted = len(active) if succeeded > 0 else parallelism
        else:
            wanted = max(min(int(completions) - succeeded, parallelism), 0)
        if len(active) > wanted:
            for pod in sorted(active, key=_removal_order)[: len(active) - wanted]:
                self._delete(job, pod)
            return None
        missing = wanted - len(active)
        if spec.get("podReplacementPolicy") == FAILED:
            # Only Failed pods are replaced: one still terminating holds its place.
            missing -= len(terminating)
        if missing <= 0:
            return None
        wait = record.remaining(self.clock.now)
        if wait > 0:
            return wait
        for _ in range(missing):
            if not self._create(job):
                break
        return None

    def _create(self, job: Obj) -> bool:
        template = (job.get("spec") or {}).get("template")
        return self.pods.create(job, template, (TRACKING_FINALIZER,))

    def _delete(self, job: Obj, pod: Obj) -> None:
        self.pods.delete(job, pod)

    def _untrack(self, pod: Obj) -> None:
        """Remove the tracking finalizer (once the pod is counted, or its Job is gone)."""
        finalizers = list(pod["metadata"].get("finalizers") or [])
        if TRACKING_FINALIZER not in finalizers:
            return
        finalizers.remove(TRACKING_FINALIZER)
        try:
            self.api.patch(
                "Pod",
                pod["metadata"]["name"],
                pod["metadata"].get("namespace", ""),
                {"metadata": {"finalizers": finalizers or None}},
                "merge",
            )
        except ApiError as error:
            if error.reason != "NotFound":
                raise

    def _release_orphan(self, namespace: str, name: str) -> None:
        pod = self.informer.get(("Pod", namespace, name))
        if pod is None:
            return
        ref = controller_ref(pod)
        owner = self.informer.get(("Job", namespace, str((ref or {}).get("name", ""))))
        if owner is None or owner["metadata"].get("uid") != (ref or {}).get("uid"):
            self._untrack(pod)

    def _claim(self, job: Obj) -> list[Obj]:
        """The pods this Job owns, after adopting matching orphans and releasing strays."""
        return claim(self.informer, self.api, job, "Pod", lambda labels: self._selects(job, labels))

    # -- status -----------------------------------------------------------------------------

    def _write_status(
        self,
        job: Obj,
        status: Obj,
        succeeded: int,
        failed: int,
        active: list[Obj],
        terminating: list[Obj],
    ) -> None:
        ready = sum(1 for pod in active if pod_ready_since(pod) is not None)
        fresh: Obj = {}
        if status.get("conditions"):
            fresh["conditions"] = status["conditions"]
        for field in ("startTime", "completionTime"):
            if status.get(field):
                fresh[field] = status[field]
        for field, count in (("active", len(active)), ("succeeded", succeeded), ("failed", failed)):
            if count:
                fresh[field] = count
        fresh["terminating"] = len(terminating)
        fresh["uncountedTerminatedPods"] = {}
        fresh["ready"] = ready
        stored = self.informer.get(
            ("Job", job["metadata"].get("namespace", ""), job["metadata"]["name"])
        )
        if stored is not None and stored.get("status") == fresh:
            return
        updated = dict(job)
        updated["status"] = fresh
        self.api.update_status(updated)


def _target(status: Obj) -> tuple[str, tuple[str, str]] | None:
    """The outcome a FailureTarget or SuccessCriteriaMet condition already set."""
    for entry in status.get("conditions") or []:
        if entry.get("status") != "True":
            continue
        if entry.get("type") == "FailureTarget":
            return "Failed", (str(entry.get("reason")), str(entry.get("message")))
        if entry.get("type") == "SuccessCriteriaMet":
            return "Complete", (str(entry.get("reason")), str(entry.get("message")))
    return None


def _condition(kind: str, reason: str, message: str, now: float) -> Obj:
    """``newCondition``: True, probed and changed now."""
    stamp = rfc3339(now)
    return {
        "type": kind,
        "status": "True",
        "lastProbeTime": stamp,
        "lastTransitionTime": stamp,
        "reason": reason,
        "message": message,
    }


def _set_condition(status: Obj, entry: Obj) -> None:
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != entry["type"]]
    status["conditions"] = [*conditions, entry]


def _drop_suspended(status: Obj, now: float) -> bool:
    """A resumed Job's Suspended condition turns False (``JobResumed``); whether it did."""
    for entry in status.get("conditions") or []:
        if entry.get("type") == "Suspended" and entry.get("status") == "True":
            stamp = rfc3339(now)
            entry.update(
                {
                    "status": "False",
                    "reason": "JobResumed",
                    "message": "Job resumed",
                    "lastProbeTime": stamp,
                    "lastTransitionTime": stamp,
                }
            )
            return True
    return False


def _removal_order(pod: Obj) -> tuple[Any, ...]:
    """Pods removed first: not yet scheduled, pending, not ready (``ActivePods``)."""
    return (
        bool((pod.get("spec") or {}).get("nodeName")),
        {"Pending": 0, "Unknown": 1, "Running": 2}.get(_phase(pod), 3),
        pod_ready_since(pod) is not None,
        pod["metadata"]["name"],
    )
