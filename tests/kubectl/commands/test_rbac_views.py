"""``kubectl get``/``describe`` of the RBAC kinds as kubectl 1.35 prints them (``printRole``,
``printRoleBinding`` and their cluster variants; ``RoleDescriber`` with the rules broken
down, compacted and sorted; ``RoleBindingDescriber``)."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.kinds.rbac import combine_resource_group, compact_rules, rule_string
from k8sgame.kubectl.session import KubectlSession

API_VERSION = "rbac.authorization.k8s.io/v1"


@pytest.fixture
def session():
    cluster = new_cluster()
    for obj in (
        {
            "apiVersion": API_VERSION,
            "kind": "Role",
            "metadata": {"name": "pod-reader", "namespace": "default", "labels": {"team": "a"}},
            "rules": [
                {"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]},
                {"apiGroups": [""], "resources": ["pods"], "verbs": ["watch", "get"]},
                {
                    "apiGroups": ["apps"],
                    "resources": ["deployments"],
                    "resourceNames": ["web", "api"],
                    "verbs": ["get"],
                },
            ],
        },
        {
            "apiVersion": API_VERSION,
            "kind": "ClusterRole",
            "metadata": {"name": "ops"},
            "rules": [
                {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
                {"nonResourceURLs": ["/healthz", "/version"], "verbs": ["get"]},
            ],
        },
        {
            "apiVersion": API_VERSION,
            "kind": "RoleBinding",
            "metadata": {"name": "read-pods", "namespace": "default"},
            "subjects": [
                {"kind": "User", "name": "jane"},
                {"kind": "ServiceAccount", "name": "ci", "namespace": "build"},
                {"kind": "Group", "name": "devs"},
                {"kind": "User", "name": "bob"},
            ],
            "roleRef": {"kind": "Role", "name": "pod-reader"},
        },
        {
            "apiVersion": API_VERSION,
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "ops-all"},
            "subjects": [{"kind": "Group", "name": "ops"}],
            "roleRef": {"kind": "ClusterRole", "name": "ops"},
        },
    ):
        cluster.create(obj)
    cluster.run_for(30)
    return KubectlSession(cluster)


def out(session, command):
    result = session.run(command)
    return result.stdout + result.stderr


def test_get_tables(session):
    assert out(session, "get roles") == (
        "NAME         CREATED AT\npod-reader   2026-01-05T09:00:00Z\n"
    )
    assert out(session, "get clusterrole ops") == "NAME   CREATED AT\nops    2026-01-05T09:00:00Z\n"
    # The bootstrap policy is there too, as on any cluster.
    names = [line.split()[0] for line in out(session, "get clusterroles").splitlines()[1:]]
    assert {"admin", "cluster-admin", "edit", "view", "ops", "system:basic-user"} <= set(names)
    assert names == sorted(names)
    assert out(session, "get rolebindings") == (
        "NAME        ROLE              AGE\nread-pods   Role/pod-reader   30s\n"
    )
    assert out(session, "get rolebindings -o wide") == (
        "NAME        ROLE              AGE   USERS       GROUPS   SERVICEACCOUNTS\n"
        "read-pods   Role/pod-reader   30s   jane, bob   devs     build/ci\n"
    )
    assert out(session, "get clusterrolebinding ops-all -o wide") == (
        "NAME      ROLE              AGE   USERS   GROUPS   SERVICEACCOUNTS\n"
        "ops-all   ClusterRole/ops   30s           ops      \n"
    )
    every_role = out(session, "get roles -A").splitlines()
    assert every_role[:2] == [
        "NAMESPACE     NAME                                             CREATED AT",
        "default       pod-reader                                       2026-01-05T09:00:00Z",
    ]
    assert [line.split()[0] for line in every_role[2:]] == ["kube-public"] * 2 + ["kube-system"] * 9


def test_describe_role_compacts_and_sorts_rules(session):
    # Sorted by PolicyRule.String(), which starts with the verbs: "[get list" sorts before
    # "[get]" (a space before "]").
    assert out(session, "describe role pod-reader") == (
        "Name:         pod-reader\n"
        "Labels:       team=a\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources         Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------         -----------------  --------------  -----\n"
        "  pods              []                 []              [get list watch]\n"
        "  pods/log          []                 []              [get list]\n"
        "  deployments.apps  []                 [api]           [get]\n"
        "  deployments.apps  []                 [web]           [get]\n"
    )


def test_describe_cluster_role_with_non_resource_urls(session):
    assert out(session, "describe clusterrole ops") == (
        "Name:         ops\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources  Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------  -----------------  --------------  -----\n"
        "  *.*        []                 []              [*]\n"
        "             [/healthz]         []              [get]\n"
        "             [/version]         []              [get]\n"
    )


def test_describe_bindings(session):
    assert out(session, "describe rolebinding read-pods") == (
        "Name:         read-pods\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Role:\n"
        "  Kind:  Role\n"
        "  Name:  pod-reader\n"
        "Subjects:\n"
        "  Kind            Name  Namespace\n"
        "  ----            ----  ---------\n"
        "  User            jane  \n"
        "  ServiceAccount  ci    build\n"
        "  Group           devs  \n"
        "  User            bob   \n"
    )
    assert out(session, "describe clusterrolebinding ops-all") == (
        "Name:         ops-all\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Role:\n"
        "  Kind:  ClusterRole\n"
        "  Name:  ops\n"
        "Subjects:\n"
        "  Kind   Name  Namespace\n"
        "  ----   ----  ---------\n"
        "  Group  ops   \n"
    )


def test_role_ref_cannot_change_through_kubectl(session):
    result = session.run("""patch rolebinding read-pods -p '{"roleRef":{"name":"other"}}'""")
    assert result.exit_code == 1
    assert result.stderr == (
        'The RoleBinding "read-pods" is invalid: roleRef: Invalid value: '
        '{"APIGroup":"rbac.authorization.k8s.io","Kind":"Role","Name":"other"}: '
        "cannot change roleRef\n"
    )


def test_helpers():
    assert combine_resource_group(["pods/log"], ["apps"]) == "pods.apps/log"
    assert combine_resource_group(["*"], [""]) == "*"
    assert combine_resource_group([], ["apps"]) == ""
    assert rule_string({"verbs": ["get"], "apiGroups": [""], "resources": ["pods"]}) == (
        "&PolicyRule{Verbs:[get],APIGroups:[],Resources:[pods],ResourceNames:[],"
        "NonResourceURLs:[],}"
    )
    split = [
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
        {"nonResourceURLs": ["/x"], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]},
    ]
    assert compact_rules(split) == [
        {"nonResourceURLs": ["/x"], "verbs": ["get"]},
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
    ]
