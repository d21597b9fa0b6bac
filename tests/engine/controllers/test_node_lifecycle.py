"""The node lifecycle controller: a cordoned node carries the unschedulable taint."""

from cluster_helpers import new_cluster


def test_cordoned_nodes_carry_the_unschedulable_taint():
    cluster = new_cluster()
    node = cluster.get("Node", "node-1")
    node["spec"]["unschedulable"] = True
    cluster.store.update(node)
    cluster.settle()
    assert {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"} in cluster.get(
        "Node", "node-1"
    )["spec"]["taints"]
