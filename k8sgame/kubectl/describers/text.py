"""Text helpers shared by the describers (``kubectl/pkg/describe/describe.go``).

Describers build a list of tab-separated lines as the upstream ``PrefixWriter`` writes them
(two spaces per level) and hand them to :func:`finish`, which runs them through Go's
tabwriter (``tabbedString``: minwidth 0, padding 2) and appends the Events section the way
``DescribeEvents`` does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.engine.timefmt import rfc1123z as format_rfc1123z
from k8sgame.kubectl.duration import since
from k8sgame.kubectl.tabwriter import render_text as render

L1, L2, L3 = "  ", "    ", "      "

# describe.go: skipAnnotations = sets.New(corev1.LastAppliedConfigAnnotation)
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# describe.go: maxAnnotationLen
MAX_ANNOTATION_LEN = 140


def rfc1123z(timestamp: str | None) -> str:
    """``Time.Format(time.RFC1123Z)`` in UTC, ``<unset>`` for a missing time."""
    if not timestamp:
        return "<unset>"
    return format_rfc1123z(parse_rfc3339(timestamp))


def escape_terminal(text: str) -> str:
    """``printers.WriteEscaped`` (cli-runtime terminal.go): ESC -> ``^[``, CR -> ``\\r``."""
    return text.replace("\x1b", "^[").replace("\r", "\\r")


def labels_multiline(label: str, values: Mapping[str, str] | None, out: list[str]) -> None:
    """``printLabelsMultiline``: ``key=value`` lines, sorted, ``<none>`` when empty."""
    values = values or {}
    if not values:
        out.append(f"{label}:\t<none>")
        return
    for index, key in enumerate(sorted(values)):
        out.append(f"{label + ':' if index == 0 else ''}\t{key}={values[key]}")


def _shorten(text: str, limit: int) -> str:
    return text[:limit] + "..." if len(text) > limit else text


def annotations_multiline(label: str, values: Mapping[str, str] | None, out: list[str]) -> None:
    """``printAnnotationsMultiline``: ``key: value``; the last-applied annotation is skipped;
    values longer than 140 characters or with newlines go below the key, two spaces in,
    each line cut to 138 characters plus ``...``."""
    keys = sorted(k for k in (values or {}) if k != LAST_APPLIED)
    if not keys:
        out.append(f"{label}:\t<none>")
        return
    text = f"{label}:\t"
    for index, key in enumerate(keys):
        if index:
            text += "\t"
        value = str((values or {})[key]).removesuffix("\n")
        if len(value) + len(key) + 2 > MAX_ANNOTATION_LEN or "\n" in value:
            text += f"{key}:\n"
            for part in value.split("\n"):
                text += f"\t  {_shorten(part, MAX_ANNOTATION_LEN - 2)}\n"
        else:
            text += f"{key}: {value}\n"
    out.extend(text.removesuffix("\n").split("\n"))


def conditions_table(conditions: list[dict[str, Any]] | None, out: list[str]) -> None:
    """The Type/Status/Reason table ReplicaSets, ReplicationControllers and Deployments end
    their describe with (nothing when there are no conditions)."""
    if not conditions:
        return
    out.append(f"Conditions:\n{L1}Type\tStatus\tReason")
    out.append(f"{L1}----\t------\t------")
    out.extend(
        f"{L1}{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}"
        for c in conditions
    )


def format_labels(values: Mapping[str, Any] | None) -> str:
    """``labels.FormatLabels``: ``k=v,k2=v2`` sorted, ``<none>`` when empty."""
    if not values:
        return "<none>"
    return ",".join(f"{k}={values[k]}" for k in sorted(values))


def taint_text(taint: Mapping[str, Any]) -> str:
    """``Taint.ToString`` (k8s.io/api/core/v1/taint.go)."""
    key, value, effect = taint.get("key") or "", taint.get("value") or "", taint.get("effect")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def events_table(events: list[dict[str, Any]], now: float) -> list[str]:
    """``DescribeEvents``: oldest first, ``Age`` with ``(xN over T)`` for repeats. Since
    kubectl 1.35 messages carry the involved object's field path (``spec.containers{web}:``).
    A non-empty table starts with a blank entry: upstream flushes the tabwriter first, so the
    table is aligned on its own (:func:`finish` renders it separately)."""
    if not events:
        return ["Events:\t<none>"]
    ordered = sorted(events, key=lambda e: (e.get("lastTimestamp") or "", e["metadata"]["name"]))
    out = [
        "",
        "Events:",
        f"{L1}Type\tReason\tAge\tFrom\tMessage",
        f"{L1}----\t------\t----\t----\t-------",
    ]
    for event in ordered:
        first = since(event.get("firstTimestamp"), now)
        count = int(event.get("count") or 1)
        age = (
            f"{since(event.get('lastTimestamp'), now)} (x{count} over {first})"
            if count > 1
            else first
        )
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        message = str(event.get("message", "")).strip()
        field_path = (event.get("involvedObject") or {}).get("fieldPath")
        if field_path:
            message = f"{field_path}: {message}"
        out.append(f"{L1}{event.get('type')}\t{event.get('reason')}\t{age}\t{source}\t{message}")
    return out


def finish(out: list[str], events: list[dict[str, Any]] | None, now: float) -> str:
    """``tabbedString`` of the lines, then ``DescribeEvents`` when events were searched
    (``None``: the describer shows no Events section). ``Events:\\t<none>`` is written without
    a flush, so it shares the alignment of the lines just above it."""
    lines = list(out)
    table: list[str] = []
    if events is not None:
        rows = events_table(events, now)
        if events:
            table = rows[1:]
        else:
            lines.extend(rows)
    text = render(escape_terminal("\n".join(lines))) + "\n"
    if table:
        text += render(escape_terminal("\n".join(table))) + "\n"
    return text


def _requirement_text(key: str, operator: str, values: list[str]) -> str:
    """``labels.Requirement.String``: ``k=v``, ``k in (a,b)`` (values sorted), ``k``, ``!k``."""
    if operator == "Exists":
        return key
    if operator == "DoesNotExist":
        return "!" + key
    joined = values[0] if len(values) == 1 else ",".join(sorted(values))
    if operator == "=":
        return f"{key}={joined}"
    return f"{key} {'in' if operator == 'In' else 'notin'} ({joined})"


def format_label_selector(selector: Mapping[str, Any] | None) -> str:
    """``metav1.FormatLabelSelector``: the selector's requirements sorted by key (matchLabels
    as ``k=v``), ``<none>`` for a nil or empty selector, ``<error>`` when it does not
    convert (``LabelSelectorAsSelector``)."""
    if selector is None:
        return "<none>"
    requirements: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        requirements.append((str(key), _requirement_text(str(key), "=", [str(value)])))
    for expr in selector.get("matchExpressions") or []:
        key, operator = str(expr.get("key", "")), expr.get("operator")
        values = [str(v) for v in expr.get("values") or []]
        if operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            return "<error>"
        if (operator in ("In", "NotIn")) != bool(values):
            return "<error>"
        requirements.append((key, _requirement_text(key, str(operator), values)))
    requirements.sort(key=lambda r: r[0])
    return ",".join(text for _, text in requirements) or "<none>"
