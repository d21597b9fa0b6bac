"""``kubectl scale``: the replica count of objects with a scale subresource, its
preconditions, and kubectl's errors."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster, pod
from test_replica_sets import WEB

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.api.create(WEB)
    cluster.create(pod("solo", [{"name": "solo", "image": "nginx"}]))
    cluster.run_for(12)
    return KubectlSession(cluster)


def _live_pods(session):
    return [
        p
        for p in session.cluster.api.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp") and p["metadata"]["name"] != "solo"
    ]


def test_scale_sets_replicas_and_the_controller_follows(session):
    result = session.run("scale rs web --replicas=5")
    assert (result.stdout, result.exit_code, result.changed) == (
        "replicaset.apps/web scaled\n",
        0,
        True,
    )
    session.cluster.run_for(20)
    assert len(_live_pods(session)) == 5
    assert session.run("scale replicaset/web --replicas=1").stdout == "replicaset.apps/web scaled\n"
    session.cluster.run_for(40)
    assert len(_live_pods(session)) == 1


def test_dry_runs_change_nothing(session):
    assert (
        session.run("scale rs web --replicas=9 --dry-run=client").stdout
        == "replicaset.apps/web scaled (dry run)\n"
    )
    assert (
        session.run("scale rs web --replicas=9 --dry-run=server").stdout
        == "replicaset.apps/web scaled (server dry run)\n"
    )
    assert session.cluster.api.get("ReplicaSet", "web", "default")["spec"]["replicas"] == 3


@pytest.mark.parametrize(
    ("command", "stderr"),
    [
        ("scale rs web", 'error: required flag(s) "replicas" not set\n'),
        (
            "scale rs web --replicas=-1",
            "error: The --replicas=COUNT flag is required, and COUNT must be greater than or "
            "equal to 0\n",
        ),
        (
            "scale rs web --replicas=2 --current-replicas=4",
            "error: Expected replicas to be 4, was 3\n",
        ),
        (
            "scale pod solo --replicas=2",
            "Error from server (NotFound): the server could not find the requested resource "
            "(get pods solo)\n",
        ),
        (
            # kubectl 1.35 words a missing object as get does (kubernetes PR 134017).
            "scale rs nope --replicas=2",
            'Error from server (NotFound): replicasets.apps "nope" not found\n',
        ),
    ],
)
def test_scale_refuses_in_kubectls_words(session, command, stderr):
    result = session.run(command)
    assert (result.stderr, result.exit_code, result.stdout) == (stderr, 1, "")
    assert session.cluster.api.get("ReplicaSet", "web", "default")["spec"]["replicas"] == 3
