"""What a pod asks of a node: resource requests, host ports, tolerations.

Pod request = max(sum of regular containers and sidecars, largest init container) +
overhead, per resource (K8S-FACTS §9.4, ``noderesources/fit.go``). For scoring, containers
without a cpu or memory request count as 100m / 200Mi (``DefaultMilliCPURequest``,
``DefaultMemoryRequest`` in ``pkg/scheduler/util/pod_resources.go``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.quantity import QuantityError, resource_amount

DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024


def _container_requests(container: dict[str, Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for name, raw in ((container.get("resources") or {}).get("requests") or {}).items():
        try:
            found[name] = resource_amount(name, raw)
        except QuantityError:
            continue
    return found


def _add(total: dict[str, int], more: dict[str, int]) -> None:
    for name, amount in more.items():
        total[name] = total.get(name, 0) + amount


def _max(total: dict[str, int], other: dict[str, int]) -> None:
    for name, amount in other.items():
        total[name] = max(total.get(name, 0), amount)


def pod_requests(spec: dict[str, Any], non_zero: bool = False) -> dict[str, int]:
    """Effective requests (cpu in millicores, others in units) of a pod spec."""
    regular: dict[str, int] = {}
    for container in spec.get("containers") or []:
        requests = _container_requests(container)
        if non_zero:
            requests.setdefault("cpu", DEFAULT_MILLI_CPU_REQUEST)
            requests.setdefault("memory", DEFAULT_MEMORY_REQUEST)
        _add(regular, requests)
    init_max: dict[str, int] = {}
    sidecars: dict[str, int] = {}
    for container in spec.get("initContainers") or []:
        requests = _container_requests(container)
        if container.get("restartPolicy") == "Always":
            # A sidecar keeps running: it adds to everything that starts after it.
            _add(sidecars, requests)
            _add(regular, requests)
        else:
            combined = dict(sidecars)
            _add(combined, requests)
            _max(init_max, combined)
    total = dict(regular)
    _max(total, init_max)
    for name, raw in (spec.get("overhead") or {}).items():
        try:
            total[name] = total.get(name, 0) + resource_amount(name, raw)
        except QuantityError:
            continue
    return total


@dataclass(frozen=True)
class HostPort:
    ip: str
    protocol: str
    port: int

    def conflicts(self, other: HostPort) -> bool:
        if self.port != other.port or self.protocol != other.protocol:
            return False
        wildcard = ("", "0.0.0.0")
        return self.ip in wildcard or other.ip in wildcard or self.ip == other.ip


def host_ports(spec: dict[str, Any]) -> list[HostPort]:
    ports = []
    for group in ("initContainers", "containers"):
        for container in spec.get(group) or []:
            for port in container.get("ports") or []:
                if port.get("hostPort"):
                    ports.append(
                        HostPort(
                            port.get("hostIP") or "",
                            port.get("protocol") or "TCP",
                            int(port["hostPort"]),
                        )
                    )
    return ports
