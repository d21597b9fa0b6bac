"""Kubelet admission (``pkg/kubelet/lifecycle/predicate.go``): does a pod bound to this
node fit next to the pods the node already runs?"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

from k8sgame.engine.quantity import QuantityError, resource_amount
from k8sgame.engine.scheduler.resources import pod_requests

DEFAULT_MAX_PODS = 110
# Each admission adds up the requests of every pod on the node; the specs it reads are the
# store's (never changed in place), so their sums are kept by identity, the spec itself held
# so its id cannot be reused while the entry lives.
_SUMS_KEPT = 8192
_sums: OrderedDict[int, tuple[dict[str, Any], dict[str, int]]] = OrderedDict()


def _requests_of(spec: dict[str, Any]) -> dict[str, int]:
    kept = _sums.get(id(spec))
    if kept is not None and kept[0] is spec:
        _sums.move_to_end(id(spec))
        return kept[1]
    sums = pod_requests(spec)
    _sums[id(spec)] = (spec, sums)
    if len(_sums) > _SUMS_KEPT:
        _sums.popitem(last=False)
    return sums


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
        for name, amount in _requests_of(other.get("spec") or {}).items():
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
