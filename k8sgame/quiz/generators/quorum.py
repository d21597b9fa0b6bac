"""How many etcd members make a quorum, and how many member failures a cluster survives.

The engine runs no etcd (its store is a single in-process object), so the answer comes from
etcd's own rule, kept here as two small pure functions.
"""

from __future__ import annotations

import random

from k8sgame.quiz.generators.cluster import text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Question

MEMBERS = range(1, 8)


def quorum(members: int) -> int:
    """The majority a Raft cluster of ``members`` needs to commit a write or elect a leader:
    ``floor(members / 2) + 1``.

    etcd's FAQ (https://etcd.io/docs/latest/faq/, "Why an odd number of cluster members?" and
    "What is failure tolerance?"): a cluster needs a majority of its members, the quorum
    (n/2)+1 with integer division, to agree on updates; its table gives the majority
    1, 2, 2, 3, 3, 4, 4 for 1…7 members. K8S-FACTS has no etcd section.
    """
    if members < 1:
        raise ValueError("an etcd cluster has at least one member")
    return members // 2 + 1


def failure_tolerance(members: int) -> int:
    """How many members may fail while the rest still form a quorum (same FAQ table:
    0, 0, 1, 1, 2, 2, 3 for 1…7 members). An even size tolerates no more failures than the
    odd size below it, which is why etcd recommends an odd number of members."""
    return members - quorum(members)


@generator("etcd-quorum", ("etcd", "high-availability"))
def etcd_quorum(seed: int) -> Question:
    rng = random.Random(seed)
    members = rng.choice(MEMBERS)
    asked = rng.choice(("quorum", "tolerance"))
    need, tolerate = quorum(members), failure_tolerance(members)
    fields = {"members": members, "quorum": need, "tolerance": tolerate}
    if members % 2 == 0:
        explanation = text("generated.quorum.explanation_even", smaller=members - 1, **fields)
    else:
        explanation = text("generated.quorum.explanation_odd", **fields)
    return Question(
        id=f"etcd-quorum-{seed}",
        kind="numeric",
        prompt=text(f"generated.quorum.prompt_{asked}", members=members),
        explanation=explanation,
        concepts=("etcd", "high-availability"),
        difficulty=2,
        number=float(need if asked == "quorum" else tolerate),
        tolerance=0.0,
        generator="etcd-quorum",
        seed=seed,
    )
