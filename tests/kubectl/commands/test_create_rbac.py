"""``kubectl create role|clusterrole|rolebinding|clusterrolebinding`` as kubectl v0.35.7 builds
them (``create_role.go``, ``create_clusterrole.go``, ``create_rolebinding.go``,
``create_clusterrolebinding.go``): resources resolved through the cluster's discovery, one rule
per API group in sorted order, kubectl's client-side errors and verb warnings."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.run_for(5)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def error(message):
    return ("", f"error: {message}\n", 1)


def test_role_rules_are_grouped_by_api_group(session):
    assert run(
        session,
        "create role pod-reader --verb=get,list --verb=watch,get "
        "--resource=pods,pods/log,deployments.apps,rs.apps,po --dry-run=client -o yaml",
    ) == (
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: Role\n"
        "metadata:\n"
        "  name: pod-reader\n"
        "rules:\n"
        "- apiGroups:\n"
        '  - ""\n'
        "  resources:\n"
        "  - pods\n"
        "  - pods/log\n"
        "  verbs:\n"
        "  - get\n"
        "  - list\n"
        "  - watch\n"
        "- apiGroups:\n"
        "  - apps\n"
        "  resources:\n"
        "  - deployments\n"
        "  - replicasets\n"
        "  verbs:\n"
        "  - get\n"
        "  - list\n"
        "  - watch\n",
        "",
        0,
    )


def test_role_dry_run_json_keeps_kubectls_key_order(session):
    assert run(
        session,
        "create role r --verb=get --resource=pods --resource-name=a --resource-name=a "
        "-n kube-system --dry-run=client -o json",
    ) == (
        "{\n"
        '    "kind": "Role",\n'
        '    "apiVersion": "rbac.authorization.k8s.io/v1",\n'
        '    "metadata": {\n'
        '        "name": "r",\n'
        '        "namespace": "kube-system"\n'
        "    },\n"
        '    "rules": [\n'
        "        {\n"
        '            "verbs": [\n'
        '                "get"\n'
        "            ],\n"
        '            "apiGroups": [\n'
        '                ""\n'
        "            ],\n"
        '            "resources": [\n'
        '                "pods"\n'
        "            ],\n"
        '            "resourceNames": [\n'
        '                "a"\n'
        "            ]\n"
        "        }\n"
        "    ]\n"
        "}\n",
        "",
        0,
    )


def test_a_star_verb_or_resource_replaces_the_others(session):
    stdout, _, _ = run(
        session, "create role r --verb=get,*,list --resource=pods,* --dry-run=client -o yaml"
    )
    assert stdout.split("rules:\n")[1] == (
        '- apiGroups:\n  - ""\n  resources:\n  - "*"\n  verbs:\n  - "*"\n'
    )


def test_role_is_created_in_the_namespace(session):
    assert run(session, "create role r --verb=get --resource=pods -n kube-system") == (
        "role.rbac.authorization.k8s.io/r created\n",
        "",
        0,
    )
    assert run(session, "get role r -n kube-system -o jsonpath={.rules}") == (
        '[{"apiGroups":[""],"resources":["pods"],"verbs":["get"]}]',
        "",
        0,
    )
    assert run(session, "create role r --verb=get --resource=pods -n kube-system") == (
        "",
        'Error from server (AlreadyExists): roles.rbac.authorization.k8s.io "r" already exists\n',
        1,
    )
    assert run(session, "create role s --verb=get --resource=pods --dry-run=server") == (
        "role.rbac.authorization.k8s.io/s created (server dry run)\n",
        "",
        0,
    )
    assert run(session, "create role s --verb=get --resource=pods --dry-run=client") == (
        "role.rbac.authorization.k8s.io/s created (dry run)\n",
        "",
        0,
    )
    assert run(session, "get roles")[1] == "No resources found in default namespace.\n"


@pytest.mark.parametrize(
    ("command", "message"),
    [
        ("create role r --resource=pods", "at least one verb must be specified"),
        ("create role r --verb=get", "at least one resource must be specified"),
        (
            "create role r --verb=get --resource=foo",
            'the server doesn\'t have a resource type "foo"',
        ),
        (
            "create role r --verb=get --resource=pods.apps",
            'the server doesn\'t have a resource type "pods" in group "apps"',
        ),
        (
            "create role r --verb=get --resource=.apps",
            "resource must be specified if apiGroup/subresource specified",
        ),
        (
            "create role r --verb=bind --resource=pods",
            "can not perform 'bind' on 'pods' in group ''",
        ),
        (
            "create clusterrole c --verb=get --resource=pods,foo",
            'the server doesn\'t have a resource type "foo"',
        ),
        ("create clusterrole c --verb=get", "one of resource or nonResourceURL must be specified"),
        ("create clusterrole c --resource=pods", "at least one verb must be specified"),
        (
            "create clusterrole c --verb=list --non-resource-url=/logs",
            "invalid verb: 'list' for nonResourceURL",
        ),
        (
            "create clusterrole c --verb=get --non-resource-url=logs",
            "nonResourceURL should start with /",
        ),
        (
            "create clusterrole c --verb=get --non-resource-url=/a*/b",
            "nonResourceURL only supports wildcard matches when '*' is at the end",
        ),
        (
            "create clusterrole c --aggregation-rule=a=b --verb=get",
            "aggregation rule must be specified without nonResourceURLs, verbs, resources or "
            "resourceNames",
        ),
        ("create rolebinding b --user=u", "exactly one of clusterrole or role must be specified"),
        (
            "create rolebinding b --role=r --clusterrole=c",
            "exactly one of clusterrole or role must be specified",
        ),
        (
            "create rolebinding b --role=r --serviceaccount=default",
            "serviceaccount must be <namespace>:<name>",
        ),
        ("create clusterrolebinding b --user=u", 'required flag(s) "clusterrole" not set'),
        (
            "create clusterrolebinding b --clusterrole=c --serviceaccount=:sa",
            "serviceaccount must be <namespace>:<name>",
        ),
    ],
)
def test_kubectls_client_side_errors(session, command, message):
    assert run(session, command) == error(message)


def test_a_name_is_required(session):
    assert run(session, "create role --verb=get --resource=pods") == (
        "",
        "error: exactly one NAME is required, got 0\n"
        "See 'kubectl create role -h' for help and examples\n",
        1,
    )


def test_a_nonstandard_verb_is_only_a_warning(session):
    assert run(session, "create role r --verb=get,frob --resource=pods") == (
        "role.rbac.authorization.k8s.io/r created\n",
        "Warning: 'frob' is not a standard resource verb\n",
        0,
    )
    assert run(session, "create role s --verb=frob --resource=foo") == (
        "",
        "Warning: 'frob' is not a standard resource verb\n"
        'error: the server doesn\'t have a resource type "foo"\n',
        1,
    )


def test_special_verbs_on_their_own_resources(session):
    stdout, stderr, code = run(
        session,
        "create clusterrole c --verb=impersonate --resource=users,serviceaccounts "
        "--dry-run=client -o yaml",
    )
    assert (stderr, code) == ("", 0)
    assert "  - users\n  - serviceaccounts\n" in stdout


def test_clusterrole_with_non_resource_urls(session):
    assert run(
        session,
        "create clusterrole foo --verb=get --resource=nodes,ingresses.networking.k8s.io "
        "--non-resource-url=/logs/*,/healthz,/logs/* --dry-run=client -o yaml",
    ) == (
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: ClusterRole\n"
        "metadata:\n"
        "  name: foo\n"
        "rules:\n"
        "- apiGroups:\n"
        '  - ""\n'
        "  resources:\n"
        "  - nodes\n"
        "  verbs:\n"
        "  - get\n"
        "- apiGroups:\n"
        "  - networking.k8s.io\n"
        "  resources:\n"
        "  - ingresses\n"
        "  verbs:\n"
        "  - get\n"
        "- nonResourceURLs:\n"
        "  - /logs/*\n"
        "  - /healthz\n"
        "  verbs:\n"
        "  - get\n",
        "",
        0,
    )
    assert run(session, "create clusterrole foo --verb=get --resource=nodes") == (
        "clusterrole.rbac.authorization.k8s.io/foo created\n",
        "",
        0,
    )


def test_clusterrole_with_an_aggregation_rule(session):
    assert run(
        session,
        "create clusterrole monitoring --aggregation-rule=rbac.example.com/b=true,a=1 "
        "--dry-run=client -o yaml",
    ) == (
        "aggregationRule:\n"
        "  clusterRoleSelectors:\n"
        "  - matchLabels:\n"
        '      a: "1"\n'
        '      rbac.example.com/b: "true"\n'
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: ClusterRole\n"
        "metadata:\n"
        "  name: monitoring\n"
        "rules: null\n",
        "",
        0,
    )
    assert run(session, "create clusterrole monitoring --aggregation-rule=bad") == (
        "",
        'error: invalid argument "bad" for "--aggregation-rule" flag: malformed pair, expect '
        "string=string\nSee 'kubectl create clusterrole --help' for usage.\n",
        1,
    )


def test_rolebinding_subjects_in_kubectls_order(session):
    assert run(
        session,
        "create rolebinding admin --clusterrole=admin --serviceaccount=monitoring:sa-dev "
        "--user=user1 --group=group1 --user=user2 --dry-run=client -o yaml",
    ) == (
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: RoleBinding\n"
        "metadata:\n"
        "  name: admin\n"
        "roleRef:\n"
        "  apiGroup: rbac.authorization.k8s.io\n"
        "  kind: ClusterRole\n"
        "  name: admin\n"
        "subjects:\n"
        "- apiGroup: rbac.authorization.k8s.io\n"
        "  kind: User\n"
        "  name: user1\n"
        "- apiGroup: rbac.authorization.k8s.io\n"
        "  kind: User\n"
        "  name: user2\n"
        "- apiGroup: rbac.authorization.k8s.io\n"
        "  kind: Group\n"
        "  name: group1\n"
        "- kind: ServiceAccount\n"
        "  name: sa-dev\n"
        "  namespace: monitoring\n",
        "",
        0,
    )


def test_bindings_are_created(session):
    assert run(session, "create rolebinding rb --role=r --user=alice") == (
        "rolebinding.rbac.authorization.k8s.io/rb created\n",
        "",
        0,
    )
    assert run(session, "get rolebinding rb -o jsonpath={.roleRef.kind}/{.subjects[0].name}") == (
        "Role/alice",
        "",
        0,
    )
    assert run(session, "create rolebinding rb --role=r") == error(
        'failed to create rolebinding: rolebindings.rbac.authorization.k8s.io "rb" already exists'
    )
    assert run(session, "create clusterrolebinding crb --clusterrole=view --group=devs") == (
        "clusterrolebinding.rbac.authorization.k8s.io/crb created\n",
        "",
        0,
    )
    assert run(session, "create clusterrolebinding crb --clusterrole=view") == error(
        "failed to create clusterrolebinding: "
        'clusterrolebindings.rbac.authorization.k8s.io "crb" already exists'
    )
    assert run(
        session, "create clusterrolebinding c2 --clusterrole=view --dry-run=client -o yaml"
    ) == (
        "apiVersion: rbac.authorization.k8s.io/v1\n"
        "kind: ClusterRoleBinding\n"
        "metadata:\n"
        "  name: c2\n"
        "roleRef:\n"
        "  apiGroup: rbac.authorization.k8s.io\n"
        "  kind: ClusterRole\n"
        "  name: view\n",
        "",
        0,
    )
