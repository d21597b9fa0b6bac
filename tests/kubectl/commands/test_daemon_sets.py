"""DaemonSets through kubectl: get ds columns, describe ds, rollout status and restart, set
image, and the history kubectl keeps in ControllerRevisions (not modelled, said so)."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

AGENT = {
    "apiVersion": "apps/v1",
    "kind": "DaemonSet",
    "metadata": {"name": "agent"},
    "spec": {
        "selector": {"matchLabels": {"app": "agent"}},
        "template": {
            "metadata": {"labels": {"app": "agent"}},
            "spec": {
                "nodeSelector": {"kubernetes.io/os": "linux"},
                "containers": [
                    {"name": "agent", "image": "busybox:1.36", "command": ["sleep", "3600"]}
                ],
            },
        },
    },
}


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.api.create(AGENT)
    cluster.run_for(30)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_get_daemon_sets_shows_the_node_counts(session):
    out, _, _ = run(session, "get ds")
    assert out == (
        "NAME    DESIRED   CURRENT   READY   UP-TO-DATE   AVAILABLE   NODE SELECTOR            AGE\n"
        "agent   2         2         2       2            2           kubernetes.io/os=linux   30s\n"
    )


def test_describe_daemon_set_writes_the_counts_unaligned(session):
    text = session.run("describe daemonset agent").stdout
    assert (
        "Desired Number of Nodes Scheduled: 2\n"
        "Current Number of Nodes Scheduled: 2\n"
        "Number of Nodes Scheduled with Up-to-date Pods: 2\n"
        "Number of Nodes Scheduled with Available Pods: 2\n"
        "Number of Nodes Misscheduled: 0\n"
        "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    ) in text
    assert "Node-Selector:  kubernetes.io/os=linux\n" in text
    assert "daemonset-controller  Created pod: agent-" in text


def test_set_image_rolls_it_out_and_rollout_status_follows(session):
    assert run(session, "set image ds/agent agent=busybox:1.37") == (
        "daemonset.apps/agent image updated\n",
        "",
        0,
    )
    out, err, code = run(session, "rollout status daemonset/agent")
    assert (err, code) == ("", 0)
    assert out.splitlines()[0] == (
        'Waiting for daemon set "agent" rollout to finish: 0 out of 2 new pods have been updated...'
    )
    assert out.splitlines()[-1] == 'daemon set "agent" successfully rolled out'
    assert run(session, "rollout restart ds/agent") == ("daemonset.apps/agent restarted\n", "", 0)


def test_rollout_history_of_a_daemon_set_says_what_the_sandbox_lacks(session):
    _, err, code = run(session, "rollout history ds/agent")
    assert code == 1 and "ControllerRevisions" in err
    session.language = "ko"
    assert "ControllerRevision" in session.run("rollout undo ds/agent").stderr
