"""``get all`` (and ``delete all``) expand the ``all`` category to the kinds that have it,
core kinds first; a table of several kinds names each object with its group kind."""

from __future__ import annotations

from cluster_helpers import new_cluster
from test_replica_sets import WEB as REPLICA_SET

from k8sgame.kubectl.session import KubectlSession


def test_get_all_lists_pods_then_replica_sets_with_their_group_kinds():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    # A fresh cluster has the API server's own Service; one kind alone has no kind prefix
    # (get.go multipleGVKsRequested).
    assert session.run("get all").stdout.splitlines() == [
        "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)   AGE",
        "kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP   0s",
    ]
    cluster.api.create(REPLICA_SET)
    cluster.run_for(12)
    lines = session.run("get all").stdout.splitlines()
    assert lines[0].split() == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    assert [line.split()[0] for line in lines[1:4]] == sorted(
        f"pod/{p['metadata']['name']}" for p in cluster.store.list("Pod", "default")
    )
    assert lines[4] == ""
    assert lines[5].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert lines[6].split() == [
        "service/kubernetes",
        "ClusterIP",
        "10.96.0.1",
        "<none>",
        "443/TCP",
        "12s",
    ]
    assert lines[7] == ""
    assert lines[8].split() == ["NAME", "DESIRED", "CURRENT", "READY", "AGE"]
    assert lines[9].split() == ["replicaset.apps/web", "3", "3", "3", "12s"]
    assert session.run("get all -o name").stdout.splitlines()[-1] == "replicaset.apps/web"


def test_delete_all_removes_every_kind_of_the_category():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.api.create(REPLICA_SET)
    cluster.run_for(12)
    deleted = session.run("delete all --all").stdout.splitlines()
    assert 'service "kubernetes" deleted from default namespace' in deleted
    assert deleted[-1] == 'replicaset.apps "web" deleted from default namespace'
    cluster.run_for(60)
    # The API server puts its own Service back within ten seconds; the rest is gone.
    assert [line.split()[0] for line in session.run("get all").stdout.splitlines()] == [
        "NAME",
        "kubernetes",
    ]
