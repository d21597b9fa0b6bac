"""How kubectl shows a HorizontalPodAutoscaler: ``kubectl get hpa``
(``printHorizontalPodAutoscaler``: REFERENCE as Kind/Name, TARGETS as ``cpu: 2%/50%`` with
``<unknown>`` before a metric is read, MINPODS, MAXPODS, REPLICAS) and its describer
(``describeHorizontalPodAutoscalerV2``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    labels_multiline,
    rfc1123z,
)
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _current_of(hpa: dict[str, Any], index: int) -> dict[str, Any] | None:
    statuses = (hpa.get("status") or {}).get("currentMetrics") or []
    if index >= len(statuses):
        return None
    return ((statuses[index] or {}).get("resource") or {}).get("current")


def _targets(hpa: dict[str, Any]) -> str:
    """``formatHPAMetrics`` for Resource metrics."""
    metrics = (hpa.get("spec") or {}).get("metrics") or []
    if not metrics:
        return "<none>"
    cells = []
    for index, metric in enumerate(metrics[:2]):
        source = metric.get("resource") or {}
        target = source.get("target") or {}
        current = _current_of(hpa, index) or {}
        if target.get("type") == "Utilization":
            now = current.get("averageUtilization")
            wanted = target.get("averageUtilization")
            cells.append(
                f"{source.get('name')}: {'<unknown>' if now is None else f'{now}%'}/"
                f"{'<auto>' if wanted is None else f'{wanted}%'}"
            )
        else:
            cells.append(
                f"{source.get('name')}: {current.get('averageValue', '<unknown>')}/"
                f"{target.get('averageValue') or target.get('value')}"
            )
    text = ", ".join(cells)
    if len(metrics) > 2:
        text += f" + {len(metrics) - 2} more..."
    return text


def _columns(hpa: dict[str, Any], now: float) -> list[str]:
    spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    minimum = spec.get("minReplicas")
    return [
        hpa["metadata"]["name"],
        f"{ref.get('kind', '')}/{ref.get('name', '')}",
        _targets(hpa),
        "<unset>" if minimum is None else str(minimum),
        str(spec.get("maxReplicas", 0)),
        str(int(status.get("currentReplicas") or 0)),
        age(hpa, now),
    ]


def describe_horizontal_pod_autoscaler(hpa: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = hpa["metadata"], hpa.get("spec") or {}, hpa.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}")
    out.append(f"Reference:\t{ref.get('kind', '')}/{ref.get('name', '')}")
    out.append("Metrics:\t( current / target )")
    for index, metric in enumerate(spec.get("metrics") or []):
        source = metric.get("resource") or {}
        target = source.get("target") or {}
        current = _current_of(hpa, index)
        if target.get("type") == "Utilization":
            now = "<unknown>"
            if current is not None and current.get("averageUtilization") is not None:
                now = f"{current['averageUtilization']}% ({current.get('averageValue', '')})"
            wanted = target.get("averageUtilization")
            out.append(
                f"  resource {source.get('name')} on pods  (as a percentage of request):\t{now} / "
                f"{'<auto>' if wanted is None else f'{wanted}%'}"
            )
        else:
            now = (current or {}).get("averageValue", "<unknown>")
            out.append(
                f"  resource {source.get('name')} on pods:\t{now} / "
                f"{target.get('averageValue') or target.get('value')}"
            )
    minimum = spec.get("minReplicas")
    out.append(f"Min replicas:\t{'<unset>' if minimum is None else minimum}")
    out.append(f"Max replicas:\t{spec.get('maxReplicas', 0)}")
    out.append(
        f"{ref.get('kind', '')} pods:\t{int(status.get('currentReplicas') or 0)} current / "
        f"{int(status.get('desiredReplicas') or 0)} desired"
    )
    conditions = status.get("conditions") or []
    if conditions:
        out.append("Conditions:")
        out.append("  Type\tStatus\tReason\tMessage")
        out.append("  ----\t------\t------\t-------")
        out.extend(
            f"  {c.get('type')}\t{c.get('status')}\t{c.get('reason')}\t{c.get('message')}"
            for c in conditions
        )
    return finish(out, ctx.search_events(hpa, "HorizontalPodAutoscaler"), ctx.now)


VIEW = KindView(
    "HorizontalPodAutoscaler",
    TableSpec(("NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"), _columns),
    describe_horizontal_pod_autoscaler,
)
