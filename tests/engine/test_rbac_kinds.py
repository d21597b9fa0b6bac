"""Role, ClusterRole, RoleBinding and ClusterRoleBinding in the API server: the defaults
(rbac/v1 defaults.go), the stored shape, and pkg/apis/rbac/validation's paths and messages,
through ``cluster.api``."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError

GROUP = "rbac.authorization.k8s.io"
API_VERSION = f"{GROUP}/v1"


@pytest.fixture
def cluster():
    return new_cluster()


def role(name="r", rules=None, kind="Role", **extra):
    metadata = {"name": name}
    if kind == "Role":
        metadata["namespace"] = "default"
    obj = {"apiVersion": API_VERSION, "kind": kind, "metadata": metadata, **extra}
    if rules is not None:
        obj["rules"] = rules
    return obj


def binding(name="b", ref=None, subjects=None, kind="RoleBinding"):
    metadata = {"name": name}
    if kind == "RoleBinding":
        metadata["namespace"] = "default"
    obj = {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": metadata,
        "roleRef": ref if ref is not None else {"kind": "ClusterRole", "name": "view"},
    }
    if subjects is not None:
        obj["subjects"] = subjects
    return obj


def refused(cluster, obj):
    with pytest.raises(ApiError) as caught:
        cluster.api.create(obj)
    assert caught.value.reason == "Invalid"
    return caught.value.message


READ_PODS = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}


def test_scopes_and_names(cluster):
    info = cluster.store.registry
    assert [(k, info.get(k).namespaced, info.get(k).plural) for k in ("Role", "ClusterRole")] == [
        ("Role", True, "roles"),
        ("ClusterRole", False, "clusterroles"),
    ]
    # ValidateRBACName only needs a path segment: colons are fine, a slash is not.
    created = cluster.api.create(role("system:controller:x", [READ_PODS], kind="ClusterRole"))
    assert created["metadata"]["name"] == "system:controller:x"
    assert "namespace" not in created["metadata"]
    assert "generation" not in created["metadata"]
    assert refused(cluster, role("a/b", [READ_PODS])) == (
        'The Role.rbac.authorization.k8s.io "a/b" is invalid: metadata.name: '
        "Invalid value: \"a/b\": may not contain '/'"
    )


def test_role_without_rules_stores_null_rules(cluster):
    created = cluster.api.create(role("empty"))
    assert "rules" in created and created["rules"] is None


def test_policy_rule_validation(cluster):
    assert refused(cluster, role(rules=[{"apiGroups": [""], "resources": ["pods"]}])) == (
        'The Role.rbac.authorization.k8s.io "r" is invalid: rules[0].verbs: Required value: '
        "verbs must contain at least one value"
    )
    assert refused(cluster, role(rules=[{"verbs": ["get"]}])) == (
        'The Role.rbac.authorization.k8s.io "r" is invalid: ['
        "rules[0].apiGroups: Required value: resource rules must supply at least one api group, "
        "rules[0].resources: Required value: resource rules must supply at least one resource]"
    )
    assert refused(cluster, role(rules=[{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}])) == (
        'The Role.rbac.authorization.k8s.io "r" is invalid: rules[0].nonResourceURLs: '
        'Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs'
    )
    mixed = {"nonResourceURLs": ["/healthz"], "resources": ["pods"], "verbs": ["get"]}
    assert refused(cluster, role(rules=[mixed], kind="ClusterRole")) == (
        'The ClusterRole.rbac.authorization.k8s.io "r" is invalid: rules[0].nonResourceURLs: '
        'Invalid value: ["/healthz"]: rules cannot apply to both regular resources and '
        "non-resource URLs"
    )
    ok = role(rules=[{"nonResourceURLs": ["/healthz"], "verbs": ["get"]}], kind="ClusterRole")
    assert cluster.api.create(ok)["rules"] == [{"verbs": ["get"], "nonResourceURLs": ["/healthz"]}]


def test_aggregation_rule(cluster):
    assert refused(cluster, role(kind="ClusterRole", aggregationRule={})) == (
        'The ClusterRole.rbac.authorization.k8s.io "r" is invalid: '
        "aggregationRule.clusterRoleSelectors: Required value: at least one "
        "clusterRoleSelector required if aggregationRule is non-nil"
    )
    bad = {"clusterRoleSelectors": [{"matchExpressions": [{"key": "a", "operator": "Nope"}]}]}
    assert refused(cluster, role(kind="ClusterRole", aggregationRule=bad)) == (
        'The ClusterRole.rbac.authorization.k8s.io "r" is invalid: '
        "aggregationRule.clusterRoleSelectors[0].matchExpressions[0].operator: "
        'Invalid value: "Nope": not a valid selector operator'
    )
    good = {"clusterRoleSelectors": [{"matchLabels": {"rbac.example.com/agg": "true"}}]}
    created = cluster.api.create(role("agg", kind="ClusterRole", aggregationRule=good))
    assert created["aggregationRule"] == good
    assert created["rules"] is None


def test_binding_defaults(cluster):
    created = cluster.api.create(
        binding(
            ref={"kind": "Role", "name": "pod-reader"},
            subjects=[
                {"kind": "User", "name": "jane"},
                {"kind": "Group", "name": "devs"},
                {"kind": "ServiceAccount", "name": "ci"},
            ],
        )
    )
    assert created["roleRef"] == {"apiGroup": GROUP, "kind": "Role", "name": "pod-reader"}
    assert created["subjects"] == [
        {"kind": "User", "name": "jane", "apiGroup": GROUP},
        {"kind": "Group", "name": "devs", "apiGroup": GROUP},
        {"kind": "ServiceAccount", "name": "ci"},
    ]
    # No subjects: the field is left out (omitempty).
    assert "subjects" not in cluster.api.create(binding("none", subjects=[]))


def test_role_ref_validation(cluster):
    assert refused(
        cluster, binding(ref={"apiGroup": "example.com", "kind": "Foo", "name": ""})
    ) == (
        'The RoleBinding.rbac.authorization.k8s.io "b" is invalid: ['
        'roleRef.apiGroup: Unsupported value: "example.com": supported values: '
        '"rbac.authorization.k8s.io", '
        'roleRef.kind: Unsupported value: "Foo": supported values: "Role", "ClusterRole", '
        "roleRef.name: Required value]"
    )
    assert refused(
        cluster, binding(ref={"kind": "Role", "name": "x"}, kind="ClusterRoleBinding")
    ) == (
        'The ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: '
        'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"'
    )
    assert refused(cluster, binding(ref={"kind": "Role", "name": ".."})) == (
        'The RoleBinding.rbac.authorization.k8s.io "b" is invalid: '
        "roleRef.name: Invalid value: \"..\": may not be '..'"
    )


def test_subject_validation(cluster):
    subjects = [
        {"kind": "ServiceAccount", "name": "Bad_Name", "apiGroup": GROUP},
        {"kind": "User", "name": "jane", "apiGroup": "example.com"},
        {"kind": "Robot", "name": ""},
    ]
    assert refused(cluster, binding(subjects=subjects)) == (
        'The RoleBinding.rbac.authorization.k8s.io "b" is invalid: ['
        'subjects[0].name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must '
        "consist of lower case alphanumeric characters, '-' or '.', and must start and end "
        "with an alphanumeric character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*'), "
        'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported '
        'values: "", '
        'subjects[1].apiGroup: Unsupported value: "example.com": supported values: '
        '"rbac.authorization.k8s.io", '
        "subjects[2].name: Required value, "
        'subjects[2].kind: Unsupported value: "Robot": supported values: "ServiceAccount", '
        '"User", "Group"]'
    )
    # A ClusterRoleBinding's ServiceAccount must say its namespace; a RoleBinding's need not.
    account = [{"kind": "ServiceAccount", "name": "ci"}]
    assert refused(cluster, binding(subjects=account, kind="ClusterRoleBinding")) == (
        'The ClusterRoleBinding.rbac.authorization.k8s.io "b" is invalid: '
        "subjects[0].namespace: Required value"
    )
    assert cluster.api.create(binding("ok", subjects=account))["subjects"] == account


def test_role_ref_is_immutable(cluster):
    created = cluster.api.create(binding(subjects=[{"kind": "User", "name": "jane"}]))
    created["subjects"].append({"kind": "Group", "name": "devs"})
    updated = cluster.api.update(created)
    assert [s["name"] for s in updated["subjects"]] == ["jane", "devs"]
    updated["roleRef"]["name"] = "edit"
    with pytest.raises(ApiError) as caught:
        cluster.api.update(updated)
    assert caught.value.message == (
        'The RoleBinding.rbac.authorization.k8s.io "b" is invalid: roleRef: Invalid value: '
        '{"APIGroup":"rbac.authorization.k8s.io","Kind":"ClusterRole","Name":"edit"}: '
        "cannot change roleRef"
    )
