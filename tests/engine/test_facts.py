"""Constants and rules from K8S-FACTS.md that the engine encodes, checked one by one."""

import pytest
from cluster_helpers import container_status, messages, new_cluster, pod
from sched_helpers import events, node, scheduling_store

from k8sgame.engine.kubelet.backoff import (
    CRASH_LOOP_RESET_SECONDS,
    INITIAL_CRASH_LOOP_BACKOFF,
    MAX_CRASH_LOOP_BACKOFF,
    crash_loop_backoff,
    image_pull_backoff,
)
from k8sgame.engine.scheduler.node_affinity import matches_node_selector_and_affinity
from k8sgame.engine.scheduler.resources import (
    DEFAULT_MEMORY_REQUEST,
    DEFAULT_MILLI_CPU_REQUEST,
    pod_requests,
)
from k8sgame.engine.scheduler.taints import tolerates


def test_section_1_1_back_off_constants():
    assert (INITIAL_CRASH_LOOP_BACKOFF, MAX_CRASH_LOOP_BACKOFF, CRASH_LOOP_RESET_SECONDS) == (
        10,
        300,
        600,
    )
    backoff = crash_loop_backoff()
    delays = [backoff.next("c", event_time=t, now=t) for t in range(0, 90, 10)]
    assert delays == [10, 20, 40, 80, 160, 300, 300, 300, 300]
    # The entry expires when the crash came more than 600 s after the last restart.
    assert backoff.next("c", event_time=80 + 601, now=80 + 601) == 10


def test_section_1_2_in_back_off_uses_a_strict_comparison_from_finished_at():
    backoff = crash_loop_backoff()
    backoff.next("c", event_time=0, now=0)
    assert backoff.in_backoff_since("c", event_time=100, now=109.9)
    assert not backoff.in_backoff_since("c", event_time=100, now=110)


def test_section_1_1_image_back_off_expires_after_twice_the_maximum():
    backoff = image_pull_backoff()
    backoff.next("img", 0, 0)
    backoff.next("img", 10, 10)
    assert backoff.in_backoff_since_update("img", 29)
    assert not backoff.in_backoff_since_update("img", 30)
    assert backoff.next("img", 10 + 601, 10 + 601) == 10


@pytest.mark.parametrize(
    ("toleration", "taint", "expected"),
    [
        (
            {"key": "k", "operator": "Equal", "value": "v", "effect": "NoSchedule"},
            {"key": "k", "value": "v", "effect": "NoSchedule"},
            True,
        ),
        ({"key": "k", "value": "v"}, {"key": "k", "value": "v", "effect": "NoExecute"}, True),
        (
            {"key": "k", "operator": "Equal", "value": "w"},
            {"key": "k", "value": "v", "effect": "NoSchedule"},
            False,
        ),
        (
            {"key": "k", "operator": "Exists"},
            {"key": "k", "value": "anything", "effect": "PreferNoSchedule"},
            True,
        ),
        ({"operator": "Exists"}, {"key": "any", "value": "x", "effect": "NoExecute"}, True),
        (
            {"operator": "Exists", "effect": "NoSchedule"},
            {"key": "any", "effect": "NoExecute"},
            False,
        ),
        (
            {"key": "k", "operator": "Exists", "effect": "NoExecute"},
            {"key": "k", "effect": "NoSchedule"},
            False,
        ),
        (
            {"key": "n", "operator": "Gt", "value": "1"},
            {"key": "n", "value": "5", "effect": "NoSchedule"},
            False,
        ),
    ],
)
def test_section_9_7_toleration_matching(toleration, taint, expected):
    assert tolerates(toleration, taint) is expected


def labelled(labels):
    return {"metadata": {"name": "n1", "labels": labels}}


def required(*expressions, fields=()):
    term = {}
    if expressions:
        term["matchExpressions"] = list(expressions)
    if fields:
        term["matchFields"] = list(fields)
    return {
        "affinity": {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [term]}
            }
        }
    }


@pytest.mark.parametrize(
    ("spec", "labels", "expected"),
    [
        (required({"key": "zone", "operator": "NotIn", "values": ["a"]}), {}, True),
        (required({"key": "zone", "operator": "In", "values": ["a"]}), {}, False),
        (required({"key": "gpu", "operator": "DoesNotExist"}), {"gpu": ""}, False),
        (required({"key": "gen", "operator": "Gt", "values": ["0204"]}), {"gen": "0206"}, True),
        (required({"key": "gen", "operator": "Lt", "values": ["x"]}), {"gen": "1"}, False),
        (required(fields=[{"key": "metadata.name", "operator": "In", "values": ["n1"]}]), {}, True),
        (
            {
                "affinity": {
                    "nodeAffinity": {
                        "requiredDuringSchedulingIgnoredDuringExecution": {
                            "nodeSelectorTerms": [{}]
                        }
                    }
                }
            },
            {},
            False,
        ),
        ({"nodeSelector": {"disk": "ssd"}}, {"disk": "ssd"}, True),
        (
            {"nodeSelector": {"disk": "ssd"}, **required({"key": "zone", "operator": "Exists"})},
            {"disk": "ssd"},
            False,
        ),
    ],
)
def test_section_9_8_node_selection_operators(spec, labels, expected):
    assert matches_node_selector_and_affinity(spec, labelled(labels)) is expected


def test_section_9_4_pod_request_counts_init_containers_and_sidecars():
    spec = {
        "initContainers": [
            {"name": "big-init", "resources": {"requests": {"cpu": "2"}}},
            {
                "name": "sidecar",
                "restartPolicy": "Always",
                "resources": {"requests": {"cpu": "100m"}},
            },
        ],
        "containers": [
            {"name": "a", "resources": {"requests": {"cpu": "500m", "memory": "1Gi"}}},
            {"name": "b"},
        ],
    }
    assert pod_requests(spec) == {"cpu": 2000, "memory": 2**30}
    assert pod_requests({"containers": [{"name": "x"}]}, non_zero=True) == {
        "cpu": DEFAULT_MILLI_CPU_REQUEST,
        "memory": DEFAULT_MEMORY_REQUEST,
    }


def test_section_9_5_unschedulable_node_reason():
    store, _ = scheduling_store(node("only"))
    cordoned = store.get("Node", "only")
    cordoned["spec"]["unschedulable"] = True
    store.update(cordoned)
    store.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p"},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]},
        }
    )
    store.clock.settle()
    assert events(store, "FailedScheduling")[0]["message"] == (
        "0/1 nodes are available: 1 node(s) were unschedulable. no new claims to deallocate, "
        "preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."
    )


def test_section_13_node_taint_admission_and_removal():
    store, _ = scheduling_store()
    created = store.create(node("fresh"))
    assert {"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"} in created["spec"][
        "taints"
    ]
    store.clock.settle()
    assert "taints" not in store.get("Node", "fresh")["spec"]


def test_section_1_3_never_pull_policy_and_init_failure_with_never():
    cluster = new_cluster()
    cluster.create(pod("never", [{"name": "c", "image": "redis:7", "imagePullPolicy": "Never"}]))
    init = [{"name": "setup", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}]
    cluster.create(
        pod("doomed", [{"name": "c", "image": "nginx"}], initContainers=init, restartPolicy="Never")
    )
    cluster.run_for(20)
    waiting = container_status(cluster, "never")["state"]["waiting"]
    assert waiting == {
        "reason": "ErrImageNeverPull",
        "message": 'Container image "redis:7" is not present with pull policy of Never',
    }
    assert messages(cluster, "never", "ErrImageNeverPull") == [
        'Container image "redis:7" is not present with pull policy of Never'
    ]
    # §3.3 rule 1: a failed init container with restartPolicy Never fails the pod.
    assert cluster.get("Pod", "doomed")["status"]["phase"] == "Failed"


def test_section_2_2_readiness_starts_as_failure_and_containers_without_probes_are_ready():
    cluster = new_cluster()
    probe = {"httpGet": {"port": 80}, "initialDelaySeconds": 30}
    cluster.create(
        pod(
            "slow-ready",
            [
                {"name": "web", "image": "nginx:1.27", "readinessProbe": probe},
                {"name": "side", "image": "redis:7"},
            ],
        )
    )
    cluster.run_for(20)
    statuses = {
        s["name"]: s for s in cluster.get("Pod", "slow-ready")["status"]["containerStatuses"]
    }
    assert statuses["web"]["ready"] is False
    assert statuses["side"]["ready"] is True
    cluster.run_for(30)
    assert container_status(cluster, "slow-ready")["ready"] is True
