"""Pod lifecycle corners the kubelet must get right: terminating pods, probes and readiness,
init containers and sidecars, the active deadline, admission and restarts (each test names
what Kubernetes does)."""

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
