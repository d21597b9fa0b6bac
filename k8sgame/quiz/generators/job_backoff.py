"""Job back-off: a Job whose pods always fail, with a seeded ``backoffLimit``. How many pods
does it run before it is marked Failed, and how long does the controller wait after the k-th
failure before the next pod? The engine runs the Job and counts and times its pods
(K8S-FACTS §8.1–8.2: failed > backoffLimit fails the Job; replacements wait 10 s × 2^(k−1),
at most ten minutes).
"""

from __future__ import annotations

import random

from k8sgame.engine.controllers.job import finished_at
from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Question

ASKED = ("pods", "wait")


def _job(limit: int, restart: str) -> dict:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": "migrate", "namespace": NAMESPACE},
        "spec": {
            "backoffLimit": limit,
            "template": {
                "spec": {
                    "restartPolicy": restart,
                    "containers": [
                        {
                            "name": "migrate",
                            "image": "busybox:1.36",
                            "command": ["sh", "-c", "exit 1"],
                        }
                    ],
                }
            },
        },
    }


def run_failing_job(limit: int, seed: int) -> tuple[list[float], list[float], bool]:
    """(each pod's creation time, each pod's finish time, whether the Job ended Failed)."""
    cluster = fresh_cluster(seed)
    cluster.api.create(_job(limit, "Never"))
    horizon = sum(min(10 * 2**k, 600) for k in range(limit)) + 30 * (limit + 1)
    cluster.run_for(horizon)
    pods = sorted(
        cluster.api.list("Pod", NAMESPACE),
        key=lambda p: (p["metadata"]["creationTimestamp"], p["metadata"]["name"]),
    )
    created = [parse_rfc3339(p["metadata"]["creationTimestamp"]) for p in pods]
    finished = [finished_at(p) or 0.0 for p in pods]
    status = cluster.get("Job", "migrate", NAMESPACE).get("status") or {}
    failed = any(
        c.get("type") == "Failed" and c.get("status") == "True"
        for c in status.get("conditions") or []
    )
    return created, finished, failed


@generator("job-backoff", ("job",))
def job_backoff(seed: int) -> Question:
    rng = random.Random(seed)
    asked = rng.choice(ASKED)
    limit = rng.randint(0, 4) if asked == "pods" else rng.randint(2, 4)
    created, finished, failed = run_failing_job(limit, seed)
    if not failed or len(created) != limit + 1:
        raise MeasureError(
            f"job-backoff seed {seed}: backoffLimit {limit} ran {len(created)} pods, failed={failed}"
        )
    fields: dict[str, object] = {"limit": limit, "pods": limit + 1}
    if asked == "pods":
        answer, tolerance = float(limit + 1), 0.0
    else:
        k = rng.randint(1, limit)
        waited = created[k] - finished[k - 1]
        expected = min(10 * 2 ** (k - 1), 600)
        if abs(waited - expected) > 1:
            raise MeasureError(f"job-backoff seed {seed}: waited {waited}s after failure {k}")
        fields.update(k=k, wait=expected, next=k + 1)
        answer, tolerance = float(expected), 1.0
    return Question(
        id=f"job-backoff-{seed}",
        kind="numeric",
        prompt=text(f"generated.job_backoff.prompt_{asked}", **fields),
        explanation=text(f"generated.job_backoff.explanation_{asked}", **fields),
        concepts=("job",),
        difficulty=2 if asked == "pods" else 3,
        number=answer,
        tolerance=tolerance,
        unit="s" if asked == "wait" else "",
        generator="job-backoff",
        seed=seed,
    )
