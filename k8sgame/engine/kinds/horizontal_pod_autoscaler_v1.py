"""HorizontalPodAutoscaler in autoscaling/v1: one CPU target (``targetCPUUtilizationPercentage``)
instead of a list of metrics. The API server still serves it; objects are stored as
autoscaling/v2 and converted both ways (``pkg/apis/autoscaling/v1/conversion.go``).

What v1 cannot hold travels in annotations on the v1 object: metrics other than a CPU
utilization (``autoscaling.alpha.kubernetes.io/metrics``), the current metrics and the
conditions. A v1 write with those annotations gets them back as fields, and loses the
annotations."""

from __future__ import annotations

import json
from typing import Any

from k8sgame.engine.api.json_syntax import syntax_error
from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import ConversionError, ServedVersion
from k8sgame.engine.api.schema import INT32, INT64, STRING, TIME, Struct

# pkg/apis/autoscaling/annotations.go
DEFAULT_CPU_UTILIZATION = 80
METRIC_SPECS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
METRIC_STATUSES_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"

# The same struct in both versions: the workload the autoscaler scales.
CROSS_VERSION_OBJECT_REFERENCE = Struct(
    "CrossVersionObjectReference", {"kind": STRING, "name": STRING, "apiVersion": STRING}
)

HORIZONTAL_POD_AUTOSCALER_V1 = Struct(
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
                "targetCPUUtilizationPercentage": INT32,
            },
            docs="HorizontalPodAutoscalerSpec(autoscaling/v1)",
        ),
        "status": Struct(
            "HorizontalPodAutoscalerStatus",
            {
                "observedGeneration": INT64,
                "lastScaleTime": TIME,
                "currentReplicas": INT32,
                "desiredReplicas": INT32,
                "currentCPUUtilizationPercentage": INT32,
            },
            docs="HorizontalPodAutoscalerStatus(autoscaling/v1)",
        ),
    },
    docs="HorizontalPodAutoscaler(autoscaling/v1)",
)


def _go_json(value: Any) -> str:
    """``json.Marshal`` of a value whose dicts are already in struct field order."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _go_unmarshal_list(text: str, go_type: str) -> list[dict[str, Any]]:
    """``json.Unmarshal`` of an annotation into a slice of structs, in Go's words when it
    cannot be done. Keys are matched case-insensitively, as encoding/json does."""
    problem = syntax_error(text)
    if problem is not None:
        raise ConversionError(problem)
    value = json.loads(text)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ConversionError(
            f"json: cannot unmarshal {_json_kind(value)} into Go value of type []{go_type}"
        )
    items: list[dict[str, Any]] = []
    for item in value:
        if item is None:
            items.append({})
        elif not isinstance(item, dict):
            raise ConversionError(
                f"json: cannot unmarshal {_json_kind(item)} into Go value of type {go_type}"
            )
        else:
            items.append(_lower_keys(item))
    return items


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value


def _cpu_resource(metric: dict[str, Any]) -> dict[str, Any] | None:
    resource = metric.get("resource") or {}
    if metric.get("type") == "Resource" and resource.get("name") == "cpu":
        return resource
    return None


def _is_cpu_utilization(metric: dict[str, Any]) -> bool:
    """The one metric v1 holds as a field: a CPU utilization target."""
    cpu = _cpu_resource(metric)
    return cpu is not None and (cpu.get("target") or {}).get("averageUtilization") is not None


# -- v1 -> v2 (stored) ------------------------------------------------------------------------


def _metric_from_v1(metric: dict[str, Any]) -> dict[str, Any]:
    """One v1 MetricSpec (from the annotation, keys lowercased) as v2. Resource metrics are
    converted field by field; the other types are carried under their v2 key, where the
    v2 validation refuses them as not modelled."""
    kind = str(metric.get("type") or "")
    out: dict[str, Any] = {"type": kind}
    source = metric.get("resource")
    if kind == "Resource" and isinstance(source, dict):
        utilization = source.get("targetaverageutilization")
        target: dict[str, Any] = {"type": "AverageValue" if utilization is None else "Utilization"}
        if source.get("targetaveragevalue") is not None:
            target["averageValue"] = source["targetaveragevalue"]
        if utilization is not None:
            target["averageUtilization"] = utilization
        out["resource"] = {"name": source.get("name", ""), "target": target}
        return out
    for v1_key, v2_key in (
        ("containerresource", "containerResource"),
        ("pods", "pods"),
        ("object", "object"),
        ("external", "external"),
    ):
        if metric.get(v1_key) is not None:
            out[v2_key] = metric[v1_key]
    return out


def _metric_status_from_v1(metric: dict[str, Any]) -> dict[str, Any]:
    kind = str(metric.get("type") or "")
    out: dict[str, Any] = {"type": kind}
    source = metric.get("resource")
    if kind == "Resource" and isinstance(source, dict):
        current: dict[str, Any] = {"averageValue": source.get("currentaveragevalue") or "0"}
        if source.get("currentaverageutilization") is not None:
            current["averageUtilization"] = source["currentaverageutilization"]
        out["resource"] = {"name": source.get("name", ""), "current": current}
    return out


def _condition_from_v1(condition: dict[str, Any]) -> dict[str, Any]:
    out = {
        "type": condition.get("type", ""),
        "status": condition.get("status", ""),
        "lastTransitionTime": condition.get("lasttransitiontime"),
        "reason": condition.get("reason", ""),
    }
    if condition.get("message"):
        out["message"] = condition["message"]
    return out


def to_v2(hpa: dict[str, Any]) -> dict[str, Any]:
    """``Convert_v1_HorizontalPodAutoscaler_To_autoscaling_HorizontalPodAutoscaler``."""
    md = dict(hpa.get("metadata") or {})
    annotations = dict(md.get("annotations") or {})
    spec_v1 = hpa.get("spec") or {}
    spec: dict[str, Any] = {}
    for field in ("scaleTargetRef", "minReplicas", "maxReplicas"):
        if field in spec_v1:
            spec[field] = spec_v1[field]
    metrics: list[dict[str, Any]] = []
    if spec_v1.get("targetCPUUtilizationPercentage") is not None:
        metrics.append(_cpu_metric(spec_v1["targetCPUUtilizationPercentage"]))
    if METRIC_SPECS_ANNOTATION in annotations:
        text = annotations.pop(METRIC_SPECS_ANNOTATION)
        others = _go_unmarshal_list(text, "v1.MetricSpec")
        # The annotation's metrics come first, then the CPU target.
        metrics = [_metric_from_v1(m) for m in others] + metrics
    status_v1 = hpa.get("status") or {}
    status: dict[str, Any] = {
        field: status_v1[field]
        for field in ("observedGeneration", "lastScaleTime", "currentReplicas", "desiredReplicas")
        if field in status_v1
    }
    if status_v1.get("currentCPUUtilizationPercentage") is not None:
        status["currentMetrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "current": {"averageUtilization": status_v1["currentCPUUtilizationPercentage"]},
                },
            }
        ]
    if METRIC_STATUSES_ANNOTATION in annotations:
        text = annotations.pop(METRIC_STATUSES_ANNOTATION)
        current = _go_unmarshal_list(text, "v1.MetricStatus")
        status["currentMetrics"] = [_metric_status_from_v1(m) for m in current]
    # v1 once applied this default in the controller; the conversion makes it explicit.
    if not metrics:
        metrics = [_cpu_metric(DEFAULT_CPU_UTILIZATION)]
    spec["metrics"] = metrics
    if CONDITIONS_ANNOTATION in annotations:
        text = annotations.pop(CONDITIONS_ANNOTATION)
        conditions = _go_unmarshal_list(text, "v1.HorizontalPodAutoscalerCondition")
        status["conditions"] = [_condition_from_v1(c) for c in conditions]
    if "annotations" in md:
        md["annotations"] = annotations
    out = {key: value for key, value in hpa.items() if key not in ("spec", "status")}
    out["apiVersion"] = "autoscaling/v2"
    out["metadata"] = md
    out["spec"] = spec
    if status:
        out["status"] = status
    return out


def _cpu_metric(utilization: Any) -> dict[str, Any]:
    return {
        "type": "Resource",
        "resource": {
            "name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": utilization},
        },
    }


# -- v2 (stored) -> v1 ------------------------------------------------------------------------


def _resource_metric_to_v1(metric: dict[str, Any], part: str) -> dict[str, Any]:
    """A v2 MetricSpec (``part`` "target") or MetricStatus ("current") as v1 encodes it in
    its annotation: v1 flattens the target or current value into prefixed fields."""
    out: dict[str, Any] = {"type": metric.get("type", "")}
    resource = metric.get("resource")
    if isinstance(resource, dict):
        value = resource.get(part) or {}
        converted: dict[str, Any] = {"name": resource.get("name", "")}
        if value.get("averageUtilization") is not None:
            converted[f"{part}AverageUtilization"] = value["averageUtilization"]
        if value.get("averageValue") is not None:
            converted[f"{part}AverageValue"] = value["averageValue"]
        elif part == "current":
            # currentAverageValue is a Quantity without omitempty: "0" when unset.
            converted["currentAverageValue"] = "0"
        out["resource"] = converted
    return out


def _condition_to_v1(condition: dict[str, Any]) -> dict[str, Any]:
    out = {
        "type": condition.get("type", ""),
        "status": condition.get("status", ""),
        "lastTransitionTime": condition.get("lastTransitionTime"),
    }
    if condition.get("reason"):
        out["reason"] = condition["reason"]
    if condition.get("message"):
        out["message"] = condition["message"]
    return out


def to_v1(hpa: dict[str, Any]) -> dict[str, Any]:
    """``Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler``."""
    spec_v2 = hpa.get("spec") or {}
    status_v2 = hpa.get("status") or {}
    metrics = list(spec_v2.get("metrics") or [])
    spec: dict[str, Any] = {"scaleTargetRef": spec_v2.get("scaleTargetRef") or {}}
    if spec_v2.get("minReplicas") is not None:
        spec["minReplicas"] = spec_v2["minReplicas"]
    spec["maxReplicas"] = spec_v2.get("maxReplicas", 0)
    for metric in metrics:
        cpu = _cpu_resource(metric)
        if cpu is not None:
            utilization = (cpu.get("target") or {}).get("averageUtilization")
            if utilization is not None:
                spec["targetCPUUtilizationPercentage"] = utilization
            break
    status: dict[str, Any] = {
        field: status_v2[field]
        for field in ("observedGeneration", "lastScaleTime")
        if status_v2.get(field) is not None
    }
    # Two int32 fields without omitempty.
    status["currentReplicas"] = status_v2.get("currentReplicas") or 0
    status["desiredReplicas"] = status_v2.get("desiredReplicas") or 0
    current_metrics = list(status_v2.get("currentMetrics") or [])
    for metric in current_metrics:
        cpu = _cpu_resource(metric)
        utilization = (cpu.get("current") or {}).get("averageUtilization") if cpu else None
        if utilization is not None:
            status["currentCPUUtilizationPercentage"] = utilization
    others = [metric for metric in metrics if not _is_cpu_utilization(metric)]
    conditions = list(status_v2.get("conditions") or [])
    md = dict(hpa.get("metadata") or {})
    if others or current_metrics or conditions:
        annotations = dict(md.get("annotations") or {})
        if others:
            annotations[METRIC_SPECS_ANNOTATION] = _go_json(
                [_resource_metric_to_v1(m, "target") for m in others]
            )
        if current_metrics:
            annotations[METRIC_STATUSES_ANNOTATION] = _go_json(
                [_resource_metric_to_v1(m, "current") for m in current_metrics]
            )
        if conditions:
            annotations[CONDITIONS_ANNOTATION] = _go_json([_condition_to_v1(c) for c in conditions])
        md["annotations"] = annotations
    out = {key: value for key, value in hpa.items() if key not in ("spec", "status")}
    out["apiVersion"] = "autoscaling/v1"
    out["metadata"] = md
    out["spec"] = spec
    out["status"] = status
    return out


AUTOSCALING_V1 = ServedVersion(
    version="v1", schema=HORIZONTAL_POD_AUTOSCALER_V1, to_storage=to_v2, from_storage=to_v1
)
