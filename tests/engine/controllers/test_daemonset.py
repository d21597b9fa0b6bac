"""The DaemonSet controller: one pod per node that should run it (taints, tolerations, node
selectors), the tolerations and node affinity each daemon pod gets, nodes added later, a
rolling update one node at a time, failed pods replaced, and the API server's defaults and
errors for the kind."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.errors import ApiError
from k8sgame.engine.nodes import node_manifest
from k8sgame.engine.objcopy import clone


def daemon_set(name="agent", image="busybox:1.36", **template_spec):
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name},
        "spec": {
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [{"name": name, "image": image, "command": ["sleep", "3600"]}],
                    **template_spec,
                },
            },
        },
    }


def placement(cluster, name="agent"):
    pods = [
        p
        for p in cluster.store.list("Pod", "default")
        if p["metadata"].get("labels", {}).get("app") == name
        and not p["metadata"].get("deletionTimestamp")
    ]
    return sorted(p["spec"].get("nodeName", "") for p in pods)


def test_one_pod_on_every_worker_and_none_on_the_tainted_control_plane():
    cluster = new_cluster()
    created = cluster.api.create(daemon_set())
    assert created["spec"]["updateStrategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0},
    }
    assert created["metadata"]["annotations"] == {"deprecated.daemonset.template.generation": "1"}
    cluster.run_for(30)
    assert placement(cluster) == ["node-1", "node-2"]
    pod = next(p for p in cluster.store.list("Pod", "default") if p["spec"]["nodeName"] == "node-1")
    assert pod["spec"]["affinity"]["nodeAffinity"] == {
        "requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [
                {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["node-1"]}]}
            ]
        }
    }
    keys = {(t["key"], t["effect"]) for t in pod["spec"]["tolerations"]}
    assert {
        ("node.kubernetes.io/not-ready", "NoExecute"),
        ("node.kubernetes.io/unreachable", "NoExecute"),
        ("node.kubernetes.io/unschedulable", "NoSchedule"),
        ("node.kubernetes.io/disk-pressure", "NoSchedule"),
    } <= keys
    assert not any(
        "tolerationSeconds" in t
        for t in pod["spec"]["tolerations"]
        if t["key"].endswith("unreachable")
    )
    assert set(pod["metadata"]["labels"]) == {
        "app",
        "controller-revision-hash",
        "pod-template-generation",
    }
    status = cluster.get("DaemonSet", "agent")["status"]
    assert status == {
        "currentNumberScheduled": 2,
        "numberMisscheduled": 0,
        "desiredNumberScheduled": 2,
        "numberReady": 2,
        "observedGeneration": 1,
        "updatedNumberScheduled": 2,
        "numberAvailable": 2,
    }


def test_a_toleration_for_the_control_plane_taint_puts_a_pod_there_too():
    cluster = new_cluster()
    toleration = {
        "key": "node-role.kubernetes.io/control-plane",
        "operator": "Exists",
        "effect": "NoSchedule",
    }
    cluster.api.create(daemon_set(tolerations=[toleration]))
    cluster.run_for(30)
    assert placement(cluster) == ["control-plane", "node-1", "node-2"]


def test_a_node_added_later_gets_a_pod_and_a_node_selector_narrows_the_nodes():
    cluster = new_cluster()
    cluster.api.create(daemon_set(nodeSelector={"disk": "ssd"}))
    cluster.run_for(20)
    assert placement(cluster) == []
    cluster.api.create(node_manifest("node-3", cpu="2", memory="4Gi", labels={"disk": "ssd"}))
    cluster.run_for(30)
    assert placement(cluster) == ["node-3"]


def test_a_new_no_execute_taint_removes_the_pod_but_a_no_schedule_one_does_not():
    cluster = new_cluster()
    cluster.api.create(daemon_set())
    cluster.run_for(30)
    node = clone(cluster.get("Node", "node-1", ""))
    node["spec"]["taints"] = [{"key": "maintenance", "value": "yes", "effect": "NoSchedule"}]
    cluster.api.update(node)
    cluster.run_for(30)
    assert placement(cluster) == ["node-1", "node-2"]
    assert cluster.get("DaemonSet", "agent")["status"]["numberMisscheduled"] == 1
    node = clone(cluster.get("Node", "node-1", ""))
    node["spec"]["taints"] = [{"key": "maintenance", "value": "yes", "effect": "NoExecute"}]
    cluster.api.update(node)
    cluster.run_for(60)
    assert placement(cluster) == ["node-2"]


def test_a_rolling_update_replaces_one_node_at_a_time():
    cluster = new_cluster(nodes=[node_manifest(f"n{i}", cpu="2", memory="4Gi") for i in range(4)])
    cluster.api.create(daemon_set())
    cluster.run_for(30)
    most_missing = {"value": 0}

    def watch(event):
        ready_current = 0
        for pod in cluster.store.list("Pod", "default"):
            if pod["metadata"].get("deletionTimestamp"):
                continue
            conditions = pod.get("status", {}).get("conditions", [])
            if any(c["type"] == "Ready" and c["status"] == "True" for c in conditions):
                ready_current += 1
        most_missing["value"] = max(most_missing["value"], 4 - ready_current)

    cluster.store.watch(watch, ("Pod",))
    current = clone(cluster.get("DaemonSet", "agent"))
    current["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    cluster.api.update(current)
    cluster.run_for(120)
    images = {p["spec"]["containers"][0]["image"] for p in cluster.store.list("Pod", "default")}
    assert images == {"busybox:1.37"} and len(placement(cluster)) == 4
    assert most_missing["value"] == 1
    annotations = cluster.get("DaemonSet", "agent")["metadata"]["annotations"]
    assert annotations["deprecated.daemonset.template.generation"] == "2"


def test_a_failed_daemon_pod_is_replaced_with_an_event():
    cluster = new_cluster()
    manifest = daemon_set()
    manifest["spec"]["template"]["spec"]["containers"][0]["command"] = ["sh", "-c", "exit 1"]
    manifest["spec"]["template"]["spec"]["restartPolicy"] = "Always"
    cluster.api.create(manifest)
    cluster.run_for(30)
    # restartPolicy Always: the container restarts in place; the pod never fails.
    events = [
        e["reason"]
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == "DaemonSet"
    ]
    assert "FailedDaemonPod" not in events and len(placement(cluster)) == 2


@pytest.mark.parametrize(
    ("strategy", "message"),
    [
        (
            {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}},
            "spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero",
        ),
        (
            {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}},
            "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
        ),
    ],
)
def test_the_api_server_refuses_bad_update_strategies(strategy, message):
    cluster = new_cluster()
    manifest = daemon_set()
    manifest["spec"]["updateStrategy"] = strategy
    with pytest.raises(ApiError) as caught:
        cluster.api.create(manifest)
    assert message in [str(c) for c in caught.value.causes]


@settings(max_examples=12, deadline=None)
@given(
    labels=st.lists(st.booleans(), min_size=1, max_size=5),
    tainted=st.lists(st.booleans(), min_size=1, max_size=5),
)
def test_exactly_one_pod_on_each_eligible_node(labels, tainted):
    nodes = []
    for index, (labelled, taint) in enumerate(zip(labels, tainted, strict=False)):
        nodes.append(
            node_manifest(
                f"n{index}",
                cpu="2",
                memory="4Gi",
                labels={"role": "edge"} if labelled else {},
                taints=[{"key": "dedicated", "value": "x", "effect": "NoSchedule"}]
                if taint
                else None,
            )
        )
    cluster = new_cluster(nodes=nodes)
    cluster.api.create(daemon_set(nodeSelector={"role": "edge"}))
    cluster.run_for(40)
    eligible = sorted(
        n["metadata"]["name"]
        for n, labelled, taint in zip(nodes, labels, tainted, strict=False)
        if labelled and not taint
    )
    assert placement(cluster) == eligible
    assert cluster.get("DaemonSet", "agent")["status"]["desiredNumberScheduled"] == len(eligible)
