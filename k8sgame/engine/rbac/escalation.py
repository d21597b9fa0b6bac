"""Escalation prevention: a user may write a Role or ClusterRole only with rules it already
holds, and a binding only to a role whose rules it already holds, unless it may
``escalate`` the role or ``bind`` the role it names (``pkg/registry/rbac``: the policybased
storages, ``escalation_check.go``, ``validation/rule.go`` ``ConfirmNoEscalation`` and
``validation/policy_comparator.go`` ``Covers``). ``system:masters`` is never checked.

``prevent_escalation`` is the RBAC kinds' ``write_guard``: the API server calls it before
their writes. The comparison itself is pure functions over rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from k8sgame.engine.apiserver.authorizer import Attributes, Decision, UserRules, Verdict
from k8sgame.engine.apiserver.identity import MASTERS_GROUP, UserInfo
from k8sgame.engine.errors import forbidden_error, go_quoted_list, not_found
from k8sgame.engine.rbac.authorizer import aggregate_errors
from k8sgame.engine.store import Store

Rule = Mapping[str, Any]
ALL = "*"

# ``fullAuthority``: what setting an aggregationRule needs.
FULL_AUTHORITY: tuple[dict[str, list[str]], ...] = (
    {"verbs": [ALL], "apiGroups": [ALL], "resources": [ALL]},
    {"verbs": [ALL], "nonResourceURLs": [ALL]},
)


def _strings(rule: Rule, field: str) -> list[str]:
    return [str(v) for v in rule.get(field) or []]


def breakdown(rule: Rule) -> list[dict[str, list[str]]]:
    """``BreakdownRule``: one rule per group, resource, verb (and name), then one per
    non-resource URL and verb."""
    out: list[dict[str, list[str]]] = []
    names = _strings(rule, "resourceNames")
    for group in _strings(rule, "apiGroups"):
        for resource in _strings(rule, "resources"):
            for verb in _strings(rule, "verbs"):
                base = {"verbs": [verb], "apiGroups": [group], "resources": [resource]}
                if names:
                    out.extend({**base, "resourceNames": [name]} for name in names)
                else:
                    out.append(base)
    for url in _strings(rule, "nonResourceURLs"):
        for verb in _strings(rule, "verbs"):
            out.append({"verbs": [verb], "nonResourceURLs": [url]})
    return out


def _has_all(owned: list[str], wanted: list[str]) -> bool:
    return set(wanted) <= set(owned)


def _resources_covered(owned: list[str], wanted: list[str]) -> bool:
    """``resourceCoversAll``: ``*``, the same names, or ``*/sub`` for subresources."""
    if ALL in owned or _has_all(owned, wanted):
        return True
    for resource in wanted:
        if "/" not in resource:
            return False
        if "*/" + resource.split("/", 1)[1] not in owned:
            return False
    return True


def _url_covered(owned: str, wanted: str) -> bool:
    return owned == wanted or (owned.endswith("*") and wanted.startswith(owned.rstrip("*")))


def _urls_covered(owned: list[str], wanted: list[str]) -> bool:
    return all(any(_url_covered(o, w) for o in owned) for w in wanted)


def rule_covers(owner: Rule, sub: Rule) -> bool:
    """``ruleCovers``: the owner rule grants everything the (broken-down) rule does."""
    verbs, groups = _strings(owner, "verbs"), _strings(owner, "apiGroups")
    owner_names, sub_names = _strings(owner, "resourceNames"), _strings(sub, "resourceNames")
    if sub_names:
        names_ok = not owner_names or _has_all(owner_names, sub_names)
    else:
        names_ok = not owner_names
    return (
        (ALL in verbs or _has_all(verbs, _strings(sub, "verbs")))
        and (ALL in groups or _has_all(groups, _strings(sub, "apiGroups")))
        and _resources_covered(_strings(owner, "resources"), _strings(sub, "resources"))
        and names_ok
        and _urls_covered(_strings(owner, "nonResourceURLs"), _strings(sub, "nonResourceURLs"))
    )


def uncovered(owner_rules: Sequence[Rule], rules: Sequence[Rule]) -> list[dict[str, list[str]]]:
    """``Covers``: the broken-down rules no owner rule covers."""
    return [
        sub
        for rule in rules
        for sub in breakdown(rule)
        if not any(rule_covers(owner, sub) for owner in owner_rules)
    ]


def _simple_key(rule: Mapping[str, list[str]]) -> tuple[str, str, str] | None:
    """``isSimpleResourceRule``: one group, one resource, at most one name, no URLs."""
    if len(rule.get("resourceNames") or []) > 1 or rule.get("nonResourceURLs"):
        return None
    groups, resources = rule.get("apiGroups") or [], rule.get("resources") or []
    if len(groups) != 1 or len(resources) != 1:
        return None
    names = rule.get("resourceNames") or []
    return (groups[0], resources[0], names[0] if names else "\0")


def compact(rules: list[dict[str, list[str]]]) -> list[dict[str, list[str]]]:
    """``CompactRules``: simple rules on the same resource (and name) become one, verbs in
    the order met."""
    out: list[dict[str, list[str]]] = []
    simple: dict[tuple[str, str, str], dict[str, list[str]]] = {}
    for rule in rules:
        key = _simple_key(rule)
        if key is None:
            out.append(rule)
        elif key in simple:
            simple[key]["verbs"] = [*simple[key]["verbs"], *rule["verbs"]]
        else:
            simple[key] = {k: list(v) for k, v in rule.items()}
    return out + list(simple.values())


def compact_string(rule: Mapping[str, list[str]]) -> str:
    """``CompactString``: ``{APIGroups:[""], Resources:["pods"], Verbs:["get"]}``."""
    parts = []
    for field, label in (
        ("apiGroups", "APIGroups"),
        ("resources", "Resources"),
        ("nonResourceURLs", "NonResourceURLs"),
        ("resourceNames", "ResourceNames"),
        ("verbs", "Verbs"),
    ):
        values = rule.get(field) or []
        if values:
            parts.append(f"{label}:{go_quoted_list(list(values))}")
    return "{" + ", ".join(parts) + "}"


def escalation_error(
    user: str,
    groups: Sequence[str],
    owner_rules: Sequence[Rule],
    rules: Sequence[Rule],
    resolution_errors: Sequence[str] = (),
) -> str:
    """``ConfirmNoEscalation``: "" when the user holds every rule, else the message."""
    missing = uncovered(owner_rules, rules)
    if not missing:
        return ""
    described = sorted({compact_string(rule) for rule in compact(missing)})
    message = (
        f'user "{user}" (groups={go_quoted_list(list(groups))}) is attempting to grant RBAC '
        "permissions not currently held:\n" + "\n".join(described)
    )
    if resolution_errors:
        # One aggregate error in a list: ``[e]``, or ``[[e1, e2]]`` for several.
        message += f"; resolution errors: [{aggregate_errors(resolution_errors)}]"
    return message


class RuleHolder(Protocol):
    """What the check asks the API server: its authorizer chain, the rules it lists for a
    user, and the stored objects."""

    store: Store

    def authorize(self, attrs: Attributes) -> Verdict: ...

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules: ...


def _only_gc_fields_change(new: dict[str, Any], old: dict[str, Any]) -> bool:
    """``IsOnlyMutatingGCFields``: nothing but owner references and finalizers differ."""

    def without_gc(obj: dict[str, Any]) -> dict[str, Any]:
        md = {
            k: v
            for k, v in (obj.get("metadata") or {}).items()
            if k not in ("ownerReferences", "finalizers", "resourceVersion", "managedFields")
        }
        return {**obj, "metadata": md}

    return without_gc(new) == without_gc(old)


def _missing(server: RuleHolder, user: UserInfo, namespace: str, rules: list[Any]) -> str:
    held = server.rules_for(user, namespace)
    return escalation_error(
        user.name,
        user.groups,
        [*held.resource_rules, *held.non_resource_rules],
        rules,
        held.errors,
    )


def _confirm(
    server: RuleHolder, user: UserInfo, namespace: str, rules: list[Any], info: Any, name: str
) -> None:
    message = _missing(server, user, namespace, rules)
    if message:
        raise forbidden_error(f'{info.plural}.{info.group} "{name}" is forbidden: {message}')


def prevent_escalation(server: RuleHolder, request: Any, info: Any, new: dict[str, Any]) -> None:
    """The RBAC storages' check before a create or update (``policybased`` storages): a
    role's rules, or the rules of the role a binding names, must already be held, unless
    the user may ``escalate`` that role or ``bind`` the named one. Raises the 403 (or the
    404 of a binding's missing role); ``system:masters`` is never held back."""
    user: UserInfo = request.user
    if MASTERS_GROUP in user.groups:
        return  # EscalationAllowed: the loopback and system:masters
    md = new.get("metadata") or {}
    name = str(md.get("name") or request.name)
    namespace = request.namespace if info.namespaced else ""
    if info.namespaced and not namespace:
        namespace = str(md.get("namespace") or "default")
    if request.verb != "create":
        old = server.store.peek(info.kind, name, namespace)
        if old is not None and _only_gc_fields_change(new, old):
            return
    if info.kind in ("Role", "ClusterRole"):
        # RoleEscalationAuthorized asks with the request's name: none on a create.
        escalate = Attributes(
            user, "escalate", namespace, info.group, info.plural, "", request.name
        )
        if server.authorize(escalate).decision is Decision.ALLOW:
            return
        _confirm(server, user, namespace, list(new.get("rules") or []), info, name)
        if info.kind == "ClusterRole" and new.get("aggregationRule") is not None:
            if _missing(server, user, namespace, list(FULL_AUTHORITY)):
                raise forbidden_error(
                    f'{info.plural}.{info.group} "{name}" is forbidden: must have '
                    "cluster-admin privileges to use the aggregationRule"
                )
        return
    ref = new.get("roleRef") or {}
    ref_kind, ref_name = str(ref.get("kind") or ""), str(ref.get("name") or "")
    ref_resource = {"ClusterRole": "clusterroles", "Role": "roles"}.get(ref_kind)
    if ref_resource is None:
        return  # validation refuses it
    bind = Attributes(
        user, "bind", namespace, str(ref.get("apiGroup") or ""), ref_resource, "", ref_name
    )
    if server.authorize(bind).decision is Decision.ALLOW:
        return
    role = server.store.peek(ref_kind, ref_name, namespace if ref_kind == "Role" else "")
    if role is None:
        raise not_found(ref_resource, info.group, ref_name)
    _confirm(server, user, namespace, list(role.get("rules") or []), info, name)
