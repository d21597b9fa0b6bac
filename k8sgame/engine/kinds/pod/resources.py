"""A pod's total requests or limits: the one rule the scheduler, the kubelet and
``kubectl describe node`` share (``component-helpers/resource`` ``PodRequests``/``PodLimits``).

Per resource: the sum of the regular containers and sidecars, or the largest init container
(plus the sidecars started before it) if that is larger; then pod-level ``spec.resources``
(``PodLevelResources``, beta and on since 1.34; cpu, memory and hugepages) replaces the
container total; then ``spec.overhead`` is added (to limits only where a limit is set).
The amounts are generic so the scheduler can add integers and kubectl exact quantities.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

T = TypeVar("T")


def pod_level_resource(name: str) -> bool:
    """``IsSupportedPodLevelResource``."""
    return name in ("cpu", "memory") or name.startswith("hugepages-")


def pod_resources(
    spec: Mapping[str, Any],
    field: str,
    parse: Callable[[str, Any], T | None],
    add: Callable[[T, T], T],
    larger: Callable[[T, T], bool],
    container_defaults: Mapping[str, T] | None = None,
) -> dict[str, T]:
    """``field`` (``requests`` or ``limits``) of a pod spec, each amount from ``parse``
    (None skips a value it cannot read). ``container_defaults`` fill what a regular
    container leaves out (the scheduler's non-zero requests for scoring)."""

    def read(values: Mapping[str, Any]) -> dict[str, T]:
        found: dict[str, T] = {}
        for name, raw in values.items():
            amount = parse(name, raw)
            if amount is not None:
                found[name] = amount
        return found

    def add_into(total: dict[str, T], more: Mapping[str, T]) -> None:
        for name, amount in more.items():
            total[name] = add(total[name], amount) if name in total else amount

    def max_into(total: dict[str, T], other: Mapping[str, T]) -> None:
        for name, amount in other.items():
            if name not in total or larger(amount, total[name]):
                total[name] = amount

    def of(container: Mapping[str, Any]) -> dict[str, T]:
        return read(((container.get("resources") or {}).get(field)) or {})

    total: dict[str, T] = {}
    for container in spec.get("containers") or []:
        amounts = of(container)
        for name, default in (container_defaults or {}).items():
            amounts.setdefault(name, default)
        add_into(total, amounts)
    sidecars: dict[str, T] = {}
    init_max: dict[str, T] = {}
    for container in spec.get("initContainers") or []:
        amounts = of(container)
        if container.get("restartPolicy") == "Always":
            # A sidecar keeps running: it adds to everything that starts after it.
            add_into(total, amounts)
            add_into(sidecars, amounts)
            current = dict(sidecars)
        else:
            current = dict(amounts)
            add_into(current, sidecars)
        max_into(init_max, current)
    max_into(total, init_max)
    pod_level = read(((spec.get("resources") or {}).get(field)) or {})
    for name, amount in pod_level.items():
        if pod_level_resource(name):
            total[name] = amount
    for name, amount in read(spec.get("overhead") or {}).items():
        if field == "requests" or name in total:
            total[name] = add(total[name], amount) if name in total else amount
    return total
