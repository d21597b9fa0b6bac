"""``kubectl auth can-i`` and ``kubectl auth whoami``: what a user sees, as kubectl 1.35 prints it
(``kubectl/pkg/cmd/auth/cani.go``, ``whoami.go``)."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import UserInfo
from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def admin():
    return KubectlSession(new_cluster())


@pytest.fixture
def jane(admin):
    """A session whose kubeconfig user is jane, who has no bindings of her own."""
    client = Client(admin.cluster.apiserver, UserInfo("jane", ("system:authenticated",)))

    class AsJane(KubectlSession):
        api = property(lambda self: client)

    return AsJane(admin.cluster)


def ok(session, command):
    result = session.run(command)
    assert result.exit_code == 0, result
    return result


def outcome(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_admin_can_do_everything(admin):
    assert outcome(admin, "auth can-i '*' '*'") == ("yes\n", "", 0)
    assert outcome(admin, "auth can-i delete deployments.apps -A") == ("yes\n", "", 0)
    assert outcome(admin, "auth can-i get /logs") == ("yes\n", "", 0)


def test_no_binding_is_no_and_exit_code_1(jane):
    assert outcome(jane, "auth can-i get pods") == ("no\n", "", 1)
    assert outcome(jane, "auth can-i get pods -q") == ("", "", 1)
    # Every user may ask about themselves (a cluster-scoped resource: kubectl warns).
    assert outcome(jane, "auth can-i create selfsubjectaccessreviews") == (
        "yes\n",
        "Warning: resource 'selfsubjectaccessreviews' is not namespace scoped in group "
        "'authorization.k8s.io'\n\n",
        0,
    )


def test_a_rolebinding_to_view_answers_in_its_namespace_only(admin, jane):
    ok(admin, "create namespace dev")
    ok(admin, "create rolebinding jane-view --clusterrole=view --user=jane -n dev")
    assert outcome(jane, "auth can-i list pods -n dev") == ("yes\n", "", 0)
    assert outcome(jane, "auth can-i list po -n dev") == ("yes\n", "", 0)
    assert outcome(jane, "auth can-i list deployments.apps -n dev") == ("yes\n", "", 0)
    assert outcome(jane, "auth can-i delete pods -n dev") == ("no\n", "", 1)
    assert outcome(jane, "auth can-i list pods") == ("no\n", "", 1)
    assert outcome(jane, "auth can-i list pods -A") == ("no\n", "", 1)
    assert outcome(jane, "auth can-i -q list pods -n dev") == ("", "", 0)


def test_type_slash_name_is_a_name_and_subresources_are_a_flag(admin, jane):
    ok(admin, "create role logs --verb=get --resource=pods/log --resource-name=web")
    ok(admin, "create rolebinding jane-logs --role=logs --user=jane")
    # pods/log names the pod "log" (TYPE/NAME), not the log subresource.
    assert outcome(jane, "auth can-i get pods/log") == ("no\n", "", 1)
    assert outcome(jane, "auth can-i get pods/web --subresource=log") == ("yes\n", "", 0)
    assert outcome(jane, "auth can-i get pods/other --subresource=log") == ("no\n", "", 1)
    assert outcome(jane, "auth can-i get pods/web") == ("no\n", "", 1)


def test_a_binding_to_a_missing_role_gives_the_reason(admin, jane):
    ok(admin, "create rolebinding broken --role=x --user=jane")
    assert outcome(jane, "auth can-i get pods") == (
        'no - RBAC: role.rbac.authorization.k8s.io "x" not found\n',
        "",
        1,
    )


def test_warnings_for_unknown_and_cluster_scoped_resources_and_verbs(admin):
    assert outcome(admin, "auth can-i get foos") == (
        "yes\n",
        "Warning: the server doesn't have a resource type 'foos'\n\n",
        0,
    )
    assert outcome(admin, "auth can-i get foos.example.com") == (
        "yes\n",
        "Warning: the server doesn't have a resource type 'foos' in group 'example.com'\n\n",
        0,
    )
    assert outcome(admin, "auth can-i get nodes") == (
        "yes\n",
        "Warning: resource 'nodes' is not namespace scoped\n\n",
        0,
    )
    assert outcome(admin, "auth can-i get clusterroles.rbac.authorization.k8s.io") == (
        "yes\n",
        "Warning: resource 'clusterroles' is not namespace scoped in group "
        "'rbac.authorization.k8s.io'\n\n",
        0,
    )
    assert outcome(admin, "auth can-i get nodes -A") == ("yes\n", "", 0)
    assert outcome(admin, "auth can-i frob pods") == (
        "yes\n",
        "Warning: verb 'frob' is not a known verb\n\n",
        0,
    )
    # users and groups are served but not discoverable: no warning about them.
    assert outcome(admin, "auth can-i impersonate users") == ("yes\n", "", 0)


def test_non_resource_urls(admin, jane):
    assert outcome(jane, "auth can-i get /healthz") == ("yes\n", "", 0)
    assert outcome(jane, "auth can-i get /logs") == ("no\n", "", 1)
    assert outcome(admin, "auth can-i frob /logs") == (
        "yes\n",
        "Warning: verb 'frob' is not a known verb\n\n",
        0,
    )
    assert outcome(admin, "auth can-i get /logs --subresource=log") == (
        "",
        "error: --subresource can not be used with NonResourceURL\n",
        1,
    )


def test_argument_and_flag_errors(admin):
    usage = (
        "error: you must specify two arguments: verb resource or verb resource/resourceName.\n"
        "See 'kubectl auth can-i -h' for help and examples.\n"
    )
    assert outcome(admin, "auth can-i get") == ("", usage, 1)
    assert outcome(admin, "auth can-i get pods web") == ("", usage, 1)
    assert outcome(admin, "auth can-i --list pods") == (
        "",
        "error: list option must be specified with no arguments\n",
        1,
    )
    assert outcome(admin, "auth can-i --list -A") == (
        "",
        "error: list option can't be specified with neither quiet, all-namespaces nor "
        "subresource options\n",
        1,
    )
    assert outcome(admin, "auth can-i get pods --no-headers") == (
        "",
        "error: --no-headers cannot be set without --list specified\n",
        1,
    )
    # The warnings come first: kubectl prints them while it validates.
    assert outcome(admin, "auth can-i get nodes --no-headers") == (
        "",
        "Warning: resource 'nodes' is not namespace scoped\n\n"
        "error: --no-headers cannot be set without --list specified\n",
        1,
    )


def test_list_prints_the_compacted_sorted_rules(admin, jane):
    ok(admin, "create role reader --verb=get,list --resource=pods,deployments.apps")
    ok(admin, "create role one --verb=get --verb=delete --resource=configmaps --resource-name=cfg")
    ok(admin, "create rolebinding jane-reader --role=reader --user=jane")
    ok(admin, "create rolebinding jane-one --role=one --user=jane")
    stdout, stderr, code = outcome(jane, "auth can-i --list")
    assert (stderr, code) == ("", 0)
    lines = stdout.splitlines()
    # Sorted by the rules' Go String(), which starts with the verbs; [] for a core group.
    assert lines[:7] == [
        "Resources                                       Non-Resource URLs   Resource Names   Verbs",
        "selfsubjectreviews.authentication.k8s.io        []                  []               [create]",
        "selfsubjectaccessreviews.authorization.k8s.io   []                  []               [create]",
        "selfsubjectrulesreviews.authorization.k8s.io    []                  []               [create]",
        "configmaps                                      []                  [cfg]            [get delete]",
        "pods                                            []                  []               [get list]",
        "deployments.apps                                []                  []               [get list]",
    ]
    assert (
        "                                                [/healthz]          []               [get]"
        in lines
    )
    # Elsewhere jane has only what every user has.
    other = outcome(jane, "auth can-i --list -n kube-system --no-headers")[0].splitlines()
    assert not any("pods" in line for line in other)
    assert other[0].startswith("selfsubjectreviews.authentication.k8s.io   ")


def test_list_warns_when_the_rules_may_be_incomplete(admin):
    class Incomplete(Client):
        def create(self, obj, **kwargs):
            answer = super().create(obj, **kwargs)
            answer["status"].update(incomplete=True, evaluationError="boom")
            return answer

    client = Incomplete(admin.cluster.apiserver, UserInfo("jane", ("system:authenticated",)))

    class AsJane(KubectlSession):
        api = property(lambda self: client)

    result = AsJane(admin.cluster).run("auth can-i --list --no-headers")
    # No blank line after this warning: its message has no newline of its own.
    assert result.stderr == "Warning: the list may be incomplete: boom\n"
    assert result.stdout.startswith("selfsubjectreviews.authentication.k8s.io   ")
    assert result.exit_code == 0


def test_list_of_an_admin(admin):
    lines = ok(admin, "auth can-i --list").stdout.splitlines()
    assert lines[:3] == [
        "Resources                                       Non-Resource URLs   Resource Names   Verbs",
        "*.*                                             []                  []               [*]",
        "                                                [*]                 []               [*]",
    ]


def test_whoami(admin, jane):
    assert outcome(admin, "auth whoami") == (
        "ATTRIBUTE   VALUE\n"
        "Username    kubernetes-admin\n"
        "Groups      [kubeadm:cluster-admins system:authenticated]\n",
        "",
        0,
    )
    assert outcome(jane, "auth whoami") == (
        "ATTRIBUTE   VALUE\nUsername    jane\nGroups      [system:authenticated]\n",
        "",
        0,
    )
    assert ok(jane, "auth whoami -o yaml").stdout == (
        "apiVersion: authentication.k8s.io/v1\n"
        "kind: SelfSubjectReview\n"
        "metadata:\n"
        "  creationTimestamp: null\n"
        "status:\n"
        "  userInfo:\n"
        "    groups:\n"
        "    - system:authenticated\n"
        "    username: jane\n"
    )
    assert ok(jane, "auth whoami -o json").stdout == (
        "{\n"
        '    "kind": "SelfSubjectReview",\n'
        '    "apiVersion": "authentication.k8s.io/v1",\n'
        '    "metadata": {\n'
        '        "creationTimestamp": null\n'
        "    },\n"
        '    "status": {\n'
        '        "userInfo": {\n'
        '            "username": "jane",\n'
        '            "groups": [\n'
        '                "system:authenticated"\n'
        "            ]\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    assert ok(jane, "auth whoami -o jsonpath={.status.userInfo.username}").stdout == "jane"


def test_auth_alone_lists_its_subcommands(admin):
    stdout, stderr, code = outcome(admin, "auth")
    assert (stdout, code) == ("", 1)
    assert stderr.startswith("Available Commands:\n  can-i         Check whether an action")
    assert stderr.endswith("Usage:\n  kubectl auth [flags] [options]\n")


def test_asking_is_not_a_change_to_the_cluster():
    # A level's par counts changes: kubectl auth can-i creates a review, which is only
    # answered, never stored.
    session = KubectlSession(new_cluster())
    asked = session.run("auth can-i list pods --as jane")
    assert (asked.stdout, asked.exit_code, asked.changed) == ("no\n", 1, False)
    assert session.run("auth whoami").changed is False
    assert session.run("create namespace x").changed is True
