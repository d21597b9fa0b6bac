"""The crash-loop back-off: how long the kubelet waits before a given restart of a container
that keeps exiting. The answer is measured on a fresh cluster with ``measure.restart_delay``
(K8S-FACTS §1: 10 s doubling to 300 s, reset once an instance ran more than 10 minutes)."""

from __future__ import annotations

import random
from typing import Any

import yaml

from k8sgame.measure import MeasureError, restart_delay
from k8sgame.quiz.generators.cluster import NAMESPACE, one_node_cluster, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Question

# A pinned tag: IfNotPresent, so no image pull sits between the back-off and the restart.
IMAGE = "busybox:1.36"
RESTARTS = range(2, 8)
# How long an instance may take to restart without any back-off: the kubelet notices an exit
# at its next relist (docs/engine.md, "Timing model"), then restarts it.
RELIST_SLACK = 2.0


def _command(rng: random.Random, style: str) -> str:
    code = rng.choice((1, 1, 2, 3))
    if style == "exit":
        return f"echo starting; exit {code}"
    if style == "runs":
        # Well under the 10-minute reset: the back-off still doubles.
        return f"sleep {rng.choice((5, 20, 45, 90, 240))}; exit {code}"
    return f"sleep {rng.choice((660, 700, 900))}; exit {code}"


@generator("crashloop-delay", ("crashloopbackoff", "restart-policy"))
def crashloop_delay(seed: int) -> Question:
    rng = random.Random(seed)
    restart = rng.choice(RESTARTS)
    style = rng.choice(("exit", "exit", "runs", "runs", "reset"))
    container: dict[str, Any] = {
        "name": "app",
        "image": IMAGE,
        "command": ["sh", "-c", _command(rng, style)],
    }
    manifest = pod_manifest("crasher", [container], restartPolicy="Always")
    cluster = one_node_cluster(seed)
    cluster.api.create(manifest)
    # Every wait up to the one asked about, each measured as the cluster runs on.
    waits = [restart_delay(cluster, NAMESPACE, "crasher", n) for n in range(2, restart + 1)]
    delay = waits[-1]
    shown = yaml.safe_dump(manifest, sort_keys=False).rstrip()
    if style == "reset":
        # Each instance ran past the 10-minute reset: every crash counts as a first one and
        # the kubelet restarts it as soon as it sees the exit, with no back-off.
        if delay > RELIST_SLACK:
            raise MeasureError(f"expected an immediate restart after a reset, waited {delay}s")
        number, tolerance = 0.0, RELIST_SLACK
        explanation = text("generated.backoff.explanation_reset", restart=restart)
    else:
        number, tolerance = float(delay), 0.0
        sequence = ", ".join(f"{w:g}s" for w in waits)
        explanation = text(
            "generated.backoff.explanation", restart=restart, delay=f"{delay:g}", sequence=sequence
        )
    return Question(
        id=f"crashloop-delay-{seed}",
        kind="numeric",
        prompt=text("generated.backoff.prompt", spec=shown, restart=restart),
        explanation=explanation,
        concepts=("crashloopbackoff", "restart-policy"),
        difficulty=3,
        number=number,
        tolerance=tolerance,
        unit="s",
        generator="crashloop-delay",
        seed=seed,
    )
