"""StatefulSets through kubectl: get with READY as ready/desired, describe with the volume
claim templates, rollout status in the StatefulSet status viewer's words, scale, and the
ControllerRevision history the sandbox says it does not keep."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

MANIFEST = {
    "apiVersion": "apps/v1",
    "kind": "StatefulSet",
    "metadata": {"name": "web"},
    "spec": {
        "replicas": 2,
        "serviceName": "web",
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "nginx", "image": "nginx:1.27"}]},
        },
        "volumeClaimTemplates": [
            {
                "metadata": {"name": "www"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ],
    },
}


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.api.create(MANIFEST)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_rollout_status_waits_for_each_pod_then_get_and_describe(session):
    stdout, stderr, code = run(session, "rollout status statefulset/web")
    assert (stderr, code) == ("", 0)
    assert stdout.splitlines()[-3:] == [
        "Waiting for 2 pods to be ready...",
        "Waiting for 1 pods to be ready...",
        "partitioned roll out complete: 2 new pods have been updated...",
    ]
    table = run(session, "get sts")[0].splitlines()
    assert table[0] == "NAME   READY   AGE"
    assert table[1].split()[:2] == ["web", "2/2"]
    assert run(session, "get sts -o wide")[0].splitlines()[1].split()[3:] == ["nginx", "nginx:1.27"]
    described = run(session, "describe sts web")[0]
    assert described.startswith(
        "Name:               web\n"
        "Namespace:          default\n"
        "CreationTimestamp:  Mon, 05 Jan 2026 09:00:00 +0000\n"
        "Selector:           app=web\n"
        "Labels:             <none>\n"
        "Annotations:        <none>\n"
        "Replicas:           2 desired | 2 total\n"
        "Update Strategy:    RollingUpdate\n"
        "  Partition:        0\n"
        "Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
    )
    assert (
        "Volume Claims:\n"
        "  Name:          www\n"
        "  StorageClass:  \n"
        "  Labels:        <none>\n"
        "  Annotations:   <none>\n"
        "  Capacity:      1Gi\n"
        "  Access Modes:  [ReadWriteOnce]\n"
    ) in described
    assert "create Claim www-web-1 Pod web-1 in StatefulSet web success\n" in described


def test_scale_and_what_the_sandbox_does_not_keep(session):
    run(session, "rollout status sts/web")
    assert run(session, "scale sts web --replicas=3")[0] == "statefulset.apps/web scaled\n"
    session.cluster.run_for(30)
    assert run(session, "get pods --no-headers -o name")[0] == ("pod/web-0\npod/web-1\npod/web-2\n")
    assert run(session, "rollout history sts/web")[1].startswith(
        "error: a StatefulSet keeps its history in ControllerRevisions"
    )
    logs = run(session, "logs statefulset/web")
    assert logs[2] == 0 and "nginx" in logs[0]
    assert run(session, "rollout restart sts/web")[0] == "statefulset.apps/web restarted\n"
    rows = [line.split() for line in run(session, "api-resources")[0].splitlines()]
    assert ["statefulsets", "sts", "apps/v1", "true", "StatefulSet"] in rows
