"""What a pod whose only container exits shows two minutes later, under each restartPolicy:
the STATUS column of ``kubectl get pod`` (run through the real kubectl layer, as the player
sees it) or ``status.phase``. K8S-FACTS §3.2 (restartPolicy), §3.3 (phase), §3.5 (STATUS)."""

from __future__ import annotations

import random
from typing import Any

import yaml

from k8sgame.content.text import Text
from k8sgame.engine.cluster import Cluster
from k8sgame.kubectl.session import KubectlSession
from k8sgame.measure import MeasureError, field_value
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

POLICIES = ("Always", "OnFailure", "Never")
# Kubernetes' own words, the same in both languages. "Failed" and "Succeeded" are phases,
# never what STATUS shows for these pods: kept as the usual mix-up.
STATUSES = ("Running", "Completed", "Error", "CrashLoopBackOff", "Failed")
PHASES = ("Pending", "Running", "Succeeded", "Failed")
# When the question looks: mid-way through a back-off for every variant (restarts come at
# about 5, 15, 35, 75 and 155 s, a few seconds later for the sleeping ones).
LOOK_AFTER = 120.0


def get_pod_status(cluster: Cluster, name: str) -> str:
    """The STATUS column of ``kubectl get pod NAME``."""
    result = KubectlSession(cluster).run(f"get pod {name}")
    lines = result.stdout.splitlines()
    if result.exit_code != 0 or len(lines) != 2:
        raise MeasureError(f"kubectl get pod {name} failed: {result.stderr.strip()}")
    header, row = lines
    start = header.index("STATUS")
    return row[start:].split()[0]


@generator("restart-policy", ("restart-policy", "pod-status", "crashloopbackoff"))
def restart_policy(seed: int) -> Question:
    rng = random.Random(seed)
    policy = rng.choice(POLICIES)
    code = rng.choice((0, 0, 1, 2, 3))
    sleep = rng.choice((0, 0, 3, 5))
    script = f"sleep {sleep}; exit {code}" if sleep else f"exit {code}"
    asked = rng.choice(("status", "status", "phase"))
    container: dict[str, Any] = {"name": "task", "image": "busybox:1.36"}
    container["command"] = ["sh", "-c", script]
    manifest = pod_manifest("task", [container], restartPolicy=policy)
    cluster = fresh_cluster(seed)
    cluster.api.create(manifest)
    cluster.run_for(LOOK_AFTER)
    status = get_pod_status(cluster, "task")
    phase = str(field_value(cluster, "Pod", "task", NAMESPACE, "{.status.phase}"))
    answer, choices = (status, STATUSES) if asked == "status" else (phase, PHASES)
    if answer not in choices:
        raise MeasureError(f"the pod shows {answer!r}, which is not among the options")
    restarts = policy == "Always" or (policy == "OnFailure" and code != 0)
    case = "restarts" if restarts else ("succeeded" if code == 0 else "failed")
    shown = yaml.safe_dump(manifest, sort_keys=False).rstrip()
    return Question(
        id=f"restart-policy-{seed}",
        kind="single",
        prompt=text(f"generated.restart_policy.prompt_{asked}", spec=shown),
        explanation=text(
            f"generated.restart_policy.explanation_{case}",
            answer=answer,
            policy=policy,
            code=code,
            status=status,
            phase=phase,
        ),
        concepts=("restart-policy", "pod-status", "crashloopbackoff"),
        difficulty=2,
        options=tuple(Option(Text(name, name), name == answer) for name in choices),
        generator="restart-policy",
        seed=seed,
    )
