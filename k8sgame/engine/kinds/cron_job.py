"""CronJob (batch/v1): its schema, defaults and validation (``SetDefaults_CronJob``,
``ValidateCronJob``; K8S-FACTS §8.3). Defaults: concurrencyPolicy Allow, suspend false,
successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1; the job template's pod spec gets the
pod defaults (its Job fields are defaulted in each Job). The name may be at most 52 characters (11 are left for the Jobs' suffix)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import BOOL, INT32, INT64, STRING, TIME, ListOf, Struct
from k8sgame.engine.cron import CronError, parse_schedule
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.kinds.event import OBJECT_REFERENCE
from k8sgame.engine.kinds.job import JOB_SPEC, validate_job_spec
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.time_zones import utc_offset

MAX_NAME = 52
POLICIES = ("Allow", "Forbid", "Replace")

CRON_JOB = Struct(
    "CronJob",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "CronJobSpec",
            {
                "schedule": STRING,
                "timeZone": STRING,
                "startingDeadlineSeconds": INT64,
                "concurrencyPolicy": STRING,
                "suspend": BOOL,
                "jobTemplate": Struct(
                    "JobTemplateSpec", {"metadata": OBJECT_META, "spec": JOB_SPEC}
                ),
                "successfulJobsHistoryLimit": INT32,
                "failedJobsHistoryLimit": INT32,
            },
        ),
        "status": Struct(
            "CronJobStatus",
            {
                "active": ListOf(OBJECT_REFERENCE),
                "lastScheduleTime": TIME,
                "lastSuccessfulTime": TIME,
            },
        ),
    },
)


def default_cron_job(cj: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = cj.setdefault("spec", {})
    defaults = (
        ("concurrencyPolicy", "Allow"),
        ("suspend", False),
        ("successfulJobsHistoryLimit", 3),
        ("failedJobsHistoryLimit", 1),
    )
    for name, value in defaults:
        if spec.get(name) is None:
            spec[name] = value
    # Only the pod template inside is defaulted: the job template's own fields (parallelism,
    # backoffLimit ...) stay unset until each Job is created from it.
    job_spec = (spec.get("jobTemplate") or {}).get("spec")
    pod_template = job_spec.get("template") if isinstance(job_spec, dict) else None
    if isinstance(pod_template, dict):
        default_pod_spec(pod_template.setdefault("spec", {}), in_pod=False)


def prepare_cron_job(cj: dict[str, Any], ctx: AdmissionContext) -> None:
    cj["status"] = {}


def validate_cron_job(cj: dict[str, Any]) -> list[FieldError]:
    """``ValidateCronJobCreate`` for what the simulator models."""
    errors: list[FieldError] = []
    name = str(cj["metadata"].get("name") or "")
    if len(name) > MAX_NAME:
        errors.append(invalid("metadata.name", name, f"must be no more than {MAX_NAME} characters"))
    spec = cj.get("spec") or {}
    schedule = spec.get("schedule")
    if not schedule:
        errors.append(required("spec.schedule"))
    elif "TZ" in str(schedule):
        errors.append(
            invalid(
                "spec.schedule",
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            )
        )
    else:
        try:
            parse_schedule(str(schedule))
        except CronError as error:
            errors.append(invalid("spec.schedule", schedule, str(error)))
    errors.extend(_validate_time_zone(spec.get("timeZone")))
    policy = spec.get("concurrencyPolicy")
    if policy not in POLICIES:
        errors.append(not_supported("spec.concurrencyPolicy", policy, POLICIES))
    for field in (
        "startingDeadlineSeconds",
        "successfulJobsHistoryLimit",
        "failedJobsHistoryLimit",
    ):
        value = spec.get(field)
        if isinstance(value, int) and value < 0:
            errors.append(invalid(f"spec.{field}", value, "must be greater than or equal to 0"))
    template = spec.get("jobTemplate") or {}
    errors.extend(
        validate_job_spec(template.get("spec") or {}, "spec.jobTemplate.spec", in_template=True)
    )
    return errors


def _validate_time_zone(zone: Any) -> list[FieldError]:
    """``validateTimeZone``; a real zone with daylight saving time is refused as not
    modelled (see ``time_zones``)."""
    if zone is None:
        return []
    if zone == "":
        return [invalid("spec.timeZone", zone, "timeZone must be nil or non-empty string")]
    if str(zone).lower() == "local":
        return [
            invalid(
                "spec.timeZone",
                zone,
                "timeZone must be an explicit time zone as defined in "
                "https://www.iana.org/time-zones",
            )
        ]
    if utc_offset(str(zone)) is None:
        return [
            forbidden(
                "spec.timeZone",
                f"{zone} is not modelled by the simulator: it knows only zones with a fixed UTC "
                "offset, such as UTC, Asia/Seoul or Asia/Tokyo",
            )
        ]
    return []


CRON_JOB_KIND = KindInfo(
    kind="CronJob",
    group="batch",
    version="v1",
    plural="cronjobs",
    namespaced=True,
    schema=CRON_JOB,
    short_names=("cj",),
    defaulter=default_cron_job,
    prepare_create=prepare_cron_job,
    validator=validate_cron_job,
    categories=("all",),
)
