"""How kubectl shows a Job: ``kubectl get jobs`` (``jobColumnDefinitions`` / ``printJob``:
STATUS from the conditions, COMPLETIONS as ``succeeded/completions`` (``0/1 of 3`` for a
parallel Job without completions), DURATION from start to completion or until now; ``-o
wide`` adds containers, images and the selector) and its describer."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.describers.job import describe_job
from k8sgame.kubectl.describers.text import format_label_selector
from k8sgame.kubectl.duration import human_duration
from k8sgame.kubectl.kinds.replica_set import container_cells
from k8sgame.kubectl.tables import KindView, TableSpec, age


def has_condition(obj: dict[str, Any], kind: str) -> bool:
    return any(
        c.get("type") == kind and c.get("status") == "True"
        for c in (obj.get("status") or {}).get("conditions") or []
    )


def job_status(job: dict[str, Any]) -> str:
    """The STATUS column (``printJob``; SuccessCriteriaMet since 1.34)."""
    if has_condition(job, "Complete"):
        return "Complete"
    if has_condition(job, "Failed"):
        return "Failed"
    if job["metadata"].get("deletionTimestamp"):
        return "Terminating"
    if has_condition(job, "Suspended"):
        return "Suspended"
    if has_condition(job, "FailureTarget"):
        return "FailureTarget"
    if has_condition(job, "SuccessCriteriaMet"):
        return "SuccessCriteriaMet"
    return "Running"


def completions_cell(job: dict[str, Any]) -> str:
    spec, status = job.get("spec") or {}, job.get("status") or {}
    succeeded = int(status.get("succeeded") or 0)
    if spec.get("completions") is not None:
        return f"{succeeded}/{spec['completions']}"
    parallelism = int(spec.get("parallelism") or 0)
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def job_duration(job: dict[str, Any], now: float) -> str:
    status = job.get("status") or {}
    if not status.get("startTime"):
        return ""
    start = parse_rfc3339(status["startTime"])
    end = parse_rfc3339(status["completionTime"]) if status.get("completionTime") else now
    return human_duration(end - start)


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    return [
        obj["metadata"]["name"],
        job_status(obj),
        completions_cell(obj),
        job_duration(obj, now),
        age(obj, now),
    ]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    spec = obj.get("spec") or {}
    return [*container_cells(spec.get("template")), format_label_selector(spec.get("selector"))]


VIEW = KindView(
    "Job",
    TableSpec(
        ("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"),
        _columns,
        ("CONTAINERS", "IMAGES", "SELECTOR"),
        _wide_columns,
    ),
    describe_job,
)
