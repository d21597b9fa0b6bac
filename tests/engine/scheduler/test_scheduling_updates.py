"""The scheduler reacting to changes: labels, tolerations and scheduling gates (each test
names what Kubernetes does)."""

from cluster_helpers import condition, new_cluster, pod

from k8sgame.engine.nodes import node_manifest


def test_labelling_a_pod_whose_node_was_deleted_does_not_break_the_scheduler():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}], nodeName="node-1"))
    cluster.run_for(5)
    cluster.delete("Node", "node-1")
    cluster.store.patch("Pod", "web", "default", {"metadata": {"labels": {"a": "b"}}}, "merge")
    cluster.settle()
    assert cluster.get("Pod", "web")["metadata"]["labels"] == {"a": "b"}


def test_adding_a_toleration_to_a_pending_pod_schedules_it_promptly():
    taint = {"key": "team", "value": "a", "effect": "NoSchedule"}
    cluster = new_cluster(nodes=[node_manifest("tainted", taints=[taint])])
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.run_for(30)
    assert cluster.get("Pod", "web")["spec"].get("nodeName") is None
    toleration = {"key": "team", "operator": "Equal", "value": "a", "effect": "NoSchedule"}
    patched = cluster.get("Pod", "web")
    patched["spec"]["tolerations"].append(toleration)
    cluster.store.update(patched)
    cluster.run_for(15)
    assert cluster.get("Pod", "web")["spec"]["nodeName"] == "tainted"


def test_gated_pods_say_why_they_are_not_scheduled():
    cluster = new_cluster()
    cluster.create(
        pod(
            "gated",
            [{"name": "web", "image": "nginx"}],
            schedulingGates=[{"name": "example.com/wait"}],
        )
    )
    scheduled = condition(cluster, "gated", "PodScheduled")
    assert (scheduled["status"], scheduled["reason"], scheduled["message"]) == (
        "False",
        "SchedulingGated",
        "Scheduling is blocked due to non-empty scheduling gates",
    )
