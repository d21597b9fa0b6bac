"""Which QoS class a pod gets: random requests and limits on one or two containers; the API
server's defaulting and ``status.qosClass`` on a real create decide the answer."""

from __future__ import annotations

import random
from typing import Any

import yaml

from k8sgame.content.text import Text
from k8sgame.measure import field_value
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

CLASSES = ("Guaranteed", "Burstable", "BestEffort")
_AMOUNTS = {"cpu": ("100m", "250m", "500m", "1"), "memory": ("64Mi", "128Mi", "256Mi", "1Gi")}


def _resources(rng: random.Random) -> dict[str, Any]:
    """Requests and limits for one container, leaning towards the cases people mix up:
    limits only (requests default to them), requests equal to limits, one resource missing."""
    style = rng.choice(("none", "limits", "equal", "equal", "requests", "mixed", "one"))
    if style == "none":
        return {}
    cpu, memory = rng.choice(_AMOUNTS["cpu"]), rng.choice(_AMOUNTS["memory"])
    both = {"cpu": cpu, "memory": memory}
    if style == "limits":
        return {"limits": both}
    if style == "equal":
        return {"requests": dict(both), "limits": dict(both)}
    if style == "requests":
        return {"requests": both}
    if style == "one":
        return {"limits": {"cpu": cpu}}
    smaller = _AMOUNTS["memory"][0] if memory != _AMOUNTS["memory"][0] else "32Mi"
    return {"requests": {"cpu": cpu, "memory": smaller}, "limits": both}


@generator("qos-class", ("qos-classes", "resource-requests"))
def qos_class(seed: int) -> Question:
    rng = random.Random(seed)
    containers = []
    for index in range(rng.choice((1, 1, 2))):
        container: dict[str, Any] = {"name": ("app", "sidecar")[index], "image": "nginx"}
        resources = _resources(rng)
        if resources:
            container["resources"] = resources
        containers.append(container)
    cluster = fresh_cluster(seed)
    cluster.api.create(pod_manifest("quiz", containers))
    answer = str(field_value(cluster, "Pod", "quiz", NAMESPACE, "{.status.qosClass}"))
    shown = yaml.safe_dump({"containers": containers}, sort_keys=False).rstrip()
    return Question(
        id=f"qos-class-{seed}",
        kind="single",
        prompt=text("generated.qos.prompt", spec=shown),
        explanation=text("generated.qos.explanation", answer=answer),
        concepts=("qos-classes", "resource-requests"),
        difficulty=2,
        # Kubernetes' own words, the same in both languages.
        options=tuple(Option(Text(name, name), name == answer) for name in CLASSES),
        generator="qos-class",
        seed=seed,
    )
