"""Job (batch/v1): its schema, defaults, generated selector and validation
(``pkg/apis/batch/v1/defaults.go`` ``SetDefaults_Job``, ``pkg/registry/batch/job/strategy.go``
``generateSelector``, ``pkg/apis/batch/validation/validation.go``; K8S-FACTS §8.1).

Defaults: completions and parallelism 1 when both are unset (parallelism 1 when it alone is),
backoffLimit 6, completionMode NonIndexed, suspend false, podReplacementPolicy
TerminatingOrFailed; a Job without labels takes its template's. Unless ``manualSelector`` is
true, the API server labels the template with the Job's name and uid and selects the uid.

Indexed completion, pod failure and success policies and per-index back-off limits are not
modelled: the API server of the simulator refuses them and says so.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META, validate_labels
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    ANY,
    BOOL,
    INT32,
    INT64,
    STRING,
    STRING_LIST,
    TIME,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR, POD_TEMPLATE_SPEC
from k8sgame.engine.kinds.pod.validation import validate_pod_spec
from k8sgame.engine.labels import SelectorError, from_label_selector

JOB_NAME_LABEL = "batch.kubernetes.io/job-name"
LEGACY_JOB_NAME_LABEL = "job-name"
CONTROLLER_UID_LABEL = "batch.kubernetes.io/controller-uid"
LEGACY_CONTROLLER_UID_LABEL = "controller-uid"
DEFAULT_BACKOFF_LIMIT = 6
NON_INDEXED = "NonIndexed"
INDEXED = "Indexed"
TERMINATING_OR_FAILED = "TerminatingOrFailed"
FAILED = "Failed"
# The parts of batch/v1 the simulator does not run, with the field that asks for them.
NOT_MODELLED = (
    "podFailurePolicy",
    "successPolicy",
    "backoffLimitPerIndex",
    "maxFailedIndexes",
    "managedBy",
)

JOB_CONDITION = Struct(
    "JobCondition",
    {
        "type": STRING,
        "status": STRING,
        "lastProbeTime": TIME,
        "lastTransitionTime": TIME,
        "reason": STRING,
        "message": STRING,
    },
)

JOB_SPEC = Struct(
    "JobSpec",
    {
        "parallelism": INT32,
        "completions": INT32,
        "activeDeadlineSeconds": INT64,
        "podFailurePolicy": ANY,
        "successPolicy": ANY,
        "backoffLimit": INT32,
        "backoffLimitPerIndex": INT32,
        "maxFailedIndexes": INT32,
        "selector": LABEL_SELECTOR,
        "manualSelector": BOOL,
        "template": POD_TEMPLATE_SPEC,
        "ttlSecondsAfterFinished": INT32,
        "completionMode": STRING,
        "suspend": BOOL,
        "podReplacementPolicy": STRING,
        "managedBy": STRING,
    },
)

JOB = Struct(
    "Job",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": JOB_SPEC,
        "status": Struct(
            "JobStatus",
            {
                "conditions": ListOf(JOB_CONDITION),
                "startTime": TIME,
                "completionTime": TIME,
                "active": INT32,
                "succeeded": INT32,
                "failed": INT32,
                "terminating": INT32,
                "completedIndexes": STRING,
                "failedIndexes": STRING,
                "uncountedTerminatedPods": Struct(
                    "UncountedTerminatedPods", {"succeeded": STRING_LIST, "failed": STRING_LIST}
                ),
                "ready": INT32,
            },
        ),
    },
)


def default_job_spec(spec: dict[str, Any]) -> None:
    """``SetDefaults_Job``'s spec part (a CronJob's job template gets it too)."""
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = (
            2**31 - 1 if spec.get("backoffLimitPerIndex") is not None else DEFAULT_BACKOFF_LIMIT
        )
    if spec.get("completionMode") is None:
        spec["completionMode"] = NON_INDEXED
    if spec.get("suspend") is None:
        spec["suspend"] = False
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = (
            FAILED if spec.get("podFailurePolicy") is not None else TERMINATING_OR_FAILED
        )
    template = spec.get("template")
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}), in_pod=False)


def default_job(job: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = job.setdefault("spec", {})
    default_job_spec(spec)
    template_labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    md = job.setdefault("metadata", {})
    if template_labels and not md.get("labels"):
        md["labels"] = dict(template_labels)


def prepare_job(job: dict[str, Any], ctx: AdmissionContext) -> None:
    """PrepareForCreate: an empty status and, unless ``manualSelector``, the generated
    selector and the template labels it selects (``generateSelector``)."""
    job["status"] = {}
    spec = job.setdefault("spec", {})
    if spec.get("manualSelector"):
        return
    md = job["metadata"]
    template = spec.setdefault("template", {})
    labels = template.setdefault("metadata", {}).setdefault("labels", {})
    for key in (LEGACY_JOB_NAME_LABEL, JOB_NAME_LABEL):
        labels.setdefault(key, str(md.get("name", "")))
    for key in (LEGACY_CONTROLLER_UID_LABEL, CONTROLLER_UID_LABEL):
        labels.setdefault(key, str(md.get("uid", "")))
    selector = spec.get("selector")
    if not isinstance(selector, dict):
        selector = spec["selector"] = {}
    match = selector.setdefault("matchLabels", {})
    match.setdefault(CONTROLLER_UID_LABEL, str(md.get("uid", "")))
    # SetDefaults_Job gives a Job without labels its template's; a Job read back from
    # storage is defaulted again, so it shows the generated ones too.
    if not md.get("labels"):
        md["labels"] = dict(labels)


def _nonnegative(spec: dict[str, Any], name: str, path: str = "spec") -> list[FieldError]:
    value = spec.get(name)
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        return [invalid(f"{path}.{name}", value, "must be greater than or equal to 0")]
    return []


def validate_job_spec(
    spec: dict[str, Any], path: str = "spec", in_template: bool = False
) -> list[FieldError]:
    """``ValidateJobSpec`` for what the simulator models; ``in_template`` is a CronJob's job
    template, whose selector is generated with each Job."""
    errors: list[FieldError] = []
    for name in ("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"):
        errors += _nonnegative(spec, name, path)
    deadline = spec.get("activeDeadlineSeconds")
    if isinstance(deadline, int) and deadline <= 0:
        errors.append(invalid(f"{path}.activeDeadlineSeconds", deadline, "must be greater than 0"))
    mode = spec.get("completionMode")
    if mode is None:
        pass  # a CronJob's job template: defaulted in each Job made from it
    elif mode not in (NON_INDEXED, INDEXED):
        errors.append(not_supported(f"{path}.completionMode", mode, (NON_INDEXED, INDEXED)))
    elif mode == INDEXED:
        errors.append(
            forbidden(f"{path}.completionMode", "Indexed Jobs are not modelled by the simulator")
        )
    for name in NOT_MODELLED:
        if spec.get(name) is not None:
            errors.append(forbidden(f"{path}.{name}", "not modelled by the simulator"))
    policy = spec.get("podReplacementPolicy")
    if policy is not None and policy not in (TERMINATING_OR_FAILED, FAILED):
        errors.append(
            not_supported(f"{path}.podReplacementPolicy", policy, (FAILED, TERMINATING_OR_FAILED))
        )
    raw_selector = spec.get("selector")
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    if in_template:
        pass
    elif raw_selector is None:
        errors.append(required(f"{path}.selector"))
    else:
        try:
            selector = from_label_selector(raw_selector)
        except SelectorError:
            errors.append(invalid(f"{path}.selector", raw_selector, "invalid label selector"))
        else:
            if selector.empty or not selector.matches(labels):
                errors.append(
                    invalid(
                        f"{path}.template.metadata.labels",
                        labels,
                        "`selector` does not match template `labels`",
                    )
                )
    errors.extend(validate_labels(labels, f"{path}.template.metadata.labels"))
    pod_spec = template.get("spec") or {}
    errors.extend(validate_pod_spec(pod_spec, f"{path}.template.spec"))
    restart = pod_spec.get("restartPolicy")
    if restart not in ("OnFailure", "Never"):
        # Upstream words it as a required value, whatever the policy given.
        errors.append(
            required(f"{path}.template.spec.restartPolicy", 'valid values: "OnFailure", "Never"')
        )
    return errors


def validate_job(job: dict[str, Any]) -> list[FieldError]:
    return validate_job_spec(job.get("spec") or {})


def validate_job_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """A Job's selector, template and completions are fixed once it exists (the template may
    change only while it is suspended and has never started, which the simulator does not
    model)."""
    errors = validate_job(new)
    before, after = old.get("spec") or {}, new.get("spec") or {}
    for name in ("selector", "template", "completions", "completionMode"):
        if before.get(name) != after.get(name):
            errors.append(invalid(f"spec.{name}", after.get(name), "field is immutable"))
    return errors


JOB_KIND = KindInfo(
    kind="Job",
    group="batch",
    version="v1",
    plural="jobs",
    namespaced=True,
    schema=JOB,
    defaulter=default_job,
    prepare_create=prepare_job,
    validator=validate_job,
    update_validator=validate_job_update,
    categories=("all",),
    uid_at_prepare=True,
)
