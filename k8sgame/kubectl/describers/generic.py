"""The generic describer (``kubectl/pkg/describe/describe.go``: ``genericDescriber``,
``printUnstructuredContent``, ``smartLabelFor``), used for kinds without a describer of
their own. ``kubectl describe event`` goes through it: Event has no entry in kubectl's
describer map, so an event prints as its fields, then the events about the event."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import annotations_multiline, finish, labels_multiline

# describe.go: smartLabelFor's commonAcronyms
COMMON_ACRONYMS = ("API", "URL", "UID", "GUID")
SKIPPED = (
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
)


def _char_class(char: str) -> int:
    if char.islower():
        return 1
    if char.isupper():
        return 2
    if char.isdigit():
        return 3
    return 4


def camelcase_split(text: str) -> list[str]:
    """``github.com/fatih/camelcase.Split``: runs of one character class, with an upper-case
    run's last letter moved to a following lower-case run (``PDFLoader`` -> PDF, Loader)."""
    runs: list[list[str]] = []
    last = 0
    for char in text:
        kind = _char_class(char)
        if runs and kind == last:
            runs[-1].append(char)
        else:
            runs.append([char])
        last = kind
    for i in range(len(runs) - 1):
        if runs[i] and runs[i][0].isupper() and runs[i + 1] and runs[i + 1][0].islower():
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(run) for run in runs if run]


def smart_label(field: str) -> str:
    """``smartLabelFor``: ``apiVersion`` -> ``API Version``, ``uid`` -> ``UID``; a name with
    characters other than letters and ``-`` is kept as it is."""
    if any(not (c.isalpha() or c == "-") for c in field):
        return field
    parts = camelcase_split(field)
    merged: list[str] = []
    i = 0
    while i < len(parts):
        part = parts[i]
        if (
            i < len(parts) - 1
            and len(part) >= 2
            and all(not c.isalpha() or c.isupper() for c in part)
            and parts[i + 1][:1].isupper()
        ):
            merged.append(part + parts[i + 1])
            i += 2
            continue
        merged.append(part)
        i += 1
    words = []
    for part in merged:
        if part == "_":
            continue
        if part.upper() in COMMON_ACRONYMS:
            part = part.upper()
        elif part.lower() == part:
            part = part[:1].upper() + part[1:]
        words.append(part)
    return " ".join(words)


def go_value(value: Any) -> str:
    """Go's ``%v`` for a decoded JSON scalar."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e6:
            return str(int(value))
        digits = Decimal(repr(value)).normalize()
        exponent = digits.adjusted()
        if -4 <= exponent < 6:
            return format(digits, "f")
        mantissa = digits.scaleb(-exponent).normalize()
        return f"{format(mantissa, 'f')}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"
    return str(value)


def print_content(content: dict[str, Any], level: int, prefix: str, out: list[str]) -> None:
    """``printUnstructuredContent``: fields sorted; maps and lists open a ``Label:`` line and
    nest one level (two spaces) deeper; scalars print as ``Label:\\tvalue``."""
    indent = "  " * level
    for field in sorted(content):
        value = content[field]
        path = f"{prefix}.{field}"
        if path in SKIPPED:
            continue
        if isinstance(value, dict):
            out.append(f"{indent}{smart_label(field)}:")
            print_content(value, level + 1, path, out)
        elif isinstance(value, list):
            out.append(f"{indent}{smart_label(field)}:")
            for child in value:
                if isinstance(child, dict):
                    print_content(child, level + 1, path, out)
                else:
                    out.append(f"{indent}  {go_value(child)}")
        else:
            out.append(f"{indent}{smart_label(field)}:\t{go_value(value)}")


def describe_generic(obj: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, namespace, labels, annotations, every other field, then the object's events."""
    md = obj.get("metadata") or {}
    out = [f"Name:\t{md.get('name', '')}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    print_content(obj, 0, "", out)
    return finish(out, ctx.search_events(obj, obj.get("kind")), ctx.now)
