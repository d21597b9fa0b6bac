"""RBAC wired into a cluster: the bootstrap policy, who may do what from the start, what a
binding adds, impersonation, and the access reviews the API server answers."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import API_SERVER, Impersonation, UserInfo
from k8sgame.engine.errors import ApiError
from k8sgame.engine.rbac.bootstrap import bootstrap_objects
from k8sgame.engine.rbac.bootstrap_policy import cluster_policy

JANE = UserInfo("jane", ("system:authenticated",))
STORE_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation")


def _bare(obj):
    out = dict(obj)
    out["metadata"] = {k: v for k, v in obj["metadata"].items() if k not in STORE_FIELDS}
    return out


def _role_binding(name, role_kind, role, subject, namespace="default"):
    return {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": namespace},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role},
        "subjects": [subject],
    }


def test_a_new_cluster_holds_the_policy_as_the_aggregation_controller_leaves_it():
    cluster = new_cluster()
    stored = {
        (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): _bare(o)
        for kind in ("ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding")
        for o in cluster.store.list(kind)
    }
    expected = {
        (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o
        for o in bootstrap_objects()
        if o["kind"] != "Namespace"
    }
    assert stored == expected
    # Emptied, admin is filled again by the controller with exactly what it started with.
    admin = cluster.api.get("ClusterRole", "admin")
    before = admin["rules"]
    assert any("pods/exec" in (r.get("resources") or []) for r in before)
    admin["rules"] = None
    Client(cluster.apiserver, API_SERVER).update(admin)
    cluster.settle()
    assert cluster.api.get("ClusterRole", "admin")["rules"] == before


def test_the_trusted_bootstrap_matches_a_validated_one():
    # Every bootstrap object passes the API server's own decoding, defaulting and validation
    # unchanged: the trusted path stores nothing the checked path would not.
    cluster = new_cluster()
    loopback = Client(cluster.apiserver, API_SERVER)
    aggregated = {o["metadata"]["name"] for o in cluster_policy() if o.get("aggregationRule")}
    for obj in bootstrap_objects():
        if obj["kind"] == "Namespace":
            continue
        checked = loopback.create(
            {**obj, "metadata": {**obj["metadata"], "name": "copy-" + obj["metadata"]["name"]}},
            dry_run=True,
        )
        checked["metadata"]["name"] = obj["metadata"]["name"]
        assert _bare(checked) == obj or obj["metadata"]["name"] in aggregated


def test_a_user_without_bindings_may_do_nothing_but_discovery_and_self_review():
    cluster = new_cluster()
    jane = Client(cluster.apiserver, JANE)
    with pytest.raises(ApiError) as refused:
        jane.list("Pod", "default")
    assert refused.value.code == 403
    assert refused.value.message == (
        'pods is forbidden: User "jane" cannot list resource "pods" in API group "" '
        'in the namespace "default"'
    )
    review = jane.create(
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {
                "resourceAttributes": {"verb": "list", "resource": "pods", "namespace": "default"}
            },
        }
    )
    assert review["status"] == {"allowed": False}
    # Nothing was stored: a review is only answered.
    assert cluster.store.registry.get("SelfSubjectAccessReview").answer is not None


def test_a_rolebinding_to_view_grants_reading_in_its_namespace_only():
    cluster = new_cluster()
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    cluster.create(
        _role_binding("jane-view", "ClusterRole", "view", {"kind": "User", "name": "jane"}, "shop")
    )
    jane = Client(cluster.apiserver, JANE)
    assert jane.list("Pod", "shop") == []
    with pytest.raises(ApiError):
        jane.list("Pod", "default")
    with pytest.raises(ApiError) as refused:
        jane.create(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "x", "namespace": "shop"},
            }
        )
    assert 'cannot create resource "configmaps" in API group "" in the namespace "shop"' in (
        refused.value.message
    )
    # view does not read Secrets, and a RoleBinding never grants cluster-scoped resources.
    with pytest.raises(ApiError):
        jane.list("Secret", "shop")
    with pytest.raises(ApiError) as nodes:
        jane.list("Node")
    assert "at the cluster scope" in nodes.value.message


def test_a_binding_to_a_missing_role_is_named_in_the_refusal_and_the_review():
    cluster = new_cluster()
    cluster.create(
        _role_binding("jane-reader", "Role", "pod-reader", {"kind": "User", "name": "jane"})
    )
    jane = Client(cluster.apiserver, JANE)
    with pytest.raises(ApiError) as refused:
        jane.list("Pod", "default")
    assert refused.value.message.endswith(
        ': RBAC: role.rbac.authorization.k8s.io "pod-reader" not found'
    )
    review = jane.create(
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectRulesReview",
            "spec": {"namespace": "default"},
        }
    )
    status = review["status"]
    assert status["evaluationError"] == 'role.rbac.authorization.k8s.io "pod-reader" not found'
    assert status["incomplete"] is False
    assert {
        "verbs": ["create"],
        "apiGroups": ["authorization.k8s.io"],
        "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    } in status["resourceRules"]


def test_an_allowed_review_names_the_binding_that_allowed_it():
    cluster = new_cluster()
    admin = cluster.api.create(
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectAccessReview",
            "spec": {"resourceAttributes": {"verb": "delete", "resource": "nodes"}},
        }
    )
    assert admin["status"] == {
        "allowed": True,
        "reason": 'RBAC: allowed by ClusterRoleBinding "kubeadm:cluster-admins" of ClusterRole '
        '"cluster-admin" to Group "kubeadm:cluster-admins"',
    }


def test_a_review_needs_one_kind_of_attributes():
    cluster = new_cluster()
    with pytest.raises(ApiError) as invalid:
        cluster.api.create(
            {
                "apiVersion": "authorization.k8s.io/v1",
                "kind": "SelfSubjectAccessReview",
                "spec": {},
            }
        )
    assert invalid.value.message == (
        'The SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: '
        "Invalid value: null: exactly one of nonResourceAttributes or resourceAttributes must "
        "be specified"
    )


def test_who_am_i():
    cluster = new_cluster()
    review = cluster.api.create(
        {"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"}
    )
    assert review["status"]["userInfo"] == {
        "username": "kubernetes-admin",
        "groups": ["kubeadm:cluster-admins", "system:authenticated"],
    }


def test_impersonation_is_checked_and_then_acts_as_the_other_user():
    cluster = new_cluster()
    as_jane = cluster.api.impersonating(Impersonation("jane"))
    with pytest.raises(ApiError) as refused:
        as_jane.list("Pod", "default")
    assert refused.value.message.startswith('pods is forbidden: User "jane" cannot list')
    # jane herself may not impersonate anyone.
    jane_as_admin = Client(cluster.apiserver, JANE).impersonating(Impersonation("kubernetes-admin"))
    with pytest.raises(ApiError) as not_allowed:
        jane_as_admin.list("Pod", "default")
    assert not_allowed.value.message == (
        'users "kubernetes-admin" is forbidden: User "jane" cannot impersonate resource "users" '
        'in API group "" at the cluster scope'
    )
    # A service account is impersonated in its namespace, with its groups.
    as_sa = cluster.api.impersonating(Impersonation("system:serviceaccount:default:default"))
    who = as_sa.create({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
    assert who["status"]["userInfo"]["groups"] == [
        "system:serviceaccounts",
        "system:serviceaccounts:default",
        "system:authenticated",
    ]
    as_group = cluster.api.impersonating(Impersonation("jane", ("devs",)))
    who = as_group.create({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview"})
    assert who["status"]["userInfo"] == {
        "username": "jane",
        "groups": ["devs", "system:authenticated"],
    }


def test_kubelets_act_under_the_node_rules_and_list_nothing_of_their_rules():
    cluster = new_cluster()
    node = UserInfo("system:node:node-1", ("system:nodes", "system:authenticated"))
    kubelet = Client(cluster.apiserver, node)
    assert kubelet.list("Pod") is not None  # the node rules allow listing pods
    with pytest.raises(ApiError):
        kubelet.delete("Namespace", "default")
    rules = kubelet.create(
        {
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SelfSubjectRulesReview",
            "spec": {"namespace": "default"},
        }
    )["status"]
    assert rules["incomplete"] is True
    assert rules["evaluationError"] == "node authorizer does not support user rule resolution"


def test_reviews_cannot_be_listed():
    cluster = new_cluster()
    with pytest.raises(ApiError) as refused:
        cluster.api.list("SelfSubjectAccessReview")
    assert (refused.value.reason, refused.value.code) == ("MethodNotAllowed", 405)


def test_the_same_missing_role_is_named_once():
    # utilerrors.NewAggregate drops repeated messages: two bindings to one missing
    # ClusterRole give one reason, without brackets.
    cluster = new_cluster()
    for name in ("a", "b"):
        cluster.create(
            _role_binding(name, "ClusterRole", "ghost", {"kind": "User", "name": "jane"})
        )
    with pytest.raises(ApiError) as refused:
        Client(cluster.apiserver, JANE).list("Pod", "default")
    assert refused.value.message.endswith(
        ': RBAC: clusterrole.rbac.authorization.k8s.io "ghost" not found'
    )
