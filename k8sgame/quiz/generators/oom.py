"""Whether a container ends OOMKilled: an image whose memory use is known (the demo app's
``MEMORY_MB``, or MySQL's ~380 MiB) under a memory limit above or below it, or a limit so big
that the request it defaults to fits no node. The engine runs the pod and decides
(K8S-FACTS §3.6: over the limit → OOMKilled, exit code 137; §4: a limit without a request
becomes the request; §9.4: requests must fit a node)."""

from __future__ import annotations

import random
from typing import Any

import yaml

from k8sgame.engine.cluster import Cluster
from k8sgame.measure import MeasureError, container_status
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

OUTCOMES = ("oomkilled", "running", "pending", "evicted")  # "evicted" is never right here
LIMITS_MI = (64, 128, 256, 512, 1024)
USES_MI = (48, 100, 150, 200, 300, 400, 700)
MYSQL_MI = 380  # assets/images.yaml: mysqld's steady memory
# Long enough for MySQL's ~12 s initialization and its memory ramp.
WATCH_SECONDS = 40.0


def _quantity(mib: int) -> str:
    return f"{mib // 1024}Gi" if mib % 1024 == 0 else f"{mib}Mi"


def _demo(rng: random.Random, over: bool) -> tuple[dict[str, Any], int]:
    """The demo app using MEMORY_MB MiB, with a limit at least 20% away from it."""
    while True:
        use = rng.choice(USES_MI)
        limits = [m for m in LIMITS_MI if (m * 1.2 <= use if over else m >= use * 1.2)]
        if limits:
            break
    limit = rng.choice(limits)
    resources: dict[str, Any] = {"limits": {"memory": _quantity(limit)}}
    requests = [m for m in (32, 64, 128) if m < use and m < limit]
    if not over and requests and rng.random() < 0.5:
        # Using more than the request is fine: only the limit kills.
        resources["requests"] = {"memory": _quantity(rng.choice(requests))}
    container = {
        "name": "app",
        "image": "k8sgame/demo-web",
        "env": [{"name": "MEMORY_MB", "value": str(use)}],
        "resources": resources,
    }
    return container, use


def _mysql(rng: random.Random, over: bool) -> tuple[dict[str, Any], int]:
    limit = rng.choice((192, 256) if over else (512, 1024))
    container = {
        "name": "db",
        "image": "mysql:8.4",
        "env": [{"name": "MYSQL_ROOT_PASSWORD", "value": "example"}],
        "resources": {"limits": {"memory": _quantity(limit)}},
    }
    return container, MYSQL_MI


def _huge(rng: random.Random) -> tuple[dict[str, Any], int]:
    """A limit (so a request) bigger than any node's 8Gi: nothing to OOM-kill, nowhere to run."""
    use = rng.choice((100, 200, 300))
    container = {
        "name": "app",
        "image": "k8sgame/demo-web",
        "env": [{"name": "MEMORY_MB", "value": str(use)}],
        "resources": {"limits": {"memory": rng.choice(("12Gi", "16Gi", "32Gi"))}},
    }
    return container, use


def outcome(cluster: Cluster, pod: str) -> str:
    """What became of the pod: ``pending``, ``oomkilled`` or ``running``."""
    obj = cluster.api.peek("Pod", pod, NAMESPACE) or {}
    status = obj.get("status") or {}
    if not (obj.get("spec") or {}).get("nodeName"):
        return "pending"
    container = container_status(cluster, NAMESPACE, pod, None) or {}
    states = (container.get("state") or {}, container.get("lastState") or {})
    if any((s.get("terminated") or {}).get("reason") == "OOMKilled" for s in states):
        return "oomkilled"
    if "running" in states[0] and not container.get("restartCount"):
        return "running"
    raise MeasureError(f"pod {pod} neither runs nor was OOMKilled: {status.get('phase')}")


def _events(cluster: Cluster, pod: str, reason: str) -> list[str]:
    return [
        str(event.get("message"))
        for event in cluster.api.list("Event", NAMESPACE)
        if (event.get("involvedObject") or {}).get("name") == pod and event.get("reason") == reason
    ]


@generator("oom", ("oomkilled", "resource-requests"))
def oom(seed: int) -> Question:
    rng = random.Random(seed)
    style = rng.choice(("demo", "demo", "demo", "mysql", "huge"))
    over = rng.random() < 0.5
    if style == "demo":
        container, use = _demo(rng, over)
    elif style == "mysql":
        container, use = _mysql(rng, over)
    else:
        container, use = _huge(rng)
    cluster = fresh_cluster(seed)
    cluster.api.create(pod_manifest("memory", [container]))
    cluster.run_for(WATCH_SECONDS)
    answer = outcome(cluster, "memory")
    limit = container["resources"]["limits"]["memory"]
    fields: dict[str, Any] = {"use": use, "limit": limit, "image": container["image"]}
    if answer == "pending":
        failed = _events(cluster, "memory", "FailedScheduling")
        fields["message"] = failed[0] if failed else ""
    shown = yaml.safe_dump({"containers": [container]}, sort_keys=False).rstrip()
    return Question(
        id=f"oom-{seed}",
        kind="single",
        prompt=text(f"generated.oom.prompt_{'mysql' if style == 'mysql' else 'demo'}", spec=shown),
        explanation=text(f"generated.oom.explanation_{answer}", **fields),
        concepts=("oomkilled", "resource-requests"),
        difficulty=3 if style == "huge" else 2,
        options=tuple(
            Option(text(f"generated.oom.option_{name}"), name == answer) for name in OUTCOMES
        ),
        generator="oom",
        seed=seed,
    )
