"""Engine speed figures (issue: foundation and the deterministic cluster engine).

Prints:
  (a) p50/p99 wall time of "apply one manifest and run to quiet" on the reference scenario
      (3 nodes, 10 pods with probes, one crash-looping container) — target p99 < 16 ms;
  (b) simulated seconds per wall second over one simulated hour of that scenario
      — target >= 50,000x real time;
  (c) scheduling throughput for 5,000 nodes and 150,000 pods, and the process's peak memory
      — target >= 1,000 pods/s and < 4 GiB.

"Run to quiet" means: let every component react, then advance simulated time until the new
pod is Running and Ready (at most 60 simulated seconds) — what the game does after a command.

Usage: python benchmarks/engine.py [--quick]   (--quick: 500 nodes / 15,000 pods for (c))
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from typing import Any

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.nodes import node_manifest


def probed_pod(name: str, image: str = "nginx:1.27") -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {
            "containers": [
                {
                    "name": "web",
                    "image": image,
                    "ports": [{"containerPort": 80}],
                    "resources": {"requests": {"cpu": "100m", "memory": "64Mi"}},
                    "livenessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 10},
                    "readinessProbe": {"httpGet": {"path": "/", "port": 80}, "periodSeconds": 5},
                }
            ]
        },
    }


def crashing_pod(name: str) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "busybox:1.36",
                    "command": ["sh", "-c", "echo starting; sleep 2; exit 1"],
                }
            ]
        },
    }


def reference_cluster(seed: int = 1) -> Cluster:
    nodes = [node_manifest(f"node-{i}", cpu="4", memory="8Gi") for i in range(1, 4)]
    cluster = Cluster(load_default_catalog(), seed=seed, nodes=nodes)
    for index in range(9):
        cluster.create(probed_pod(f"web-{index}"))
    cluster.create(crashing_pod("crasher"))
    cluster.run_for(120)
    return cluster


def pod_ready(cluster: Cluster, name: str) -> bool:
    pod = cluster.api.peek("Pod", name, "default")
    if pod is None:
        return False
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def bench_apply(rounds: int) -> tuple[float, float]:
    cluster = reference_cluster()
    samples = []
    for index in range(rounds):
        name = f"extra-{index}"
        begin = time.perf_counter()
        cluster.api.create(probed_pod(name))
        cluster.run_until(lambda n=name: pod_ready(cluster, n), 60)
        samples.append(time.perf_counter() - begin)
        cluster.api.delete("Pod", name, "default", grace_period=0)
        cluster.settle()
    return percentile(samples, 0.5), percentile(samples, 0.99)


def bench_hour() -> tuple[float, int]:
    cluster = reference_cluster()
    begin = time.perf_counter()
    cluster.run_for(3600)
    elapsed = time.perf_counter() - begin
    restarts = cluster.get("Pod", "crasher")["status"]["containerStatuses"][0]["restartCount"]
    return 3600 / elapsed, restarts


def bench_scheduling(nodes: int, pods: int) -> tuple[float, float, float]:
    manifests = [
        node_manifest(f"n{i:05d}", cpu="32", memory="128Gi", pods="110") for i in range(nodes)
    ]
    cluster = Cluster(load_default_catalog(), seed=1, nodes=manifests, run_kubelets=False)
    for index in range(pods):
        cluster.api.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"p{index:06d}"},
                "spec": {
                    "containers": [
                        {
                            "name": "c",
                            "image": "nginx",
                            "resources": {"requests": {"cpu": "100m", "memory": "200Mi"}},
                        }
                    ]
                },
            }
        )
    begin = time.perf_counter()
    cluster.settle()
    elapsed = time.perf_counter() - begin
    bound = sum(1 for p in cluster.api.view("Pod") if p["spec"].get("nodeName"))
    peak_gib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024)
    return bound / elapsed, peak_gib, bound / pods


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller cluster for (c)")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    p50, p99 = bench_apply(args.rounds)
    print(
        f"(a) apply one manifest and run to quiet: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms (target p99 < 16 ms)"
    )
    speed, restarts = bench_hour()
    print(
        f"(b) one simulated hour: {speed:,.0f}x real time (target >= 50,000x); crash-looper restarts: {restarts}"
    )
    nodes, pods = (500, 15_000) if args.quick else (5_000, 150_000)
    rate, peak, share = bench_scheduling(nodes, pods)
    print(
        f"(c) scheduling {pods:,} pods on {nodes:,} nodes: {rate:,.0f} pods/s (target >= 1,000), "
        f"{share:.0%} bound, peak memory {peak:.2f} GiB (target < 4 GiB)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
