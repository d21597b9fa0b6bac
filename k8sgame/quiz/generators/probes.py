"""When a failing liveness probe gets its container killed. The probe fails from the start
(a port nothing listens on, or a file that is not there); the engine runs the pod and the
answer is the time between the first failed probe (the first ``Unhealthy`` event) and the
kubelet's decision to kill (the ``Killing`` event), read off the cluster's clock.

That interval is exactly ``(failureThreshold - 1) × periodSeconds`` on a real kubelet too: a
probe worker ticks every period and acts on the ``failureThreshold``-th consecutive failure
(K8S-FACTS §2.2). The time from the container's *start* is not asked: the worker's ticker
starts with the pod's first sync, before the sandbox and the image pull, so where its ticks
fall after the start depends on them (docs/engine.md, "Probes"; upstream likewise).
"""

from __future__ import annotations

import random
from typing import Any

import yaml

from k8sgame.engine.cluster import Cluster
from k8sgame.engine.store import WatchEvent
from k8sgame.measure import MEASURE_LIMIT, MeasureError
from k8sgame.quiz.generators.cluster import fresh_cluster, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Question

DEFAULT_PERIOD_SECONDS = 10  # K8S-FACTS §2.1
DEFAULT_FAILURE_THRESHOLD = 3

# (container, probe handler): each fails on every try.
_SUBJECTS: tuple[tuple[dict[str, Any], dict[str, Any]], ...] = (
    # nginx listens on 80, not 8080.
    ({"name": "web", "image": "nginx:1.27"}, {"httpGet": {"path": "/healthz", "port": 8080}}),
    ({"name": "web", "image": "nginx:1.27"}, {"tcpSocket": {"port": 8080}}),
    (
        {"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]},
        {"exec": {"command": ["cat", "/tmp/healthy"]}},
    ),
    (
        {"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]},
        {"httpGet": {"path": "/", "port": 8080}},
    ),
)


def kill_timing(cluster: Cluster, pod: str, limit: float = MEASURE_LIMIT) -> tuple[float, float]:
    """Run ``cluster`` until the kubelet decides to kill a container of ``pod`` after a
    liveness failure; return (first Unhealthy event, Killing event) in cluster seconds."""
    seen: dict[str, float] = {}

    def hear(event: WatchEvent) -> None:
        obj = event.obj
        if (obj.get("involvedObject") or {}).get("name") == pod:
            seen.setdefault(str(obj.get("reason")), cluster.now)

    cluster.api.watch(hear, ("Event",))
    if not cluster.run_until(lambda: "Killing" in seen, limit):
        raise MeasureError(f"the kubelet never killed a container of pod {pod}")
    if "Unhealthy" not in seen:
        raise MeasureError(f"pod {pod} was killed without a failed probe")
    return seen["Unhealthy"], seen["Killing"]


@generator("probe-kill", ("liveness-probe", "probe-mechanisms", "self-healing"))
def probe_kill(seed: int) -> Question:
    rng = random.Random(seed)
    base, handler = rng.choice(_SUBJECTS)
    probe: dict[str, Any] = dict(handler)
    delay = rng.choice((0, 5, 10, 15, 30))
    if delay or rng.random() < 0.5:
        probe["initialDelaySeconds"] = delay
    period = failures = None
    if rng.random() < 0.75:
        period = rng.choice((1, 2, 3, 5, 5, 10, 15, 20))
        probe["periodSeconds"] = period
    if rng.random() < 0.75:
        failures = rng.choice((1, 2, 3, 3, 4, 5))
        probe["failureThreshold"] = failures
    container = {**base, "livenessProbe": probe}
    cluster = fresh_cluster(seed)
    cluster.api.create(pod_manifest("probed", [container]))
    first, killed = kill_timing(cluster, "probed")
    answer = round(killed - first, 3)
    period = period or DEFAULT_PERIOD_SECONDS
    failures = failures or DEFAULT_FAILURE_THRESHOLD
    shown = yaml.safe_dump({"containers": [container]}, sort_keys=False).rstrip()
    fields = {
        "container": base["name"],
        "answer": f"{answer:g}",
        "delay": delay,
        "period": period,
        "failures": failures,
        "latest": delay + failures * period,
    }
    return Question(
        id=f"probe-kill-{seed}",
        kind="numeric",
        prompt=text("generated.probes.prompt", spec=shown, container=base["name"]),
        explanation=text("generated.probes.explanation", **fields),
        concepts=("liveness-probe", "probe-mechanisms", "self-healing"),
        difficulty=3,
        number=answer,
        tolerance=0.0,
        unit="s",
        generator="probe-kill",
        seed=seed,
    )
