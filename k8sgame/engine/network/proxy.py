"""kube-proxy in iptables mode (kind's default): what a packet to a Service's cluster IP
and port turns into on the client's node.

From ``pkg/proxy/iptables/proxier.go`` ``syncProxyRules`` and ``pkg/proxy/topology.go``
``CategorizeEndpoints``:

* the usable endpoints of a Service port are its Ready ones (those of the EndpointSlice
  ports with the same name and protocol), or, when none is Ready anywhere, the ones both
  serving and terminating;
* ``internalTrafficPolicy: Local`` keeps only the endpoints on the client's own node (the
  same fallback to serving-terminating ones applies there on its own);
* topology hints narrow the choice when every Ready endpoint has one: ``forNodes`` naming
  this node (PreferSameNode), else ``forZones`` naming its zone;
* no usable endpoint anywhere: a filter rule REJECTs (``"<ns>/<svc>:<port> has no
  endpoints"``): ICMP port unreachable, the client's connect fails at once with ECONNREFUSED;
* endpoints, but none for this node under ``internalTrafficPolicy: Local``: DROP
  (``has no local endpoints``): the SYN is lost and the client times out;
* a port the Service does not have matches no rule at all: the packet leaves for the
  default route, where nothing answers it (a time-out too);
* otherwise DNAT to one endpoint, chosen uniformly (``-m statistic --mode random``), or with
  ``sessionAffinity: ClientIP`` always the same one for a client address.

kube-proxy watches Services to keep its rules; so does this one, to know which Service owns
an address without looking at every Service. The endpoints it reads when asked.

Traffic for a Service's external destinations — a node port on any node's address, a
load-balancer address (``status.loadBalancer.ingress[].ip`` in ``VIP`` mode, the default) —
goes through the ``KUBE-EXT-`` chain of the node it reaches. With ``externalTrafficPolicy:
Cluster`` that is every usable endpoint; with ``Local`` only the node's own, except that
traffic from a pod or from the node itself is short-circuited to every endpoint ("pod
traffic for ... external destinations", "route LOCAL traffic for ..."), so only clients
outside the cluster see the difference. With no usable endpoint the filter rules REJECT
("has no endpoints"); outside traffic under ``Local`` on a node without one is dropped ("has
no local endpoints").

Simulator limits: rules change the moment the objects do (kube-proxy syncs within about a
second); ClientIP affinity sticks for as long as the endpoints stay the same instead of
``timeoutSeconds`` after the last packet; only TCP is routed; ``externalIPs`` and
``loadBalancerSourceRanges`` are not modelled, nor a ``Proxy``-mode load-balancer address.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from random import Random
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.kinds.service import HEADLESS
from k8sgame.engine.network.slices import service_slices, slice_endpoints, slice_ports
from k8sgame.engine.store import DELETED, WatchEvent

ZONE_LABEL = "topology.kubernetes.io/zone"
DNAT, REJECT, DROP, NO_RULE = "DNAT", "REJECT", "DROP", "no rule"
# Which chain a packet takes to a Service's endpoints (see ``KubeProxy._choose``).
INTERNAL, SHORT_CIRCUIT, EXTERNAL = "internal", "short-circuit", "external"


@dataclass(frozen=True)
class ProxyEndpoint:
    """An endpoint of one Service port, as kube-proxy's ``BaseEndpointInfo`` holds it."""

    ip: str
    port: int
    local: bool
    ready: bool
    serving: bool
    terminating: bool
    zone_hints: frozenset[str]
    node_hints: frozenset[str]


@dataclass(frozen=True)
class Verdict:
    """What the node's rules do with the packet: ``DNAT`` to ``ip:port``, ``REJECT``,
    ``DROP`` or ``NO_RULE``; ``comment`` is the rule's comment."""

    action: str
    ip: str = ""
    port: int = 0
    comment: str = ""
    # The packet leaves with the node's address as its source (``KUBE-MARK-MASQ``): traffic
    # to an external destination under ``externalTrafficPolicy: Cluster``.
    masquerade: bool = False


def _keep(
    index: dict[Any, tuple[str, str]], value: Any, key: tuple[str, str], present: bool
) -> None:
    if present:
        index[value] = key
    elif index.get(value) == key:
        del index[value]


def balancer_ips(svc: dict[str, Any], vip_only: bool = True) -> list[str]:
    """The Service's load-balancer addresses (``status.loadBalancer.ingress[].ip``); with
    ``vip_only``, those kube-proxy takes over: ``VIP`` mode (or none given)."""
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    return [
        str(i["ip"])
        for i in ingress
        if isinstance(i, dict)
        and i.get("ip")
        and (not vip_only or i.get("ipMode") in (None, "VIP"))
    ]


def _service_port(svc: dict[str, Any], matches: Any) -> dict[str, Any] | None:
    """The Service's TCP port for which ``matches(port)`` holds."""
    for port in (svc.get("spec") or {}).get("ports") or []:
        if (port.get("protocol") or "TCP") == "TCP" and matches(port):
            return dict(port)
    return None


def _externally_accessible(spec: dict[str, Any]) -> bool:
    return spec.get("type") in ("NodePort", "LoadBalancer") or bool(spec.get("externalIPs"))


def _topology_mode(endpoints: list[ProxyEndpoint], node: str, zone: str) -> str:
    """``topologyModeFromHints`` (PreferSameTrafficDistribution is on in 1.35)."""
    ready = [e for e in endpoints if e.ready]
    if not ready:
        return ""
    if all(e.node_hints for e in ready) and any(node in e.node_hints for e in ready):
        return "PreferSameNode"
    if all(e.zone_hints for e in ready) and any(zone in e.zone_hints for e in ready):
        return "PreferSameZone"
    return ""


def categorize(
    endpoints: list[ProxyEndpoint], spec: dict[str, Any], node: str, zone: str
) -> tuple[list[ProxyEndpoint], list[ProxyEndpoint], bool]:
    """``CategorizeEndpoints``: (cluster endpoints, local endpoints, has any endpoints)."""
    internal_local = spec.get("internalTrafficPolicy") == "Local"
    external_local = spec.get("externalTrafficPolicy") == "Local"
    accessible = _externally_accessible(spec)
    uses_cluster = not internal_local or (accessible and not external_local)
    uses_local = internal_local or (accessible and external_local)
    cluster: list[ProxyEndpoint] = []
    local: list[ProxyEndpoint] = []
    has_any = False
    if not endpoints:
        return cluster, local, has_any
    if uses_cluster:
        mode = _topology_mode(endpoints, node, zone)

        def available(e: ProxyEndpoint) -> bool:
            if mode == "PreferSameNode":
                return node in e.node_hints
            if mode == "PreferSameZone":
                return zone in e.zone_hints
            return True

        cluster = [e for e in endpoints if e.ready and available(e)]
        if not cluster:
            cluster = [e for e in endpoints if e.serving and e.terminating]
        has_any = bool(cluster)
    if uses_local:
        usable = [e for e in endpoints if e.ready or (e.serving and e.terminating)]
        has_any = has_any or bool(usable)
        local = [e for e in endpoints if e.local and e.ready]
        if not local:
            local = [e for e in endpoints if e.local and e.serving and e.terminating]
    return cluster, local, has_any


class KubeProxy:
    """The Service rules every node has; ``route`` answers for one node."""

    def __init__(self, api: Client) -> None:
        self.api = api
        self._by_ip: dict[str, tuple[str, str]] = {}
        self._by_balancer_ip: dict[str, tuple[str, str]] = {}
        self._by_node_port: dict[int, tuple[str, str]] = {}
        api.watch(self._on_service, ("Service",))
        for svc in api.view("Service"):
            self._index(svc, present=True)

    def _on_service(self, event: WatchEvent) -> None:
        if event.old is not None:
            self._index(event.old, present=False)
        self._index(event.obj, present=event.type != DELETED)

    def _index(self, svc: dict[str, Any], present: bool) -> None:
        md, spec = svc["metadata"], svc.get("spec") or {}
        key = (md["namespace"], md["name"])
        for ip in spec.get("clusterIPs") or []:
            if ip != HEADLESS:
                _keep(self._by_ip, str(ip), key, present)
        for ip in balancer_ips(svc):
            _keep(self._by_balancer_ip, ip, key, present)
        for port in spec.get("ports") or []:
            if port.get("nodePort") and (port.get("protocol") or "TCP") == "TCP":
                _keep(self._by_node_port, int(port["nodePort"]), key, present)

    def _service(self, key: tuple[str, str] | None) -> dict[str, Any] | None:
        return self.api.peek("Service", key[1], key[0]) if key is not None else None

    def service_at(self, ip: str) -> dict[str, Any] | None:
        """The Service whose cluster IP is ``ip`` (read-only), or None."""
        return self._service(self._by_ip.get(ip))

    def balancer_at(self, ip: str) -> dict[str, Any] | None:
        """The Service whose load-balancer address is ``ip`` (read-only), or None."""
        return self._service(self._by_balancer_ip.get(ip))

    def node_port_service(self, port: int) -> dict[str, Any] | None:
        """The Service holding TCP node port ``port`` (read-only), or None."""
        return self._service(self._by_node_port.get(port))

    def route(self, node: str, client_ip: str, ip: str, port: int, rng: Any) -> Verdict | None:
        """What ``node``'s rules do with a TCP SYN from ``client_ip`` (a pod or the node
        itself) to ``ip:port``; None when ``ip`` is neither a Service's cluster IP nor a
        load-balancer address. ``rng`` makes the random choice."""
        svc = self.service_at(ip)
        if svc is not None:
            service_port = _service_port(svc, lambda p: int(p.get("port") or 0) == port)
            if service_port is None:
                return Verdict(NO_RULE)
            return self._choose(svc, service_port, node, client_ip, rng, INTERNAL)
        return self.route_external(node, client_ip, ip, port, rng, from_inside=True)

    def route_external(
        self, node: str, client_ip: str, ip: str, port: int, rng: Any, from_inside: bool
    ) -> Verdict | None:
        """A SYN to a load-balancer address ``ip:port`` arriving at ``node``: None when
        ``ip`` is no load-balancer address. ``from_inside``: the client is a pod or a node,
        whose traffic is short-circuited to every endpoint."""
        svc = self.balancer_at(ip)
        if svc is None:
            return None
        service_port = _service_port(svc, lambda p: int(p.get("port") or 0) == port)
        if service_port is None:
            return Verdict(NO_RULE)
        return self._choose(
            svc, service_port, node, client_ip, rng, SHORT_CIRCUIT if from_inside else EXTERNAL
        )

    def route_node_port(
        self, node: str, client_ip: str, port: int, rng: Any, from_inside: bool
    ) -> Verdict | None:
        """A SYN to ``port`` on one of ``node``'s own addresses (``KUBE-NODEPORTS``): None
        when no Service holds that node port."""
        svc = self.node_port_service(port)
        if svc is None:
            return None
        service_port = _service_port(svc, lambda p: int(p.get("nodePort") or 0) == port)
        if service_port is None:
            return None
        return self._choose(
            svc, service_port, node, client_ip, rng, SHORT_CIRCUIT if from_inside else EXTERNAL
        )

    def _choose(
        self,
        svc: dict[str, Any],
        service_port: dict[str, Any],
        node: str,
        client_ip: str,
        rng: Any,
        mode: str,
    ) -> Verdict:
        """The endpoint (or REJECT/DROP) for one Service port. ``mode``: ``INTERNAL`` (to
        the cluster IP), ``SHORT_CIRCUIT`` (an external destination, from a pod or a node)
        or ``EXTERNAL`` (an external destination, from outside the cluster)."""
        spec = svc.get("spec") or {}
        md = svc["metadata"]
        port_name = str(service_port.get("name") or "")
        label = f"{md['namespace']}/{md['name']}" + (f":{port_name}" if port_name else "")
        node_obj = self.api.peek("Node", node) or {}
        zone = str((node_obj.get("metadata", {}).get("labels") or {}).get(ZONE_LABEL, ""))
        endpoints = self.endpoints(md["namespace"], md["name"], port_name, node)
        if mode == SHORT_CIRCUIT:
            # The cluster chain: every usable endpoint, whatever the policies say.
            spec = {**spec, "internalTrafficPolicy": "Cluster", "externalTrafficPolicy": "Cluster"}
        cluster, local, has_any = categorize(endpoints, spec, node, zone)
        if not has_any:
            return Verdict(REJECT, comment=f"{label} has no endpoints")
        policy = "internalTrafficPolicy" if mode == INTERNAL else "externalTrafficPolicy"
        chosen = local if spec.get(policy) == "Local" else cluster
        if not chosen:
            return Verdict(DROP, comment=f"{label} has no local endpoints")
        ordered = sorted(chosen, key=lambda e: (ipaddress.IPv4Address(e.ip), e.port))
        if spec.get("sessionAffinity") == "ClientIP":
            # The ``recent`` match sends a client back to the endpoint it had: the same
            # client address always picks the same one here.
            target = Random(f"affinity:{client_ip}:{label}").choice(ordered)
        else:
            target = rng.choice(ordered)
        masquerade = (
            mode != INTERNAL and svc.get("spec", {}).get("externalTrafficPolicy") != "Local"
        )
        comment = f"{label} -> {target.ip}:{target.port}"
        return Verdict(DNAT, target.ip, target.port, comment, masquerade)

    def endpoints(
        self, namespace: str, service: str, port_name: str, node: str
    ) -> list[ProxyEndpoint]:
        """The endpoints of the Service port named ``port_name`` (TCP), one per address
        and port (``endpointSliceCache``: a later slice's copy wins)."""
        found: dict[tuple[str, int], ProxyEndpoint] = {}
        slices = service_slices(self.api, namespace, service)
        for eps in sorted(slices, key=lambda s: s["metadata"]["name"]):
            # kube-proxy reads the slices of its own family (IPv4 here); FQDN ones no one.
            if eps.get("addressType") != "IPv4":
                continue
            for p in slice_ports(eps):
                if p.port == 0 or p.name != port_name or p.protocol != "TCP":
                    continue
                for ep in slice_endpoints(eps):
                    ip = ep.addresses[0]
                    found[(ip, p.port)] = ProxyEndpoint(
                        ip,
                        p.port,
                        ep.node_name == node,
                        ep.ready,
                        ep.serving,
                        ep.terminating,
                        ep.zone_hints,
                        ep.node_hints,
                    )
        return list(found.values())
