"""ServiceAccounts through kubectl 1.35: ``get`` (``printServiceAccount``: NAME, SECRETS,
AGE), ``describe`` (``describeServiceAccount`` at v0.35.7: the image pull secrets, then the
events) and ``create serviceaccount`` (``create_serviceaccount.go``: alias ``sa``, the
namespace in the object only when given, server errors wrapped as ``failed to create
serviceaccount: ``)."""

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


def test_every_namespace_has_a_default_account(session):
    assert run(session, "get sa") == ("NAME      SECRETS   AGE\ndefault   0         5s\n", "", 0)
    assert run(session, "get serviceaccounts -A") == (
        "NAMESPACE            NAME      SECRETS   AGE\n"
        "default              default   0         5s\n"
        "kube-node-lease      default   0         5s\n"
        "kube-public          default   0         5s\n"
        "kube-system          default   0         5s\n"
        "local-path-storage   default   0         5s\n",
        "",
        0,
    )


def test_describe(session):
    assert run(session, "describe sa default") == (
        "Name:                default\n"
        "Namespace:           default\n"
        "Labels:              <none>\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  <none>\n"
        "Events:              <none>\n",
        "",
        0,
    )


def test_describe_lists_image_pull_secrets_under_one_heading(session):
    session.cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "puller", "namespace": "default", "labels": {"team": "a"}},
            "imagePullSecrets": [{"name": "regcred"}, {"name": "mirror"}],
            "secrets": [{"name": "old-token"}],
        }
    )
    assert run(session, "describe serviceaccount puller")[0] == (
        "Name:                puller\n"
        "Namespace:           default\n"
        "Labels:              team=a\n"
        "Annotations:         <none>\n"
        "Image pull secrets:  regcred\n"
        "                     mirror\n"
        "Events:              <none>\n"
    )
    assert run(session, "get sa puller")[0] == "NAME     SECRETS   AGE\npuller   1         0s\n"


def test_create(session):
    assert run(session, "create serviceaccount builder") == (
        "serviceaccount/builder created\n",
        "",
        0,
    )
    assert session.cluster.get("ServiceAccount", "builder")["metadata"]["namespace"] == "default"
    assert run(session, "create sa builder") == (
        "",
        'error: failed to create serviceaccount: serviceaccounts "builder" already exists\n',
        1,
    )
    assert run(session, "create sa ci -n kube-system") == ("serviceaccount/ci created\n", "", 0)
    assert session.cluster.get("ServiceAccount", "ci", "kube-system") is not None


def test_create_dry_runs(session):
    assert run(session, "create sa x --dry-run=client") == (
        "serviceaccount/x created (dry run)\n",
        "",
        0,
    )
    assert run(session, "create sa x --dry-run=client -o yaml") == (
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: x\n",
        "",
        0,
    )
    assert run(session, "create sa x -n kube-system --dry-run=client -o json") == (
        '{\n    "kind": "ServiceAccount",\n    "apiVersion": "v1",\n    "metadata": {\n'
        '        "name": "x",\n        "namespace": "kube-system"\n    }\n}\n',
        "",
        0,
    )
    assert run(session, "create sa x --dry-run=server") == (
        "serviceaccount/x created (server dry run)\n",
        "",
        0,
    )
    assert run(session, "create sa x -o name") == ("serviceaccount/x\n", "", 0)
    assert session.cluster.get("ServiceAccount", "x") is not None


def test_create_errors(session):
    usage = "See 'kubectl create serviceaccount -h' for help and examples\n"
    assert run(session, "create sa") == (
        "",
        "error: exactly one NAME is required, got 0\n" + usage,
        1,
    )
    assert run(session, "create sa a b") == (
        "",
        "error: exactly one NAME is required, got 2\n" + usage,
        1,
    )
    _, err, code = run(session, "create sa Bad_Name")
    assert code == 1
    assert err.startswith(
        'error: failed to create serviceaccount: ServiceAccount "Bad_Name" is invalid: '
        'metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain'
    )


def test_a_deleted_default_account_comes_back(session):
    assert run(session, "delete sa default") == (
        'serviceaccount "default" deleted from default namespace\n',
        "",
        0,
    )
    session.cluster.run_for(1)
    assert run(session, "get sa")[0] == "NAME      SECRETS   AGE\ndefault   0         1s\n"
