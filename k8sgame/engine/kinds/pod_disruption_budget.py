"""PodDisruptionBudget (policy/v1): how many of the pods a selector matches must stay
healthy (``minAvailable``) or may be down (``maxUnavailable``) while pods are evicted. The
API server starts its status at zero (the disruption controller fills it in) and
``ValidatePodDisruptionBudgetSpec`` refuses both limits at once, bad percentages and unknown
unhealthy-pod policies. There are no defaults: a budget without
``unhealthyPodEvictionPolicy`` behaves as IfHealthyBudget."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    ANY,
    INT32,
    INT64,
    INT_OR_STRING,
    STRING,
    TIME,
    ListOf,
    MapOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, invalid, not_supported
from k8sgame.engine.intstr import validate_at_most_100_percent, validate_int_or_percent
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR

POLICIES = ("AlwaysAllow", "IfHealthyBudget")
ZERO_STATUS = {"disruptionsAllowed": 0, "currentHealthy": 0, "desiredHealthy": 0, "expectedPods": 0}

POD_DISRUPTION_BUDGET = Struct(
    "PodDisruptionBudget",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "PodDisruptionBudgetSpec",
            {
                "minAvailable": INT_OR_STRING,
                "selector": LABEL_SELECTOR,
                "maxUnavailable": INT_OR_STRING,
                "unhealthyPodEvictionPolicy": STRING,
            },
        ),
        "status": Struct(
            "PodDisruptionBudgetStatus",
            {
                "observedGeneration": INT64,
                "disruptedPods": MapOf(TIME),
                "disruptionsAllowed": INT32,
                "currentHealthy": INT32,
                "desiredHealthy": INT32,
                "expectedPods": INT32,
                "conditions": ListOf(ANY),
            },
        ),
    },
)


def prepare_pod_disruption_budget(pdb: dict[str, Any], ctx: AdmissionContext) -> None:
    """PrepareForCreate: the status starts empty (its four counts have no omitempty)."""
    pdb["status"] = dict(ZERO_STATUS)


def _go_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The internal spec struct as the error prints it (Go field names, JSON encoding)."""
    return {
        "MinAvailable": spec.get("minAvailable"),
        "Selector": spec.get("selector"),
        "MaxUnavailable": spec.get("maxUnavailable"),
        "UnhealthyPodEvictionPolicy": spec.get("unhealthyPodEvictionPolicy"),
    }


def validate_pod_disruption_budget(pdb: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodDisruptionBudgetSpec``."""
    spec = pdb.get("spec") or {}
    errors: list[FieldError] = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errors.append(
            invalid("spec", _go_spec(spec), "minAvailable and maxUnavailable cannot be both set")
        )
    for field in ("minAvailable", "maxUnavailable"):
        value = spec.get(field)
        if value is not None:
            errors.extend(validate_int_or_percent(value, f"spec.{field}"))
            errors.extend(validate_at_most_100_percent(value, f"spec.{field}"))
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in POLICIES:
        errors.append(not_supported("spec.unhealthyPodEvictionPolicy", policy, POLICIES))
    return errors


POD_DISRUPTION_BUDGET_KIND = KindInfo(
    kind="PodDisruptionBudget",
    group="policy",
    version="v1",
    plural="poddisruptionbudgets",
    namespaced=True,
    schema=POD_DISRUPTION_BUDGET,
    short_names=("pdb",),
    prepare_create=prepare_pod_disruption_budget,
    validator=validate_pod_disruption_budget,
)
