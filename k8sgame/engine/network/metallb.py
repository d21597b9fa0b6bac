"""MetalLB in layer-2 mode: the load balancer of a cluster without a cloud provider.

A cluster has none by default, so a LoadBalancer Service stays ``<pending>`` there, as on a
real bare-metal or kind cluster. A level may install one with an address pool (``Pool``);
then two parts act as MetalLB's do (github.com/metallb/metallb):

* the controller (``controller/service.go`` ``convergeBalancer``, as ``metallb-controller``)
  gives each LoadBalancer Service without a ``loadBalancerClass`` the lowest free address of
  the pools, or the one it asks for (``spec.loadBalancerIP`` or the
  ``metallb.io/loadBalancerIPs`` annotation, or its older ``metallb.universe.tf`` name; not
  both ways at once), writes it to ``status.loadBalancer.ingress``
  (the API server adds ``ipMode: VIP``), notes the pool in the
  ``metallb.io/ip-allocated-from-pool`` annotation and records ``IPAllocated``
  (``Assigned IP ["192.168.49.200"]``) or ``AllocationFailed`` (``Failed to allocate IP for
  "ns/name": no available IPs``; an address another Service holds: ``can't change sharing
  key ...``, as sharing is not modelled). A Service that stops being a LoadBalancer loses
  both;
* the speakers (``speaker/layer2_controller.go`` ``ShouldAnnounce``) answer ARP for an
  address from one node: none while the Service has no endpoint that can serve; among the
  nodes (only those with such an endpoint under ``externalTrafficPolicy: Local``), the one
  whose ``sha256(node + "#" + ip)`` sorts first. ``announcing_node`` makes that choice.

Simulator limits: the pools come with the level, not as IPAddressPool and L2Advertisement
objects (the simulator serves no custom resources), there are no MetalLB pods, and the
speaker's ``nodeAssigned`` events are not written.
"""

from __future__ import annotations

import hashlib
import ipaddress
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.errors import ApiError, go_quoted_list
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.network.proxy import balancer_ips
from k8sgame.engine.network.slices import service_slices, slice_endpoints
from k8sgame.engine.store import DELETED, WatchEvent

CONTROLLER = "metallb-controller"
LOAD_BALANCER_IPS = "metallb.io/loadBalancerIPs"
DEPRECATED_LOAD_BALANCER_IPS = "metallb.universe.tf/loadBalancerIPs"
ALLOCATED_FROM_POOL = "metallb.io/ip-allocated-from-pool"
# The label kubeadm puts on control-plane nodes; MetalLB announces from none of them.
EXCLUDE_LABEL = "node.kubernetes.io/exclude-from-external-load-balancers"


@dataclass(frozen=True)
class Pool:
    """An IPAddressPool: its name and address ranges (``a.b.c.d-a.b.c.e`` or a CIDR)."""

    name: str
    addresses: tuple[str, ...]

    def ranges(self) -> list[tuple[ipaddress.IPv4Address, ipaddress.IPv4Address]]:
        """The first and last address of each range. Raises ValueError on a bad one."""
        return list(_parse_ranges(self.addresses))

    def contains(self, ip: str) -> bool:
        try:
            address = ipaddress.IPv4Address(ip)
        except ValueError:
            return False
        return any(first <= address <= last for first, last in self.ranges())

    def addresses_in_order(self) -> Iterator[str]:
        for first, last in self.ranges():
            for value in range(int(first), int(last) + 1):
                yield str(ipaddress.IPv4Address(value))


@lru_cache(maxsize=64)
def _parse_ranges(
    addresses: tuple[str, ...],
) -> tuple[tuple[ipaddress.IPv4Address, ipaddress.IPv4Address], ...]:
    """A pool's ranges, parsed once (every reconcile asks)."""
    out = []
    for text in addresses:
        if "-" in text:
            first, last = (ipaddress.IPv4Address(t.strip()) for t in text.split("-", 1))
            if last < first:
                raise ValueError(f"invalid IP range {text!r}: the end is before the start")
        else:
            network = ipaddress.IPv4Network(text.strip(), strict=False)
            first, last = network.network_address, network.broadcast_address
        out.append((first, last))
    return tuple(out)


def _can_serve(endpoint: Any) -> bool:
    """``epslices.EndpointCanServe``: ready (or unknown), or serving."""
    return bool(endpoint.ready or endpoint.serving)


def announcing_node(api: Client, svc: dict[str, Any], ip: str) -> str | None:
    """The node whose speaker answers ARP for ``ip``, or None when none does."""
    md, spec = svc["metadata"], svc.get("spec") or {}
    endpoints = [
        e
        for eps in service_slices(api, md["namespace"], md["name"])
        for e in slice_endpoints(eps)
        if _can_serve(e)
    ]
    if not endpoints:
        return None
    nodes = {}
    for node in api.view("Node"):
        labels = node["metadata"].get("labels") or {}
        conditions = (node.get("status") or {}).get("conditions") or []
        unavailable = any(
            c.get("type") == "NetworkUnavailable" and c.get("status") == "True" for c in conditions
        )
        if EXCLUDE_LABEL not in labels and not unavailable:
            nodes[node["metadata"]["name"]] = node
    candidates = sorted(nodes)
    if spec.get("externalTrafficPolicy") == "Local":
        with_endpoint = {e.node_name for e in endpoints}
        candidates = [n for n in candidates if n in with_endpoint]
    if not candidates:
        return None
    return min(candidates, key=lambda n: hashlib.sha256(f"{n}#{ip}".encode()).digest())


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _ingress_ips(svc: dict[str, Any]) -> list[str]:
    return balancer_ips(svc, vip_only=False)


class MetalLbController(QueueController[tuple[str, str]]):
    """MetalLB's controller: addresses for LoadBalancer Services from ``pools``."""

    name = CONTROLLER
    kinds = ("Service",)

    def __init__(
        self, api: Client, informer: Informer, clock: SimClock, pools: tuple[Pool, ...]
    ) -> None:
        super().__init__(api, informer, clock)
        self.pools = pools
        self.recorder = EventRecorder(api, clock)
        self.failed: set[tuple[str, str]] = set()

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        freed = event.type == DELETED or (
            event.old is not None and set(_ingress_ips(event.old)) - set(_ingress_ips(event.obj))
        )
        if freed:
            # An address came free: the Services waiting for one try again.
            for key in sorted(self.failed):
                self.queue.add(key)
        if event.type != DELETED:
            self.queue.add((md["namespace"], md["name"]))

    def _taken(self, but: tuple[str, str]) -> dict[str, str]:
        """The addresses other Services hold, with the ``ns/name`` of the holder."""
        taken: dict[str, str] = {}
        for svc in self.api.view("Service"):
            md = svc["metadata"]
            if (md["namespace"], md["name"]) != but:
                for ip in _ingress_ips(svc):
                    taken.setdefault(ip, f"{md['namespace']}/{md['name']}")
        return taken

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        svc = self.informer.get(("Service", namespace, name))
        if svc is None:
            self.failed.discard(key)
            return None
        spec = svc.get("spec") or {}
        if spec.get("loadBalancerClass"):
            return None  # another implementation's Service
        current = _ingress_ips(svc)
        if spec.get("type") != "LoadBalancer":
            if current or ALLOCATED_FROM_POOL in (svc["metadata"].get("annotations") or {}):
                self._write(svc, [], "")
            return None
        if not spec.get("clusterIP") and not spec.get("clusterIPs"):
            return None
        wanted = self._wanted(svc)
        if current and (not wanted or current == wanted) and self._pool_of(current[0]):
            self.failed.discard(key)
            return None
        taken = self._taken(key)
        if isinstance(wanted, str):
            self._fail(svc, wanted)
            return None
        if wanted:
            pool = self._pool_of(wanted[0])
            if pool is None:
                self._fail(svc, f"{go_quoted_list(wanted)} is not allowed in config")
                return None
            holder = taken.get(wanted[0])
            if holder is not None:
                # Neither Service allows sharing (metallb.io/allow-shared-ip is not modelled).
                self._fail(
                    svc,
                    f'can\'t change sharing key for "{key[0]}/{key[1]}", '
                    f"address also in use by {holder}",
                )
                return None
            self._assign(svc, wanted, pool)
            return None
        for pool in sorted(self.pools, key=lambda p: p.name):
            free = next((ip for ip in pool.addresses_in_order() if ip not in taken), None)
            if free is not None:
                self._assign(svc, [free], pool)
                return None
        self._fail(svc, "no available IPs")
        return None

    def _wanted(self, svc: dict[str, Any]) -> list[str] | str:
        """``getDesiredLbIPs``: the addresses the Service asks for, or why its request is
        invalid."""
        annotations = svc["metadata"].get("annotations") or {}
        annotation = annotations.get(LOAD_BALANCER_IPS) or annotations.get(
            DEPRECATED_LOAD_BALANCER_IPS
        )
        spec_ip = (svc.get("spec") or {}).get("loadBalancerIP")
        if annotation and spec_ip:
            return f"service can not have both {LOAD_BALANCER_IPS} and svc.Spec.LoadBalancerIP"
        if annotation:
            wanted = [a.strip() for a in str(annotation).split(",")]
            if not all(_is_ip(a) for a in wanted):
                return f'invalid {LOAD_BALANCER_IPS}: "{annotation}"'
            return wanted
        if spec_ip:
            return (
                [str(spec_ip)]
                if _is_ip(str(spec_ip))
                else f'invalid spec.loadBalancerIP "{spec_ip}"'
            )
        return []

    def _pool_of(self, ip: str) -> Pool | None:
        return next((p for p in self.pools if p.contains(ip)), None)

    def _fail(self, svc: dict[str, Any], why: str) -> None:
        md = svc["metadata"]
        key = (md["namespace"], md["name"])
        self.failed.add(key)
        self.recorder.record(
            svc,
            WARNING,
            "AllocationFailed",
            f'Failed to allocate IP for "{key[0]}/{key[1]}": {why}',
            CONTROLLER,
        )

    def _assign(self, svc: dict[str, Any], ips: list[str], pool: Pool) -> None:
        md = svc["metadata"]
        self.failed.discard((md["namespace"], md["name"]))
        if self._write(svc, ips, pool.name):
            self.recorder.record(
                svc, NORMAL, "IPAllocated", f"Assigned IP {go_quoted_list(ips)}", CONTROLLER
            )

    def _write(self, svc: dict[str, Any], ips: list[str], pool: str) -> bool:
        """Set the pool annotation (or remove it) and the status in one status update, as
        MetalLB does (its role may update only ``services/status``, whose strategy keeps
        the annotations); False when the Service changed or went away meanwhile."""
        md = svc["metadata"]
        try:
            obj = self.api.get("Service", md["name"], md["namespace"])
            annotations = dict(obj["metadata"].get("annotations") or {})
            if pool:
                annotations[ALLOCATED_FROM_POOL] = pool
            else:
                annotations.pop(ALLOCATED_FROM_POOL, None)
            if annotations:
                obj["metadata"]["annotations"] = annotations
            else:
                obj["metadata"].pop("annotations", None)
            obj["status"] = {"loadBalancer": {"ingress": [{"ip": ip} for ip in ips]} if ips else {}}
            self.api.update_status(obj)
        except ApiError as error:
            if error.reason in ("NotFound", "Conflict"):
                return False
            raise
        return True
