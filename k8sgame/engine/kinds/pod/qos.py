"""Pod QoS class (``pkg/apis/core/v1/helper/qos/qos.go``; K8S-FACTS §4).

Only cpu and memory count, quantities <= 0 are ignored, init containers are included.
Guaranteed needs cpu and memory limits on every container and summed requests equal to
summed limits; BestEffort has no cpu/memory request or limit anywhere; the rest is Burstable.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from k8sgame.engine.quantity import QuantityError, parse_quantity

_COMPUTE = ("cpu", "memory")


def _positive(values: dict[str, Any] | None) -> dict[str, Fraction]:
    found: dict[str, Fraction] = {}
    for name in _COMPUTE:
        raw = (values or {}).get(name)
        if raw is None:
            continue
        try:
            amount = parse_quantity(raw)
        except QuantityError:
            continue
        if amount > 0:
            found[name] = amount
    return found


def qos_class(spec: dict[str, Any]) -> str:
    """``Guaranteed``, ``Burstable`` or ``BestEffort`` for a (defaulted) pod spec."""
    pod_resources = spec.get("resources")
    if pod_resources and (pod_resources.get("requests") or pod_resources.get("limits")):
        pod_requests = _positive(pod_resources.get("requests"))
        pod_limits = _positive(pod_resources.get("limits"))
        if not pod_requests and not pod_limits:
            return "BestEffort"
        if set(pod_limits) == set(_COMPUTE) and pod_requests == pod_limits:
            return "Guaranteed"
        return "Burstable"
    requests: dict[str, Fraction] = {}
    limits: dict[str, Fraction] = {}
    guaranteed = True
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    for container in containers:
        resources = container.get("resources") or {}
        for name, amount in _positive(resources.get("requests")).items():
            requests[name] = requests.get(name, Fraction(0)) + amount
        container_limits = _positive(resources.get("limits"))
        for name, amount in container_limits.items():
            limits[name] = limits.get(name, Fraction(0)) + amount
        if set(container_limits) != set(_COMPUTE):
            guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    if guaranteed and requests == limits:
        return "Guaranteed"
    return "Burstable"
