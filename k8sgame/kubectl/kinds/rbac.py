"""How kubectl shows the RBAC kinds.

``kubectl get`` (``printRole``/``printClusterRole``: NAME and CREATED AT, the creation time
in RFC 3339 UTC; ``printRoleBinding``/``printClusterRoleBinding``: NAME, ROLE as
``Kind/name``, AGE, and with ``-o wide`` USERS, GROUPS and SERVICEACCOUNTS, the latter as
``namespace/name``, each joined by ", ").

``kubectl describe`` (``RoleDescriber``/``ClusterRoleDescriber``): no namespace line and no
events; the rules are broken down into one verb, resource and name each
(``rbac.BreakdownRule``), rules differing only in their verb merged again
(``CompactRules``), and sorted by the Go ``String()`` of the rule, which starts with the
verbs. The Resources column writes ``resource.group`` (``CombineResourceGroup``: a
subresource after it, ``pods.apps/log``); the list columns are Go's ``%v`` of a string slice
(``[get list]``, ``[]`` when empty). ``RoleBindingDescriber`` and
``ClusterRoleBindingDescriber`` write the role reference and a Kind/Name/Namespace table of
the subjects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import L1, annotations_multiline, finish, labels_multiline
from k8sgame.kubectl.tables import KindView, TableSpec, age

Rule = dict[str, list[str]]
# The fields of a PolicyRule in their Go order, with their Go names.
_FIELDS = (
    ("verbs", "Verbs"),
    ("apiGroups", "APIGroups"),
    ("resources", "Resources"),
    ("resourceNames", "ResourceNames"),
    ("nonResourceURLs", "NonResourceURLs"),
)


def created_at(obj: dict[str, Any]) -> str:
    """The CREATED AT cell: ``metav1.Time`` formatted as RFC 3339 in UTC."""
    timestamp = obj["metadata"].get("creationTimestamp")
    if not timestamp:
        return "0001-01-01T00:00:00Z"
    moment = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _role_columns(role: dict[str, Any], now: float) -> list[str]:
    return [role["metadata"]["name"], created_at(role)]


def _binding_columns(binding: dict[str, Any], now: float) -> list[str]:
    ref = binding.get("roleRef") or {}
    return [
        binding["metadata"]["name"],
        f"{ref.get('kind') or ''}/{ref.get('name') or ''}",
        age(binding, now),
    ]


def subjects_strings(subjects: list[dict[str, Any]] | None) -> tuple[str, str, str]:
    """``rbac.SubjectsStrings``, joined: users, groups and service accounts."""
    users: list[str] = []
    groups: list[str] = []
    accounts: list[str] = []
    for subject in subjects or []:
        kind, name = subject.get("kind"), str(subject.get("name") or "")
        if kind == "ServiceAccount":
            accounts.append(f"{subject.get('namespace') or ''}/{name}")
        elif kind == "User":
            users.append(name)
        elif kind == "Group":
            groups.append(name)
    return ", ".join(users), ", ".join(groups), ", ".join(accounts)


def _binding_wide(binding: dict[str, Any], now: float) -> list[str]:
    return list(subjects_strings(binding.get("subjects")))


# -- describe --------------------------------------------------------------------------------


def _strings(rule: dict[str, Any], field: str) -> list[str]:
    return [str(v) for v in rule.get(field) or []]


def breakdown_rule(rule: dict[str, Any]) -> list[Rule]:
    """``BreakdownRule``: one rule per group, resource, verb (and resource name), then one per
    non-resource URL and verb."""
    verbs, names = _strings(rule, "verbs"), _strings(rule, "resourceNames")
    out: list[Rule] = []
    for group in _strings(rule, "apiGroups"):
        for resource in _strings(rule, "resources"):
            for verb in verbs:
                base = {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
                if names:
                    out.extend({**base, "resourceNames": [name]} for name in names)
                else:
                    out.append(base)
    for url in _strings(rule, "nonResourceURLs"):
        out.extend({"nonResourceURLs": [url], "verbs": [verb]} for verb in verbs)
    return out


def compact_rules(rules: list[Rule]) -> list[Rule]:
    """``CompactRules``: simple rules (one group, one resource, at most one name) that differ
    only in their verbs become one; the others are kept as they are, first."""
    compacted: list[Rule] = []
    simple: dict[tuple[str, str, str | None], Rule] = {}
    for rule in rules:
        names = rule.get("resourceNames") or []
        if rule.get("nonResourceURLs") or len(names) > 1:
            compacted.append(rule)
            continue
        key = (rule["apiGroups"][0], rule["resources"][0], names[0] if names else None)
        if key in simple:
            merged = simple[key]["verbs"]
            merged.extend(v for v in rule["verbs"] if v not in merged)
        else:
            simple[key] = {k: list(v) for k, v in rule.items()}
    return compacted + list(simple.values())


def go_list(values: list[str] | None) -> str:
    """Go's ``%v`` of a ``[]string``."""
    return "[" + " ".join(values or []) + "]"


def rule_string(rule: Rule) -> str:
    """The generated ``PolicyRule.String()`` the describer sorts by."""
    parts = "".join(f"{go_name}:{go_list(rule.get(name))}," for name, go_name in _FIELDS)
    return "&PolicyRule{" + parts + "}"


def combine_resource_group(resources: list[str] | None, groups: list[str] | None) -> str:
    """``CombineResourceGroup``: the first resource with the first group (``pods.apps``, the
    subresource after it), ``""`` without resources."""
    if not resources:
        return ""
    resource, slash, sub = resources[0].partition("/")
    if groups and groups[0]:
        resource += "." + groups[0]
    return resource + (slash + sub if slash else "")


def policy_rule_lines(rules: list[dict[str, Any]] | None) -> list[str]:
    """The PolicyRule table."""
    broken = [sub for rule in rules or [] if isinstance(rule, dict) for sub in breakdown_rule(rule)]
    compacted = sorted(compact_rules(broken), key=lambda r: rule_string(r).encode())
    out = [
        "PolicyRule:",
        f"{L1}Resources\tNon-Resource URLs\tResource Names\tVerbs",
        f"{L1}---------\t-----------------\t--------------\t-----",
    ]
    for rule in compacted:
        out.append(
            f"{L1}{combine_resource_group(rule.get('resources'), rule.get('apiGroups'))}\t"
            f"{go_list(rule.get('nonResourceURLs'))}\t{go_list(rule.get('resourceNames'))}\t"
            f"{go_list(rule.get('verbs'))}"
        )
    return out


def describe_role(role: dict[str, Any], ctx: DescribeContext) -> str:
    md = role["metadata"]
    out = [f"Name:\t{md['name']}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.extend(policy_rule_lines(role.get("rules")))
    return finish(out, None, ctx.now)


def describe_binding(binding: dict[str, Any], ctx: DescribeContext) -> str:
    md, ref = binding["metadata"], binding.get("roleRef") or {}
    out = [f"Name:\t{md['name']}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append("Role:")
    out.append(f"{L1}Kind:\t{ref.get('kind') or ''}")
    out.append(f"{L1}Name:\t{ref.get('name') or ''}")
    out.append("Subjects:")
    out.append(f"{L1}Kind\tName\tNamespace")
    out.append(f"{L1}----\t----\t---------")
    for subject in binding.get("subjects") or []:
        out.append(
            f"{L1}{subject.get('kind') or ''}\t{subject.get('name') or ''}\t"
            f"{subject.get('namespace') or ''}"
        )
    return finish(out, None, ctx.now)


_ROLE_TABLE = TableSpec(("NAME", "CREATED AT"), _role_columns)
_BINDING_TABLE = TableSpec(
    ("NAME", "ROLE", "AGE"),
    _binding_columns,
    wide_headers=("USERS", "GROUPS", "SERVICEACCOUNTS"),
    wide_row=_binding_wide,
)

ROLE_VIEW = KindView("Role", _ROLE_TABLE, describe_role)
CLUSTER_ROLE_VIEW = KindView("ClusterRole", _ROLE_TABLE, describe_role)
ROLE_BINDING_VIEW = KindView("RoleBinding", _BINDING_TABLE, describe_binding)
CLUSTER_ROLE_BINDING_VIEW = KindView("ClusterRoleBinding", _BINDING_TABLE, describe_binding)
VIEWS = (ROLE_VIEW, CLUSTER_ROLE_VIEW, ROLE_BINDING_VIEW, CLUSTER_ROLE_BINDING_VIEW)
