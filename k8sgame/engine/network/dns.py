"""The cluster's DNS: CoreDNS with the ``kubernetes`` plugin, as kind configures it.

kind's Corefile serves ``cluster.local in-addr.arpa ip6.arpa`` from the ``kubernetes``
plugin (``pods insecure``, ``fallthrough in-addr.arpa ip6.arpa``) and forwards everything
else to the node's resolver. The answers follow the plugin's code (coredns
``plugin/kubernetes/parse.go``, ``kubernetes.go`` ``findServices``/``findPods``,
``reverse.go``, ``plugin/backend_lookup.go`` ``A``/``AAAA``):

* ``<svc>.<ns>.svc.cluster.local`` — a Service with a cluster IP: that address (A);
* a headless Service: one A per ready endpoint of its EndpointSlices (no ready endpoint:
  NXDOMAIN); ``<hostname>.<svc>.<ns>.svc.cluster.local`` one endpoint, by its ``hostname``
  (StatefulSet pods whose ``subdomain`` names the Service) or its dashed address;
* ``_<port>._<proto>.<svc>.<ns>.svc.cluster.local`` — the same, for that named port;
* ExternalName: a CNAME to ``spec.externalName``, followed inside ``cluster.local``;
* ``<a-b-c-d>.<ns>.pod.cluster.local`` — that address (``pods insecure``: not checked);
* a name of a namespace that does not exist, of no Service, or of no such shape: NXDOMAIN;
  ``<ns>.svc.cluster.local`` of an existing namespace: no records (NODATA);
* PTR ``d.c.b.a.in-addr.arpa``: the Service whose cluster IP it is, else each ready endpoint
  with that address (``<hostname-or-dashed-ip>.<svc>.<ns>.svc.cluster.local``); any other
  address falls through to the upstream.

The cluster is IPv4-only: AAAA questions get no records (NODATA), or the CNAME alone.

Simulator limits: the sandbox has no Internet, so the node's resolver that CoreDNS forwards
to (``UPSTREAM_DNS``) knows no names at all and answers every question NXDOMAIN at once.
That is what a real upstream says for the usual mistakes (``kubernetes.default.``,
``web.other.``); a real cluster would resolve Internet names such as ``example.com`` (and an
offline one would answer SERVFAIL after the ``forward`` plugin's time-out). The ``cache``
plugin (30 s) and ``loadbalance`` (shuffled A records) are not modelled: answers reflect
the cluster as it is now, with addresses in their stored order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.kinds.service import EXTERNAL_NAME, HEADLESS
from k8sgame.engine.kinds.service_allocation import DNS_SERVICE_IP
from k8sgame.engine.network.client import NOERROR, NXDOMAIN, Record, Reply
from k8sgame.engine.network.resolver import is_address
from k8sgame.engine.network.slices import (
    SlicePort,
    service_slices,
    slice_endpoints,
    slice_ports,
)

CLUSTER_DOMAIN = "cluster.local"
# The kubelet's --cluster-dns on kubeadm and kind clusters (the kube-dns Service's address).
CLUSTER_DNS = DNS_SERVICE_IP
# The resolver a node uses: the gateway of the nodes' network (192.168.49.0/24).
UPSTREAM_DNS = "192.168.49.1"
DNS_PORT = 53
_REVERSE_ZONES = ("in-addr.arpa", "ip6.arpa")
_ZONES = (CLUSTER_DOMAIN, *_REVERSE_ZONES)
# plugin/backend_lookup.go maxCnameChainLength.
_MAX_CNAME_CHAIN = 10


class _NameError(Exception):
    """The plugin's errNoItems / errNsNotExposed / errInvalidRequest: NXDOMAIN."""


@dataclass(frozen=True)
class _Target:
    """What a name stands for before it becomes records: an address, or a name (CNAME)."""

    host: str

    @property
    def is_address(self) -> bool:
        return is_address(self.host)


def _address_from_reverse(name: str) -> str:
    """``dnsutil.ExtractAddressFromReverse`` for IPv4; "" when not a full address."""
    labels = name[: -len(".in-addr.arpa")].split(".") if name.endswith(".in-addr.arpa") else []
    candidate = ".".join(reversed(labels))
    return candidate if len(labels) == 4 and is_address(candidate) else ""


def _match(a: str, b: str) -> bool:
    """``match`` in kubernetes.go: equal ignoring case."""
    return a.lower() == b.lower()


def _strip_underscore(label: str) -> str:
    return label[1:] if label.startswith("_") else label


def _endpoint_hostname(address: str, hostname: str) -> str:
    """``endpointHostname``: the endpoint's hostname, else its address with dashes."""
    return hostname or address.replace(".", "-")


class ClusterDns:
    """The name servers a pod can reach: CoreDNS at ``CLUSTER_DNS`` and the nodes'
    resolver at ``UPSTREAM_DNS``. It reads the cluster through ``api`` and keeps nothing."""

    def __init__(self, api: Client) -> None:
        self.api = api

    def ask(self, server: str, name: str, qtype: str) -> Reply | None:
        """The reply of the name server at ``server`` (None: nothing answers there)."""
        if server == CLUSTER_DNS:
            return self.coredns(name, qtype)
        if server == UPSTREAM_DNS:
            return self.upstream(name)
        return None

    def upstream(self, name: str) -> Reply:
        """The nodes' resolver: it knows no names (the sandbox is offline), and it is not
        the authority for any of them."""
        return Reply(NXDOMAIN, (), authoritative=False)

    def coredns(self, name: str, qtype: str) -> Reply:
        """CoreDNS's answer to one question."""
        qname = name[:-1] if name.endswith(".") else name
        lower = qname.lower()
        zone = next((z for z in _ZONES if lower == z or lower.endswith("." + z)), None)
        if zone is None:
            return self.upstream(qname)  # the ``forward`` plugin
        try:
            if qtype == "PTR":
                records = self._ptr(qname, lower, zone)
            elif qtype in ("A", "AAAA"):
                records = self._addresses(qname, lower, zone, qtype, ())
            elif qtype == "CNAME":
                records = self._cname(qname, lower, zone)
            else:
                # ServeDNS's fake A lookup tells NODATA from NXDOMAIN for other types.
                self._addresses(qname, lower, zone, "A", ())
                records = []
        except _NameError:
            if zone in _REVERSE_ZONES:
                return self.upstream(qname)  # ``fallthrough in-addr.arpa ip6.arpa``
            return Reply(NXDOMAIN)
        return Reply(NOERROR, tuple(records))

    # -- forward names -----------------------------------------------------------------------

    def _addresses(
        self, qname: str, lower: str, zone: str, qtype: str, chain: tuple[str, ...]
    ) -> list[Record]:
        """``plugin.A``/``plugin.AAAA``: addresses, and CNAMEs followed within the zone."""
        records: list[Record] = []
        seen: set[str] = set()
        for target in self._targets(lower, zone):
            if target.is_address:
                if qtype == "A" and target.host not in seen:
                    seen.add(target.host)
                    records.append(Record(qname, "A", target.host))
                continue
            host = target.host[:-1] if target.host.endswith(".") else target.host
            if host.lower() == lower or len(chain) > _MAX_CNAME_CHAIN or host.lower() in chain:
                continue  # a loop, or too long a chain
            cname = Record(qname, "CNAME", host)
            if host.lower() == zone or host.lower().endswith("." + zone):
                try:
                    further = self._addresses(host, host.lower(), zone, qtype, (*chain, lower))
                except _NameError:
                    further = []
                if further:
                    records += [cname, *further]
                continue
            # Outside the zone the plugin asks the upstream, which knows nothing here: the
            # CNAME is all there is.
            records.append(cname)
        return records

    def _cname(self, qname: str, lower: str, zone: str) -> list[Record]:
        """``plugin.CNAME``: the first service's host when it is a name."""
        targets = self._targets(lower, zone)
        if targets and not targets[0].is_address:
            return [Record(qname, "CNAME", targets[0].host.rstrip("."))]
        return []

    def _targets(self, lower: str, zone: str) -> list[_Target]:
        """``Records``: what the name stands for; raises ``_NameError`` for NXDOMAIN."""
        if zone != CLUSTER_DOMAIN:
            raise _NameError
        base = lower[: -len(zone) - 1] if lower != zone else ""
        # parseRequest: apex queries get NODATA.
        if base in ("", "svc", "pod"):
            return []
        segs = base.split(".")
        kind = segs[-1]
        if kind not in ("svc", "pod"):
            raise _NameError
        namespace = segs[-2]
        if self.api.peek("Namespace", namespace) is None:
            raise _NameError
        rest = segs[:-2]
        if not rest:
            return []  # the namespace exists: NODATA
        if kind == "pod":
            return self._pod(rest[-1])
        service = rest[-1]
        extra = rest[:-1]
        endpoint = port = protocol = ""
        if len(extra) == 1:
            endpoint = extra[0]
        elif len(extra) == 2:
            port, protocol = _strip_underscore(extra[0]), _strip_underscore(extra[1])
        elif extra:
            raise _NameError  # too long a name
        svc = self.api.peek("Service", service, namespace)
        if svc is None:
            raise _NameError
        return self._service(svc, endpoint, port, protocol)

    def _pod(self, label: str) -> list[_Target]:
        """``findPods`` in ``pods insecure`` mode: any address spelled with dashes."""
        if label.count("-") == 3 and "--" not in label:
            ip = label.replace("-", ".")
            if is_address(ip):
                return [_Target(ip)]
        raise _NameError

    def _service(
        self, svc: dict[str, Any], endpoint: str, port: str, protocol: str
    ) -> list[_Target]:
        """``findServices`` for one Service."""
        spec = svc.get("spec") or {}
        md = svc["metadata"]
        if spec.get("type") == EXTERNAL_NAME:
            target = str(spec.get("externalName") or "")
            if endpoint or port or protocol or not target or is_address(target):
                raise _NameError
            return [_Target(target)]
        if spec.get("clusterIP") == HEADLESS or endpoint:
            found = []
            for eps in service_slices(self.api, md["namespace"], md["name"]):
                # A slice without ports still answers, through a sentinel port.
                ports: list[SlicePort | None] = [*slice_ports(eps)] or [None]
                for ep in slice_endpoints(eps):
                    if not ep.ready:
                        continue
                    for address in ep.addresses:
                        if endpoint and not _match(
                            endpoint, _endpoint_hostname(address, ep.hostname)
                        ):
                            continue
                        for p in ports:
                            if _port_matches(port, protocol, p):
                                found.append(_Target(address))
            if not found:
                raise _NameError
            return found
        found = []
        matched = False
        for p in spec.get("ports") or []:
            if (not port or _match(port, str(p.get("name") or ""))) and (
                not protocol or _match(protocol, str(p.get("protocol") or "TCP"))
            ):
                matched = True
                found += [_Target(str(ip)) for ip in spec.get("clusterIPs") or []]
        if not matched:
            raise _NameError
        return found

    # -- reverse names -----------------------------------------------------------------------

    def _ptr(self, qname: str, lower: str, zone: str) -> list[Record]:
        """``Reverse``: the Service with that cluster IP, else the endpoints with it.

        CoreDNS keeps reverse indexes for this; the simulator reads every Service (and the
        slices of each, by label) instead: reverse questions are rare.
        """
        ip = _address_from_reverse(lower)
        if not ip:
            self._targets(lower, zone)  # not an address: NODATA or NXDOMAIN as a name
            return []
        services = self.api.view("Service")
        for svc in services:
            if ip in ((svc.get("spec") or {}).get("clusterIPs") or []):
                md = svc["metadata"]
                name = f"{md['name']}.{md['namespace']}.svc.{CLUSTER_DOMAIN}"
                return [Record(qname, "PTR", name)]
        records = []
        for svc in services:
            md = svc["metadata"]
            for eps in service_slices(self.api, md["namespace"], md["name"]):
                for ep in slice_endpoints(eps):
                    if ep.ready and ip in ep.addresses:
                        host = _endpoint_hostname(ip, ep.hostname)
                        name = f"{host}.{md['name']}.{md['namespace']}.svc.{CLUSTER_DOMAIN}"
                        records.append(Record(qname, "PTR", name))
        if not records:
            raise _NameError
        return records


def _port_matches(port: str, protocol: str, p: SlicePort | None) -> bool:
    """``matchPortAndProtocol`` against a slice port (None: the no-ports sentinel)."""
    name = p.name if p is not None else ""
    proto = p.protocol if p is not None else ""
    return (not port or _match(port, name)) and (not protocol or _match(protocol, proto))
