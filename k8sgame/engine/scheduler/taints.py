"""Taint/toleration matching (``core/v1/toleration.go`` ``ToleratesTaint``, K8S-FACTS §9.7)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_DECIMAL = re.compile(r"^-?(0|[1-9][0-9]*)$")


def tolerates(toleration: dict[str, Any], taint: dict[str, Any]) -> bool:
    """Whether one toleration matches one taint."""
    effect = toleration.get("effect") or ""
    if effect and effect != taint.get("effect"):
        return False
    key = toleration.get("key") or ""
    if key and key != taint.get("key"):
        return False
    operator = toleration.get("operator") or "Equal"
    if operator == "Exists":
        return True
    if operator == "Equal":
        return (toleration.get("value") or "") == (taint.get("value") or "")
    # Lt/Gt need the alpha TaintTolerationComparisonOperators gate, off by default.
    return False


def tolerated(tolerations: Iterable[dict[str, Any]], taint: dict[str, Any]) -> bool:
    return any(tolerates(t, taint) for t in tolerations)


def first_untolerated(
    taints: Iterable[dict[str, Any]], tolerations: list[dict[str, Any]], effects: tuple[str, ...]
) -> dict[str, Any] | None:
    """The first taint with one of ``effects`` that no toleration matches."""
    for taint in taints:
        if taint.get("effect") in effects and not tolerated(tolerations, taint):
            return taint
    return None
