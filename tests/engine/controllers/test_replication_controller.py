"""ReplicationControllers: the selector and labels taken from the template, the errors of
the kind, and the ReplicaSet controller's work (creating, adopting, deleting) done as
``replication-controller`` over a plain label selector."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError


def rc(replicas=2, selector=None, labels=None):
    spec = {
        "replicas": replicas,
        "template": {
            "metadata": {"labels": labels or {"app": "old"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        },
    }
    if selector is not None:
        spec["selector"] = selector
    return {
        "apiVersion": "v1",
        "kind": "ReplicationController",
        "metadata": {"name": "old"},
        "spec": spec,
    }


def test_the_selector_and_labels_come_from_the_template():
    cluster = new_cluster()
    created = cluster.api.create(rc())
    assert created["spec"]["selector"] == {"app": "old"}
    assert created["metadata"]["labels"] == {"app": "old"}
    with pytest.raises(ApiError) as caught:
        cluster.api.create({**rc(selector={"app": "other"}), "metadata": {"name": "bad"}})
    assert caught.value.message == (
        'The ReplicationController "bad" is invalid: spec.template.metadata.labels: Invalid '
        'value: {"app":"old"}: `selector` does not match template `labels`'
    )


def test_pods_are_kept_at_the_count_and_orphans_adopted():
    cluster = new_cluster()
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stray", "labels": {"app": "old"}},
            "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
        }
    )
    cluster.api.create(rc(replicas=2))
    cluster.run_for(15)
    pods = cluster.store.list("Pod", "default")
    assert len(pods) == 2
    stray = cluster.get("Pod", "stray")
    assert stray["metadata"]["ownerReferences"][0]["kind"] == "ReplicationController"
    status = cluster.get("ReplicationController", "old")["status"]
    assert (status["replicas"], status["readyReplicas"], status["availableReplicas"]) == (2, 2, 2)
    assert "terminatingReplicas" not in status
    events = [
        (e["source"]["component"], e["reason"])
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == "ReplicationController"
    ]
    assert events == [("replication-controller", "SuccessfulCreate")]
