"""The FailedScheduling message (``FitError.Error``, K8S-FACTS §9.6).

``0/{N} nodes are available: {histogram}.`` where the histogram counts each reason over all
nodes, entries ``"{count} {reason}"`` sorted as plain strings and joined by ``", "``; then the
PostFilter part. Kubernetes 1.35 enables DRA by default, so its PostFilter text comes first:
``no new claims to deallocate, preemption: 0/{N} nodes are available: {histogram}.``
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

NO_NODES = "no nodes available to schedule pods"
PREEMPTION_NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
DRA_POSTFILTER = "no new claims to deallocate"


def histogram(reasons: Iterable[str]) -> str:
    counts = Counter(reasons)
    return ", ".join(sorted(f"{count} {reason}" for reason, count in counts.items()))


def fit_error(total_nodes: int, node_reasons: list[tuple[str, ...]], preemption: list[str]) -> str:
    """Full message for a pod that fits no node.

    ``node_reasons`` has one tuple per node (a node may give several reasons);
    ``preemption`` has one PostFilter verdict per node.
    """
    flat = [reason for reasons in node_reasons for reason in reasons]
    message = f"0/{total_nodes} nodes are available: {histogram(flat)}."
    message += f" {DRA_POSTFILTER}, preemption: 0/{total_nodes} nodes are available: {histogram(preemption)}."
    return message


def pre_filter_error(total_nodes: int, message: str) -> str:
    """A pod a PreFilter plugin refused: its message instead of the histogram; every node is
    then one where preemption cannot help."""
    return (
        f"0/{total_nodes} nodes are available: {message}. {DRA_POSTFILTER}, preemption: "
        f"0/{total_nodes} nodes are available: {total_nodes} {PREEMPTION_NOT_HELPFUL}."
    )
