"""What a pod asks of a node: resource requests, host ports, tolerations.

Pod requests follow the rule ``engine/kinds/pod/resources.py`` holds for everyone
(K8S-FACTS §9.4, ``noderesources/fit.go``), pod-level resources included. For scoring, containers
without a cpu or memory request count as 100m / 200Mi (``DefaultMilliCPURequest``,
``DefaultMemoryRequest`` in ``pkg/scheduler/util/pod_resources.go``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.kinds.pod.resources import pod_resources
from k8sgame.engine.quantity import QuantityError, resource_amount

DEFAULT_MILLI_CPU_REQUEST = 100
DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024


def _amount(name: str, raw: Any) -> int | None:
    try:
        return resource_amount(name, raw)
    except QuantityError:
        return None


_NON_ZERO = {"cpu": DEFAULT_MILLI_CPU_REQUEST, "memory": DEFAULT_MEMORY_REQUEST}


def pod_requests(spec: dict[str, Any], non_zero: bool = False) -> dict[str, int]:
    """Effective requests (cpu in millicores, others in units) of a pod spec."""
    return pod_resources(
        spec,
        "requests",
        _amount,
        lambda a, b: a + b,
        lambda a, b: a > b,
        _NON_ZERO if non_zero else None,
    )


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
