"""Node selection by labels: ``nodeSelector`` and node affinity terms (K8S-FACTS §9.8).

Terms are ORed, expressions inside a term ANDed; an empty term list or a term with no
expressions matches nothing. ``Gt``/``Lt`` compare base-10 int64 values; ``matchFields``
supports only ``metadata.name``.
"""

from __future__ import annotations

import re
from typing import Any

_INT = re.compile(r"^[+-]?[0-9]+$")


def _requirement_matches(req: dict[str, Any], value: str | None) -> bool:
    operator = req.get("operator")
    values = [str(v) for v in req.get("values") or []]
    if operator == "In":
        return value is not None and value in values
    if operator == "NotIn":
        return value is None or value not in values
    if operator == "Exists":
        return value is not None
    if operator == "DoesNotExist":
        return value is None
    if operator in ("Gt", "Lt"):
        if value is None or len(values) != 1 or not _INT.match(value) or not _INT.match(values[0]):
            return False
        have, want = int(value), int(values[0])
        return have > want if operator == "Gt" else have < want
    return False


def term_matches(term: dict[str, Any], node: dict[str, Any]) -> bool:
    expressions = term.get("matchExpressions") or []
    fields = term.get("matchFields") or []
    if not expressions and not fields:
        return False
    labels = node["metadata"].get("labels") or {}
    for req in expressions:
        if not _requirement_matches(req, labels.get(req.get("key", ""))):
            return False
    for req in fields:
        if req.get("key") != "metadata.name":
            return False
        if not _requirement_matches(req, node["metadata"]["name"]):
            return False
    return True


def required_terms(spec: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The required node selector terms, or None when the pod has none."""
    required = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "requiredDuringSchedulingIgnoredDuringExecution"
    )
    if required is None:
        return None
    return list(required.get("nodeSelectorTerms") or [])


def matches_node_selector_and_affinity(spec: dict[str, Any], node: dict[str, Any]) -> bool:
    """``nodeSelector`` AND required node affinity (NodeAffinity filter)."""
    labels = node["metadata"].get("labels") or {}
    for key, value in (spec.get("nodeSelector") or {}).items():
        if labels.get(key) != str(value):
            return False
    terms = required_terms(spec)
    if terms is None:
        return True
    return any(term_matches(term, node) for term in terms)


def preferred_score(spec: dict[str, Any], node: dict[str, Any]) -> int:
    """Sum of the weights of matching preferred terms (NodeAffinity score, before normalizing)."""
    preferred = ((spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "preferredDuringSchedulingIgnoredDuringExecution"
    ) or []
    total = 0
    for entry in preferred:
        weight = int(entry.get("weight") or 0)
        if weight and term_matches(entry.get("preference") or {}, node):
            total += weight
    return total


def name_restriction(spec: dict[str, Any]) -> set[str] | None:
    """Nodes allowed by ``matchFields metadata.name In`` in every term (NodeAffinity PreFilter).

    Upstream narrows the candidate set only when each term names nodes this way; other nodes
    then report ``node(s) didn't satisfy plugin(s) [NodeAffinity]`` (K8S-FACTS §13).
    """
    terms = required_terms(spec)
    if not terms:
        return None
    allowed: set[str] = set()
    for term in terms:
        names = None
        for req in term.get("matchFields") or []:
            if req.get("key") == "metadata.name" and req.get("operator") == "In":
                names = set(req.get("values") or [])
        if names is None:
            return None
        allowed |= names
    return allowed
