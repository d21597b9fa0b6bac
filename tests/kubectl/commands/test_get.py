"""``kubectl get`` text, compared in full."""

import json

import pytest
import yaml
from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx:1.27"}]))
    cluster.create(
        pod("crash", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}])
    )
    cluster.run_for(60)
    return KubectlSession(cluster)


def test_get_pods_table(session):
    result = session.run("get pods")
    assert result.exit_code == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "NAME    READY   STATUS             RESTARTS      AGE"
    assert lines[1] == "crash   0/1     CrashLoopBackOff   3 (26s ago)   60s"
    assert lines[2] == "web     1/1     Running            0             60s"


def test_get_nodes_and_wide(session):
    assert (
        session.run("get nodes").stdout.splitlines()[1]
        == "control-plane   Ready    control-plane   60s   v1.35.0"
    )
    wide = session.run("get pods -o wide").stdout.splitlines()
    assert wide[0].split() == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED",
        "NODE",
        "READINESS",
        "GATES",
    ]


def test_names_yaml_json_and_lists(session):
    assert session.run("get pods -o name").stdout == "pod/crash\npod/web\n"
    single = yaml.safe_load(session.run("get pod web -o yaml").stdout)
    assert (single["kind"], single["metadata"]["name"]) == ("Pod", "web")
    listed = json.loads(session.run("get pods -o json").stdout)
    assert (listed["kind"], [i["metadata"]["name"] for i in listed["items"]]) == (
        "List",
        ["crash", "web"],
    )
    text = session.run("get pod web -o yaml").stdout
    assert 'creationTimestamp: "2026-01-05T09:00:00Z"' in text
    assert "\n  containers:\n  - image: nginx:1.27\n" in text


def test_errors_and_empty_results(session):
    missing = session.run("get pod nope")
    assert (missing.exit_code, missing.stderr) == (
        1,
        'Error from server (NotFound): pods "nope" not found\n',
    )
    assert (
        session.run("get podz").stderr == 'error: the server doesn\'t have a resource type "podz"\n'
    )
    empty = session.run("get pods -n kube-system")
    assert (empty.exit_code, empty.stdout, empty.stderr) == (
        0,
        "",
        "No resources found in kube-system namespace.\n",
    )
    typo = session.run("gett pods")
    assert (
        typo.stderr
        == 'error: unknown command "gett" for "kubectl"\n\nDid you mean this?\n\tget\n\tset\n\nRun \'kubectl --help\' for usage.\n'
    )
    assert (
        session.run("get pods --bogus").stderr
        == "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    )
    assert (
        session.run("get pods -z").stderr
        == "error: unknown shorthand flag: 'z' in -z\nSee 'kubectl get --help' for usage.\n"
    )
    assert (
        session.run("get pods -o").stderr
        == "error: flag needs an argument: 'o' in -o\nSee 'kubectl get --help' for usage.\n"
    )


def test_selectors_all_namespaces_and_labels(session):
    session.cluster.store.patch(
        "Pod", "web", "default", {"metadata": {"labels": {"app": "web"}}}, "merge"
    )
    assert session.run("get pods -l app=web -o name").stdout == "pod/web\n"
    assert session.run("get pods -l app!=web -o name").stdout == "pod/crash\n"
    assert session.run("get pods --show-labels").stdout.splitlines()[2].endswith("app=web")
    assert (
        session.run("get cm -A").stdout.splitlines()[0]
        == "NAMESPACE            NAME               DATA   AGE"
    )


def test_events_show_repeats(session):
    lines = session.run("get events").stdout.splitlines()
    assert lines[0].split() == ["LAST", "SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    back_off = next(line for line in lines if "BackOff" in line)
    assert " (x" in back_off and " over " in back_off
