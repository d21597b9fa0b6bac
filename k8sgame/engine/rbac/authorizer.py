"""The RBAC authorizer: which bindings apply to a user, what their roles grant, the
decision for one request and the API server's words when it is refused.

From ``plugin/pkg/auth/authorizer/rbac/rbac.go`` and ``pkg/registry/rbac/validation/rule.go``
(``VisitRulesFor``, ``appliesToUser``):

* every ClusterRoleBinding whose subjects include the user grants its ClusterRole's rules
  everywhere; a RoleBinding grants its Role's (or ClusterRole's) rules only in its own
  namespace, so never cluster-scoped resources or non-resource URLs;
* a subject is a User (the exact name: ``*`` is no wildcard), a Group the user is in, or a
  ServiceAccount (the user ``system:serviceaccount:<ns>:<name>``; a RoleBinding's subject
  without a namespace means the binding's);
* the request is allowed when any rule allows it (RBAC only adds; nothing denies). A role
  that does not exist grants nothing, and its absence is named in the refusal
  (``RBAC: role.rbac.authorization.k8s.io "x" not found``).

The refusal's text is ``apiserver.authorizer.forbidden_message`` with the reason given here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.apiserver.authorizer import Attributes
from k8sgame.engine.rbac.rules import rule_allows

SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"
RBAC_GROUP = "rbac.authorization.k8s.io"


@dataclass(frozen=True)
class Policy:
    """The RBAC objects of a cluster, as the authorizer reads them."""

    roles: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    cluster_roles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    role_bindings: tuple[Mapping[str, Any], ...] = ()
    cluster_role_bindings: tuple[Mapping[str, Any], ...] = ()

    @staticmethod
    def of(objects: Iterable[Mapping[str, Any]]) -> Policy:
        """A policy from stored Roles, ClusterRoles and their bindings (any order)."""
        roles: dict[tuple[str, str], Mapping[str, Any]] = {}
        cluster_roles: dict[str, Mapping[str, Any]] = {}
        bindings: list[Mapping[str, Any]] = []
        cluster_bindings: list[Mapping[str, Any]] = []
        for obj in objects:
            md = obj.get("metadata") or {}
            kind = obj.get("kind")
            if kind == "Role":
                roles[(str(md.get("namespace") or ""), str(md.get("name")))] = obj
            elif kind == "ClusterRole":
                cluster_roles[str(md.get("name"))] = obj
            elif kind == "RoleBinding":
                bindings.append(obj)
            elif kind == "ClusterRoleBinding":
                cluster_bindings.append(obj)
        by_name = lambda o: (str(o["metadata"].get("namespace") or ""), str(o["metadata"]["name"]))  # noqa: E731
        return Policy(
            roles,
            cluster_roles,
            tuple(sorted(bindings, key=by_name)),
            tuple(sorted(cluster_bindings, key=by_name)),
        )


@dataclass(frozen=True)
class RbacDecision:
    """Allowed or not, and the reason the refusal carries (errors met on the way)."""

    allowed: bool
    reason: str = ""


def subject_matches(
    subject: Mapping[str, Any], user: str, groups: tuple[str, ...], namespace: str
) -> bool:
    """``appliesToUser``; ``namespace`` is the RoleBinding's ("" for a ClusterRoleBinding)."""
    kind, name = subject.get("kind"), str(subject.get("name") or "")
    if kind == "User":
        return user == name
    if kind == "Group":
        return name in groups
    if kind == "ServiceAccount":
        sa_namespace = str(subject.get("namespace") or namespace)
        return bool(sa_namespace) and user == f"{SERVICE_ACCOUNT_PREFIX}{sa_namespace}:{name}"
    return False


def _applies(
    binding: Mapping[str, Any], user: str, groups: tuple[str, ...], namespace: str
) -> bool:
    return any(subject_matches(s, user, groups, namespace) for s in binding.get("subjects") or [])


def _role_rules(
    policy: Policy, ref: Mapping[str, Any], namespace: str
) -> tuple[list[Mapping[str, Any]], str]:
    """``GetRoleReferenceRules``: the rules of the role a binding names, or the error."""
    name = str(ref.get("name") or "")
    if ref.get("kind") == "ClusterRole":
        role = policy.cluster_roles.get(name)
        if role is None:
            return [], f'clusterrole.{RBAC_GROUP} "{name}" not found'
    elif ref.get("kind") == "Role" and namespace:
        role = policy.roles.get((namespace, name))
        if role is None:
            return [], f'role.{RBAC_GROUP} "{name}" not found'
    else:
        return [], f"unsupported role reference kind: {ref.get('kind')!r}"
    return list(role.get("rules") or []), ""


def visit_rules(
    policy: Policy, user: str, groups: tuple[str, ...], namespace: str
) -> Iterator[tuple[Mapping[str, Any] | None, str]]:
    """``VisitRulesFor``: each rule the user holds in ``namespace`` ("" : only what
    ClusterRoleBindings grant), or ``(None, error)`` for a role that is not there."""
    for binding in policy.cluster_role_bindings:
        if _applies(binding, user, groups, ""):
            rules, error = _role_rules(policy, binding.get("roleRef") or {}, "")
            if error:
                yield None, error
            for rule in rules:
                yield rule, ""
    if not namespace:
        return
    for binding in policy.role_bindings:
        if str(binding["metadata"].get("namespace") or "") != namespace:
            continue
        if _applies(binding, user, groups, namespace):
            rules, error = _role_rules(policy, binding.get("roleRef") or {}, namespace)
            if error:
                yield None, error
            for rule in rules:
                yield rule, ""


def authorize(policy: Policy, attributes: Attributes) -> RbacDecision:
    """``RBACAuthorizer.Authorize``: allowed as soon as one rule allows the request."""
    errors: list[str] = []
    user = attributes.user
    for rule, error in visit_rules(policy, user.name, user.groups, attributes.namespace):
        if rule is None:
            errors.append(error)
        elif rule_allows(attributes, rule):
            return RbacDecision(True)
    if not errors:
        return RbacDecision(False)
    joined = errors[0] if len(errors) == 1 else "[" + ", ".join(errors) + "]"
    return RbacDecision(False, f"RBAC: {joined}")
