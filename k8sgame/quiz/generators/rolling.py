"""Rolling-update bounds: a Deployment of N replicas with a maxSurge and a maxUnavailable
(ints or percentages) is moved to an image that cannot be pulled. How many pods may run at
once, how few may be available, and where does the rollout stall: how many pods does the new
ReplicaSet ask for, and how many old ones are left?

The bounds are the controller's own fenceposts (K8S-FACTS §7.2: surge rounds up,
unavailability down, both 0 means one). The stall is measured: the engine runs the rollout for
ten seconds and reads the two ReplicaSets. Stepping through §7.3 by hand gives new = surge +
unavailable and old = N − unavailable; the generator checks that the engine agrees and raises
if not.
"""

from __future__ import annotations

import random
from typing import Any

from k8sgame.engine.controllers.deployment.fenceposts import resolve_fenceposts
from k8sgame.engine.intstr import int_or_percent_value, scaled_value
from k8sgame.engine.objcopy import clone
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Question

ASKED = ("most_pods", "fewest_available", "new_when_stalled", "old_when_stalled")
_AMOUNTS: tuple[Any, ...] = (0, 1, 2, 3, "10%", "20%", "25%", "25%", "30%", "50%")
BAD_IMAGE = "nginx:1.255"  # no such tag: the new pods never become available


def _deployment(replicas: int, surge: Any, unavailable: Any) -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web", "namespace": NAMESPACE},
        "spec": {
            "replicas": replicas,
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable},
            },
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }


def stalled_sizes(replicas: int, surge: Any, unavailable: Any, seed: int) -> tuple[int, int]:
    """(new ReplicaSet's size, old ReplicaSet's size) once a rollout to an image that cannot
    be pulled has stopped moving, as the engine runs it."""
    cluster = fresh_cluster(seed)
    cluster.api.create(_deployment(replicas, surge, unavailable))

    def available() -> bool:
        status = (cluster.api.peek("Deployment", "web", NAMESPACE) or {}).get("status") or {}
        return status.get("availableReplicas") == replicas

    # The rollout starts from a Deployment whose pods are all available.
    cluster.run_until(available, 30)
    changed = clone(cluster.get("Deployment", "web", NAMESPACE))
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = BAD_IMAGE
    cluster.api.update(changed)
    # The controllers move at once and the new pods never become available: after the
    # first seconds nothing changes (the progress deadline is minutes away).
    cluster.run_for(10)
    sizes = {
        rs["spec"]["template"]["spec"]["containers"][0]["image"]: int(rs["spec"]["replicas"])
        for rs in cluster.api.list("ReplicaSet", NAMESPACE)
    }
    return sizes.get(BAD_IMAGE, 0), sizes.get("nginx:1.27", 0)


def _shown(value: Any) -> str:
    return str(value)


@generator("rolling-update", ("deployment", "deployment-strategies"))
def rolling_update(seed: int) -> Question:
    rng = random.Random(seed)
    asked = rng.choice(ASKED)
    # The engine runs the stalled variants, a few milliseconds per pod: they stay small.
    replicas = rng.randint(2, 7 if asked.endswith("stalled") else 12)
    while True:
        # Both zero is refused by the API server, and both rounding to zero makes one pod
        # unavailable by a rule of its own: neither is what these questions are about.
        surge, unavailable = rng.choice(_AMOUNTS), rng.choice(_AMOUNTS)
        if not (int_or_percent_value(surge) or int_or_percent_value(unavailable)):
            continue
        if scaled_value(surge, replicas, True) or scaled_value(unavailable, replicas, False):
            break
    max_surge, max_unavailable = resolve_fenceposts(surge, unavailable, replicas)
    max_unavailable = min(max_unavailable, replicas)
    # The design's stall (§7.3 by hand); measured by the engine when it is what is asked.
    new, old = min(max_surge + max_unavailable, replicas), replicas - max_unavailable
    if asked.endswith("stalled") and stalled_sizes(replicas, surge, unavailable, seed) != (
        new,
        old,
    ):
        raise MeasureError(
            f"rolling-update seed {seed}: the engine does not stall at new={new} old={old}"
        )
    answer = {
        "most_pods": replicas + max_surge,
        "fewest_available": replicas - max_unavailable,
        "new_when_stalled": new,
        "old_when_stalled": old,
    }[asked]
    fields = {
        "replicas": replicas,
        "surge": _shown(surge),
        "unavailable": _shown(unavailable),
        "max_surge": max_surge,
        "max_unavailable": max_unavailable,
        "most": replicas + max_surge,
        "fewest": replicas - max_unavailable,
        "new": new,
        "old": old,
    }
    return Question(
        id=f"rolling-update-{seed}",
        kind="numeric",
        prompt=text(f"generated.rolling.prompt_{asked}", **fields),
        explanation=text(f"generated.rolling.explanation_{asked}", **fields),
        concepts=("deployment", "deployment-strategies"),
        difficulty=3 if asked.endswith("stalled") else 2,
        number=float(answer),
        tolerance=0.0,
        generator="rolling-update",
        seed=seed,
    )
