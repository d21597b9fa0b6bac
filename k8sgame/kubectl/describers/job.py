"""The Job describer (``kubectl/pkg/describe/describe.go``: ``JobDescriber``,
``describeJob``): counts and times, the pods' statuses, the pod template and the events.
Conditions are not shown, as kubectl does not show them."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.replica_set import controller_of
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    format_label_selector,
    labels_multiline,
    rfc1123z,
)
from k8sgame.kubectl.duration import human_duration


def describe_job(job: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = job["metadata"], job.get("spec") or {}, job.get("status") or {}
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"Selector:\t{format_label_selector(spec.get('selector'))}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    owner = controller_of(job)
    if owner:
        out.append(f"Controlled By:\t{owner.get('kind')}/{owner.get('name')}")
    if spec.get("parallelism") is not None:
        out.append(f"Parallelism:\t{spec['parallelism']}")
    completions = spec.get("completions")
    out.append(f"Completions:\t{completions if completions is not None else '<unset>'}")
    if spec.get("completionMode") is not None:
        out.append(f"Completion Mode:\t{spec['completionMode']}")
    if spec.get("suspend") is not None:
        out.append(f"Suspend:\t{'true' if spec['suspend'] else 'false'}")
    if spec.get("backoffLimit") is not None:
        out.append(f"Backoff Limit:\t{spec['backoffLimit']}")
    if spec.get("ttlSecondsAfterFinished") is not None:
        out.append(f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}")
    if status.get("startTime"):
        out.append(f"Start Time:\t{rfc1123z(status['startTime'])}")
    if status.get("completionTime"):
        out.append(f"Completed At:\t{rfc1123z(status['completionTime'])}")
        if status.get("startTime"):
            took = parse_rfc3339(status["completionTime"]) - parse_rfc3339(status["startTime"])
            out.append(f"Duration:\t{human_duration(took)}")
    if spec.get("activeDeadlineSeconds") is not None:
        out.append(f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s")
    active, succeeded, failed = (
        int(status.get(field) or 0) for field in ("active", "succeeded", "failed")
    )
    if status.get("ready") is None:
        out.append(f"Pods Statuses:\t{active} Active / {succeeded} Succeeded / {failed} Failed")
    else:
        out.append(
            f"Pods Statuses:\t{active} Active ({status['ready']} Ready) / {succeeded} Succeeded"
            f" / {failed} Failed"
        )
    describe_pod_template(spec.get("template"), out)
    return finish(out, ctx.search_events(job, "Job"), ctx.now)
