"""The ReplicaSet controller and the ReplicaSet kind: pods kept at spec.replicas under their
controller reference, replaced when they go, adopted and released by labels, removed in
kubectl's order on scale-down, and the API server's defaults and errors for the kind."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster, pod
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.controllers.replicaset import ReplicaSetController
from k8sgame.engine.errors import ApiError


def replica_set(replicas=3, labels=None, selector=None, **template_spec):
    labels = {"app": "web"} if labels is None else labels
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}} if selector is None else selector,
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "web", "image": "nginx"}], **template_spec},
            },
        },
    }


def pods(cluster):
    return sorted(cluster.store.list("Pod", "default"), key=lambda p: p["metadata"]["name"])


def live(cluster):
    return [p for p in pods(cluster) if not p["metadata"].get("deletionTimestamp")]


def rs_events(cluster):
    return [
        (e["reason"], e["message"], e["source"]["component"])
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == "ReplicaSet"
    ]


def test_a_replica_set_creates_its_pods_under_a_controller_reference():
    cluster = new_cluster()
    created = cluster.api.create(replica_set())
    cluster.run_for(30)
    running = pods(cluster)
    assert len(running) == 3
    for p in running:
        assert p["metadata"]["name"].startswith("web-") and len(p["metadata"]["name"]) == 9
        assert p["metadata"]["labels"] == {"app": "web"}
        assert p["metadata"]["ownerReferences"] == [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": "web",
                "uid": created["metadata"]["uid"],
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
        assert p["status"]["phase"] == "Running"
    assert sorted(rs_events(cluster)) == sorted(
        ("SuccessfulCreate", f"Created pod: {p['metadata']['name']}", "replicaset-controller")
        for p in running
    )
    assert cluster.get("ReplicaSet", "web")["status"] == {
        "replicas": 3,
        "fullyLabeledReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "terminatingReplicas": 0,
        "observedGeneration": 1,
    }


def test_a_deleted_pod_is_replaced_at_once_while_it_terminates():
    cluster = new_cluster()
    cluster.api.create(replica_set())
    cluster.run_for(30)
    gone = pods(cluster)[0]["metadata"]["name"]
    cluster.api.delete("Pod", gone, "default")
    cluster.settle()
    assert len(live(cluster)) == 3 and gone not in [p["metadata"]["name"] for p in live(cluster)]
    assert cluster.get("ReplicaSet", "web")["status"]["terminatingReplicas"] == 1
    cluster.run_for(40)
    assert len(pods(cluster)) == 3
    assert cluster.get("ReplicaSet", "web")["status"]["terminatingReplicas"] == 0


def test_orphans_are_adopted_and_pods_that_stop_matching_are_released():
    cluster = new_cluster()
    bare = pod("handmade", [{"name": "web", "image": "nginx"}])
    bare["metadata"]["labels"] = {"app": "web"}
    cluster.create(bare)
    cluster.api.create(replica_set())
    cluster.run_for(30)
    assert len(pods(cluster)) == 3
    adopted = cluster.get("Pod", "handmade")
    assert adopted["metadata"]["ownerReferences"][0]["name"] == "web"
    cluster.api.patch("Pod", "handmade", "default", {"metadata": {"labels": {"app": "debug"}}})
    cluster.run_for(30)
    released = cluster.get("Pod", "handmade")
    assert "ownerReferences" not in released["metadata"]
    assert len([p for p in pods(cluster) if p["metadata"]["labels"]["app"] == "web"]) == 3


def test_scaling_down_removes_unscheduled_and_not_ready_pods_first():
    cluster = new_cluster()
    cluster.api.create(replica_set(replicas=2))
    cluster.run_for(30)
    rs = cluster.get("ReplicaSet", "web")
    rs["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "none-such"}
    rs["spec"]["replicas"] = 4
    cluster.api.update(rs)
    cluster.run_for(10)
    pending = {p["metadata"]["name"] for p in pods(cluster) if not p["spec"].get("nodeName")}
    assert len(pending) == 2
    rs = cluster.get("ReplicaSet", "web")
    rs["spec"]["replicas"] = 2
    cluster.api.update(rs)
    cluster.run_for(40)
    assert not {p["metadata"]["name"] for p in pods(cluster)} & pending
    assert all(p["status"]["phase"] == "Running" for p in pods(cluster))


def test_deleting_the_replica_set_deletes_its_pods():
    cluster = new_cluster()
    cluster.api.create(replica_set())
    cluster.run_for(30)
    cluster.api.delete("ReplicaSet", "web", "default")
    cluster.run_for(60)
    assert pods(cluster) == []


def test_the_template_gets_pod_spec_defaults_but_not_the_pod_only_ones():
    cluster = new_cluster()
    spec = replica_set(replicas=None)["spec"]
    del spec["replicas"]
    created = cluster.api.create(replica_set(replicas=None) | {"spec": spec})
    assert created["spec"]["replicas"] == 1
    template = created["spec"]["template"]["spec"]
    assert template == {
        "containers": [
            {
                "image": "nginx",
                "imagePullPolicy": "Always",
                "name": "web",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    }


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            replica_set(labels={"app": "x"}),
            'ReplicaSet.apps "web" is invalid: spec.template.metadata.labels: Invalid value: '
            '{"app":"x"}: `selector` does not match template `labels`',
        ),
        (
            replica_set(replicas=-1),
            'ReplicaSet.apps "web" is invalid: spec.replicas: Invalid value: -1: must be greater '
            "than or equal to 0",
        ),
        (
            replica_set(restartPolicy="OnFailure"),
            'ReplicaSet.apps "web" is invalid: spec.template.spec.restartPolicy: Unsupported '
            'value: "OnFailure": supported values: "Always"',
        ),
        (
            replica_set(selector={}),
            'ReplicaSet.apps "web" is invalid: spec.selector: Invalid value: {}: empty selector '
            "is invalid for deployment",
        ),
    ],
)
def test_invalid_replica_sets_are_refused_in_the_api_servers_words(manifest, message):
    cluster = new_cluster()
    with pytest.raises(ApiError) as caught:
        cluster.api.create(manifest)
    assert caught.value.message.endswith(message)


def test_a_missing_selector_is_two_errors_and_the_selector_is_immutable():
    cluster = new_cluster()
    manifest = replica_set()
    del manifest["spec"]["selector"]
    with pytest.raises(ApiError) as caught:
        cluster.api.create(manifest)
    assert [str(e) for e in caught.value.causes] == [
        "spec.selector: Required value",
        'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match '
        "template `labels`",
    ]
    cluster.api.create(replica_set(labels={"app": "web", "tier": "front"}))
    changed = cluster.get("ReplicaSet", "web")
    changed["spec"]["selector"] = {"matchLabels": {"tier": "front"}}
    with pytest.raises(ApiError) as caught:
        cluster.api.update(changed)
    assert str(caught.value.causes[0]) == (
        'spec.selector: Invalid value: {"matchLabels":{"tier":"front"}}: field is immutable'
    )


def test_pods_to_delete_follow_the_ranking():
    controller = ReplicaSetController.__new__(ReplicaSetController)
    controller.clock = type("Clock", (), {"now": 1000.0})()

    def make(name, node="", phase="Pending", ready_at=None, created="2026-01-05T09:00:00Z"):
        conditions = []
        if ready_at is not None:
            conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": ready_at}]
        return {
            "metadata": {"name": name, "uid": name, "creationTimestamp": created},
            "spec": {"nodeName": node} if node else {},
            "status": {"phase": phase, "conditions": conditions},
        }

    candidates = [
        make("ready", "n1", "Running", "2026-01-05T09:00:10Z"),
        make("unscheduled"),
        make("pending", "n1"),
        make("running-not-ready", "n2", "Running"),
    ]
    order = [p["metadata"]["name"] for p in controller._to_delete(candidates, 3)]
    assert order == ["unscheduled", "pending", "running-not-ready"]


@settings(max_examples=12, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["scale", "kill"]), st.integers(0, 5)), max_size=5))
def test_a_replica_set_converges_to_its_replicas(steps):
    cluster = new_cluster()
    cluster.api.create(replica_set(replicas=2))
    cluster.run_for(20)
    wanted = 2
    for action, number in steps:
        if action == "scale":
            rs = cluster.get("ReplicaSet", "web")
            rs["spec"]["replicas"] = wanted = number
            cluster.api.update(rs)
        elif live(cluster):
            victim = live(cluster)[number % len(live(cluster))]["metadata"]["name"]
            cluster.api.delete("Pod", victim, "default")
        cluster.run_for(5)
    cluster.run_for(60)
    assert len(pods(cluster)) == wanted
    assert (
        cluster.get("ReplicaSet", "web")["status"]["readyReplicas" if wanted else "replicas"]
        == wanted
    )
