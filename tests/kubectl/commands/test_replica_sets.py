"""ReplicaSets through kubectl: ``get rs`` (``printReplicaSet``), discovery
(``api-resources``, ``api-versions``) and ``explain``."""

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

WEB = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "web"},
    "spec": {
        "replicas": 3,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {"containers": [{"name": "web", "image": "nginx"}]},
        },
    },
}


@pytest.fixture(scope="module")
def session():
    cluster = new_cluster()
    cluster.create(WEB)
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "pair"},
            "spec": {
                "replicas": 0,
                "selector": {
                    "matchLabels": {"app": "pair"},
                    "matchExpressions": [{"key": "tier", "operator": "Exists"}],
                },
                "template": {
                    "metadata": {"labels": {"app": "pair", "tier": "x"}},
                    "spec": {
                        "containers": [
                            {"name": "app", "image": "nginx:1.27"},
                            {"name": "side", "image": "busybox:1.36"},
                        ]
                    },
                },
            },
        }
    )
    cluster.run_for(12)
    return KubectlSession(cluster)


def test_get_rs(session):
    result = session.run("get rs")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "NAME   DESIRED   CURRENT   READY   AGE\n"
        "pair   0         0         0       12s\n"
        "web    3         3         3       12s\n"
    )
    assert session.run("get replicasets web").stdout == (
        "NAME   DESIRED   CURRENT   READY   AGE\nweb    3         3         3       12s\n"
    )


def test_get_rs_wide(session):
    assert session.run("get rs -o wide").stdout == (
        "NAME   DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES                    SELECTOR\n"
        "pair   0         0         0       12s   app,side     nginx:1.27,busybox:1.36   app=pair,tier\n"
        "web    3         3         3       12s   web          nginx                     app=web\n"
    )


def test_the_pods_are_the_replica_sets(session):
    names = [line.split()[0] for line in session.run("get pods").stdout.splitlines()[1:]]
    assert len(names) == 3 and all(n.startswith("web-") and len(n) == 9 for n in names)


def test_api_resources_row_and_versions(session):
    rows = [line.split() for line in session.run("api-resources").stdout.splitlines()]
    assert ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"] in rows
    assert "replicasets.apps" in session.run("api-resources -o name").stdout.splitlines()
    assert session.run("api-versions").stdout.startswith("apps/v1\n")


def test_explain_replicas_in_english_and_korean(session):
    head = "GROUP:      apps\nKIND:       ReplicaSet\nVERSION:    v1\n\nFIELD: replicas <integer>\n\n\n"
    english = session.run("explain replicaset.spec.replicas")
    assert (english.exit_code, english.stderr) == (0, "")
    assert english.stdout == (
        head + "DESCRIPTION:\n"
        "    The number of pods the ReplicaSet keeps running. Defaults to 1; 0 removes\n"
        "    every pod but keeps the ReplicaSet. Changing it scales the pods up or down.\n"
        "    Must not be negative.\n"
        "    \n"
        "\n"
    )
    korean = KubectlSession(session.cluster, language="ko").run("explain rs.spec.replicas")
    assert korean.stdout == (
        head + "DESCRIPTION:\n"
        "    ReplicaSet이 계속 실행할 Pod 수입니다. 기본값은 1이고, 0이면 ReplicaSet은\n"
        "    남기고 Pod를 모두 지웁니다. 값을 바꾸면 Pod 수가 늘거나 줄어듭니다. 음수일\n"
        "    수 없습니다.\n"
        "    \n"
        "\n"
    )
    assert session.run("explain replicasets.apps.spec.replicas").stdout == english.stdout


def test_explain_replica_set_spec_lists_its_fields(session):
    text = session.run("explain rs.spec").stdout
    assert "FIELD: spec <ReplicaSetSpec>" in text
    fields = [
        line.split("\t") for line in text.splitlines() if line.startswith("  ") and "\t" in line
    ]
    assert fields == [
        ["  minReadySeconds", "<integer>"],
        ["  replicas", "<integer>"],
        ["  selector", "<LabelSelector> -required-"],
        ["  template", "<PodTemplateSpec>"],
    ]


def test_a_replication_controller_through_kubectl():
    cluster = new_cluster()
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "metadata": {"name": "old"},
            "spec": {
                "replicas": 2,
                "template": {
                    "metadata": {"labels": {"app": "old"}},
                    "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
                },
            },
        }
    )
    cluster.run_for(15)
    session = KubectlSession(cluster)
    assert session.run("get rc -o wide").stdout == (
        "NAME   DESIRED   CURRENT   READY   AGE   CONTAINERS   IMAGES       SELECTOR\n"
        "old    2         2         2       15s   web          nginx:1.27   app=old\n"
    )
    described = session.run("describe rc old").stdout
    assert described.startswith(
        "Name:         old\n"
        "Namespace:    default\n"
        "Selector:     app=old\n"
        "Labels:       app=old\n"
        "Annotations:  <none>\n"
        "Replicas:     2 current / 2 desired\n"
        "Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
    )
    assert "replication-controller  Created pod: old-" in described
    assert session.run("scale rc old --replicas=3").stdout == "replicationcontroller/old scaled\n"
