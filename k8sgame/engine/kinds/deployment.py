"""Deployment (apps/v1): its schema, defaults and validation
(``pkg/apis/apps/v1/defaults.go`` ``SetDefaults_Deployment``,
``pkg/apis/apps/validation/validation.go`` ``ValidateDeploymentSpec``).

Defaults (K8S-FACTS §7.1): replicas 1, strategy RollingUpdate with maxUnavailable and
maxSurge 25%, revisionHistoryLimit 10, progressDeadlineSeconds 600.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    BOOL,
    INT32,
    INT64,
    INT_OR_STRING,
    STRING,
    TIME,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.intstr import (
    int_or_percent_value,
    validate_at_most_100_percent,
    validate_int_or_percent,
)
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR
from k8sgame.engine.kinds.workload_template import POD_TEMPLATE_SPEC, validate_workload_template

ROLLING_UPDATE = "RollingUpdate"
RECREATE = "Recreate"
DEFAULT_SURGE_AND_UNAVAILABLE = "25%"
DEFAULT_REVISION_HISTORY_LIMIT = 10
DEFAULT_PROGRESS_DEADLINE_SECONDS = 600

DEPLOYMENT = Struct(
    "Deployment",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "DeploymentSpec",
            {
                "replicas": INT32,
                "selector": LABEL_SELECTOR,
                "template": POD_TEMPLATE_SPEC,
                "strategy": Struct(
                    "DeploymentStrategy",
                    {
                        "type": STRING,
                        "rollingUpdate": Struct(
                            "RollingUpdateDeployment",
                            {"maxUnavailable": INT_OR_STRING, "maxSurge": INT_OR_STRING},
                        ),
                    },
                ),
                "minReadySeconds": INT32,
                "revisionHistoryLimit": INT32,
                "paused": BOOL,
                "progressDeadlineSeconds": INT32,
            },
        ),
        "status": Struct(
            "DeploymentStatus",
            {
                "observedGeneration": INT64,
                "replicas": INT32,
                "updatedReplicas": INT32,
                "readyReplicas": INT32,
                "availableReplicas": INT32,
                "unavailableReplicas": INT32,
                "terminatingReplicas": INT32,
                "conditions": ListOf(
                    Struct(
                        "DeploymentCondition",
                        {
                            "type": STRING,
                            "status": STRING,
                            "lastUpdateTime": TIME,
                            "lastTransitionTime": TIME,
                            "reason": STRING,
                            "message": STRING,
                        },
                    )
                ),
                "collisionCount": INT32,
            },
        ),
    },
)


def default_deployment(deployment: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_Deployment`` and the template's pod-spec defaults."""
    spec = deployment.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.get("strategy")
    if not isinstance(strategy, dict):
        strategy = spec["strategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = ROLLING_UPDATE
    if strategy["type"] == ROLLING_UPDATE:
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        for name in ("maxUnavailable", "maxSurge"):
            if rolling.get(name) is None:
                rolling[name] = DEFAULT_SURGE_AND_UNAVAILABLE
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = DEFAULT_REVISION_HISTORY_LIMIT
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = DEFAULT_PROGRESS_DEADLINE_SECONDS
    template = spec.get("template")
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}), in_pod=False)


def prepare_deployment(deployment: dict[str, Any], ctx: AdmissionContext) -> None:
    """PrepareForCreate: a new Deployment starts with an empty status."""
    deployment["status"] = {}


def _validate_strategy(strategy: dict[str, Any]) -> list[FieldError]:
    """``ValidateDeploymentStrategy`` and ``ValidateRollingUpdateDeployment``."""
    kind = strategy.get("type")
    rolling = strategy.get("rollingUpdate")
    path = "spec.strategy.rollingUpdate"
    if kind == RECREATE:
        if rolling is not None:
            return [forbidden(path, "may not be specified when strategy `type` is 'Recreate'")]
        return []
    if kind != ROLLING_UPDATE:
        return [not_supported("spec.strategy", strategy, (RECREATE, ROLLING_UPDATE))]
    if not isinstance(rolling, dict):
        return [required(path, "this should be defaulted and never be nil")]
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errors = validate_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errors += validate_int_or_percent(surge, f"{path}.maxSurge")
    if int_or_percent_value(unavailable) == 0 and int_or_percent_value(surge) == 0:
        errors.append(
            invalid(f"{path}.maxUnavailable", unavailable, "may not be 0 when `maxSurge` is 0")
        )
    errors += validate_at_most_100_percent(unavailable, f"{path}.maxUnavailable")
    return errors


def _nonnegative(spec: dict[str, Any], name: str) -> list[FieldError]:
    value = spec.get(name)
    if isinstance(value, int) and value < 0:
        return [invalid(f"spec.{name}", value, "must be greater than or equal to 0")]
    return []


def validate_deployment(deployment: dict[str, Any]) -> list[FieldError]:
    """``ValidateDeploymentSpec``, in upstream's order."""
    spec = deployment.get("spec") or {}
    errors = _nonnegative(spec, "replicas")
    validate_workload_template(spec, "deployment", errors)
    errors += _validate_strategy(spec.get("strategy") or {})
    errors += _nonnegative(spec, "minReadySeconds")
    errors += _nonnegative(spec, "revisionHistoryLimit")
    deadline = spec.get("progressDeadlineSeconds")
    if isinstance(deadline, int):
        errors += _nonnegative(spec, "progressDeadlineSeconds")
        if deadline <= int(spec.get("minReadySeconds") or 0):
            errors.append(
                invalid(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
            )
    return errors


def validate_deployment_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """apps/v1 keeps the selector as it was created (``ValidateDeploymentUpdate``)."""
    errors = validate_deployment(new)
    before = (old.get("spec") or {}).get("selector")
    after = (new.get("spec") or {}).get("selector")
    if before != after:
        errors.append(invalid("spec.selector", after, "field is immutable"))
    return errors


DEPLOYMENT_KIND = KindInfo(
    kind="Deployment",
    group="apps",
    version="v1",
    plural="deployments",
    namespaced=True,
    schema=DEPLOYMENT,
    short_names=("deploy",),
    defaulter=default_deployment,
    prepare_create=prepare_deployment,
    validator=validate_deployment,
    update_validator=validate_deployment_update,
    categories=("all",),
    scale_subresource=True,
    status_writes_annotations=True,
)
