"""PodObservedGenerationTracking (GA, locked on in v1.35): which writers put the pod's
``metadata.generation`` on its status and conditions, and which do not (issue "fidelity
fixes", item 5)."""

from __future__ import annotations

from cluster_helpers import condition, new_cluster, pod

from k8sgame.engine.kinds.pod.eviction import evict_pod

KUBELET_CONDITIONS = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady")


def test_the_kubelet_writes_the_generation_on_the_status_and_its_conditions():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.run_for(10)
    live = cluster.get("Pod", "web")
    assert live["metadata"]["generation"] == 1
    assert live["status"]["observedGeneration"] == 1
    for kind in (*KUBELET_CONDITIONS, "PodScheduled"):
        assert condition(cluster, "web", kind)["observedGeneration"] == 1


def test_a_spec_change_and_a_graceful_delete_each_bump_the_generation():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.run_for(10)
    cluster.store.patch(
        "Pod", "web", "default", {"spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]}}
    )
    cluster.run_for(10)
    assert cluster.get("Pod", "web")["status"]["observedGeneration"] == 2
    # rest.BeforeDelete: the first graceful deletion bumps it again, and the kubelet reports
    # the new generation while the pod terminates.
    cluster.delete("Pod", "web")
    cluster.run_for(0.2)
    terminating = cluster.get("Pod", "web")
    assert terminating["metadata"]["generation"] == 3
    assert terminating["status"]["observedGeneration"] == 3
    assert condition(cluster, "web", "Ready")["observedGeneration"] == 3


def test_the_scheduler_marks_its_unschedulable_condition():
    cluster = new_cluster()
    hungry = pod("hungry", [{"name": "app", "image": "nginx"}], nodeSelector={"disk": "ssd"})
    cluster.create(hungry)
    cluster.run_for(1)
    scheduled = condition(cluster, "hungry", "PodScheduled")
    assert (scheduled["reason"], scheduled["observedGeneration"]) == ("Unschedulable", 1)
    assert "observedGeneration" not in cluster.get("Pod", "hungry")["status"]


def test_api_server_conditions_carry_no_generation():
    cluster = new_cluster()
    gated = pod("gated", [{"name": "app", "image": "nginx"}], schedulingGates=[{"name": "x/y"}])
    cluster.create(gated)
    cluster.run_for(1)
    assert "observedGeneration" not in condition(cluster, "gated", "PodScheduled")
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.run_for(10)
    evict_pod(cluster.store, "web", "default", cluster.now)
    # The eviction API's DisruptionTarget (EvictionByEvictionAPI) has none either.
    assert "observedGeneration" not in condition(cluster, "web", "DisruptionTarget")
