"""The CronJob controller as ``cronjob-controller`` (``pkg/controller/cronjob``
``cronjob_controllerv2.go``, ``utils.go``; K8S-FACTS §8.3), on the simulated clock.

Each sync of a CronJob:

1. sorts its Jobs: running ones are ``status.active``; a finished one leaves it (and a Complete
   one sets ``lastSuccessfulTime``), with a ``SawCompletedJob`` event;
2. deletes finished Jobs beyond ``successfulJobsHistoryLimit``/``failedJobsHistoryLimit``,
   oldest first;
3. unless suspended, finds the most recent scheduled time not yet run (since
   ``lastScheduleTime`` or creation, no further back than ``startingDeadlineSeconds``; more
   than 100 missed is a warning); a time missed by more than the deadline is skipped; with
   ``Forbid`` and a Job still running nothing starts; with ``Replace`` the running Jobs are
   deleted first; then it creates ``<name>-<minutes since the epoch>`` from the job template;
4. waits until the next scheduled time.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import (
    Informer,
    QueueController,
    Result,
    claim_candidates,
    write_status,
)
from k8sgame.engine.controllers.ownership import controller_ref, controller_reference
from k8sgame.engine.cron import CronError, Schedule, parse_schedule
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.time_zones import utc_offset
from k8sgame.engine.timefmt import EPOCH_UNIX, parse_rfc3339, rfc1123z, rfc3339, rfc3339_in_zone

COMPONENT = "cronjob-controller"
SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"
TOO_MANY_MISSED = 100
# nextScheduleDelta: requeue a little after the scheduled time so it has passed.
NEXT_SCHEDULE_DELTA = 0.1

Obj = dict[str, Any]


def job_name(cron_job: str, scheduled: float) -> str:
    """``getJobName``: the CronJob's name and the scheduled time in minutes since the epoch."""
    return f"{cron_job}-{(int(scheduled) + EPOCH_UNIX) // 60}"


def _finished_kind(job: Obj) -> str | None:
    for condition in (job.get("status") or {}).get("conditions") or []:
        if condition.get("status") == "True" and condition.get("type") in ("Complete", "Failed"):
            return str(condition["type"])
    return None


class CronJobController(QueueController[tuple[str, str]]):
    name = "cronjob-controller"
    kinds = ("CronJob", "Job")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.kind == "CronJob":
            if event.type != DELETED:
                self.queue.add((namespace, md["name"]))
            return
        for job in (event.obj, event.old):
            ref = controller_ref(job) if job is not None else None
            if ref is not None and ref.get("kind") == "CronJob":
                self.queue.add((namespace, str(ref.get("name", ""))))

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        stored = self.informer.get(("CronJob", namespace, name))
        if stored is None or stored["metadata"].get("deletionTimestamp"):
            return None
        cj = clone(stored)
        status = cj.setdefault("status", {})
        # A CronJob's Jobs are the ones it controls (it has no selector to adopt by).
        uid = cj["metadata"].get("uid")
        jobs = [
            j
            for j in claim_candidates(self.informer, cj, "Job")
            if (controller_ref(j) or {}).get("uid") == uid
        ]
        self._track(cj, status, jobs)
        self._clean_history(cj, jobs)
        requeue = None
        if not (cj.get("spec") or {}).get("suspend"):
            requeue = self._schedule(cj, status, jobs)
        self._write(stored, cj)
        return Result(requeue_after=requeue) if requeue is not None else None

    # -- jobs it has -------------------------------------------------------------------------

    def _track(self, cj: Obj, status: Obj, jobs: list[Obj]) -> None:
        active = list(status.get("active") or [])
        for job in jobs:
            uid = job["metadata"].get("uid")
            found = any(ref.get("uid") == uid for ref in active)
            kind = _finished_kind(job)
            if not found and kind is None:
                # Its own Jobs are always in status.active already; this one was made by
                # someone else (``kubectl create job --from``) or forgotten.
                self._warn(
                    cj,
                    "UnexpectedJob",
                    "Saw a job that the controller did not create or forgot: "
                    + job["metadata"]["name"],
                )
            elif found and kind is not None:
                active = [ref for ref in active if ref.get("uid") != uid]
                self.recorder.record(
                    cj,
                    NORMAL,
                    "SawCompletedJob",
                    f"Saw completed job: {job['metadata']['name']}, condition: {kind}",
                    COMPONENT,
                )
            done = (job.get("status") or {}).get("completionTime")
            if kind == "Complete" and done:
                last = status.get("lastSuccessfulTime")
                if last is None or parse_rfc3339(done) > parse_rfc3339(last):
                    status["lastSuccessfulTime"] = done
        uids = {j["metadata"].get("uid") for j in jobs}
        for ref in list(active):
            if ref.get("uid") not in uids:
                self.recorder.record(
                    cj,
                    NORMAL,
                    "MissingJob",
                    f"Active job went missing: {ref.get('name')}",
                    COMPONENT,
                )
                active.remove(ref)
        if active:
            status["active"] = active
        else:
            status.pop("active", None)

    def _clean_history(self, cj: Obj, jobs: list[Obj]) -> None:
        spec = cj.get("spec") or {}
        for kind, field in (
            ("Complete", "successfulJobsHistoryLimit"),
            ("Failed", "failedJobsHistoryLimit"),
        ):
            limit = spec.get(field)
            if limit is None:
                continue
            done = [
                j
                for j in jobs
                if _finished_kind(j) == kind and not j["metadata"].get("deletionTimestamp")
            ]
            # byJobStartTime: oldest start first, a Job that never started last.
            done.sort(
                key=lambda j: (
                    (j.get("status") or {}).get("startTime") is None,
                    (j.get("status") or {}).get("startTime") or "",
                    j["metadata"]["name"],
                )
            )
            for job in done[: max(len(done) - int(limit), 0)]:
                self._delete(cj, job)

    def _delete(self, cj: Obj, job: Obj) -> None:
        name = job["metadata"]["name"]
        try:
            self.api.delete(
                "Job", name, job["metadata"].get("namespace", ""), propagation="Background"
            )
        except ApiError as error:
            if error.reason != "NotFound":
                raise
            return
        self.recorder.record(cj, NORMAL, "SuccessfulDelete", f"Deleted job {name}", COMPONENT)

    # -- the schedule -----------------------------------------------------------------------

    def _schedule(self, cj: Obj, status: Obj, jobs: list[Obj]) -> float | None:
        spec = cj.get("spec") or {}
        text = str(spec.get("schedule") or "")
        try:
            schedule = parse_schedule(text)
        except CronError as error:
            self._warn(cj, "UnparseableSchedule", f'unparseable schedule: "{text}" : {error}')
            return None
        # formatSchedule: "TZ=<timeZone> <schedule>"; validation allows only modelled zones.
        schedule = replace(schedule, offset=utc_offset(spec.get("timeZone")) or 0)
        now = self.clock.now
        try:
            scheduled, many_missed = most_recent_schedule_time(cj, now, schedule, True)
        except CronError as error:
            self._warn(cj, "InvalidSchedule", f"invalid schedule: {text} : {error}")
            return None
        wait = self._requeue_after(cj, now, schedule)
        if scheduled is None:
            return wait
        if many_missed:
            self._warn(
                cj,
                "TooManyMissedTimes",
                "too many missed start times. Set or decrease .spec.startingDeadlineSeconds "
                "or check clock skew",
            )
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and scheduled + int(deadline) < now:
            # Too late: lastScheduleTime stays, so the warning repeats at each sync.
            self._warn(
                cj,
                "MissSchedule",
                f"Missed scheduled time to start a job: {rfc1123z(scheduled)}",
            )
            return wait
        name = job_name(cj["metadata"]["name"], scheduled)
        active = status.get("active") or []
        last = status.get("lastScheduleTime")
        if any(ref.get("name") == name for ref in active) or (
            last is not None and parse_rfc3339(last) == scheduled
        ):
            return wait
        policy = spec.get("concurrencyPolicy")
        if active and policy == "Forbid":
            # lastScheduleTime stays too: the slot runs once the running Job finishes.
            self.recorder.record(
                cj,
                NORMAL,
                "JobAlreadyActive",
                "Not starting job because prior execution is running and concurrency policy is Forbid",
                COMPONENT,
            )
            return wait
        if active and policy == "Replace":
            by_uid = {j["metadata"].get("uid"): j for j in jobs}
            for ref in active:
                job = by_uid.get(ref.get("uid"))
                if job is not None:
                    self._delete(cj, job)
            status.pop("active", None)
        created = self._create(cj, scheduled)
        if created is not None:
            status.setdefault("active", []).append(_reference(created))
        status["lastScheduleTime"] = rfc3339(scheduled)
        return wait

    def _requeue_after(self, cj: Obj, now: float, schedule: Schedule) -> float | None:
        """``nextScheduleTimeDuration``: until the schedule's next time after the most recent
        one (100 ms late, as upstream's ``nextScheduleDelta``)."""
        try:
            recent, _ = most_recent_schedule_time(cj, now, schedule, False)
        except CronError:
            base = now
        else:
            base = recent if recent is not None else _earliest(cj)
        following = schedule.next_after(base)
        if following is None:
            return None
        return following + NEXT_SCHEDULE_DELTA - now

    def _warn(self, cj: Obj, reason: str, message: str) -> None:
        self.recorder.record(cj, WARNING, reason, message, COMPONENT)

    def _create(self, cj: Obj, scheduled: float) -> Obj | None:
        template = (cj.get("spec") or {}).get("jobTemplate") or {}
        template_md = template.get("metadata") or {}
        name = job_name(cj["metadata"]["name"], scheduled)
        schedule_offset = utc_offset((cj.get("spec") or {}).get("timeZone")) or 0
        job: Obj = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": name,
                "namespace": cj["metadata"].get("namespace", ""),
                "labels": clone(template_md.get("labels") or {}),
                "annotations": {
                    **clone(template_md.get("annotations") or {}),
                    SCHEDULED_TIMESTAMP: rfc3339_in_zone(scheduled, schedule_offset),
                },
                "ownerReferences": [controller_reference(cj)],
            },
            "spec": clone(template.get("spec") or {}),
        }
        if not job["metadata"]["labels"]:
            del job["metadata"]["labels"]
        try:
            created = self.api.create(job)
        except ApiError as error:
            if error.reason == "AlreadyExists":
                return None
            self.recorder.record(
                cj, WARNING, "FailedCreate", f"Error creating job: {error.message}", COMPONENT
            )
            return None
        self.recorder.record(cj, NORMAL, "SuccessfulCreate", f"Created job {name}", COMPONENT)
        return created

    def _write(self, stored: Obj, cj: Obj) -> None:
        write_status(self.api, stored, cj.get("status") or {})


def _earliest(cj: Obj) -> float:
    last = (cj.get("status") or {}).get("lastScheduleTime") or cj["metadata"].get(
        "creationTimestamp"
    )
    return parse_rfc3339(last) if last else 0.0


def most_recent_schedule_time(
    cj: Obj, now: float, schedule: Schedule, include_deadline: bool
) -> tuple[float | None, bool]:
    """``mostRecentScheduleTime``: the latest scheduled time at or before ``now`` since the
    last one run (or the CronJob's creation), no further back than ``startingDeadlineSeconds``
    when ``include_deadline``; and whether more than 100 were missed. Only the most recent
    missed time ever runs. Raises CronError when the schedule never fires twice a second
    apart (upstream's "time difference between two schedules is less than 1 second")."""
    earliest = _earliest(cj)
    deadline = (cj.get("spec") or {}).get("startingDeadlineSeconds")
    if include_deadline and deadline is not None:
        earliest = max(earliest, now - int(deadline))
    first = schedule.next_after(earliest)
    second = schedule.next_after(first) if first is not None else None
    if first is not None and now < first:
        return None, False
    if first is not None and second is not None and now < second:
        return first, False
    if first is None or second is None or round(second - first) < 1:
        raise CronError("time difference between two schedules is less than 1 second")
    between = round(second - first)
    missed = int(now - first) // between + 1
    moment = schedule.next_after(first + (missed - 2) * between)
    recent: float | None = None
    while moment is not None and moment <= now:
        recent = moment
        moment = schedule.next_after(moment)
    return recent, missed > TOO_MANY_MISSED


def _reference(job: Obj) -> Obj:
    """``ref.GetReference``: an ObjectReference to the Job."""
    md = job["metadata"]
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "name": md["name"],
        "namespace": md.get("namespace", ""),
        "resourceVersion": md.get("resourceVersion", ""),
        "uid": md.get("uid", ""),
    }
