"""kubectl speed figures (issue: kubectl for the simulated cluster).

Prints p50/p99 wall time of ``get pods -o wide`` and ``describe pod`` on a cluster holding
200 running pods (with their events) — target p99 < 16 ms (one frame at 60 Hz).

Usage: python benchmarks/kubectl.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import percentile, probed_pod

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster
from k8sgame.kubectl.session import KubectlSession

PODS = 200


def busy_cluster() -> Cluster:
    """The default cluster with 200 probed pods, all Running after five simulated minutes
    (each node pulls one image at a time, so the last pods start a few minutes in)."""
    cluster = Cluster(load_default_catalog(), seed=1)
    for index in range(PODS):
        manifest = probed_pod(f"web-{index:03d}")
        manifest["spec"]["containers"][0]["resources"] = {}
        cluster.create(manifest)
    cluster.run_for(300)
    return cluster


def timed(session: KubectlSession, command: str, rounds: int) -> tuple[float, float]:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        result = session.run(command)
        samples.append((time.perf_counter() - start) * 1000)
        if result.exit_code:
            raise SystemExit(f"{command!r} failed: {result.stderr}")
    return percentile(samples, 0.5), percentile(samples, 0.99)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    cluster = busy_cluster()
    session = KubectlSession(cluster)
    running = sum(
        1 for p in cluster.api.view("Pod") if (p.get("status") or {}).get("phase") == "Running"
    )
    print(f"cluster: {PODS} pods, {running} Running")
    for command in ("get pods -o wide", "describe pod web-100"):
        p50, p99 = timed(session, command, args.rounds)
        verdict = "ok" if p99 < 16 else "OVER TARGET"
        print(
            f"{command:<22} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   (target p99 < 16 ms: {verdict})"
        )


if __name__ == "__main__":
    main()
