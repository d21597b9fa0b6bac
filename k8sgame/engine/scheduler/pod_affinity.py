"""Inter-pod affinity and anti-affinity terms (``interpodaffinity`` plugin).

A term selects pods by labels in some namespaces (the pod's own by default, or
``namespaces``/``namespaceSelector``) and names a topology key; two nodes are in the same
domain when both carry the key with equal values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.labels import Selector, SelectorError, from_label_selector


@dataclass(frozen=True)
class AffinityTerm:
    selector: Selector
    namespaces: frozenset[str] | None  # None: every namespace (empty namespaceSelector)
    topology_key: str
    weight: int = 0

    def matches(self, labels: dict[str, str], namespace: str) -> bool:
        if self.namespaces is not None and namespace not in self.namespaces:
            return False
        return self.selector.matches(labels)


def _term(raw: dict[str, Any], own_namespace: str, weight: int = 0) -> AffinityTerm | None:
    try:
        selector = from_label_selector(raw.get("labelSelector"))
    except SelectorError:
        return None
    namespaces: frozenset[str] | None = frozenset(raw.get("namespaces") or [])
    ns_selector = raw.get("namespaceSelector")
    if ns_selector is not None and not (
        ns_selector.get("matchLabels") or ns_selector.get("matchExpressions")
    ):
        namespaces = None  # an empty namespaceSelector means all namespaces
    elif not namespaces and ns_selector is None:
        namespaces = frozenset({own_namespace})
    return AffinityTerm(selector, namespaces, str(raw.get("topologyKey") or ""), weight)


def required_terms(spec: dict[str, Any], namespace: str, kind: str) -> list[AffinityTerm]:
    """Required terms of ``podAffinity`` or ``podAntiAffinity`` (``kind``)."""
    section = (spec.get("affinity") or {}).get(kind) or {}
    terms = []
    for raw in section.get("requiredDuringSchedulingIgnoredDuringExecution") or []:
        term = _term(raw, namespace)
        if term is not None:
            terms.append(term)
    return terms


def preferred_terms(spec: dict[str, Any], namespace: str, kind: str) -> list[AffinityTerm]:
    section = (spec.get("affinity") or {}).get(kind) or {}
    terms = []
    for raw in section.get("preferredDuringSchedulingIgnoredDuringExecution") or []:
        term = _term(raw.get("podAffinityTerm") or {}, namespace, int(raw.get("weight") or 0))
        if term is not None:
            terms.append(term)
    return terms


def has_pod_affinity(spec: dict[str, Any]) -> bool:
    affinity = spec.get("affinity") or {}
    return bool(affinity.get("podAffinity") or affinity.get("podAntiAffinity"))
