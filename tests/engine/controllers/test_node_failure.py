"""A node whose kubelet stops: its Lease goes stale, the node lifecycle controller marks it
Unknown after the grace period and taints it, the taint-eviction controller deletes its pods
when their tolerations run out, the ReplicaSet replaces them elsewhere; the kubelet coming
back clears it all. PodGC removes the pods of a deleted node."""

from __future__ import annotations

from cluster_helpers import new_cluster
from deployment_helpers import deployment

from k8sgame.engine.timefmt import parse_rfc3339


def on_node(cluster, node):
    return [p for p in cluster.store.list("Pod", "default") if p["spec"].get("nodeName") == node]


def ready(cluster, node):
    conditions = cluster.get("Node", node, "")["status"]["conditions"]
    return next(c for c in conditions if c["type"] == "Ready")


def test_a_kubelet_renews_its_node_lease_every_ten_seconds():
    cluster = new_cluster()
    cluster.run_for(25)
    lease = cluster.get("Lease", "node-1", "kube-node-lease")
    assert lease["spec"]["holderIdentity"] == "node-1"
    assert lease["spec"]["leaseDurationSeconds"] == 40
    assert lease["metadata"]["ownerReferences"][0]["kind"] == "Node"
    assert parse_rfc3339(lease["spec"]["renewTime"]) == 20.0
    assert lease["spec"]["renewTime"].endswith(".000000Z")


def test_a_silent_node_goes_unknown_after_the_grace_period_and_is_tainted():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4))
    cluster.run_for(30)
    cluster.stop_kubelet("node-2")
    cluster.run_for(70)  # the last renewal was at 30 s: 50 s of grace, then a 5 s tick
    condition = ready(cluster, "node-2")
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "Unknown",
        "NodeStatusUnknown",
        "Kubelet stopped posting node status.",
    )
    went_unknown = parse_rfc3339(condition["lastTransitionTime"])
    assert 80 < went_unknown <= 85
    taints = cluster.get("Node", "node-2", "")["spec"]["taints"]
    assert [(t["key"], t["effect"]) for t in taints] == [
        ("node.kubernetes.io/unreachable", "NoSchedule"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
    ]
    for pod in on_node(cluster, "node-2"):
        pod_ready = next(c for c in pod["status"]["conditions"] if c["type"] == "Ready")
        assert pod_ready["status"] == "False"


def test_pods_are_evicted_when_their_300_second_toleration_runs_out_and_replaced():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4))
    cluster.run_for(30)
    doomed = {p["metadata"]["name"] for p in on_node(cluster, "node-2")}
    assert doomed
    cluster.stop_kubelet("node-2")
    cluster.run_for(90)
    taint = next(
        t for t in cluster.get("Node", "node-2", "")["spec"]["taints"] if t["effect"] == "NoExecute"
    )
    tainted_at = parse_rfc3339(taint["timeAdded"])
    cluster.run_until(
        lambda: all(p["metadata"].get("deletionTimestamp") for p in on_node(cluster, "node-2")), 400
    )
    assert 300 <= cluster.now - tainted_at < 302
    events = [
        (e["reason"], e["message"], e["source"]["component"])
        for e in cluster.store.list("Event", "default")
        if e["reason"] == "TaintManagerEviction"
    ]
    assert sorted(events) == sorted(
        (
            "TaintManagerEviction",
            f"Marking for deletion Pod default/{name}",
            "taint-eviction-controller",
        )
        for name in doomed
    )
    cluster.run_for(30)
    # No kubelet confirms they stopped: they stay Terminating; replacements run on node-1.
    assert {p["metadata"]["name"] for p in on_node(cluster, "node-2")} == doomed
    live = [
        p
        for p in cluster.store.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp")
    ]
    assert len(live) == 4 and {p["spec"]["nodeName"] for p in live} == {"node-1"}
    reason = next(
        c
        for c in on_node(cluster, "node-2")[0]["status"]["conditions"]
        if c["type"] == "DisruptionTarget"
    )
    assert reason["reason"] == "DeletionByTaintManager"


def test_the_kubelet_coming_back_makes_the_node_ready_and_finishes_the_deletions():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4))
    cluster.run_for(30)
    cluster.stop_kubelet("node-2")
    cluster.run_for(420)
    cluster.start_kubelet("node-2")
    cluster.run_for(60)
    assert ready(cluster, "node-2")["status"] == "True"
    assert "taints" not in cluster.get("Node", "node-2", "")["spec"]
    assert on_node(cluster, "node-2") == [] or all(
        not p["metadata"].get("deletionTimestamp") for p in on_node(cluster, "node-2")
    )
    live = [
        p
        for p in cluster.store.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp")
    ]
    assert len(live) == 4


def test_a_deleted_nodes_pods_are_removed_by_pod_gc_after_the_quarantine():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4))
    cluster.run_for(30)
    cluster.stop_kubelet("node-2")
    cluster.api.delete("Node", "node-2")
    cluster.run_for(39)
    assert on_node(cluster, "node-2")
    cluster.run_for(20)
    assert on_node(cluster, "node-2") == []
    live = [
        p
        for p in cluster.store.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp")
    ]
    assert len(live) == 4
