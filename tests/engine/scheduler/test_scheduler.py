"""Scheduling: filters, scores, FailedScheduling text and retries (K8S-FACTS §9)."""

import pytest
from sched_helpers import events, node, placed, scheduling_store

from k8sgame.engine.scheduler.messages import fit_error, histogram
from k8sgame.engine.scheduler.scheduler import num_feasible_nodes_to_find


def pod(name, **spec):
    containers = spec.pop(
        "containers", [{"name": "c", "image": "nginx", "resources": spec.pop("resources", {})}]
    )
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": spec.pop("labels", {})},
        "spec": {"containers": containers, **spec},
    }


def test_histogram_sorts_entries_as_strings():
    assert histogram(["b"] * 10 + ["a"] * 2) == "10 b, 2 a"


def test_failed_scheduling_message_format_for_1_35():
    message = fit_error(
        3,
        [("node(s) had untolerated taint(s)",), ("Insufficient cpu",), ("Insufficient cpu",)],
        [
            "Preemption is not helpful for scheduling",
            "No preemption victims found for incoming pod",
            "No preemption victims found for incoming pod",
        ],
    )
    assert message == (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
        "no new claims to deallocate, preemption: 0/3 nodes are available: "
        "1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    )


@pytest.mark.parametrize(
    ("nodes", "wanted"),
    [(3, 3), (99, 99), (100, 100), (1000, 420), (5000, 500), (6000, 300), (10000, 500)],
)
def test_num_feasible_nodes_to_find(nodes, wanted):
    assert num_feasible_nodes_to_find(nodes) == wanted


def test_pod_lands_on_the_least_allocated_node_and_gets_scheduled_event():
    store, _ = scheduling_store(node("small", cpu="2"), node("big", cpu="8", memory="16Gi"))
    store.create(pod("web", resources={"requests": {"cpu": "500m", "memory": "256Mi"}}))
    store.clock.settle()
    assert placed(store, "web") == "big"
    scheduled = events(store, "Scheduled")
    assert [e["message"] for e in scheduled] == ["Successfully assigned default/web to big"]
    assert scheduled[0]["source"] == {"component": "default-scheduler"}
    condition = next(
        c
        for c in store.get("Pod", "web", "default")["status"]["conditions"]
        if c["type"] == "PodScheduled"
    )
    assert condition["status"] == "True"


def test_insufficient_cpu_and_taints_message_and_condition():
    store, _ = scheduling_store(
        node(
            "control-plane",
            taints=[{"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}],
        ),
        node("node-1", cpu="2"),
        node("node-2", cpu="2"),
    )
    store.create(pod("hungry", resources={"requests": {"cpu": "3"}}))
    store.clock.settle()
    assert placed(store, "hungry") is None
    expected = (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient cpu. "
        "no new claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling."
    )
    failed = events(store, "FailedScheduling")
    assert [e["message"] for e in failed] == [expected]
    assert failed[0]["type"] == "Warning"
    condition = store.get("Pod", "hungry", "default")["status"]["conditions"][0]
    assert (condition["type"], condition["status"], condition["reason"], condition["message"]) == (
        "PodScheduled",
        "False",
        "Unschedulable",
        expected,
    )


def test_requests_that_fit_a_node_but_not_next_to_others_say_no_victims():
    store, _ = scheduling_store(node("node-1", cpu="2"))
    store.create(pod("first", resources={"requests": {"cpu": "1500m"}}))
    store.clock.settle()
    store.create(pod("second", resources={"requests": {"cpu": "1"}}))
    store.clock.settle()
    assert events(store, "FailedScheduling")[0]["message"] == (
        "0/1 nodes are available: 1 Insufficient cpu. no new claims to deallocate, preemption: "
        "0/1 nodes are available: 1 No preemption victims found for incoming pod."
    )


def test_unschedulable_pod_is_placed_when_a_node_arrives():
    store, _ = scheduling_store(node("node-1", cpu="1"))
    store.create(pod("big", resources={"requests": {"cpu": "2"}}))
    store.clock.settle()
    assert placed(store, "big") is None
    store.create(node("node-2", cpu="4"))
    store.clock.run_until_time(store.clock.now + 5)
    assert placed(store, "big") == "node-2"


def test_unschedulable_pod_retries_every_five_minutes():
    store, _ = scheduling_store(node("node-1", cpu="1"))
    store.create(pod("big", resources={"requests": {"cpu": "2"}}))
    store.clock.run_until_time(3600)
    failed = events(store, "FailedScheduling")
    assert len(failed) == 1
    # One attempt at creation, then one per 5-minute flush (checked every 30 s).
    assert failed[0]["count"] == 13


def test_toleration_and_node_selector():
    taint = {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"}
    store, _ = scheduling_store(node("gpu", labels={"hw": "gpu"}, taints=[taint]), node("plain"))
    store.create(pod("picky", nodeSelector={"hw": "gpu"}))
    store.clock.settle()
    assert placed(store, "picky") is None
    assert events(store, "FailedScheduling")[0]["message"].startswith(
        "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint(s)."
    )
    store.create(
        pod(
            "tolerant",
            nodeSelector={"hw": "gpu"},
            tolerations=[
                {"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}
            ],
        )
    )
    store.clock.settle()
    assert placed(store, "tolerant") == "gpu"


def test_cordoned_node_is_skipped():
    store, _ = scheduling_store(node("node-1"), node("node-2"))
    cordoned = store.get("Node", "node-1")
    cordoned["spec"]["unschedulable"] = True
    store.update(cordoned)
    store.clock.settle()
    for index in range(3):
        store.create(pod(f"p{index}"))
    store.clock.settle()
    assert {placed(store, f"p{i}") for i in range(3)} == {"node-2"}


def test_node_affinity_operators():
    store, _ = scheduling_store(
        node("a", labels={"zone": "z1", "gen": "4"}), node("b", labels={"zone": "z2", "gen": "6"})
    )
    affinity = {
        "nodeAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": {
                "nodeSelectorTerms": [
                    {"matchExpressions": [{"key": "gen", "operator": "Gt", "values": ["5"]}]}
                ]
            }
        }
    }
    store.create(pod("new-gen", affinity=affinity))
    store.clock.settle()
    assert placed(store, "new-gen") == "b"


def test_host_port_conflict():
    store, _ = scheduling_store(node("only"))
    containers = [
        {"name": "c", "image": "nginx", "ports": [{"containerPort": 80, "hostPort": 8080}]}
    ]
    store.create(pod("one", containers=containers))
    store.create(pod("two", containers=[dict(containers[0])]))
    store.clock.settle()
    assert placed(store, "one") == "only"
    assert events(store, "FailedScheduling")[0]["message"].startswith(
        "0/1 nodes are available: 1 node(s) didn't have free ports for the requested pod ports."
    )


def test_pod_anti_affinity_spreads_and_then_blocks():
    store, _ = scheduling_store(node("a"), node("b"))
    anti = {
        "podAntiAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {
                    "labelSelector": {"matchLabels": {"app": "db"}},
                    "topologyKey": "kubernetes.io/hostname",
                }
            ]
        }
    }
    for index in range(3):
        store.create(pod(f"db-{index}", labels={"app": "db"}, affinity=anti))
        store.clock.settle()
    assert sorted(filter(None, (placed(store, f"db-{i}") for i in range(3)))) == ["a", "b"]
    assert (
        "2 node(s) didn't match pod anti-affinity rules"
        in events(store, "FailedScheduling")[0]["message"]
    )


def test_pod_affinity_first_pod_may_start_the_group():
    store, _ = scheduling_store(node("a"), node("b"))
    affinity = {
        "podAffinity": {
            "requiredDuringSchedulingIgnoredDuringExecution": [
                {
                    "labelSelector": {"matchLabels": {"app": "cache"}},
                    "topologyKey": "kubernetes.io/hostname",
                }
            ]
        }
    }
    store.create(pod("cache-0", labels={"app": "cache"}, affinity=affinity))
    store.clock.settle()
    first = placed(store, "cache-0")
    assert first is not None
    store.create(pod("cache-1", labels={"app": "cache"}, affinity=affinity))
    store.create(pod("stranger", affinity=affinity))
    store.clock.settle()
    assert placed(store, "cache-1") == first
    assert placed(store, "stranger") == first


def test_no_nodes():
    store, _ = scheduling_store()
    store.create(pod("alone"))
    store.clock.settle()
    assert events(store, "FailedScheduling")[0]["message"] == "no nodes available to schedule pods"


def test_not_ready_node_keeps_its_taint_and_gets_no_pods():
    store, _ = scheduling_store(node("sick", ready=False))
    assert store.get("Node", "sick")["spec"]["taints"] == [
        {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"},
        {
            "key": "node.kubernetes.io/unreachable",
            "effect": "NoExecute",
            "timeAdded": "2026-01-05T09:00:00Z",
        },
    ]
    store.create(pod("web"))
    store.clock.settle()
    assert placed(store, "web") is None


def test_preferred_pod_affinity_and_anti_affinity_scores():
    store, _ = scheduling_store(
        node("a", cpu="8", memory="16Gi"), node("b", cpu="8", memory="16Gi")
    )
    store.create(pod("cache", labels={"app": "cache"}, nodeName="b"))
    store.clock.settle()

    def preferred(kind):
        term = {
            "labelSelector": {"matchLabels": {"app": "cache"}},
            "topologyKey": "kubernetes.io/hostname",
        }
        return {
            kind: {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {"weight": 100, "podAffinityTerm": term}
                ]
            }
        }

    store.create(pod("near", affinity=preferred("podAffinity")))
    store.create(pod("far", affinity=preferred("podAntiAffinity")))
    store.clock.settle()
    assert placed(store, "near") == "b"
    assert placed(store, "far") == "a"
