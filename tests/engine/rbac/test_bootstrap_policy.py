"""The bootstrap RBAC data (engine/rbac/bootstrap_policy): every object is valid for the
engine's API server, and the facts a real v1.35 cluster shows hold."""

import pytest

from k8sgame.engine.rbac.bootstrap_policy import (
    ADDONS,
    addon_policy,
    api_server_policy,
    kubeadm_policy,
)

BOOTSTRAP = {"kubernetes.io/bootstrapping": "rbac-defaults"}
AUTOUPDATE = {"rbac.authorization.kubernetes.io/autoupdate": "true"}


def by_name(objects, kind, name, namespace=None):
    found = [
        o
        for o in objects
        if o["kind"] == kind
        and o["metadata"]["name"] == name
        and o["metadata"].get("namespace") == namespace
    ]
    assert len(found) == 1, (kind, name)
    return found[0]


def test_every_object_is_accepted_by_the_api_server(catalog):
    from k8sgame.engine.cluster import Cluster

    cluster = Cluster(catalog)
    for ns in ("metallb-system", "ingress-nginx", "local-path-storage"):
        if cluster.api.peek("Namespace", ns) is None:
            cluster.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
    objects = api_server_policy() + kubeadm_policy()
    for addon in ADDONS:
        objects += addon_policy(addon)
    for obj in objects:
        meta = obj["metadata"]
        if cluster.api.peek(obj["kind"], meta["name"], meta.get("namespace", "")) is not None:
            continue  # the engine may already create some of these itself
        cluster.api.create(obj)
    for obj in objects:
        meta = obj["metadata"]
        assert cluster.api.peek(obj["kind"], meta["name"], meta.get("namespace", "")) is not None


def test_calls_return_fresh_dicts():
    first = api_server_policy()
    first[0]["metadata"]["labels"]["x"] = "y"
    first[1]["rules"].clear()
    assert api_server_policy()[0]["metadata"]["labels"] == BOOTSTRAP
    assert api_server_policy()[1]["rules"]


def test_cluster_admin_can_do_everything():
    role = by_name(api_server_policy(), "ClusterRole", "cluster-admin")
    assert role["rules"] == [
        {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},
        {"verbs": ["*"], "nonResourceURLs": ["*"]},
    ]
    assert role["metadata"]["labels"] == BOOTSTRAP
    assert role["metadata"]["annotations"] == AUTOUPDATE


def test_basic_user_may_review_itself():
    rules = by_name(api_server_policy(), "ClusterRole", "system:basic-user")["rules"]
    assert {
        "verbs": ["create"],
        "apiGroups": ["authorization.k8s.io"],
        "resources": ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    } in rules
    assert {
        "verbs": ["create"],
        "apiGroups": ["authentication.k8s.io"],
        "resources": ["selfsubjectreviews"],
    } in rules


def test_discovery_and_public_info_are_bound_to_everyone():
    policy = api_server_policy()
    discovery = by_name(policy, "ClusterRoleBinding", "system:discovery")
    assert [s["name"] for s in discovery["subjects"]] == ["system:authenticated"]
    public = by_name(policy, "ClusterRoleBinding", "system:public-info-viewer")
    assert [(s["kind"], s["name"]) for s in public["subjects"]] == [
        ("Group", "system:authenticated"),
        ("Group", "system:unauthenticated"),
    ]


def test_view_aggregates_the_view_label():
    policy = api_server_policy()
    view = by_name(policy, "ClusterRole", "view")
    assert view["aggregationRule"] == {
        "clusterRoleSelectors": [
            {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}
        ]
    }
    assert view["rules"] == []
    assert view["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-edit"] == "true"
    source = by_name(policy, "ClusterRole", "system:aggregate-to-view")
    assert source["metadata"]["labels"]["rbac.authorization.k8s.io/aggregate-to-view"] == "true"
    assert source["rules"]


def test_replicaset_controller_role_and_binding():
    policy = api_server_policy()
    name = "system:controller:replicaset-controller"
    rules = by_name(policy, "ClusterRole", name)["rules"]
    assert {
        "verbs": ["update"],
        "apiGroups": ["apps", "extensions"],
        "resources": ["replicasets/status"],
    } in rules
    pods = [r for r in rules if r["resources"] == ["pods"] and r["apiGroups"] == [""]]
    assert {"create", "delete"} <= set(pods[0]["verbs"])
    binding = by_name(policy, "ClusterRoleBinding", name)
    assert binding["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": name,
    }
    assert binding["subjects"] == [
        {"kind": "ServiceAccount", "name": "replicaset-controller", "namespace": "kube-system"}
    ]


def test_cluster_role_count_matches_upstream():
    # 31 from cluster-roles (featuregates file at 01899a7c86337b05a16a4155c9351cf947beaee9 less
    # default-off gates) + 38 from controller-roles.yaml at
    # 008b3652959ca58af8be3fb5b6ecfe9ae7638282.
    roles = [o for o in api_server_policy() if o["kind"] == "ClusterRole"]
    assert len(roles) == 69
    assert len([r for r in roles if r["metadata"]["name"].startswith("system:controller:")]) == 38


def test_order_is_roles_then_bindings():
    kinds = [o["kind"] for o in api_server_policy()]
    order = ["ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"]
    assert kinds == sorted(kinds, key=order.index)


def test_kubeadm_objects():
    policy = kubeadm_policy()
    admins = by_name(policy, "ClusterRoleBinding", "kubeadm:cluster-admins")
    assert admins["roleRef"]["name"] == "cluster-admin"
    assert admins["subjects"][0]["name"] == "kubeadm:cluster-admins"
    proxier = by_name(policy, "ClusterRoleBinding", "kubeadm:node-proxier")
    assert proxier["subjects"] == [
        {"kind": "ServiceAccount", "name": "kube-proxy", "namespace": "kube-system"}
    ]
    assert by_name(policy, "Role", "kube-proxy", "kube-system")["rules"][0]["resourceNames"] == [
        "kube-proxy"
    ]
    by_name(policy, "RoleBinding", "kubeadm:bootstrap-signer-clusterinfo", "kube-public")
    by_name(policy, "ClusterRole", "system:coredns")


def test_addons():
    reader = by_name(
        addon_policy("metrics-server"), "ClusterRole", "system:aggregated-metrics-reader"
    )
    for verb in ("view", "edit", "admin"):
        assert (
            reader["metadata"]["labels"][f"rbac.authorization.k8s.io/aggregate-to-{verb}"] == "true"
        )
    by_name(
        addon_policy("metrics-server"), "RoleBinding", "metrics-server-auth-reader", "kube-system"
    )
    by_name(addon_policy("metallb"), "Role", "pod-lister", "metallb-system")
    by_name(addon_policy("ingress-nginx"), "ClusterRole", "ingress-nginx-admission")
    by_name(addon_policy("local-path-provisioner"), "ClusterRole", "local-path-provisioner-role")
    with pytest.raises(KeyError):
        addon_policy("traefik")
