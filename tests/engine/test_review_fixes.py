"""Regression tests for behaviour a review found wrong (each names what Kubernetes does)."""

from cluster_helpers import condition, container_status, messages, new_cluster, pod

from k8sgame.engine.nodes import node_manifest


def test_a_terminating_pod_lives_out_its_grace_period_and_ends_in_a_terminal_phase():
    cluster = new_cluster()
    sleeper = {"name": "sleeper", "image": "busybox:1.36", "command": ["sleep", "3600"]}
    cluster.create(pod("two", [{"name": "web", "image": "nginx"}, sleeper]))
    cluster.run_for(20)
    final = {}
    cluster.store.watch(
        lambda e: final.update(phase=e.obj["status"]["phase"]) if e.type == "DELETED" else None,
        ("Pod",),
    )
    cluster.delete("Pod", "two")
    cluster.run_for(10)
    assert cluster.get("Pod", "two")["metadata"]["deletionTimestamp"]
    cluster.run_for(25)
    assert "two" not in [p["metadata"]["name"] for p in cluster.store.list("Pod")]
    # sleep was SIGKILLed (137), so the pod ends Failed (kubelet getPhase, pod terminal).
    assert final == {"phase": "Failed"}


def test_a_container_is_not_ready_until_its_startup_probe_succeeds():
    cluster = new_cluster()
    startup = {"httpGet": {"path": "/", "port": 9999}, "periodSeconds": 5, "failureThreshold": 30}
    cluster.create(
        pod("starting", [{"name": "web", "image": "nginx:1.27", "startupProbe": startup}])
    )
    cluster.run_for(60)
    status = container_status(cluster, "starting")
    assert status["started"] is False and status["ready"] is False
    assert condition(cluster, "starting", "Ready")["status"] == "False"


def test_init_containers_are_ready_only_after_they_complete():
    cluster = new_cluster()
    init = [{"name": "setup", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 10"]}]
    cluster.create(pod("init", [{"name": "app", "image": "nginx"}], initContainers=init))
    cluster.run_for(6)
    assert container_status(cluster, "init", init=True)["ready"] is False
    cluster.run_for(30)
    assert container_status(cluster, "init", init=True)["ready"] is True


def test_active_deadline_fails_the_pod_at_the_deadline():
    cluster = new_cluster()
    cluster.create(pod("short", [{"name": "web", "image": "nginx"}], activeDeadlineSeconds=20))
    cluster.run_for(25)
    status = cluster.get("Pod", "short")["status"]
    assert (status["phase"], status["reason"]) == ("Failed", "DeadlineExceeded")
    assert status["message"] == "Pod was active on the node longer than the specified deadline"
    cluster.run_for(60)
    assert "terminated" in container_status(cluster, "short")["state"]
    assert cluster.get("Pod", "short")["status"]["phase"] == "Failed"


def test_a_sidecar_that_must_be_pulled_does_not_block_the_pod():
    cluster = new_cluster()
    sidecar = [{"name": "proxy", "image": "redis:7", "restartPolicy": "Always"}]
    cluster.create(pod("side", [{"name": "main", "image": "nginx"}], initContainers=sidecar))
    cluster.run_for(60)
    assert cluster.get("Pod", "side")["status"]["phase"] == "Running"
    assert container_status(cluster, "side")["ready"] is True


def test_the_kubelet_does_not_count_finished_pods_at_admission():
    cluster = new_cluster(nodes=[node_manifest("small", cpu="1")])
    job = {
        "name": "job",
        "image": "busybox:1.36",
        "command": ["sh", "-c", "exit 0"],
        "resources": {"requests": {"cpu": "800m"}},
    }
    cluster.create(pod("done", [job], restartPolicy="Never"))
    cluster.run_for(20)
    assert cluster.get("Pod", "done")["status"]["phase"] == "Succeeded"
    web = {"name": "web", "image": "nginx", "resources": {"requests": {"cpu": "800m"}}}
    cluster.create(pod("next", [web]))
    cluster.run_for(20)
    assert cluster.get("Pod", "next")["status"]["phase"] == "Running"


def test_labelling_a_pod_whose_node_was_deleted_does_not_break_the_scheduler():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}], nodeName="node-1"))
    cluster.run_for(5)
    cluster.delete("Node", "node-1")
    cluster.store.patch("Pod", "web", "default", {"metadata": {"labels": {"a": "b"}}}, "merge")
    cluster.settle()
    assert cluster.get("Pod", "web")["metadata"]["labels"] == {"a": "b"}


def test_liveness_kill_restarts_under_on_failure_even_when_the_process_exits_zero():
    cluster = new_cluster()
    probe = {"httpGet": {"path": "/", "port": 8080}}
    cluster.create(
        pod(
            "live",
            [{"name": "web", "image": "nginx:1.27", "livenessProbe": probe}],
            restartPolicy="OnFailure",
        )
    )
    cluster.run_for(45)
    assert container_status(cluster, "live")["restartCount"] == 1
    assert cluster.get("Pod", "live")["status"]["phase"] == "Running"


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


def test_cordoned_nodes_carry_the_unschedulable_taint():
    cluster = new_cluster()
    node = cluster.get("Node", "node-1")
    node["spec"]["unschedulable"] = True
    cluster.store.update(node)
    cluster.settle()
    assert {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"} in cluster.get(
        "Node", "node-1"
    )["spec"]["taints"]


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


def test_a_pod_deleted_before_its_container_ran_reports_container_status_unknown():
    cluster = new_cluster()
    cluster.create(pod("typo", [{"name": "web", "image": "nginxx"}]))
    cluster.run_for(20)
    final = {}
    cluster.store.watch(
        lambda e: final.update(e.obj["status"]) if e.type == "DELETED" else None, ("Pod",)
    )
    cluster.delete("Pod", "typo")
    cluster.run_for(5)
    assert final["phase"] == "Failed"
    terminated = final["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["reason"], terminated["exitCode"]) == ("ContainerStatusUnknown", 137)
    assert messages(cluster, "typo", "Killing") == []
