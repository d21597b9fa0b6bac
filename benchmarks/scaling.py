"""How the engine's per-event costs grow with the cluster (issue "Foundations for growth").

Prints:
  (a) the wall time of one pod event (a label change on a running pod, settled) on a cluster
      of 1 node and of 1,000 nodes — the cost should not grow with the number of nodes;
  (b) ``get pods -l app=web`` (p50/p99) and a store list by selector at 3,000 pods.

Usage: python benchmarks/scaling.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics
import time

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.labels import parse as parse_selector
from k8sgame.engine.nodes import node_manifest
from k8sgame.kubectl.session import KubectlSession


def _pod(name: str, app: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": app}},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
    }


def _cluster(nodes: int) -> Cluster:
    manifests = [node_manifest(f"node-{i}", cpu="64", memory="256Gi") for i in range(nodes)]
    return Cluster(load_default_catalog(), seed=1, nodes=manifests)


def pod_event_cost(nodes: int, rounds: int) -> list[float]:
    cluster = _cluster(nodes)
    cluster.create(_pod("probe", "web"))
    cluster.run_for(30)
    times = []
    for i in range(rounds):
        start = time.perf_counter()
        cluster.api.patch(
            "Pod", "probe", "default", {"metadata": {"labels": {"round": str(i)}}}, "merge"
        )
        cluster.settle()
        times.append((time.perf_counter() - start) * 1000)
    return times


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    for nodes in (1, 1000):
        times = pod_event_cost(nodes, args.rounds)
        print(
            f"(a) one pod event, {nodes:>4} node(s): p50 {statistics.median(times):6.3f} ms,"
            f" p99 {percentile(times, 0.99):6.3f} ms"
        )
    cluster = _cluster(30)
    for i in range(3000):
        cluster.create(_pod(f"pod-{i:04d}", "web" if i % 10 == 0 else "other"))
    cluster.settle()
    session = KubectlSession(cluster)
    selector = parse_selector("app=web")
    gets, lists = [], []
    for _ in range(max(20, args.rounds // 10)):
        start = time.perf_counter()
        session.run("get pods -l app=web")
        gets.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        cluster.api.view("Pod", "default", selector)
        lists.append((time.perf_counter() - start) * 1000)
    print(
        f"(b) get pods -l app=web at 3,000 pods: p50 {statistics.median(gets):.2f} ms,"
        f" p99 {percentile(gets, 0.99):.2f} ms; store list by selector p50"
        f" {statistics.median(lists):.2f} ms"
    )


if __name__ == "__main__":
    main()
