"""What a player sees of a pod's life: status, restarts and their timing, events, logs."""

import pytest
from cluster_helpers import (
    condition,
    container_status,
    events,
    memory_hog,
    messages,
    new_cluster,
    pod,
    restart_timeline,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.errors import ApiError


def uid(cluster, name):
    return cluster.get("Pod", name)["metadata"]["uid"]


def test_nginx_pod_starts_and_becomes_ready_with_the_real_event_sequence():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx:1.27"}]))
    cluster.run_for(30)
    status = cluster.get("Pod", "web")["status"]
    assert status["phase"] == "Running"
    assert status["podIP"].startswith("10.244.")
    web = status["containerStatuses"][0]
    assert web["ready"] and web["started"] and web["restartCount"] == 0
    assert web["image"] == "docker.io/library/nginx:1.27"
    assert web["imageID"].startswith("docker.io/library/nginx@sha256:")
    assert web["containerID"].startswith("containerd://")
    assert [c["type"] for c in status["conditions"]] == [
        "PodReadyToStartContainers",
        "Initialized",
        "Ready",
        "ContainersReady",
        "PodScheduled",
    ]
    assert all(c["status"] == "True" for c in status["conditions"])
    reasons = [
        e["reason"]
        for e in sorted(
            events(cluster, "web"), key=lambda e: (e["firstTimestamp"], e["metadata"]["name"])
        )
    ]
    assert reasons == ["Scheduled", "Pulling", "Pulled", "Created", "Started"]
    assert messages(cluster, "web", "Created") == ["Container created"]
    assert messages(cluster, "web", "Started") == ["Container started"]
    pulled = messages(cluster, "web", "Pulled")[0]
    assert pulled.startswith('Successfully pulled image "nginx:1.27" in ')
    assert pulled.endswith(" bytes.")
    assert any("nginx" in line for _, _, line in cluster.logs("web"))


def test_crash_loop_back_off_follows_10_20_40_up_to_300_seconds():
    cluster = new_cluster()
    cluster.create(
        pod(
            "crash",
            [
                {
                    "name": "app",
                    "image": "busybox:1.36",
                    "command": ["sh", "-c", "echo boom; exit 1"],
                }
            ],
        )
    )
    runs = restart_timeline(cluster, "crash", 3600)
    delays = [round(runs[i + 1][0] - runs[i][1]) for i in range(len(runs) - 1)]
    # First restart right after the kubelet notices the exit, then the back-off sequence.
    assert delays[0] <= 2
    assert delays[1:8] == [10, 20, 40, 80, 160, 300, 300]
    assert all(d == 300 for d in delays[6:])
    web = container_status(cluster, "crash")
    assert web["restartCount"] == len(runs) - 1
    assert web["lastState"]["terminated"]["exitCode"] == 1
    assert web["lastState"]["terminated"]["reason"] == "Error"
    assert cluster.get("Pod", "crash")["status"]["phase"] == "Running"


def test_crash_loop_waiting_message_and_back_off_event():
    cluster = new_cluster()
    cluster.create(
        pod("crash", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}])
    )
    cluster.run_for(30)
    state = container_status(cluster, "crash")["state"]["waiting"]
    pod_ref = f"crash_default({uid(cluster, 'crash')})"
    assert state["reason"] == "CrashLoopBackOff"
    assert state["message"] == f"back-off 20s restarting failed container=app pod={pod_ref}"
    assert messages(cluster, "crash", "BackOff") == [
        f"Back-off restarting failed container app in pod {pod_ref}"
    ]
    assert (
        events(cluster, "crash", "BackOff")[0]["involvedObject"]["fieldPath"]
        == "spec.containers{app}"
    )
    assert [line for _, _, line in cluster.logs("crash", previous=True)] == []


def test_back_off_resets_after_ten_minutes_of_running():
    cluster = new_cluster()
    script = "sleep 700; exit 1"
    cluster.create(
        pod("slow", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", script]}])
    )
    runs = restart_timeline(cluster, "slow", 2500)
    delays = [round(runs[i + 1][0] - runs[i][1]) for i in range(len(runs) - 1)]
    # Each instance ran more than 600 s after its restart, so every crash counts as the first.
    assert delays and all(d <= 2 for d in delays)


@pytest.mark.parametrize(
    ("policy", "script", "phase", "restarts", "reason"),
    [
        ("Never", "exit 3", "Failed", 0, "Error"),
        ("Never", "exit 0", "Succeeded", 0, "Completed"),
        ("OnFailure", "exit 0", "Succeeded", 0, "Completed"),
        ("Always", "exit 0", "Running", None, None),
    ],
)
def test_restart_policy(policy, script, phase, restarts, reason):
    cluster = new_cluster()
    cluster.create(
        pod(
            "job",
            [{"name": "job", "image": "busybox:1.36", "command": ["sh", "-c", script]}],
            restartPolicy=policy,
        )
    )
    cluster.run_for(60)
    assert cluster.get("Pod", "job")["status"]["phase"] == phase
    status = container_status(cluster, "job")
    if restarts is not None:
        assert status["restartCount"] == restarts
        assert status["state"]["terminated"]["reason"] == reason
    else:
        assert status["restartCount"] >= 2


def test_image_typo_err_image_pull_then_image_pull_back_off():
    cluster = new_cluster()
    cluster.create(pod("typo", [{"name": "web", "image": "nginxx"}]))
    error = (
        'failed to pull and unpack image "docker.io/library/nginxx:latest": failed to resolve reference '
        '"docker.io/library/nginxx:latest": pull access denied, repository does not exist or may require '
        "authorization: server message: insufficient_scope: authorization failed"
    )
    seen = set()
    for _ in range(30):
        cluster.run_for(1)
        seen.add(container_status(cluster, "typo")["state"]["waiting"]["reason"])
    assert {"ErrImagePull", "ImagePullBackOff"} <= seen

    def in_back_off():
        return container_status(cluster, "typo")["state"]["waiting"]["reason"] == "ImagePullBackOff"

    assert cluster.run_until(in_back_off, 60)
    waiting = container_status(cluster, "typo")["state"]["waiting"]
    assert waiting == {
        "reason": "ImagePullBackOff",
        "message": f'Back-off pulling image "nginxx": ErrImagePull: {error}',
    }
    assert f'Failed to pull image "nginxx": {error}' in messages(cluster, "typo", "Failed")
    assert "Error: ErrImagePull" in messages(cluster, "typo", "Failed")
    assert "Error: ImagePullBackOff" in messages(cluster, "typo", "Failed")
    assert messages(cluster, "typo", "BackOff") == ['Back-off pulling image "nginxx"']
    assert cluster.get("Pod", "typo")["status"]["phase"] == "Pending"
    # Fixing the image (the only mutable part of a container) lets the pod start.
    fixed = cluster.get("Pod", "typo")
    fixed["spec"]["containers"][0]["image"] = "nginx"
    cluster.store.update(fixed)
    cluster.run_for(15)
    assert container_status(cluster, "typo")["ready"] is True


def test_liveness_probe_on_the_wrong_port_restarts_the_container():
    cluster = new_cluster()
    probe = {"httpGet": {"path": "/", "port": 8080}}
    cluster.create(pod("live", [{"name": "web", "image": "nginx:1.27", "livenessProbe": probe}]))
    cluster.run_for(35)
    status = container_status(cluster, "live")
    assert status["restartCount"] == 1
    # nginx stops on SIGQUIT and exits 0.
    assert status["lastState"]["terminated"]["reason"] == "Completed"
    assert status["lastState"]["terminated"]["exitCode"] == 0
    ip = cluster.get("Pod", "live")["status"]["podIP"]
    assert messages(cluster, "live", "Unhealthy") == [
        f'Liveness probe failed: Get "http://{ip}:8080/": dial tcp {ip}:8080: connect: connection refused'
    ]
    assert events(cluster, "live", "Unhealthy")[0]["count"] == 3
    assert messages(cluster, "live", "Killing") == [
        "Container web failed liveness probe, will be restarted"
    ]
    # The restart finds the image on the node (1.35 wording, KubeletEnsureSecretPulledImages).
    present = (
        'Container image "nginx:1.27" already present on machine and can be accessed by the pod'
    )
    assert present in messages(cluster, "live", "Pulled")


def test_liveness_kills_turn_into_crash_loop_back_off_once_back_off_exceeds_the_lifetime():
    cluster = new_cluster()
    probe = {"httpGet": {"path": "/", "port": 8080}}
    cluster.create(pod("live", [{"name": "web", "image": "nginx:1.27", "livenessProbe": probe}]))
    cluster.run_for(600)
    assert container_status(cluster, "live")["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert messages(cluster, "live", "BackOff")


def test_readiness_failure_keeps_the_pod_unready_but_never_restarts_it():
    cluster = new_cluster()
    probe = {"httpGet": {"path": "/healthz", "port": 80}}
    cluster.create(pod("ready", [{"name": "web", "image": "nginx", "readinessProbe": probe}]))
    cluster.run_for(120)
    status = container_status(cluster, "ready")
    assert status["ready"] is False and status["restartCount"] == 0
    ready = condition(cluster, "ready", "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False",
        "ContainersNotReady",
        "containers with unready status: [web]",
    )
    assert "Readiness probe failed: HTTP probe failed with statuscode: 404" in messages(
        cluster, "ready", "Unhealthy"
    )
    assert messages(cluster, "ready", "Killing") == []


def test_slow_starter_is_killed_by_liveness_and_saved_by_a_startup_probe():
    def app(probes):
        env = [{"name": "STARTUP_SECONDS", "value": "45"}]
        return [{"name": "app", "image": "k8sgame/demo-web", "env": env, **probes}]

    liveness = {"httpGet": {"path": "/healthz", "port": 8080}, "periodSeconds": 5}
    cluster = new_cluster()
    cluster.create(pod("killed", app({"livenessProbe": liveness})))
    startup = {
        "httpGet": {"path": "/healthz", "port": 8080},
        "periodSeconds": 10,
        "failureThreshold": 10,
    }
    cluster.create(pod("saved", app({"livenessProbe": liveness, "startupProbe": startup})))
    cluster.run_for(180)
    assert container_status(cluster, "killed")["restartCount"] >= 1
    saved = container_status(cluster, "saved")
    assert saved["restartCount"] == 0 and saved["started"] and saved["ready"]


def test_oom_killed_when_memory_exceeds_the_limit():
    cluster = new_cluster()
    cluster.create(pod("oom", [memory_hog()]))
    cluster.run_for(60)
    last = container_status(cluster, "oom")["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"]) == ("OOMKilled", 137)
    # A memory limit alone (no cpu limit) is Burstable, not Guaranteed.
    assert cluster.get("Pod", "oom")["status"]["qosClass"] == "Burstable"


def test_missing_config_map_in_env_then_created():
    cluster = new_cluster()
    env = [
        {"name": "MODE", "valueFrom": {"configMapKeyRef": {"name": "app-config", "key": "mode"}}}
    ]
    cluster.create(pod("cfg", [{"name": "app", "image": "nginx:1.27", "env": env}]))
    cluster.run_for(20)
    waiting = container_status(cluster, "cfg")["state"]["waiting"]
    assert waiting == {
        "reason": "CreateContainerConfigError",
        "message": 'configmap "app-config" not found',
    }
    assert 'Error: configmap "app-config" not found' in messages(cluster, "cfg", "Failed")
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "app-config"},
            "data": {"other": "x"},
        }
    )
    cluster.run_for(11)
    assert (
        container_status(cluster, "cfg")["state"]["waiting"]["message"]
        == "couldn't find key mode in ConfigMap default/app-config"
    )
    config = cluster.get("ConfigMap", "app-config")
    config["data"]["mode"] = "fast"
    cluster.store.update(config)
    cluster.run_for(11)
    assert "running" in container_status(cluster, "cfg")["state"]


def test_missing_config_map_volume_blocks_in_container_creating():
    cluster = new_cluster()
    mounts = [{"name": "cfg", "mountPath": "/etc/app"}]
    cluster.create(
        pod(
            "vol",
            [{"name": "app", "image": "nginx", "volumeMounts": mounts}],
            volumes=[{"name": "cfg", "configMap": {"name": "missing"}}],
        )
    )
    cluster.run_for(60)
    assert container_status(cluster, "vol")["state"] == {"waiting": {"reason": "ContainerCreating"}}
    failed = events(cluster, "vol", "FailedMount")
    assert (
        failed[0]["message"]
        == 'MountVolume.SetUp failed for volume "cfg" : configmap "missing" not found'
    )
    assert failed[0]["count"] > 3


def test_init_container_runs_first_and_its_failure_loops():
    cluster = new_cluster()
    init = [{"name": "setup", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 5"]}]
    cluster.create(pod("init", [{"name": "app", "image": "nginx"}], initContainers=init))
    cluster.run_for(4)
    assert container_status(cluster, "init", init=True)["state"].keys() == {"running"}
    assert container_status(cluster, "init")["state"]["waiting"]["reason"] == "PodInitializing"
    initialized = condition(cluster, "init", "Initialized")
    assert (initialized["status"], initialized["message"]) == (
        "False",
        "containers with incomplete status: [setup]",
    )
    cluster.run_for(30)
    assert (
        container_status(cluster, "init", init=True)["state"]["terminated"]["reason"] == "Completed"
    )
    assert container_status(cluster, "init")["ready"] is True
    broken = [{"name": "setup", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}]
    cluster.create(pod("broken", [{"name": "app", "image": "nginx"}], initContainers=broken))
    cluster.run_for(60)
    assert (
        container_status(cluster, "broken", init=True)["state"]["waiting"]["reason"]
        == "CrashLoopBackOff"
    )
    assert cluster.get("Pod", "broken")["status"]["phase"] == "Pending"


def test_graceful_deletion_stops_containers_then_removes_the_pod():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.create(
        pod("sleepy", [{"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]}])
    )
    cluster.run_for(20)
    cluster.delete("Pod", "web")
    cluster.delete("Pod", "sleepy")
    assert cluster.get("Pod", "sleepy")["metadata"]["deletionGracePeriodSeconds"] == 30
    cluster.run_for(5)
    with pytest.raises(ApiError):
        cluster.get("Pod", "web")
    # sleep as PID 1 ignores SIGTERM: it goes only when the 30 s grace period ends.
    assert cluster.get("Pod", "sleepy")["metadata"]["deletionTimestamp"]
    cluster.run_for(30)
    with pytest.raises(ApiError):
        cluster.get("Pod", "sleepy")
    assert "Stopping container app" in messages(cluster, "sleepy", "Killing")


def test_pod_bound_by_hand_to_a_full_node_is_rejected_by_the_kubelet():
    cluster = new_cluster()
    hog = {"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "5"}}}
    cluster.create(pod("hog", [hog], nodeName="node-1"))
    cluster.run_for(5)
    status = cluster.get("Pod", "hog")["status"]
    assert status["phase"] == "Failed"
    assert status["reason"] == "OutOfcpu"
    assert (
        status["message"]
        == "Pod was rejected: Node didn't have enough resource: cpu, requested: 5000, used: 0, capacity: 4000"
    )


def test_missing_executable_is_a_start_error():
    cluster = new_cluster()
    cluster.create(
        pod("typo", [{"name": "app", "image": "busybox:1.36", "command": ["sleeep", "10"]}])
    )
    cluster.run_for(20)
    status = container_status(cluster, "typo")
    last = status["lastState"]["terminated"]
    assert (last["reason"], last["exitCode"], last["startedAt"]) == (
        "StartError",
        128,
        "1970-01-01T00:00:00Z",
    )
    assert 'exec: "sleeep": executable file not found in $PATH' in last["message"]


def test_logs_of_current_and_previous_instances_and_their_errors():
    cluster = new_cluster()
    script = "echo hello; sleep 5; exit 2"
    cluster.create(
        pod("talk", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", script]}])
    )
    cluster.run_for(1)
    with pytest.raises(ApiError) as info:
        cluster.logs("talk")
    assert (
        info.value.message == 'container "app" in pod "talk" is waiting to start: ContainerCreating'
    )
    with pytest.raises(ApiError) as info:
        cluster.logs("talk", previous=True)
    assert info.value.message == 'previous terminated container "app" in pod "talk" not found'
    cluster.run_for(11)
    assert [line for _, _, line in cluster.logs("talk", previous=True)] == ["hello"]
    assert [line for _, _, line in cluster.logs("talk")] == ["hello"]


def test_changing_the_image_restarts_without_back_off():
    cluster = new_cluster()
    cluster.create(
        pod(
            "app", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 3600"]}]
        )
    )
    cluster.run_for(20)
    current = cluster.get("Pod", "app")
    current["spec"]["containers"][0]["image"] = "busybox:1.37"
    cluster.store.update(current)
    cluster.run_for(40)
    status = container_status(cluster, "app")
    assert status["restartCount"] == 1
    assert status["image"] == "docker.io/library/busybox:1.37"
    assert "Container app definition changed, will be restarted" in messages(
        cluster, "app", "Killing"
    )


BACK_OFF = (10, 20, 40, 80, 160, 300)


@settings(max_examples=12)
@given(st.sampled_from([0, 1, 3, 30, 120, 299, 590, 650]), st.sampled_from([1, 2, 137]))
def test_restart_delays_always_follow_the_back_off_sequence(lifetime, code):
    cluster = new_cluster()
    script = f"sleep {lifetime}; exit {code}" if lifetime else f"exit {code}"
    cluster.create(
        pod("loop", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", script]}])
    )
    runs = restart_timeline(cluster, "loop", 3600)
    assert len(runs) >= 3
    delays = [runs[i + 1][0] - runs[i][1] for i in range(len(runs) - 1)]
    previous = None
    for delay in delays:
        if delay <= 2:
            # Restarted as soon as the kubelet noticed: first crash, or the last restart was
            # more than 10 minutes before this crash (back-off reset).
            assert previous is None or lifetime > 590
            previous = 0
            continue
        assert round(delay) in BACK_OFF
        assert round(delay) == (10 if not previous else min(previous * 2, 300))
        previous = round(delay)


def test_exec_runs_in_the_container_and_can_end_a_waiting_script():
    cluster = new_cluster()
    script = "until [ -f /tmp/go ]; do sleep 1; done; echo released"
    cluster.create(
        pod(
            "wait",
            [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", script]}],
            restartPolicy="Never",
        )
    )
    cluster.run_for(30)
    assert "running" in container_status(cluster, "wait")["state"]
    result = cluster.exec("wait", ["cat", "/tmp/go"])
    assert result.exit_code == 1
    assert result.output == "cat: can't open '/tmp/go': No such file or directory\n"
    assert cluster.exec("wait", ["touch", "/tmp/go"]).exit_code == 0
    cluster.run_for(5)
    assert container_status(cluster, "wait")["state"]["terminated"]["reason"] == "Completed"
    assert [line for _, _, line in cluster.logs("wait")] == ["released"]
    assert cluster.get("Pod", "wait")["status"]["phase"] == "Succeeded"


def test_settled_probes_skip_identical_ticks_without_changing_what_happens():
    cluster = new_cluster()
    # agnhost liveness (the Kubernetes docs' example): /healthz is 200 for 10 s, then 500.
    probe = {
        "httpGet": {"path": "/healthz", "port": 8080},
        "initialDelaySeconds": 3,
        "periodSeconds": 3,
    }
    cluster.create(
        pod(
            "docs",
            [
                {
                    "name": "liveness",
                    "image": "registry.k8s.io/e2e-test-images/agnhost:2.40",
                    "args": ["liveness"],
                    "livenessProbe": probe,
                }
            ],
        )
    )
    cluster.run_for(40)
    status = container_status(cluster, "docs")
    assert status["restartCount"] >= 1
    assert "Liveness probe failed: HTTP probe failed with statuscode: 500" in messages(
        cluster, "docs", "Unhealthy"
    )
