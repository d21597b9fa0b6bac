"""Kubelet admission (``pkg/kubelet/lifecycle/predicate.go``): does a pod bound to this
node fit next to the pods the node already runs?"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from k8sgame.engine.quantity import QuantityError, resource_amount
from k8sgame.engine.scheduler.resources import pod_requests

DEFAULT_MAX_PODS = 110


def admission_failure(
    node: dict[str, Any] | None, pod: dict[str, Any], running: Iterable[dict[str, Any]]
) -> tuple[str, str] | None:
    """``(reason, message)`` of the rejection, or None when the pod fits; ``running`` are the
    node's other admitted, unfinished pods."""
    if node is None:
        return None
    allocatable: dict[str, int] = {}
    for name, raw in ((node.get("status") or {}).get("allocatable") or {}).items():
        try:
            allocatable[name] = resource_amount(name, raw)
        except QuantityError:
            continue
    used: dict[str, int] = {}
    count = 0
    for other in running:
        count += 1
        for name, amount in pod_requests(other.get("spec") or {}).items():
            used[name] = used.get(name, 0) + amount
    capacity = allocatable.get("pods", DEFAULT_MAX_PODS)
    if count + 1 > capacity:
        return (
            "OutOfpods",
            f"Node didn't have enough resource: pods, requested: 1, used: {count}, capacity: {capacity}",
        )
    for name, amount in sorted(pod_requests(pod.get("spec") or {}).items()):
        if amount > 0 and used.get(name, 0) + amount > allocatable.get(name, 0):
            return (
                f"OutOf{name}",
                f"Node didn't have enough resource: {name}, requested: {amount}, used: {used.get(name, 0)}, capacity: {allocatable.get(name, 0)}",
            )
    return None
