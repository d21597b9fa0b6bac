"""The kubeconfig's users and contexts, and the global options that choose the client:
``--context``, ``--user``, ``--as`` and ``--as-group`` (kubectl 1.35's ``pkg/cmd/config`` and
client-go's ``clientcmd`` validation and client config)."""

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.apiserver.identity import AUTHENTICATED, UserInfo
from k8sgame.kubectl.kubeconfig import KubeConfig
from k8sgame.kubectl.session import KubectlSession

FORBIDDEN_PODS = (
    'Error from server (Forbidden): pods is forbidden: User "{user}" cannot list resource'
    ' "pods" in API group "" in the namespace "{namespace}"\n'
)


@pytest.fixture
def session():
    kubeconfig = KubeConfig.default()
    kubeconfig.add_user("jane", UserInfo("jane", (AUTHENTICATED,)))
    kubeconfig.add_context("jane", "jane")
    return KubectlSession(new_cluster(), kubeconfig=kubeconfig)


def run(session, command):
    result = session.run(command)
    return result.exit_code, result.stdout, result.stderr


def test_contexts_and_users_are_listed(session):
    assert run(session, "config get-contexts") == (
        0,
        "CURRENT   NAME      CLUSTER   AUTHINFO   NAMESPACE\n"
        "          jane      k8sgame   jane       \n"
        "*         k8sgame   k8sgame   admin      \n",
        "",
    )
    assert run(session, "config get-contexts -o name") == (0, "jane\nk8sgame\n", "")
    assert run(session, "config get-contexts --no-headers jane") == (
        0,
        "      jane   k8sgame   jane   \n",
        "",
    )
    assert run(session, "config get-contexts jane nope") == (
        1,
        "CURRENT   NAME   CLUSTER   AUTHINFO   NAMESPACE\n          jane   k8sgame   jane       \n",
        "error: context nope not found\n",
    )
    # More than one missing: CheckErr prints the aggregate a line each, without "error: ".
    assert (
        run(session, "config get-contexts a b")[2] == "context a not found\ncontext b not found\n"
    )
    assert run(session, "config get-contexts -o wide")[2] == (
        "error: --output wide is not available in kubectl config get-contexts;"
        " resetting to default output format\n"
    )
    assert run(session, "config get-users") == (0, "NAME\nadmin\njane\n", "")
    assert run(session, "config get-clusters") == (0, "NAME\nk8sgame\n", "")


def test_use_context_switches_the_user(session):
    assert run(session, "config use-context jane") == (0, 'Switched to context "jane".\n', "")
    assert run(session, "config current-context") == (0, "jane\n", "")
    assert run(session, "get pods") == (
        1,
        "",
        FORBIDDEN_PODS.format(user="jane", namespace="default"),
    )
    assert run(session, "config use k8sgame") == (0, 'Switched to context "k8sgame".\n', "")
    assert run(session, "get pods") == (0, "", "No resources found in default namespace.\n")
    assert run(session, "config use-context nope") == (
        1,
        "",
        'error: no context exists with the name: "nope"\n',
    )


def test_set_context_changes_or_creates_a_context(session):
    assert run(session, "config set-context jane --namespace=dev") == (
        0,
        'Context "jane" modified.\n',
        "",
    )
    assert run(session, "config set-context mine --user=jane --cluster=k8sgame") == (
        0,
        'Context "mine" created.\n',
        "",
    )
    assert run(session, "config set-context mine --current") == (
        1,
        "",
        "error: you cannot specify both a context name and --current\n",
    )
    assert run(session, "config get-contexts --no-headers")[1] == (
        "      jane      k8sgame   jane    dev\n"
        "*     k8sgame   k8sgame   admin   \n"
        "      mine      k8sgame   jane    \n"
    )
    # The context's namespace is where its commands look.
    assert run(session, "--context=jane get pods")[2] == FORBIDDEN_PODS.format(
        user="jane", namespace="dev"
    )
    assert run(session, "config set-context --current --namespace=kube-system")[1] == (
        'Context "k8sgame" modified.\n'
    )
    assert session.namespace == "kube-system"


def test_view_shows_every_user_and_minify_the_current_ones(session):
    assert run(session, "config view -o jsonpath={.users[*].name}")[1] == "admin jane"
    assert run(session, "config view -o jsonpath={.contexts[*].name}")[1] == "jane k8sgame"
    assert run(session, "config view --minify --context=jane")[1] == (
        "apiVersion: v1\n"
        "clusters:\n"
        "- cluster:\n"
        "    certificate-authority-data: DATA+OMITTED\n"
        "    server: https://127.0.0.1:6443\n"
        "  name: k8sgame\n"
        "contexts:\n"
        "- context:\n"
        "    cluster: k8sgame\n"
        "    user: jane\n"
        "  name: jane\n"
        "current-context: jane\n"
        "kind: Config\n"
        "users:\n"
        "- name: jane\n"
        "  user:\n"
        "    client-certificate-data: DATA+OMITTED\n"
        "    client-key-data: DATA+OMITTED\n"
    )
    assert run(session, "config view --minify --context=nope") == (
        1,
        "",
        "error: cannot locate context nope\n",
    )


def test_as_impersonates_another_user(session):
    assert run(session, "--as=jane get pods") == (
        1,
        "",
        FORBIDDEN_PODS.format(user="jane", namespace="default"),
    )
    assert run(session, "get pods --as=jane --as-group=system:masters") == (
        0,
        "",
        "No resources found in default namespace.\n",
    )
    assert run(session, "--as=system:serviceaccount:default:default get pods") == (
        1,
        "",
        FORBIDDEN_PODS.format(user="system:serviceaccount:default:default", namespace="default"),
    )
    # The next command talks as the kubeconfig user again.
    assert run(session, "get pods")[0] == 0


def test_as_group_without_as_is_a_configuration_error(session):
    assert run(session, "--as-group=system:masters get pods") == (
        1,
        "",
        "Error in configuration: requesting uid, groups or user-extra for admin without"
        " impersonating a user\n",
    )


def test_a_user_who_may_not_impersonate_is_refused(session):
    assert run(session, "--user jane --as bob get pods") == (
        1,
        "",
        'Error from server (Forbidden): users "bob" is forbidden: User "jane" cannot'
        ' impersonate resource "users" in API group "" at the cluster scope\n',
    )
    assert run(session, "--user=jane get pods")[2] == FORBIDDEN_PODS.format(
        user="jane", namespace="default"
    )


def test_missing_contexts_and_users(session):
    assert run(session, "--context=nope get pods") == (
        1,
        "",
        "Error in configuration: context was not found for specified context: nope\n",
    )
    # With -n the namespace needs no context; building the client then fails.
    assert run(session, "-n dev --context=nope get pods") == (
        1,
        "",
        'error: context "nope" does not exist\n',
    )
    assert run(session, "--user=nope get pods") == (
        1,
        "",
        'error: auth info "nope" does not exist\n',
    )


def test_a_commands_own_user_flag_is_not_the_global_one(session):
    assert run(
        session, "create rolebinding rb --clusterrole=view --user=jane --dry-run=client -o name"
    ) == (0, "rolebinding.rbac.authorization.k8s.io/rb\n", "")
