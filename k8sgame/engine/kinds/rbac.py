"""The four kinds of rbac.authorization.k8s.io/v1 as stored objects: Role and RoleBinding
(namespaced), ClusterRole and ClusterRoleBinding (cluster-scoped). Who may do what with them
is the authorizer's business (``k8sgame.engine.rbac``); here the API server only defaults,
validates and stores them.

Names (``ValidateRBACName``) need only be usable as one URL path segment, so
``system:controller:foo`` is a valid role name. Defaults (``rbac/v1/defaults.go``): a
binding's ``roleRef.apiGroup`` left empty becomes rbac.authorization.k8s.io; a subject
without an API group gets "" when it is a ServiceAccount and rbac.authorization.k8s.io when
it is a User or a Group. ``rules`` has no ``omitempty`` (a role without rules reads back as
``rules: null``); ``subjects`` does. The strategies set no generation and there is no status.

Validation (``pkg/apis/rbac/validation``): every rule needs verbs; a rule naming
non-resource URLs may name nothing else, and only a ClusterRole's may name them at all;
other rules need API groups and resources. A ClusterRole's ``aggregationRule`` needs at least
one valid label selector. A binding's ``roleRef`` must name a Role or ClusterRole (a
ClusterRoleBinding: a ClusterRole) of this API group, and cannot change after creation.
Subjects are ServiceAccounts (API group "", a DNS-subdomain name, and in a
ClusterRoleBinding a namespace), Users or Groups (API group rbac.authorization.k8s.io)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1123_subdomain
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import STRING, STRING_LIST, ListOf, Struct
from k8sgame.engine.errors import FieldError, GoStruct, invalid, not_supported, required
from k8sgame.engine.kinds.ingress_class import path_segment_problems
from k8sgame.engine.kinds.network_policy import validate_label_selector
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR
from k8sgame.engine.rbac.escalation import prevent_escalation

GROUP = "rbac.authorization.k8s.io"
SERVICE_ACCOUNT, USER, GROUP_KIND = "ServiceAccount", "User", "Group"
SUBJECT_KINDS = (SERVICE_ACCOUNT, USER, GROUP_KIND)

POLICY_RULE = Struct(
    "PolicyRule",
    {
        "verbs": STRING_LIST,
        "apiGroups": STRING_LIST,
        "resources": STRING_LIST,
        "resourceNames": STRING_LIST,
        "nonResourceURLs": STRING_LIST,
    },
)
AGGREGATION_RULE = Struct("AggregationRule", {"clusterRoleSelectors": ListOf(LABEL_SELECTOR)})
SUBJECT = Struct(
    "Subject", {"kind": STRING, "apiGroup": STRING, "name": STRING, "namespace": STRING}
)
ROLE_REF = Struct("RoleRef", {"apiGroup": STRING, "kind": STRING, "name": STRING})

ROLE = Struct(
    "Role",
    {"apiVersion": STRING, "kind": STRING, "metadata": OBJECT_META, "rules": ListOf(POLICY_RULE)},
)
CLUSTER_ROLE = Struct(
    "ClusterRole",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "rules": ListOf(POLICY_RULE),
        "aggregationRule": AGGREGATION_RULE,
    },
)
ROLE_BINDING = Struct(
    "RoleBinding",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "subjects": ListOf(SUBJECT),
        "roleRef": ROLE_REF,
    },
)
CLUSTER_ROLE_BINDING = Struct(
    "ClusterRoleBinding",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "subjects": ListOf(SUBJECT),
        "roleRef": ROLE_REF,
    },
)


# -- defaults --------------------------------------------------------------------------------


def _drop_empty(obj: dict[str, Any], *fields: str) -> None:
    """``omitempty``: an empty list is not written back."""
    for name in fields:
        if name in obj and not obj[name]:
            del obj[name]


def default_role(role: dict[str, Any], ctx: AdmissionContext) -> None:
    """No defaults; ``rules`` is always written (``null`` when absent), the empty lists of a
    rule other than its verbs are not."""
    rules = role.get("rules")
    if not rules:
        role["rules"] = None
        return
    for rule in rules:
        if isinstance(rule, dict):
            _drop_empty(rule, "apiGroups", "resources", "resourceNames", "nonResourceURLs")


def default_cluster_role(role: dict[str, Any], ctx: AdmissionContext) -> None:
    default_role(role, ctx)
    aggregation = role.get("aggregationRule")
    if isinstance(aggregation, dict):
        _drop_empty(aggregation, "clusterRoleSelectors")


def default_binding(binding: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_RoleBinding``/``SetDefaults_ClusterRoleBinding`` and
    ``SetDefaults_Subject``."""
    ref = binding.get("roleRef")
    if not isinstance(ref, dict):
        ref = binding["roleRef"] = {}
    for name in ("apiGroup", "kind", "name"):
        ref.setdefault(name, "")
    if not ref["apiGroup"]:
        ref["apiGroup"] = GROUP
    for subject in binding.get("subjects") or []:
        if not isinstance(subject, dict):
            continue
        subject.setdefault("kind", "")
        subject.setdefault("name", "")
        if not subject.get("apiGroup"):
            subject.pop("apiGroup", None)
            if subject["kind"] in (USER, GROUP_KIND):
                subject["apiGroup"] = GROUP
        if not subject.get("namespace"):
            subject.pop("namespace", None)
    _drop_empty(binding, "subjects")


# -- validation ------------------------------------------------------------------------------


def validate_policy_rule(rule: dict[str, Any], namespaced: bool, path: str) -> list[FieldError]:
    """``ValidatePolicyRule``."""
    errors: list[FieldError] = []
    if not rule.get("verbs"):
        errors.append(required(f"{path}.verbs", "verbs must contain at least one value"))
    urls = rule.get("nonResourceURLs") or []
    if urls:
        if namespaced:
            errors.append(
                invalid(
                    f"{path}.nonResourceURLs",
                    urls,
                    "namespaced rules cannot apply to non-resource URLs",
                )
            )
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            errors.append(
                invalid(
                    f"{path}.nonResourceURLs",
                    urls,
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return errors
    if not rule.get("apiGroups"):
        errors.append(
            required(f"{path}.apiGroups", "resource rules must supply at least one api group")
        )
    if not rule.get("resources"):
        errors.append(
            required(f"{path}.resources", "resource rules must supply at least one resource")
        )
    return errors


def _rules_errors(role: dict[str, Any], namespaced: bool) -> list[FieldError]:
    errors: list[FieldError] = []
    for index, rule in enumerate(role.get("rules") or []):
        errors.extend(validate_policy_rule(rule or {}, namespaced, f"rules[{index}]"))
    return errors


def validate_role(role: dict[str, Any]) -> list[FieldError]:
    """``ValidateRole`` (the metadata is checked by the store)."""
    return _rules_errors(role, True)


def _cluster_role_errors(role: dict[str, Any], lenient: bool) -> list[FieldError]:
    errors = _rules_errors(role, False)
    aggregation = role.get("aggregationRule")
    if isinstance(aggregation, dict):
        path = "aggregationRule.clusterRoleSelectors"
        selectors = aggregation.get("clusterRoleSelectors") or []
        if not selectors:
            errors.append(
                required(
                    path, "at least one clusterRoleSelector required if aggregationRule is non-nil"
                )
            )
        for index, selector in enumerate(selectors):
            errors.extend(validate_label_selector(selector, f"{path}[{index}]", lenient))
    return errors


def validate_cluster_role(role: dict[str, Any]) -> list[FieldError]:
    """``ValidateClusterRole`` with the create options."""
    return _cluster_role_errors(role, False)


def validate_cluster_role_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateClusterRoleUpdate``: selectors the old role already had with invalid label
    values let the new one keep such values."""
    old_selectors = (old.get("aggregationRule") or {}).get("clusterRoleSelectors") or []
    lenient = any(validate_label_selector(s, "s") for s in old_selectors)
    return _cluster_role_errors(new, lenient)


def validate_subject(subject: dict[str, Any], namespaced: bool, path: str) -> list[FieldError]:
    """``ValidateRoleBindingSubject``."""
    errors: list[FieldError] = []
    name = str(subject.get("name") or "")
    if not name:
        errors.append(required(f"{path}.name"))
    kind = subject.get("kind") or ""
    api_group = subject.get("apiGroup") or ""
    if kind == SERVICE_ACCOUNT:
        if name:
            errors.extend(invalid(f"{path}.name", name, m) for m in dns1123_subdomain(name))
        if api_group:
            errors.append(not_supported(f"{path}.apiGroup", api_group, [""]))
        if not namespaced and not subject.get("namespace"):
            errors.append(required(f"{path}.namespace"))
    elif kind in (USER, GROUP_KIND):
        if api_group != GROUP:
            errors.append(not_supported(f"{path}.apiGroup", api_group, [GROUP]))
    else:
        errors.append(not_supported(f"{path}.kind", kind, SUBJECT_KINDS))
    return errors


def _binding_errors(binding: dict[str, Any], namespaced: bool) -> list[FieldError]:
    """``ValidateRoleBinding``/``ValidateClusterRoleBinding``."""
    ref = binding.get("roleRef") or {}
    errors: list[FieldError] = []
    api_group = ref.get("apiGroup") or ""
    if api_group != GROUP:
        errors.append(not_supported("roleRef.apiGroup", api_group, [GROUP]))
    kinds = ("Role", "ClusterRole") if namespaced else ("ClusterRole",)
    kind = ref.get("kind") or ""
    if kind not in kinds:
        errors.append(not_supported("roleRef.kind", kind, kinds))
    name = str(ref.get("name") or "")
    if not name:
        errors.append(required("roleRef.name"))
    else:
        errors.extend(invalid("roleRef.name", name, m) for m in path_segment_problems(name))
    for index, subject in enumerate(binding.get("subjects") or []):
        errors.extend(validate_subject(subject or {}, namespaced, f"subjects[{index}]"))
    return errors


def _role_ref_value(binding: dict[str, Any]) -> GoStruct:
    """The internal ``rbac.RoleRef`` as a field error prints it."""
    ref = binding.get("roleRef") or {}
    return GoStruct(
        {
            "APIGroup": str(ref.get("apiGroup") or ""),
            "Kind": str(ref.get("kind") or ""),
            "Name": str(ref.get("name") or ""),
        }
    )


def _role_ref_changed(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    if _role_ref_value(new) == _role_ref_value(old):
        return []
    return [invalid("roleRef", _role_ref_value(new), "cannot change roleRef")]


def validate_role_binding(binding: dict[str, Any]) -> list[FieldError]:
    return _binding_errors(binding, True)


def validate_role_binding_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateRoleBindingUpdate``: the binding as on create, then an immutable roleRef."""
    return _binding_errors(new, True) + _role_ref_changed(new, old)


def validate_cluster_role_binding(binding: dict[str, Any]) -> list[FieldError]:
    return _binding_errors(binding, False)


def validate_cluster_role_binding_update(
    new: dict[str, Any], old: dict[str, Any]
) -> list[FieldError]:
    return _binding_errors(new, False) + _role_ref_changed(new, old)


def _kind(kind: str, plural: str, namespaced: bool, schema: Struct, **rest: Any) -> KindInfo:
    return KindInfo(
        kind=kind,
        group=GROUP,
        version="v1",
        plural=plural,
        namespaced=namespaced,
        schema=schema,
        name_validator=path_segment_problems,
        status_subresource=False,
        generation_fields=(),
        # Escalation prevention (the policybased storages) runs before every write.
        write_guard=prevent_escalation,
        **rest,
    )


ROLE_KIND = _kind("Role", "roles", True, ROLE, defaulter=default_role, validator=validate_role)
CLUSTER_ROLE_KIND = _kind(
    "ClusterRole",
    "clusterroles",
    False,
    CLUSTER_ROLE,
    defaulter=default_cluster_role,
    validator=validate_cluster_role,
    update_validator=validate_cluster_role_update,
)
ROLE_BINDING_KIND = _kind(
    "RoleBinding",
    "rolebindings",
    True,
    ROLE_BINDING,
    defaulter=default_binding,
    validator=validate_role_binding,
    update_validator=validate_role_binding_update,
)
CLUSTER_ROLE_BINDING_KIND = _kind(
    "ClusterRoleBinding",
    "clusterrolebindings",
    False,
    CLUSTER_ROLE_BINDING,
    defaulter=default_binding,
    validator=validate_cluster_role_binding,
    update_validator=validate_cluster_role_binding_update,
)
