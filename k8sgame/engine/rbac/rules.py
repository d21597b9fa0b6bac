"""One RBAC PolicyRule against one request, as ``plugin/pkg/auth/authorizer/rbac``
``RuleAllows`` and ``pkg/apis/rbac/v1/evaluation_helpers.go`` decide it.

A resource request matches when the verb, the API group, the resource (``pods``, or
``pods/log`` with its subresource; ``*`` all, ``*/log`` that subresource of anything) and
the name (an empty ``resourceNames`` means every name) all match. A non-resource request
(``/healthz``) matches on the verb and the URL (``*`` all, the exact path, or a prefix
when the rule ends with ``*``). Nothing is case-folded: ``Get`` is not ``get``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sgame.engine.apiserver.authorizer import Attributes

ALL = "*"


def _strings(rule: Mapping[str, Any], field: str) -> list[str]:
    return [str(v) for v in rule.get(field) or []]


def verb_matches(rule: Mapping[str, Any], verb: str) -> bool:
    return any(v in (ALL, verb) for v in _strings(rule, "verbs"))


def api_group_matches(rule: Mapping[str, Any], group: str) -> bool:
    return any(g in (ALL, group) for g in _strings(rule, "apiGroups"))


def resource_matches(rule: Mapping[str, Any], combined: str, subresource: str) -> bool:
    for resource in _strings(rule, "resources"):
        if resource in (ALL, combined):
            return True
        if subresource and resource == f"*/{subresource}":
            return True
    return False


def resource_name_matches(rule: Mapping[str, Any], name: str) -> bool:
    names = _strings(rule, "resourceNames")
    return not names or name in names


def non_resource_url_matches(rule: Mapping[str, Any], path: str) -> bool:
    for url in _strings(rule, "nonResourceURLs"):
        if url in (ALL, path):
            return True
        if url.endswith("*") and path.startswith(url.rstrip("*")):
            return True
    return False


def rule_allows(attributes: Attributes, rule: Mapping[str, Any]) -> bool:
    """``RuleAllows``."""
    if attributes.resource_request:
        return (
            verb_matches(rule, attributes.verb)
            and api_group_matches(rule, attributes.api_group)
            and resource_matches(rule, attributes.combined_resource, attributes.subresource)
            and resource_name_matches(rule, attributes.name)
        )
    return verb_matches(rule, attributes.verb) and non_resource_url_matches(rule, attributes.path)
