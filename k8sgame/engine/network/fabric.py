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

A connection may also start on a node (``ssh NODE``) or outside the cluster, on the
player's machine (``WORKSTATION_IP``, the gateway of the nodes' network). A node reaches
what a pod does. The outside machine shares a link with the nodes only: it reaches the
nodes' addresses and the load-balancer addresses a node announces (``metallb``); cluster IPs
and pod addresses are not routed to it, so those connections time out.

At a node's own address, kube-proxy's node ports come first, then the pods' ``hostPort``
mappings; the node's system ports (the API server, the kubelet) are not modelled; any other
port is closed (refused).

NetworkPolicy is enforced where the pod is reached, when the cluster's plugin enforces it
(Calico; Flannel does not): the policies of both ends must allow the connection
(``policy.py``), else the packet is dropped and the client times out. A pod's DNS query is
held to its egress policies too (CoreDNS counts as a ``k8s-app: kube-dns`` pod of
``kube-system``): a default-deny egress policy without a DNS rule leaves names unresolved.
Traffic an external destination masquerades (``externalTrafficPolicy: Cluster``) arrives
with the receiving node's address.

Not modelled yet: host-network pods, UDP beyond DNS.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, replace
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
from k8sgame.engine.network.dns import UPSTREAM_DNS, ClusterDns
from k8sgame.engine.network.ingress_nginx import (
    CERTIFICATE_PROBLEM,
    HTTP_PORT,
    HTTPS_PORT,
    PROXY_CONNECT_TIMEOUT,
    STATUS_LINES,
    config_of,
    error_page,
    upstreams,
)
from k8sgame.engine.network.metallb import announcing_node
from k8sgame.engine.network.policy import ContainerPort, Endpoint, PolicyIndex, pod_endpoint
from k8sgame.engine.network.proxy import DNAT, REJECT, KubeProxy, Verdict
from k8sgame.engine.store import WatchEvent

# kind's podSubnet: every node's podCIDR is a /24 of it.
POD_NETWORK = ipaddress.IPv4Network("10.244.0.0/16")
LOOPBACK = ipaddress.IPv4Network("127.0.0.0/8")


# Where a connection starts.
POD, NODE, OUTSIDE = "pod", "node", "outside"
# The player's machine: the gateway of the nodes' network (192.168.49.0/24).
WORKSTATION_IP = "192.168.49.1"
NODE_NETWORK = ipaddress.IPv4Network("192.168.49.0/24")
# The player's machine asks systemd-resolved's stub (offline, as the sandbox is).
WORKSTATION_RESOLVER = "127.0.0.53"
# The address a policy sees for CoreDNS (its pods are part of the simulator, not objects).
COREDNS_POD_IP = "10.244.0.2"
# Ports of a node's own system components, which the simulator does not model.
SYSTEM_PORTS = {6443: "the API server", 10250: "the kubelet", 10256: "kube-proxy"}


@dataclass(frozen=True)
class Forward:
    """A ``kubectl port-forward`` running on the player's machine: connections to its local
    port go, through the API server and the kubelet, to ``port`` inside the pod (its own
    loopback: no Service, no NetworkPolicy on the way)."""

    namespace: str
    pod: str
    uid: str
    port: int


@dataclass(frozen=True)
class Source:
    """Where a connection starts: a pod (its namespace, name, address and node), a node
    (``kind`` NODE: ``name`` and ``node`` are the node's) or the player's machine
    (``kind`` OUTSIDE)."""

    namespace: str
    name: str
    ip: str
    node: str
    kind: str = POD


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
        self,
        dns_api: Client,
        proxy_api: Client,
        fabric_api: Client,
        kubelets: Mapping[str, Any],
        seed: int,
        enforce_policy: bool = True,
    ) -> None:
        self.dns = ClusterDns(dns_api)
        self.proxy = KubeProxy(proxy_api)
        # The data plane is what several agents program (kube-proxy, the CNI agent, an
        # Ingress controller), not one client of the API server: its reads go through
        # ``fabric_api``, the API server's own loopback client, which no RBAC rule limits.
        self.api = fabric_api
        self.kubelets = kubelets
        self.seed = seed
        # Connections made through a Service so far: two at the same instant differ.
        self.connections = 0
        self._cidrs: dict[str, tuple[Any, ipaddress.IPv4Network | None]] = {}
        # The CNI plugin enforces NetworkPolicy (Calico) or not (Flannel).
        self.enforce_policy = enforce_policy
        self._policies: PolicyIndex | None = None
        # The player's running ``kubectl port-forward``s, by local port.
        self.forwards: dict[int, Forward] = {}
        fabric_api.watch(self._on_policy, ("NetworkPolicy",))

    def link(self, namespace: str, name: str, ip: str, node: str) -> PodLink:
        """The network as the containers of a pod reach it, from what the kubelet knows of
        the pod (its address before the status shows it)."""
        return PodLink(self, Source(namespace, name, ip, node))

    def for_pod(self, pod: dict[str, Any]) -> PodLink:
        """The network as the containers of ``pod`` reach it."""
        md, spec = pod["metadata"], pod.get("spec") or {}
        ip = str((pod.get("status") or {}).get("podIP") or "")
        source = Source(md.get("namespace") or "default", md["name"], ip, spec.get("nodeName", ""))
        return PodLink(self, source)

    # -- connections ---------------------------------------------------------------------------

    def for_node(self, node: str) -> HostLink:
        """The network as a shell on ``node`` reaches it (None-safe: an unknown node has
        no address)."""
        ip = self.node_address(node) or ""
        return HostLink(self, Source("", node, ip, node, NODE))

    def outside(self) -> HostLink:
        """The network as the player's own machine, outside the cluster, reaches it."""
        return HostLink(self, Source("", "", WORKSTATION_IP, "", OUTSIDE))

    def connect(self, source: Source, ip: str, port: int, at: float) -> Connection:
        """A TCP connect from ``source`` to ``ip:port`` at ``at`` (absolute seconds)."""
        rng = Random(f"{self.seed}:{self.connections}:{at!r}:{source.ip}:{ip}:{port}")
        return self.connect_with(source, ip, port, at, rng)

    def connect_with(self, source: Source, ip: str, port: int, at: float, rng: Any) -> Connection:
        """``connect`` with kube-proxy's random choice made by ``rng`` (its ``choice``)."""
        address = _ipv4(ip)
        if address is None:
            return Connection(UNSUPPORTED, detail=f"connections to {ip}")
        if address in LOOPBACK:
            if source.kind == POD:
                return self._deliver(None, source.ip, port, at, own=True)
            if source.kind == OUTSIDE and port in self.forwards:
                return self._forwarded(self.forwards[port], at, f"{ip}:{port}")
            if source.kind == NODE:
                # kube-proxy's --iptables-localhost-nodeports (default true): a node port
                # answers on the node's 127.0.0.1 too.
                verdict = self.proxy.route_node_port(
                    source.node, source.ip, port, rng, from_inside=True
                )
                if verdict is not None:
                    return self._follow(verdict, at, source, source.node)
            # Nothing of the game listens on a node's or the player's loopback.
            return Connection(REFUSED, 0.0, f"{ip}:{port}")
        if source.kind == OUTSIDE:
            return self._from_outside(source, ip, address, port, at, rng)
        verdict = self.proxy.route(source.node, source.ip, ip, port, rng)
        if verdict is not None:
            return self._follow(verdict, at, source, source.node)
        node = self.node_with_address(ip)
        if node is not None:
            return self._at_node(node, source, port, at, rng)
        if ip == WORKSTATION_IP:
            return Connection(REFUSED, 0.0, f"{ip}:{port}")
        return self._deliver(source, ip, port, at)

    def _forwarded(self, forward: Forward, at: float, where: str) -> Connection:
        """A connection to a port-forward's local port. kubectl accepts it, then dials the
        port in the pod; when nothing listens there it closes the connection without a
        word (the client sees an empty reply) and exits. A forward whose pod is gone has
        ended: the local port is closed."""
        pod = self.api.peek("Pod", forward.pod, forward.namespace)
        ip = str(((pod or {}).get("status") or {}).get("podIP") or "")
        if pod is None or pod["metadata"].get("uid") != forward.uid or not ip:
            return Connection(REFUSED, 0.0, where)
        inside = self._deliver(None, ip, forward.port, at, own=True)
        if inside.state == OPEN:
            return inside
        # kubectl (since 1.23) ends the whole port-forward on that error ("lost connection
        # to pod"): the next connection to the local port is refused.
        for port, held in list(self.forwards.items()):
            if held is forward:
                del self.forwards[port]
        return Connection(OPEN, 0.0, where)

    def _from_outside(
        self,
        source: Source,
        ip: str,
        address: ipaddress.IPv4Address,
        port: int,
        at: float,
        rng: Any,
    ) -> Connection:
        """The player's machine: only the nodes' link is reachable."""
        node = self.node_with_address(ip)
        if node is not None:
            return self._at_node(node, source, port, at, rng)
        svc = self.proxy.balancer_at(ip)
        if svc is not None:
            announcer = announcing_node(self.api, svc, ip)
            if announcer is not None:
                verdict = self.proxy.route_external(
                    announcer, source.ip, ip, port, rng, from_inside=False
                )
                if verdict is not None:
                    return self._follow(verdict, at, source, announcer)
        if address in NODE_NETWORK:
            # On the link, but no one answers ARP for it.
            return Connection(UNREACHABLE, ARP_GIVE_UP_SECONDS, f"{ip}:{port}")
        return Connection(DROPPED.state, DROPPED.after, f"{ip}:{port}")

    def _follow(self, verdict: Verdict, at: float, source: Source, node: str) -> Connection:
        """What kube-proxy's verdict on ``node`` leads to."""
        self.connections += 1
        if verdict.action == REJECT:
            return Connection(REFUSED, detail=verdict.comment)
        if verdict.action != DNAT:
            return DROPPED  # DROP, or no rule for that port
        seen_as = source
        if verdict.masquerade and self._node_of_pod_address(verdict.ip) != node:
            # KUBE-POSTROUTING masquerades what leaves the node: a pod elsewhere sees the
            # node's address. (The source pod's egress and a local pod's ingress are
            # checked in FORWARD, before that, with the real client.)
            seen_as = Source("", node, self.node_address(node) or "", node, NODE)
        target_node = self.node_with_address(verdict.ip)
        if target_node is not None:  # an endpoint on a node's own address (the API server's)
            return self._node_listener(seen_as, target_node, verdict.port, at)
        return self._deliver(source, verdict.ip, verdict.port, at, seen_as=seen_as)

    def _at_node(self, node: str, source: Source, port: int, at: float, rng: Any) -> Connection:
        """A SYN to ``port`` on ``node``'s own address."""
        verdict = self.proxy.route_node_port(
            node, source.ip, port, rng, from_inside=source.kind != OUTSIDE
        )
        if verdict is not None:
            return self._follow(verdict, at, source, node)
        return self._node_listener(source, node, port, at)

    def _node_listener(self, source: Source, node: str, port: int, at: float) -> Connection:
        """What answers on ``port`` of ``node``'s address, past kube-proxy's rules."""
        where = f"{self.node_address(node)}:{port}"
        target = self._host_port(node, port)
        if target is not None:
            return self._deliver(source, target[0], target[1], at)
        if port in SYSTEM_PORTS:
            return Connection(
                UNSUPPORTED, address=where, detail=f"connections to {SYSTEM_PORTS[port]} ({where})"
            )
        return Connection(REFUSED, 0.0, where)

    def _host_port(self, node: str, port: int) -> tuple[str, int] | None:
        """The pod address and container port a TCP ``hostPort`` on ``node`` leads to (the
        CNI portmap plugin's DNAT)."""
        kubelet = self.kubelets.get(node)
        if kubelet is None:
            return None
        for runtime in kubelet.pods.values():
            if not runtime.sandbox_ready or runtime.terminated or not runtime.pod_ip:
                continue
            pod = self.api.peek("Pod", runtime.name, runtime.namespace) or {}
            spec = pod.get("spec") or {}
            for container in spec.get("containers") or []:
                for p in container.get("ports") or []:
                    if p.get("hostPort") == port and (p.get("protocol") or "TCP") == "TCP":
                        return runtime.pod_ip, int(p["containerPort"])
        return None

    def _deliver(
        self,
        source: Source | None,
        ip: str,
        port: int,
        at: float,
        own: bool = False,
        seen_as: Source | None = None,
    ) -> Connection:
        """Where a packet from ``source`` (None: inside the pod) to ``ip:port`` (after any
        DNAT) ends up; ``seen_as`` is the source the destination sees (after a masquerade)."""
        where = f"{ip}:{port}"
        address = _ipv4(ip)
        runtime, in_pod_network = self._pod_at(ip)
        if runtime is None:
            if in_pod_network or (address is not None and address in POD_NETWORK):
                return Connection(UNREACHABLE, ARP_GIVE_UP_SECONDS, where)
            return Connection(DROPPED.state, DROPPED.after, where)
        if source is not None and not self.admitted(source, runtime, port, seen_as=seen_as):
            # Calico drops what no policy allows: the client waits.
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

    # -- NetworkPolicy ---------------------------------------------------------------------------

    def _on_policy(self, event: WatchEvent) -> None:
        self._policies = None

    def policies(self) -> PolicyIndex:
        """The cluster's NetworkPolicies, compiled (again after any of them changed)."""
        if self._policies is None:
            self._policies = PolicyIndex(self.api.view("NetworkPolicy"))
        return self._policies

    def _namespace_labels(self, namespace: str) -> dict[str, str]:
        ns = self.api.peek("Namespace", namespace) or {}
        return dict(ns.get("metadata", {}).get("labels") or {})

    def endpoint_of(self, source: Source) -> Endpoint:
        """What the network plugin knows of a connection's source."""
        if source.kind == POD:
            pod = self.api.peek("Pod", source.name, source.namespace)
            if pod is not None:
                found = pod_endpoint(pod, self._namespace_labels(source.namespace))
                return replace(found, ip=source.ip) if source.ip else found
        return Endpoint(ip=source.ip)

    def admitted(
        self,
        source: Source,
        runtime: Any,
        port: int,
        protocol: str = "TCP",
        seen_as: Source | None = None,
    ) -> bool:
        """Whether the policies let ``source`` reach ``port`` of the pod of ``runtime``
        (always, on a plugin that does not enforce them). The source's egress is checked
        with the source itself, the destination's ingress with what it sees (``seen_as``:
        a masquerading node's address)."""
        if not self.enforce_policy:
            return True
        index = self.policies()
        if not index:
            return True
        pod = self.api.peek("Pod", runtime.name, runtime.namespace)
        if pod is None:
            return True
        labels = self._namespace_labels(runtime.namespace)
        # The address the kubelet gave the pod, before its status may show it.
        destination = replace(pod_endpoint(pod, labels), ip=runtime.pod_ip)
        sender = self.endpoint_of(source)
        egress = index.evaluate(sender, destination, port, protocol).egress_allowed
        if not egress:
            return False
        seen = sender if seen_as is None or seen_as == source else self.endpoint_of(seen_as)
        return index.evaluate(seen, destination, port, protocol).ingress_allowed

    def dns_allowed(self, source: Source) -> bool:
        """Whether a pod's egress policies let its DNS query (UDP 53) reach CoreDNS, whose
        pods carry ``k8s-app: kube-dns`` in ``kube-system`` as on a kubeadm cluster."""
        if not self.enforce_policy or source.kind != POD:
            return True
        index = self.policies()
        if not index:
            return True
        coredns = Endpoint(
            ip=COREDNS_POD_IP,
            namespace="kube-system",
            labels={"k8s-app": "kube-dns"},
            namespace_labels=self._namespace_labels("kube-system"),
            ports=(ContainerPort("dns", 53, "UDP"), ContainerPort("dns-tcp", 53, "TCP")),
        )
        return index.evaluate(self.endpoint_of(source), coredns, 53, "UDP").allowed

    def http_get(
        self, connection: Connection, path: str, at: float, host: str = "", rng: Any = None
    ) -> HttpAnswer:
        """The answer to ``GET path`` (with ``Host: host``) on an open connection at ``at``.
        ``rng`` makes an Ingress controller's choice of endpoint (default: seeded as a
        connection's)."""
        if connection.state != OPEN or connection.server is None:
            return HttpAnswer(None)
        if connection.server.image.ingress_controller and connection.port in (
            HTTP_PORT,
            HTTPS_PORT,
        ):
            if rng is None:
                rng = Random(f"{self.seed}:{self.connections}:{at!r}:{connection.address}:{path}")
                self.connections += 1
            return self._through_ingress(connection, path, at, host, rng)
        answer = connection.server.http_get(connection.port, path, at - connection.started_at)
        if answer.status is None:
            return HttpAnswer(None)
        return HttpAnswer(int(answer.status), float(answer.latency), answer.body or "")

    # -- Ingress controllers ---------------------------------------------------------------------

    def tls(self, connection: Connection, server_name: str, at: float) -> str:
        """A TLS handshake on an open connection: "" when the certificate verifies, else
        OpenSSL's problem with it; "unsupported" where the simulator models no TLS."""
        server = connection.server
        if server is not None and server.image.ingress_controller:
            if connection.port == HTTPS_PORT:
                return CERTIFICATE_PROBLEM
        return "unsupported"

    def ingress_controllers(self) -> list[dict[str, Any]]:
        """The Ready pods whose running container is an Ingress controller."""
        found = []
        for name in sorted(self.kubelets):
            for runtime in self.kubelets[name].pods.values():
                if runtime.terminated or not runtime.sandbox_ready:
                    continue
                if not any(
                    c.running is not None and c.running.process.image.ingress_controller
                    for c in runtime.ordered()
                ):
                    continue
                pod = self.api.peek("Pod", runtime.name, runtime.namespace)
                if pod is None:
                    continue
                conditions = (pod.get("status") or {}).get("conditions") or []
                if any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions):
                    found.append(pod)
        return found

    def _through_ingress(
        self, connection: Connection, path: str, at: float, host: str, rng: Any
    ) -> HttpAnswer:
        """A request to an Ingress controller's HTTP port: the rules, then the backend."""
        runtime, _ = self._pod_at(connection.address.rpartition(":")[0])
        pod = self.api.peek("Pod", runtime.name, runtime.namespace) if runtime else None
        if pod is None:
            return HttpAnswer(None)
        config = config_of(pod)
        https = connection.port == HTTPS_PORT
        choices = upstreams(self.api, self.proxy, config, host, path, https)
        upstream = rng.choice(choices)
        if upstream.status:
            return _nginx_error(upstream.status)
        source = Source(
            pod["metadata"]["namespace"],
            pod["metadata"]["name"],
            str((pod.get("status") or {}).get("podIP") or ""),
            str(pod["spec"].get("nodeName") or ""),
        )
        onward = self._deliver(source, upstream.ip, upstream.port, at)
        if onward.state == OPEN:
            return self.http_get(onward, path, at, host)
        if onward.state == REFUSED:
            return _nginx_error(502)
        if onward.state == UNREACHABLE:
            return _nginx_error(502, ARP_GIVE_UP_SECONDS)
        return _nginx_error(504, PROXY_CONNECT_TIMEOUT)

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

    def _node_of_pod_address(self, ip: str) -> str | None:
        """The node whose ``podCIDR`` holds ``ip``, or None."""
        address = _ipv4(ip)
        if address is None:
            return None
        for name in sorted(self.kubelets):
            cidr = self._pod_cidr(name, self.kubelets[name])
            if cidr is not None and address in cidr:
                return name
        return None

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

    def node_with_address(self, ip: str) -> str | None:
        """The node one of whose addresses is ``ip``, or None."""
        for node in self.api.view("Node"):
            for address in (node.get("status") or {}).get("addresses") or []:
                if address.get("address") == ip and address.get("type") != "Hostname":
                    return str(node["metadata"]["name"])
        return None

    def node_address(self, name: str) -> str | None:
        """The node's InternalIP, or None."""
        node = self.api.peek("Node", name) or {}
        for address in (node.get("status") or {}).get("addresses") or []:
            if address.get("type") == "InternalIP":
                return str(address.get("address"))
        return None


def _nginx_error(status: int, after: float = 0.0) -> HttpAnswer:
    return HttpAnswer(status, after + 0.001, error_page(status), STATUS_LINES[status])


class PodLink:
    """``client.PodNetwork`` for the processes of one pod (or a shell on a host)."""

    def __init__(self, network: Network, source: Source) -> None:
        self.network = network
        self.source = source

    def query(self, server: str, name: str, qtype: str, at: float) -> Reply | None:
        """Ask the name server at ``server`` (UDP 53; the loopback has none). A query an
        egress policy does not allow is dropped: no reply."""
        if not self.network.dns_allowed(self.source):
            return None
        return self.network.dns.ask(server, name, qtype)

    def connect(self, ip: str, port: int, at: float) -> Connection:
        """Open a TCP connection from this pod."""
        return self.network.connect(self.source, ip, port, at)

    def http_get(self, connection: Connection, path: str, at: float, host: str = "") -> HttpAnswer:
        """Send an HTTP GET on an open connection."""
        return self.network.http_get(connection, path, at, host)

    def tls(self, connection: Connection, server_name: str, at: float) -> str:
        """Shake hands over TLS on an open connection (see ``Network.tls``)."""
        return self.network.tls(connection, server_name, at)


class HostLink(PodLink):
    """``client.PodNetwork`` for a shell on a node or on the player's machine: the same
    connections, but the host's own name servers (the node's resolver, or the machine's
    ``127.0.0.53`` stub; both offline) and, outside, no route to CoreDNS's cluster IP."""

    def query(self, server: str, name: str, qtype: str, at: float) -> Reply | None:
        if self.source.kind == OUTSIDE:
            if server == WORKSTATION_RESOLVER:
                return self.network.dns.upstream(name)
            if server != UPSTREAM_DNS:
                return None
        return self.network.dns.ask(server, name, qtype)
