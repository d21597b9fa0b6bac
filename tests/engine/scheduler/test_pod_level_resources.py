"""Pod-level ``spec.resources`` count the same for the scheduler and ``describe node``."""

from k8sgame.engine.nodes import node_manifest
from k8sgame.kubectl.session import KubectlSession
from tests.cluster_helpers import new_cluster


def _pod(name, container_cpu, pod_cpu=None):
    spec = {
        "containers": [
            {"name": "c", "image": "nginx", "resources": {"requests": {"cpu": container_cpu}}}
        ]
    }
    if pod_cpu:
        spec["resources"] = {"requests": {"cpu": pod_cpu}}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def test_pod_level_requests_replace_the_container_sum_for_scheduling_and_describe():
    cluster = new_cluster(nodes=[node_manifest("solo", cpu="2")])
    cluster.create(_pod("big", "100m", pod_cpu="1500m"))
    cluster.run_for(5)
    assert cluster.get("Pod", "big")["spec"]["nodeName"] == "solo"
    # 1500m is taken by the pod-level request, so a 1-cpu pod no longer fits on 2 cpus.
    cluster.create(_pod("second", "1"))
    cluster.run_for(5)
    second = cluster.get("Pod", "second")
    assert "nodeName" not in second["spec"]
    unschedulable = next(c for c in second["status"]["conditions"] if c["type"] == "PodScheduled")
    assert "Insufficient cpu" in unschedulable["message"]
    text = KubectlSession(cluster).run("describe node solo").stdout
    row = next(line for line in text.splitlines() if " big " in f" {line} ")
    assert "1500m (75%)" in row
    allocated = text.split("Allocated resources:")[1].splitlines()
    cpu = next(line.split() for line in allocated if line.split()[:1] == ["cpu"])
    assert cpu[1:3] == ["1500m", "(75%)"]


def test_without_pod_level_requests_the_containers_are_summed():
    cluster = new_cluster(nodes=[node_manifest("solo", cpu="2")])
    cluster.create(_pod("small", "100m"))
    cluster.create(_pod("second", "1"))
    cluster.run_for(5)
    assert cluster.get("Pod", "second")["spec"]["nodeName"] == "solo"
