"""How kubectl shows a CronJob: ``kubectl get cronjobs`` (``cronJobColumnDefinitions`` /
``printCronJob``: SCHEDULE, TIMEZONE, SUSPEND, ACTIVE, LAST SCHEDULE; ``-o wide`` adds the job
template's containers, images and selector) and its describer (``describeCronJob``, 1.35: no
Time Zone line yet)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    format_label_selector,
    labels_multiline,
    rfc1123z,
)
from k8sgame.kubectl.duration import since
from k8sgame.kubectl.kinds.replica_set import container_cells
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _bool(value: Any) -> str:
    """``printBoolPtr``."""
    return "<unset>" if value is None else ("True" if value else "False")


def _job_spec(obj: dict[str, Any]) -> dict[str, Any]:
    return ((obj.get("spec") or {}).get("jobTemplate") or {}).get("spec") or {}


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    last = status.get("lastScheduleTime")
    return [
        obj["metadata"]["name"],
        str(spec.get("schedule", "")),
        str(spec.get("timeZone")) if spec.get("timeZone") is not None else "<none>",
        _bool(spec.get("suspend")),
        str(len(status.get("active") or [])),
        since(last, now) if last else "<none>",
        age(obj, now),
    ]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    job_spec = _job_spec(obj)
    return [
        *container_cells(job_spec.get("template")),
        format_label_selector(job_spec.get("selector")),
    ]


def _optional(label: str, value: Any, suffix: str = "") -> str:
    return f"{label}:\t{value}{suffix}" if value is not None else f"{label}:\t<unset>"


def describe_cron_job(cj: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = cj["metadata"], cj.get("spec") or {}, cj.get("status") or {}
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Schedule:\t{spec.get('schedule', '')}")
    out.append(f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}")
    out.append(f"Suspend:\t{_bool(spec.get('suspend'))}")
    out.append(_optional("Successful Job History Limit", spec.get("successfulJobsHistoryLimit")))
    out.append(_optional("Failed Job History Limit", spec.get("failedJobsHistoryLimit")))
    out.append(_optional("Starting Deadline Seconds", spec.get("startingDeadlineSeconds"), "s"))
    job_spec = _job_spec(cj)
    selector = job_spec.get("selector")
    out.append(
        f"Selector:\t{format_label_selector(selector)}" if selector else "Selector:\t<unset>"
    )
    out.append(_optional("Parallelism", job_spec.get("parallelism")))
    out.append(_optional("Completions", job_spec.get("completions")))
    if job_spec.get("activeDeadlineSeconds") is not None:
        out.append(f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s")
    describe_pod_template(job_spec.get("template"), out)
    last = status.get("lastScheduleTime")
    out.append(f"Last Schedule Time:\t{rfc1123z(last)}" if last else "Last Schedule Time:\t<unset>")
    active = ", ".join(str(ref.get("name", "")) for ref in status.get("active") or [])
    out.append(f"Active Jobs:\t{active or '<none>'}")
    return finish(out, ctx.search_events(cj, "CronJob"), ctx.now)


VIEW = KindView(
    "CronJob",
    TableSpec(
        ("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"),
        _columns,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _wide_columns,
    ),
    describe_cron_job,
)
