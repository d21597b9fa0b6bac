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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.apiserver.authorizer import Attributes
from k8sgame.engine.rbac.rules import rule_allows

SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:"
RBAC_GROUP = "rbac.authorization.k8s.io"


SubjectKey = tuple[str, str]  # ("User", name) or ("Group", name)


@dataclass(frozen=True)
class Policy:
    """The RBAC objects of a cluster, as the authorizer reads them, with the bindings
    indexed by the users and groups their subjects name (a request looks only at the
    bindings that can apply to it, in the order it would meet them)."""

    roles: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    cluster_roles: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    role_bindings: tuple[Mapping[str, Any], ...] = ()
    cluster_role_bindings: tuple[Mapping[str, Any], ...] = ()
    # Subject -> positions in ``cluster_role_bindings`` / ``role_bindings``.
    cluster_binding_index: Mapping[SubjectKey, tuple[int, ...]] = field(default_factory=dict)
    binding_index: Mapping[SubjectKey, tuple[int, ...]] = field(default_factory=dict)

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
        ordered_bindings = tuple(sorted(bindings, key=by_name))
        ordered_cluster_bindings = tuple(sorted(cluster_bindings, key=by_name))
        return Policy(
            roles,
            cluster_roles,
            ordered_bindings,
            ordered_cluster_bindings,
            _index(ordered_cluster_bindings, namespaced=False),
            _index(ordered_bindings, namespaced=True),
        )


def _subject_key(subject: Mapping[str, Any], namespace: str) -> SubjectKey | None:
    """The user or group a subject names (a service account is its user name)."""
    kind, name = subject.get("kind"), str(subject.get("name") or "")
    if kind in ("User", "Group"):
        return (str(kind), name)
    if kind == "ServiceAccount":
        sa_namespace = str(subject.get("namespace") or namespace)
        return ("User", f"{SERVICE_ACCOUNT_PREFIX}{sa_namespace}:{name}") if sa_namespace else None
    return None


def _index(
    bindings: tuple[Mapping[str, Any], ...], namespaced: bool
) -> dict[SubjectKey, tuple[int, ...]]:
    index: dict[SubjectKey, list[int]] = {}
    for position, binding in enumerate(bindings):
        namespace = str(binding["metadata"].get("namespace") or "") if namespaced else ""
        for subject in binding.get("subjects") or []:
            key = _subject_key(subject, namespace)
            if key is not None:
                positions = index.setdefault(key, [])
                if not positions or positions[-1] != position:
                    positions.append(position)
    return {key: tuple(positions) for key, positions in index.items()}


def _candidates(
    index: Mapping[SubjectKey, tuple[int, ...]], user: str, groups: tuple[str, ...]
) -> list[int]:
    """Positions of the bindings that name the user or one of its groups, in order."""
    found = set(index.get(("User", user), ()))
    for group in groups:
        found.update(index.get(("Group", group), ()))
    return sorted(found)


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


def _subject_for(
    binding: Mapping[str, Any], user: str, groups: tuple[str, ...], namespace: str
) -> Mapping[str, Any] | None:
    """The first subject of ``binding`` that is the user, or None."""
    for subject in binding.get("subjects") or []:
        if subject_matches(subject, user, groups, namespace):
            return subject
    return None


def _describe_subject(subject: Mapping[str, Any], namespace: str) -> str:
    """``describeSubject``: a service account as ``"name/namespace"``."""
    name = str(subject.get("name") or "")
    if subject.get("kind") == "ServiceAccount":
        name = f"{name}/{subject.get('namespace') or namespace}"
    return f'{subject.get("kind")} "{name}"'


def _describe(binding: Mapping[str, Any], subject: Mapping[str, Any], namespace: str) -> str:
    """The binding a rule came from, as RBAC names it in its reasons
    (``clusterRoleBindingDescriber`` and ``roleBindingDescriber``)."""
    ref = binding.get("roleRef") or {}
    name = str(binding["metadata"]["name"])
    kind = "RoleBinding" if namespace else "ClusterRoleBinding"
    if namespace:
        name = f"{name}/{namespace}"
    return (
        f'{kind} "{name}" of {ref.get("kind")} "{ref.get("name")}" '
        f"to {_describe_subject(subject, namespace)}"
    )


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


@dataclass(frozen=True)
class VisitedRule:
    """One step of ``VisitRulesFor``: a rule and the binding it came from, or the error
    of a binding whose role is missing (``rule`` None)."""

    rule: Mapping[str, Any] | None
    source: str = ""
    error: str = ""


def visit_rules(
    policy: Policy, user: str, groups: tuple[str, ...], namespace: str
) -> Iterator[VisitedRule]:
    """``VisitRulesFor``: each rule the user holds in ``namespace`` ("" : only what
    ClusterRoleBindings grant), ClusterRoleBindings first, each list in name order."""
    for position in _candidates(policy.cluster_binding_index, user, groups):
        binding = policy.cluster_role_bindings[position]
        subject = _subject_for(binding, user, groups, "")
        if subject is None:
            continue
        rules, error = _role_rules(policy, binding.get("roleRef") or {}, "")
        if error:
            yield VisitedRule(None, error=error)
        source = _describe(binding, subject, "")
        for rule in rules:
            yield VisitedRule(rule, source)
    if not namespace:
        return
    for position in _candidates(policy.binding_index, user, groups):
        binding = policy.role_bindings[position]
        if str(binding["metadata"].get("namespace") or "") != namespace:
            continue
        subject = _subject_for(binding, user, groups, namespace)
        if subject is None:
            continue
        rules, error = _role_rules(policy, binding.get("roleRef") or {}, namespace)
        if error:
            yield VisitedRule(None, error=error)
        source = _describe(binding, subject, namespace)
        for rule in rules:
            yield VisitedRule(rule, source)


def rules_for(
    policy: Policy, user: str, groups: tuple[str, ...], namespace: str
) -> tuple[list[Mapping[str, Any]], list[str]]:
    """``RulesFor``: every rule the user holds in ``namespace`` and the errors met."""
    rules: list[Mapping[str, Any]] = []
    errors: list[str] = []
    for visited in visit_rules(policy, user, groups, namespace):
        if visited.rule is None:
            errors.append(visited.error)
        else:
            rules.append(visited.rule)
    return rules, errors


def aggregate_errors(errors: Sequence[str]) -> str:
    """``utilerrors.NewAggregate(...).Error()``: each message once (in order), one alone,
    several in brackets."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def authorize(policy: Policy, attributes: Attributes) -> RbacDecision:
    """``RBACAuthorizer.Authorize``: allowed as soon as one rule allows the request; the
    reason names the binding that allowed it, or the missing roles met on the way."""
    errors: list[str] = []
    user = attributes.user
    for visited in visit_rules(policy, user.name, user.groups, attributes.namespace):
        if visited.rule is None:
            errors.append(visited.error)
        elif rule_allows(attributes, visited.rule):
            return RbacDecision(True, f"RBAC: allowed by {visited.source}")
    if not errors:
        return RbacDecision(False)
    return RbacDecision(False, f"RBAC: {aggregate_errors(errors)}")
