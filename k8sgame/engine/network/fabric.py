"""``Network``: the single authority on reachability inside the simulated cluster.

A connection from a pod goes the way a real packet does:

1. ``127.0.0.0/8`` stays in the pod: every container of a pod shares one network namespace;
2. a Service's cluster IP goes through kube-proxy's rules on the client's node (``proxy``):
   DNAT to an endpoint, REJECT (refused at once), DROP or no rule (a time-out);
3. a pod address reaches that pod's sandbox, on whichever node it runs: a running container
   whose process listens on the port accepts (the process decides what it answers, see
   ``images/process.py`` ``listening``/``http_get``); a pod with no such process — not
   started yet, crashed, or listening elsewhere — answers with an RST (refused);
4. an address of the pod network that no pod holds gets no ARP answer: no route to host
   after 3 s;
5. anything else (an unused Service address, an address outside the cluster — the sandbox
   is offline) is never answered: the client times out.

Pods are found by address through the kubelets: the node whose ``podCIDR`` holds the
address, then that node's own pods — never by looking at every pod of the cluster. A pod's
containers keep answering while its kubelet is stopped, as real containers do.

Not modelled yet: NetworkPolicy (everything is allowed), connections to nodes (the
``kubernetes`` Service's endpoint, NodePorts, host-network pods), UDP, and clients outside
the cluster.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from random import Random
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.network.client import (
    ARP_GIVE_UP_SECONDS,
    DROPPED,
    OPEN,
    REFUSED,
    UNREACHABLE,
    UNSUPPORTED,
    Connection,
    HttpAnswer,
    Reply,
)
from k8sgame.engine.network.dns import ClusterDns
from k8sgame.engine.network.proxy import DNAT, REJECT, KubeProxy

# kind's podSubnet: every node's podCIDR is a /24 of it.
POD_NETWORK = ipaddress.IPv4Network("10.244.0.0/16")
LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")


@dataclass(frozen=True)
class Source:
    """Where a connection starts: a pod (its namespace, name, address and node)."""

    namespace: str
    name: str
    ip: str
    node: str


def _ipv4(text: str) -> ipaddress.IPv4Address | None:
    try:
        return ipaddress.IPv4Address(text)
    except ValueError:
        return None


class Network:
    """The cluster's network: CoreDNS, kube-proxy, and the pods' sandboxes on the nodes.

    ``kubelets`` is the cluster's live mapping of node name to kubelet (each offers
    ``pods``, its admitted pods by UID). ``seed`` is mixed into every random choice.
    """

    def __init__(
        self, dns_api: Client, proxy_api: Client, kubelets: Mapping[str, Any], seed: int
    ) -> None:
        self.dns = ClusterDns(dns_api)
        self.proxy = KubeProxy(proxy_api)
        self.api = proxy_api
        self.kubelets = kubelets
        self.seed = seed
        # Connections made through a Service so far: two at the same instant differ.
        self.connections = 0
        self._cidrs: dict[str, tuple[Any, ipaddress.IPv4Network | None]] = {}

    def for_pod(self, pod: dict[str, Any]) -> PodLink:
        """The network as the containers of ``pod`` reach it."""
        md, spec = pod["metadata"], pod.get("spec") or {}
        ip = str((pod.get("status") or {}).get("podIP") or "")
        source = Source(md.get("namespace") or "default", md["name"], ip, spec.get("nodeName", ""))
        return PodLink(self, source)

    # -- connections ---------------------------------------------------------------------------

    def connect(self, source: Source, ip: str, port: int, at: float) -> Connection:
        """A TCP connect from ``source`` to ``ip:port`` at ``at`` (absolute seconds)."""
        address = _ipv4(ip)
        if address is None:
            return Connection(UNSUPPORTED, detail=f"connections to {ip}")
        if address in LOOPBACK:
            return self._deliver(source.ip, port, at, own=True)
        rng = Random(f"{self.seed}:{self.connections}:{at!r}:{source.ip}:{ip}:{port}")
        verdict = self.proxy.route(source.node, source.ip, ip, port, rng)
        if verdict is not None:
            self.connections += 1
            if verdict.action == REJECT:
                return Connection(REFUSED, detail=verdict.comment)
            if verdict.action != DNAT:
                return DROPPED  # DROP, or no rule for that port
            return self._deliver(verdict.ip, verdict.port, at)
        return self._deliver(ip, port, at)

    def _deliver(self, ip: str, port: int, at: float, own: bool = False) -> Connection:
        """Where a packet to ``ip:port`` (after any DNAT) ends up."""
        where = f"{ip}:{port}"
        address = _ipv4(ip)
        runtime, in_pod_network = self._pod_at(ip)
        if runtime is None:
            if in_pod_network or (address is not None and address in POD_NETWORK):
                return Connection(UNREACHABLE, ARP_GIVE_UP_SECONDS, where)
            if not own and self._is_node_address(ip):
                return Connection(
                    UNSUPPORTED, address=where, detail=f"connections to nodes ({where})"
                )
            return Connection(DROPPED.state, DROPPED.after, where)
        for container in runtime.ordered():
            instance = container.running
            if instance is None or instance.start_failed:
                continue
            if instance.process.listening(port, at - instance.started_at):
                return Connection(
                    OPEN,
                    0.0,
                    where,
                    server=instance.process,
                    started_at=instance.started_at,
                    port=port,
                )
        return Connection(REFUSED, 0.0, where)

    def http_get(self, connection: Connection, path: str, at: float) -> HttpAnswer:
        """The answer to ``GET path`` on an open connection at ``at``."""
        if connection.state != OPEN or connection.server is None:
            return HttpAnswer(None)
        answer = connection.server.http_get(connection.port, path, at - connection.started_at)
        if answer.status is None:
            return HttpAnswer(None)
        return HttpAnswer(int(answer.status), float(answer.latency), answer.body or "")

    # -- where pods are ------------------------------------------------------------------------

    def _pod_cidr(self, name: str, kubelet: Any) -> ipaddress.IPv4Network | None:
        cached = self._cidrs.get(name)
        if cached is not None and cached[0] is kubelet:
            return cached[1]
        node = self.api.peek("Node", name) or {}
        text = str((node.get("spec") or {}).get("podCIDR") or "")
        try:
            network: ipaddress.IPv4Network | None = ipaddress.IPv4Network(text) if text else None
        except ValueError:
            network = None
        self._cidrs[name] = (kubelet, network)
        return network

    def _pod_at(self, ip: str) -> tuple[Any, bool]:
        """(the PodRuntime holding ``ip`` or None, whether ``ip`` is in some node's pod
        range). Looks only at the node whose ``podCIDR`` contains the address."""
        address = _ipv4(ip)
        if address is None:
            return None, False
        for name in sorted(self.kubelets):
            kubelet = self.kubelets[name]
            cidr = self._pod_cidr(name, kubelet)
            if cidr is None or address not in cidr:
                continue
            for runtime in kubelet.pods.values():
                if runtime.pod_ip == ip and runtime.sandbox_ready and not runtime.terminated:
                    return runtime, True
            return None, True
        return None, False

    def _is_node_address(self, ip: str) -> bool:
        for node in self.api.view("Node"):
            for address in (node.get("status") or {}).get("addresses") or []:
                if address.get("address") == ip:
                    return True
        return False


class PodLink:
    """``client.PodNetwork`` for the processes of one pod."""

    def __init__(self, network: Network, source: Source) -> None:
        self.network = network
        self.source = source

    def query(self, server: str, name: str, qtype: str, at: float) -> Reply | None:
        """Ask the name server at ``server`` (UDP 53; the loopback has none)."""
        return self.network.dns.ask(server, name, qtype)

    def connect(self, ip: str, port: int, at: float) -> Connection:
        """Open a TCP connection from this pod."""
        return self.network.connect(self.source, ip, port, at)

    def http_get(self, connection: Connection, path: str, at: float) -> HttpAnswer:
        """Send an HTTP GET on an open connection."""
        return self.network.http_get(connection, path, at)
