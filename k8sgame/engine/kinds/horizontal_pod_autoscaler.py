"""HorizontalPodAutoscaler (autoscaling/v2, also served as v1): scale a Deployment, ReplicaSet or StatefulSet
between ``minReplicas`` and ``maxReplicas`` so that its pods' average resource use meets a
target (``SetDefaults_HorizontalPodAutoscaler``: minReplicas 1, and CPU at 80% of requests
when no metric is given; ``ValidateHorizontalPodAutoscaler``).

The simulator models Resource metrics (cpu and memory, as a utilization of requests or an
average value) and the legacy scaling rules; Pods, Object, External and ContainerResource
metrics and ``behavior`` are refused as not modelled."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import ANY, INT32, INT64, QUANTITY, STRING, TIME, ListOf, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.kinds.horizontal_pod_autoscaler_v1 import (
    AUTOSCALING_V1,
    CROSS_VERSION_OBJECT_REFERENCE,
    DEFAULT_CPU_UTILIZATION,
)
from k8sgame.engine.quantity import is_quantity, parse_quantity

METRIC_TYPES = ("ContainerResource", "External", "Object", "Pods", "Resource")
TARGET_TYPES = ("Utilization", "Value", "AverageValue")

METRIC_TARGET = Struct(
    "MetricTarget",
    {"type": STRING, "value": QUANTITY, "averageValue": QUANTITY, "averageUtilization": INT32},
)
METRIC_VALUE_STATUS = Struct(
    "MetricValueStatus",
    {"value": QUANTITY, "averageValue": QUANTITY, "averageUtilization": INT32},
)
HORIZONTAL_POD_AUTOSCALER = Struct(
    "HorizontalPodAutoscaler",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "HorizontalPodAutoscalerSpec",
            {
                "scaleTargetRef": CROSS_VERSION_OBJECT_REFERENCE,
                "minReplicas": INT32,
                "maxReplicas": INT32,
                "metrics": ListOf(
                    Struct(
                        "MetricSpec",
                        {
                            "type": STRING,
                            "resource": Struct(
                                "ResourceMetricSource", {"name": STRING, "target": METRIC_TARGET}
                            ),
                            "containerResource": ANY,
                            "pods": ANY,
                            "object": ANY,
                            "external": ANY,
                        },
                    )
                ),
                "behavior": ANY,
            },
        ),
        "status": Struct(
            "HorizontalPodAutoscalerStatus",
            {
                "observedGeneration": INT64,
                "lastScaleTime": TIME,
                "currentReplicas": INT32,
                "desiredReplicas": INT32,
                "currentMetrics": ListOf(
                    Struct(
                        "MetricStatus",
                        {
                            "type": STRING,
                            "resource": Struct(
                                "ResourceMetricStatus",
                                {"name": STRING, "current": METRIC_VALUE_STATUS},
                            ),
                        },
                    )
                ),
                "conditions": ListOf(
                    Struct(
                        "HorizontalPodAutoscalerCondition",
                        {
                            "type": STRING,
                            "status": STRING,
                            "lastTransitionTime": TIME,
                            "reason": STRING,
                            "message": STRING,
                        },
                    )
                ),
            },
        ),
    },
)


def default_horizontal_pod_autoscaler(hpa: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = hpa.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {
                        "type": "Utilization",
                        "averageUtilization": DEFAULT_CPU_UTILIZATION,
                    },
                },
            }
        ]


def prepare_horizontal_pod_autoscaler(hpa: dict[str, Any], ctx: AdmissionContext) -> None:
    """The strategy clears the status; its two fields without omitempty remain."""
    hpa["status"] = {"currentMetrics": None, "desiredReplicas": 0}


def _validate_target(target: dict[str, Any], path: str) -> list[FieldError]:
    kind = target.get("type")
    if not kind:
        return [required(f"{path}.type", "must specify a metric target type")]
    if kind not in TARGET_TYPES:
        return [invalid(f"{path}.type", kind, "must be either Utilization, Value, or AverageValue")]
    errors = []
    utilization = target.get("averageUtilization")
    if utilization is not None and utilization <= 0:
        errors.append(invalid(f"{path}.averageUtilization", utilization, "must be greater than 0"))
    for field in ("averageValue", "value"):
        value = target.get(field)
        if value is not None and (not is_quantity(value) or parse_quantity(value) <= 0):
            errors.append(invalid(f"{path}.{field}", value, "must be positive"))
    return errors


def validate_horizontal_pod_autoscaler(hpa: dict[str, Any]) -> list[FieldError]:
    """``ValidateHorizontalPodAutoscalerSpec`` for what the simulator models."""
    spec = hpa.get("spec") or {}
    errors: list[FieldError] = []
    ref = spec.get("scaleTargetRef") or {}
    for field in ("kind", "name"):
        if not ref.get(field):
            errors.append(required(f"spec.scaleTargetRef.{field}"))
    minimum = spec.get("minReplicas")
    if isinstance(minimum, int) and minimum < 1:
        errors.append(invalid("spec.minReplicas", minimum, "must be greater than or equal to 1"))
    maximum = int(spec.get("maxReplicas") or 0)
    if maximum < 1:
        errors.append(invalid("spec.maxReplicas", maximum, "must be greater than 0"))
    if isinstance(minimum, int) and maximum < minimum:
        errors.append(
            invalid("spec.maxReplicas", maximum, "must be greater than or equal to `minReplicas`")
        )
    for index, metric in enumerate(spec.get("metrics") or []):
        path = f"spec.metrics[{index}]"
        kind = metric.get("type")
        if not kind:
            errors.append(required(f"{path}.type", "must specify a metric source type"))
            continue
        if kind not in METRIC_TYPES:
            errors.append(not_supported(f"{path}.type", kind, METRIC_TYPES))
            continue
        if kind != "Resource":
            errors.append(
                forbidden(f"{path}.type", f"{kind} metrics are not modelled by the simulator")
            )
            continue
        source = metric.get("resource")
        if not source:
            errors.append(
                required(
                    f"{path}.resource", "must populate information for the given metric source"
                )
            )
            continue
        if not source.get("name"):
            errors.append(required(f"{path}.resource.name", "must specify a resource name"))
        elif source["name"] not in ("cpu", "memory"):
            errors.append(
                forbidden(
                    f"{path}.resource.name",
                    f"{source['name']} metrics are not modelled by the simulator (cpu and memory are)",
                )
            )
        target = source.get("target") or {}
        errors.extend(_validate_target(target, f"{path}.resource.target"))
        # validateResourceSource: a Resource metric targets an average, as a value or a share.
        utilization, average = target.get("averageUtilization"), target.get("averageValue")
        if utilization is None and average is None:
            errors.append(
                required(
                    f"{path}.resource.target.averageUtilization",
                    "must set either a target raw value or a target utilization",
                )
            )
        elif utilization is not None and average is not None:
            errors.append(
                forbidden(
                    f"{path}.resource.target.averageValue",
                    "may not set both a target raw value and a target utilization",
                )
            )
    if spec.get("behavior") is not None:
        errors.append(
            forbidden(
                "spec.behavior",
                "scaling behavior is not modelled by the simulator; it uses the controller's "
                "defaults (5-minute scale-down stabilization)",
            )
        )
    return errors


HORIZONTAL_POD_AUTOSCALER_KIND = KindInfo(
    kind="HorizontalPodAutoscaler",
    group="autoscaling",
    version="v2",
    plural="horizontalpodautoscalers",
    namespaced=True,
    schema=HORIZONTAL_POD_AUTOSCALER,
    short_names=("hpa",),
    defaulter=default_horizontal_pod_autoscaler,
    prepare_create=prepare_horizontal_pod_autoscaler,
    validator=validate_horizontal_pod_autoscaler,
    categories=("all",),
    # 1.35 does not maintain an HPA's generation (HPAGeneration is 1.37 alpha).
    generation_fields=(),
    # autoscaling/v1 is still served (and listed by api-versions); v2 is preferred.
    other_versions=(AUTOSCALING_V1,),
)
