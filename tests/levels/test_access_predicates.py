"""The ``can_i`` and ``least_privilege`` goal predicates, decided by the API server's own
authorizer chain over the cluster's RBAC objects."""

import pytest
from cluster_helpers import new_cluster

from k8sgame.levels.predicates import Scene, evaluate

RBAC = "rbac.authorization.k8s.io"


def _role(name, rules, namespace="shop"):
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": "Role",
        "metadata": {"name": name, "namespace": namespace},
        "rules": rules,
    }


def _binding(name, role_kind, role, subject, namespace="shop", cluster_wide=False):
    md = {"name": name} if cluster_wide else {"name": name, "namespace": namespace}
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": "ClusterRoleBinding" if cluster_wide else "RoleBinding",
        "metadata": md,
        "roleRef": {"apiGroup": RBAC, "kind": role_kind, "name": role},
        "subjects": [subject],
    }


@pytest.fixture(scope="module")
def scene():
    cluster = new_cluster()
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    cluster.create(
        _role(
            "log-reader",
            [
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
                {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
            ],
        )
    )
    cluster.create(_binding("jane-logs", "Role", "log-reader", {"kind": "User", "name": "jane"}))
    cluster.create(
        _binding(
            "ci-view", "ClusterRole", "view", {"kind": "Group", "name": "ci"}, cluster_wide=True
        )
    )
    cluster.settle()
    return Scene(cluster, "shop", 0.0, 0.0)


def check(scene, name, params):
    return evaluate({name: params}, scene)


def test_can_i_follows_the_bindings(scene):
    jane = {"user": "jane"}
    yes = check(scene, "can_i", {"as": jane, "request": "get pods/log"})
    assert yes.ok and yes.reason.render("en") == "jane may get pods/log"
    no = check(scene, "can_i", {"as": jane, "request": "delete pods"})
    assert not no.ok and no.reason.render("en") == "jane may not delete pods"
    assert check(scene, "can_i", {"as": jane, "request": "delete pods", "expect": False}).ok
    # The binding is in shop only.
    assert not check(scene, "can_i", {"as": jane, "request": "list pods -n default"}).ok
    # A group's ClusterRoleBinding counts wherever the request is, for any member.
    member = {"user": "bob", "groups": ["ci"]}
    assert check(scene, "can_i", {"as": member, "request": "list deployments.apps -A"}).ok
    # A service account with no binding may not even read.
    sa = {"serviceAccount": "default"}
    outcome = check(scene, "can_i", {"as": sa, "request": "list pods"})
    assert outcome.reason.render("en") == "system:serviceaccount:shop:default may not list pods"


def test_least_privilege_is_exact(scene):
    jane = {"user": "jane"}
    exact = check(
        scene,
        "least_privilege",
        {"as": jane, "allowed": ["get pods", "list pods", "get pods/log"]},
    )
    assert exact.ok, exact.reason.render("en")
    short = check(scene, "least_privilege", {"as": jane, "allowed": ["get pods"]})
    assert not short.ok
    assert short.reason.render("en") == (
        "jane may do 2 thing(s) it does not need, such as get pods/log, list pods"
    )
    more = check(
        scene,
        "least_privilege",
        {"as": jane, "allowed": ["get pods", "list pods", "get pods/log", "watch pods"]},
    )
    assert more.reason.render("en") == "jane may not watch pods, which it needs"
    # view cluster-wide is far more than "list pods" in shop.
    wide = check(
        scene,
        "least_privilege",
        {"as": {"user": "bob", "groups": ["ci"]}, "allowed": ["list pods"]},
    )
    assert not wide.ok and "-A" in wide.reason.render("en")


def test_a_request_for_an_unknown_kind_is_named(scene):
    outcome = check(scene, "can_i", {"as": {"user": "jane"}, "request": "get frobs"})
    assert not outcome.ok
    assert 'the server doesn\'t have a resource type "frobs"' in outcome.reason.render("en")
