"""A Service's EndpointSlices as their consumers read them (CoreDNS and kube-proxy).

Both find a Service's slices by the ``kubernetes.io/service-name`` label, never by scanning
every slice, and read each endpoint's conditions with the API's rule for unset ones: an
unset ``ready`` or ``serving`` counts as true, an unset ``terminating`` as false
(``pkg/proxy/endpointslicecache.go``, CoreDNS ``object/endpoint.go``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.kinds.endpoint_slice import SERVICE_NAME_LABEL
from k8sgame.engine.labels import Requirement, Selector


@dataclass(frozen=True)
class SliceEndpoint:
    """One endpoint of a slice, with the conditions and hints the consumers use."""

    addresses: tuple[str, ...]
    hostname: str
    node_name: str
    ready: bool
    serving: bool
    terminating: bool
    zone_hints: frozenset[str]
    node_hints: frozenset[str]


@dataclass(frozen=True)
class SlicePort:
    """A port of a slice: its name, protocol and number (0 when unset)."""

    name: str
    protocol: str
    port: int


def service_slices(api: Client, namespace: str, service: str) -> list[dict[str, Any]]:
    """The stored EndpointSlices labelled for ``namespace/service`` (read-only)."""
    selector = Selector((Requirement(SERVICE_NAME_LABEL, "In", (service,)),))
    return api.view("EndpointSlice", namespace, selector=selector)


def slice_ports(eps: dict[str, Any]) -> list[SlicePort]:
    """The slice's ports; unset fields read as an empty name, TCP and port 0."""
    return [
        SlicePort(
            str(p.get("name") or ""), str(p.get("protocol") or "TCP"), int(p.get("port") or 0)
        )
        for p in eps.get("ports") or []
    ]


def slice_endpoints(eps: dict[str, Any]) -> Iterator[SliceEndpoint]:
    """The slice's endpoints that have an address, in their stored order."""
    for endpoint in eps.get("endpoints") or []:
        addresses = tuple(str(a) for a in endpoint.get("addresses") or [])
        if not addresses:
            continue
        conditions = endpoint.get("conditions") or {}
        ready = conditions.get("ready")
        serving = conditions.get("serving")
        hints = endpoint.get("hints") or {}
        yield SliceEndpoint(
            addresses,
            str(endpoint.get("hostname") or ""),
            str(endpoint.get("nodeName") or ""),
            ready is None or bool(ready),
            serving is None or bool(serving),
            bool(conditions.get("terminating")),
            frozenset(str(z.get("name")) for z in hints.get("forZones") or []),
            frozenset(str(n.get("name")) for n in hints.get("forNodes") or []),
        )
