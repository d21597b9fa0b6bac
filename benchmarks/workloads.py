"""Workload speed figures (issue: workloads that heal themselves — chapter two).

Prints:
  (a) a 100-replica Deployment rolled from one image to another, to completion: wall time,
      the simulated time it took, and the wall time of each controller pass (a cluster step);
      then the same rollout behind a Service (EndpointSlices and Endpoints follow it);
  (b) the game screen's clock step with 300 pods (three 100-replica Deployments, one of them
      rolling): advancing the clock by one tick at ×10 speed, the cheap goal check that
      follows, and sorting the nodes and pods the cluster tree shows — target p99 < 50 ms.
The level check p99 of every chapter-two level is in benchmarks/levels.py.

Usage: python benchmarks/workloads.py [--ticks N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import percentile

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.nodes import node_manifest
from k8sgame.engine.objcopy import clone
from k8sgame.levels.checker import observe
from k8sgame.levels.pack import default_pack_dir, load_pack
from k8sgame.levels.play import LevelRun

TICK_SECONDS = 0.1
SPEED = 10


def deployment(name: str, replicas: int, image: str) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": [
                        {
                            "name": "web",
                            "image": image,
                            "resources": {"requests": {"cpu": "10m", "memory": "16Mi"}},
                        }
                    ]
                },
            },
        },
    }


def big_nodes(count: int) -> list[dict]:
    return [node_manifest(f"node-{i}", cpu="32", memory="64Gi") for i in range(1, count + 1)]


def set_image(cluster: Cluster, name: str, image: str) -> None:
    current = clone(cluster.get("Deployment", name))
    current["spec"]["template"]["spec"]["containers"][0]["image"] = image
    cluster.api.update(current)


def complete(cluster: Cluster, name: str, replicas: int) -> bool:
    d = cluster.get("Deployment", name)
    status = d["status"]
    return (
        status.get("observedGeneration", 0) >= d["metadata"]["generation"]
        and status.get("updatedReplicas", 0) == replicas
        and status.get("availableReplicas", 0) == replicas
        and status.get("replicas", 0) == replicas
    )


def service(name: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name},
        "spec": {"selector": {"app": name}, "ports": [{"port": 80}]},
    }


def rollout_figures(behind_service: bool = False) -> None:
    cluster = Cluster(load_default_catalog(), seed=1, nodes=big_nodes(5))
    if behind_service:
        # The EndpointSlice and Endpoints controllers follow every pod of the rollout.
        cluster.api.create(service("web"))
    cluster.api.create(deployment("web", 100, "nginx:1.25"))
    cluster.run_until(lambda: complete(cluster, "web", 100), 600)
    set_image(cluster, "web", "nginx:1.27")
    sim_start, start = cluster.now, time.perf_counter()
    steps = []
    done = False
    while not done and cluster.now - sim_start < 3600:
        step = time.perf_counter()
        cluster.run_for(1.0)
        steps.append((time.perf_counter() - step) * 1000)
        done = complete(cluster, "web", 100)
    wall = time.perf_counter() - start
    print(
        f"100-replica rollout{' behind a Service' if behind_service else ''}: "
        f"{'complete' if done else 'NOT complete'} after "
        f"{cluster.now - sim_start:.0f} s simulated, {wall * 1000:.0f} ms wall "
        f"({len(steps)} one-second steps: p50 {percentile(steps, 0.5):.2f} ms, "
        f"p99 {percentile(steps, 0.99):.2f} ms)"
    )


def clock_step_figures(ticks: int) -> None:
    level = next(lv for lv in load_pack(default_pack_dir()) if lv.id == "bad-rollout-undo")
    run = LevelRun(level)
    cluster = run.cluster
    for node in big_nodes(3):
        node["metadata"]["name"] = "big-" + node["metadata"]["name"]
        cluster.api.create(node)
    for name in ("cart", "shop", "api"):
        cluster.api.create(deployment(name, 100, "nginx:1.25"))
    cluster.run_until(lambda: all(complete(cluster, n, 100) for n in ("cart", "shop", "api")), 600)
    pods = len(cluster.api.view("Pod", "default"))
    set_image(cluster, "shop", "nginx:1.27")
    samples = []
    for _ in range(ticks):
        start = time.perf_counter()
        run.advance(TICK_SECONDS * SPEED)
        observe(run)
        sorted(cluster.api.view("Node"), key=lambda n: n["metadata"]["name"])
        sorted(cluster.api.view("Pod", "default"), key=lambda p: p["metadata"]["name"])
        samples.append((time.perf_counter() - start) * 1000)
    print(
        f"clock step with {pods} pods (×{SPEED}, {ticks} ticks, a rollout under way): "
        f"p50 {percentile(samples, 0.5):.2f} ms, p99 {percentile(samples, 0.99):.2f} ms, "
        f"worst {max(samples):.0f} ms (target p99 < 50 ms)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ticks", type=int, default=600)
    options = parser.parse_args()
    rollout_figures()
    rollout_figures(behind_service=True)
    clock_step_figures(options.ticks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
