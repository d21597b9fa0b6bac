"""``get pods`` / ``get nodes`` columns computed from engine-made objects (K8S-FACTS §3.5, §12)."""

import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "engine"))

from cluster_helpers import memory_hog, new_cluster, pod

from k8sgame.engine.nodes import node_manifest
from k8sgame.kubectl.duration import human_duration
from k8sgame.kubectl.kinds.node import node_row
from k8sgame.kubectl.kinds.pod import pod_row


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-2, "<invalid>"),
        (-0.5, "0s"),
        (0, "0s"),
        (119, "119s"),
        (120, "2m"),
        (125, "2m5s"),
        (599, "9m59s"),
        (600, "10m"),
        (3 * 3600 - 1, "179m"),
        (3 * 3600, "3h"),
        (3 * 3600 + 60 * 5, "3h5m"),
        (8 * 3600, "8h"),
        (47 * 3600, "47h"),
        (48 * 3600, "2d"),
        (49 * 3600, "2d1h"),
        (8 * 86400, "8d"),
        (729 * 86400, "729d"),
        (730 * 86400, "2y"),
        (731 * 86400, "2y1d"),
        (8 * 365 * 86400, "8y"),
    ],
)
def test_human_duration(seconds, text):
    assert human_duration(seconds) == text


def row(cluster, name):
    return pod_row(cluster.get("Pod", name), cluster.now)


def test_statuses_through_a_pods_life():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx:1.27"}]))
    first = row(cluster, "web")
    assert (first.ready, first.status, first.restarts, first.age) == (
        "0/1",
        "ContainerCreating",
        "0",
        "0s",
    )
    cluster.run_for(30)
    running = row(cluster, "web")
    assert (running.ready, running.status, running.age) == ("1/1", "Running", "30s")
    assert running.node.startswith("node-") and running.ip.startswith("10.244.")
    cluster.delete("Pod", "web")
    assert row(cluster, "web").status == "Terminating"


def test_crash_loop_restarts_column_shows_when():
    cluster = new_cluster()
    cluster.create(
        pod("crash", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}])
    )
    cluster.run_for(50)
    crash = row(cluster, "crash")
    assert crash.status == "CrashLoopBackOff"
    assert crash.ready == "0/1"
    assert crash.restarts.startswith("3 (") and crash.restarts.endswith(" ago)")


@pytest.mark.parametrize(
    ("containers", "extra", "seconds", "status"),
    [
        (
            [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "exit 0"]}],
            {"restartPolicy": "Never"},
            20,
            "Completed",
        ),
        (
            [{"name": "c", "image": "busybox:1.36", "command": ["sh", "-c", "exit 2"]}],
            {"restartPolicy": "Never"},
            20,
            "Error",
        ),
        (
            [
                {
                    "name": "c",
                    "image": "nginx",
                    "env": [
                        {
                            "name": "X",
                            "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k"}},
                        }
                    ],
                }
            ],
            {},
            20,
            "CreateContainerConfigError",
        ),
        (
            [{"name": "c", "image": "nginx"}],
            {
                "initContainers": [
                    {"name": "i", "image": "busybox:1.36", "command": ["sleep", "60"]}
                ]
            },
            10,
            "Init:0/1",
        ),
        (
            [{"name": "c", "image": "nginx"}],
            {
                "initContainers": [
                    {"name": "i", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}
                ]
            },
            40,
            "Init:CrashLoopBackOff",
        ),
        (
            [{"name": "c", "image": "nginx"}],
            {"schedulingGates": [{"name": "wait"}]},
            5,
            "SchedulingGated",
        ),
        (
            [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "64"}}}],
            {},
            5,
            "Pending",
        ),
        (
            [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "64"}}}],
            {"nodeName": "node-1"},
            5,
            "OutOfcpu",
        ),
    ],
)
def test_status_column(containers, extra, seconds, status):
    cluster = new_cluster()
    cluster.create(pod("p", containers, **extra))
    cluster.run_for(seconds)
    assert row(cluster, "p").status == status


def test_image_typo_shows_err_image_pull_then_image_pull_back_off():
    cluster = new_cluster()
    cluster.create(pod("typo", [{"name": "c", "image": "nginxx"}]))
    seen = []
    for _ in range(30):
        cluster.run_for(1)
        status = row(cluster, "typo").status
        if not seen or seen[-1] != status:
            seen.append(status)
    assert seen[:3] == ["ContainerCreating", "ErrImagePull", "ImagePullBackOff"]


def test_oom_killed_shows_before_the_back_off():
    cluster = new_cluster()
    cluster.create(pod("oom", [memory_hog()]))
    seen = set()
    for _ in range(60):
        cluster.run_for(1)
        seen.add(row(cluster, "oom").status)
    assert {"OOMKilled", "CrashLoopBackOff"} <= seen


def test_node_columns():
    cluster = new_cluster(
        nodes=[*(node_manifest(n) for n in ("a", "b")), node_manifest("sick", ready=False)]
    )
    control = node_manifest("cp", labels={"node-role.kubernetes.io/control-plane": ""})
    cluster.create(control)
    cordoned = cluster.get("Node", "b")
    cordoned["spec"]["unschedulable"] = True
    cluster.store.update(cordoned)
    cluster.run_for(90)
    rows = {n["metadata"]["name"]: node_row(n, cluster.now) for n in cluster.store.list("Node")}
    assert (rows["a"].status, rows["a"].roles, rows["a"].version, rows["a"].age) == (
        "Ready",
        "<none>",
        "v1.35.0",
        "90s",
    )
    assert rows["b"].status == "Ready,SchedulingDisabled"
    assert rows["sick"].status == "Unknown"
    assert rows["cp"].roles == "control-plane"
    assert rows["a"].internal_ip.startswith("192.168.")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=1, max_value=5).flatmap(
        lambda width: st.lists(
            st.lists(st.text(alphabet="ab c-1", max_size=9), min_size=width, max_size=width),
            min_size=1,
            max_size=6,
        )
    )
)
def test_the_table_shortcut_aligns_exactly_as_go_tabwriter_does(rows):
    from k8sgame.kubectl.tabwriter import render, render_text

    assert render(rows) == render_text("\n".join("\t".join(r) for r in rows), 3, 6) + "\n"
