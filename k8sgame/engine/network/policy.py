"""NetworkPolicy semantics: whether the policies of a cluster admit one connection.

A pure function over data — policies as stored (``networking.k8s.io/v1`` dicts) and the two
ends of a connection — with no access to the API server, as a network plugin evaluates what
it was told (the rules read from ``networking/v1/types.go`` and the NetworkPolicy concept
page):

* a connection needs both directions: the **egress** policies that select the source pod
  (policies in the source's namespace whose ``podSelector`` matches it and whose
  ``policyTypes`` include Egress) must allow it, and the **ingress** policies that select
  the destination pod must allow it;
* a pod that no policy selects for a direction is not isolated in that direction: all
  traffic that way is allowed. Once one policy selects it, only what the union of the
  selecting policies' rules allows gets through — policies only ever add allowed traffic;
* ``ingress: []`` / no egress rules (with the type listed) allow nothing: a default deny;
* a rule matches when one of its peers matches (no ``from``/``to``: every peer) and one of
  its ports matches (no ``ports``: every port);
* a peer with only ``podSelector`` means pods of the policy's own namespace; only
  ``namespaceSelector``: every pod of the namespaces it selects; both: the pods it selects
  in the namespaces it selects; ``ipBlock``: addresses inside ``cidr`` and outside every
  ``except``;
* a port matches by protocol (TCP when unset) and number, an ``endPort`` range, or a name
  resolved against the destination pod's container ports (name, protocol and number must
  agree; a named port never matches a destination that is not a pod);
* traffic from the destination pod's own node (its address: the kubelet's probes, pods on
  the host network) is always allowed in (the API's ``ingress`` field: "OR if the traffic
  source is the pod's local node").

Implementation-defined corners, decided the way Calico, Cilium and most plugins do:
``ipBlock`` is matched against pod addresses too (upstream suggests it for cluster-external
addresses only and leaves pod IPs to the plugin); addresses are compared before any SNAT.

``PolicyIndex`` compiles the policies once (selectors parsed, CIDRs parsed, grouped by
namespace) so that ``PolicyIndex.evaluate`` costs a few selector matches per connection.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from k8sgame.engine.labels import NOTHING, Selector, SelectorError, from_label_selector

INGRESS, EGRESS = "Ingress", "Egress"
TCP = "TCP"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# -- addresses ------------------------------------------------------------------------------


def _go_decimal(text: str) -> int | None:
    """Go's ``dtoi`` as ``ParseCIDR`` uses it: digits only, at least one."""
    if not text or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def _sloppy_ipv4(text: str) -> ipaddress.IPv4Address | None:
    """``netutils.ParseIPSloppy`` for IPv4: four decimal octets, leading zeros ignored (the
    API server has accepted ``010.0.0.1`` as 10.0.0.1 since before strict validation)."""
    parts = text.split(".")
    if len(parts) != 4:
        return None
    octets = [_go_decimal(part) for part in parts]
    if any(octet is None or octet > 255 for octet in octets):
        return None
    return ipaddress.IPv4Address(".".join(str(octet) for octet in octets))


@lru_cache(maxsize=4096)
def parse_cidr(text: str) -> Network | None:
    """``netutils.ParseCIDRSloppy``: ``address/prefix`` with the host bits cleared, or None
    when Go's parser refuses it (no ``/``, a bad address, a prefix out of range)."""
    address, slash, prefix_text = text.partition("/")
    prefix = _go_decimal(prefix_text)
    if not slash or prefix is None:
        return None
    ip: Address | None = _sloppy_ipv4(address)
    if ip is None and ":" in address and "%" not in address:
        try:
            ip = ipaddress.IPv6Address(address)
        except ValueError:
            ip = None
    if ip is None or prefix > ip.max_prefixlen:
        return None
    return ipaddress.ip_network((ip, prefix), strict=False)


@lru_cache(maxsize=8192)
def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


# -- the two ends of a connection -----------------------------------------------------------


@dataclass(frozen=True)
class ContainerPort:
    """A port a container of the destination pod declares; named ports resolve to it."""

    name: str
    port: int
    protocol: str = TCP


@dataclass(frozen=True)
class Endpoint:
    """One end of a connection. A pod has a ``namespace`` (with its labels and its
    namespace's labels); anything else (a node, an address outside the cluster) has only an
    IP. ``ports`` are the pod's container ports, for named ports; ``node_ip`` is the address
    of the node the pod runs on (traffic from it is always let in)."""

    ip: str
    namespace: str | None = None
    labels: Mapping[str, str] = field(default_factory=dict)
    namespace_labels: Mapping[str, str] = field(default_factory=dict)
    ports: tuple[ContainerPort, ...] = ()
    node_ip: str | None = None

    @property
    def is_pod(self) -> bool:
        return self.namespace is not None


def pod_endpoint(pod: Mapping[str, Any], namespace_labels: Mapping[str, str]) -> Endpoint:
    """The ``Endpoint`` a stored pod is: its namespace, labels, ``status.podIP``, host IP and
    the named container ports of its containers and init containers (sidecars serve too)."""
    metadata = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ports = tuple(
        ContainerPort(
            str(port["name"]), int(port["containerPort"]), str(port.get("protocol") or TCP)
        )
        for group in ("containers", "initContainers")
        for container in spec.get(group) or []
        for port in container.get("ports") or []
        if port.get("name") and isinstance(port.get("containerPort"), int)
    )
    return Endpoint(
        ip=str(status.get("podIP") or ""),
        namespace=str(metadata.get("namespace") or "default"),
        labels=dict(metadata.get("labels") or {}),
        namespace_labels=dict(namespace_labels),
        ports=ports,
        node_ip=status.get("hostIP") or None,
    )


# -- compiled policies ----------------------------------------------------------------------


def _selector(raw: Any) -> Selector:
    """A stored selector, or NOTHING for one that does not parse (validation keeps those
    out; a hand-built policy with one matches nothing rather than failing the caller)."""
    if not isinstance(raw, Mapping):
        return NOTHING
    try:
        return from_label_selector(raw)
    except SelectorError:
        return NOTHING


@dataclass(frozen=True)
class _IPBlock:
    cidr: Network | None
    excepts: tuple[Network, ...]

    def matches(self, ip: Address | None) -> bool:
        if ip is None or self.cidr is None or ip not in self.cidr:
            return False
        return not any(ip in block for block in self.excepts)


@dataclass(frozen=True)
class _Peer:
    pods: Selector | None
    namespaces: Selector | None
    ip_block: _IPBlock | None

    def matches(self, other: Endpoint, policy_namespace: str) -> bool:
        if self.ip_block is not None:
            return self.ip_block.matches(_address(other.ip))
        if not other.is_pod or (self.pods is None and self.namespaces is None):
            return False
        if self.namespaces is None:
            in_namespace = other.namespace == policy_namespace
        else:
            in_namespace = self.namespaces.matches(other.namespace_labels)
        return in_namespace and (self.pods is None or self.pods.matches(other.labels))


@dataclass(frozen=True)
class _Port:
    protocol: str
    port: int | str | None
    end_port: int | None

    def matches(self, port: int, protocol: str, destination: Endpoint) -> bool:
        if protocol != self.protocol:
            return False
        if self.port is None:
            return True
        if isinstance(self.port, str):
            return any(
                p.name == self.port and p.protocol == protocol and p.port == port
                for p in destination.ports
            )
        if self.end_port is None:
            return port == self.port
        return self.port <= port <= self.end_port


@dataclass(frozen=True)
class _Rule:
    peers: tuple[_Peer, ...]  # empty: every peer
    ports: tuple[_Port, ...]  # empty: every port

    def matches(
        self, other: Endpoint, port: int, protocol: str, destination: Endpoint, namespace: str
    ) -> bool:
        if self.ports and not any(p.matches(port, protocol, destination) for p in self.ports):
            return False
        return not self.peers or any(p.matches(other, namespace) for p in self.peers)


@dataclass(frozen=True)
class CompiledPolicy:
    """One NetworkPolicy ready to evaluate: its selector and the rules of each direction
    it affects (None: the policy does not affect that direction)."""

    namespace: str
    name: str
    pods: Selector
    ingress: tuple[_Rule, ...] | None
    egress: tuple[_Rule, ...] | None


def _compile_port(raw: Mapping[str, Any]) -> _Port:
    port = raw.get("port")
    end = raw.get("endPort")
    return _Port(
        protocol=str(raw.get("protocol") or TCP),
        port=port if isinstance(port, int | str) and not isinstance(port, bool) else None,
        end_port=end if isinstance(end, int) and not isinstance(end, bool) else None,
    )


def _compile_peer(raw: Mapping[str, Any]) -> _Peer:
    block = raw.get("ipBlock")
    ip_block = None
    if isinstance(block, Mapping):
        excepts = (parse_cidr(str(text)) for text in block.get("except") or [])
        ip_block = _IPBlock(
            parse_cidr(str(block.get("cidr") or "")), tuple(n for n in excepts if n is not None)
        )
    pods, namespaces = raw.get("podSelector"), raw.get("namespaceSelector")
    return _Peer(
        pods=None if pods is None else _selector(pods),
        namespaces=None if namespaces is None else _selector(namespaces),
        ip_block=ip_block,
    )


def _compile_rules(rules: Any, peers_field: str) -> tuple[_Rule, ...]:
    return tuple(
        _Rule(
            peers=tuple(_compile_peer(p) for p in rule.get(peers_field) or []),
            ports=tuple(_compile_port(p) for p in rule.get("ports") or []),
        )
        for rule in rules or []
        if isinstance(rule, Mapping)
    )


def policy_types(spec: Mapping[str, Any]) -> tuple[str, ...]:
    """The directions a policy affects: its ``policyTypes``, or what
    ``SetDefaults_NetworkPolicy`` would make of them when they are unset (Ingress, and
    Egress when it has egress rules)."""
    types = tuple(str(t) for t in spec.get("policyTypes") or [])
    if types:
        return types
    return (INGRESS, EGRESS) if spec.get("egress") else (INGRESS,)


def compile_policy(policy: Mapping[str, Any]) -> CompiledPolicy:
    """Parse one stored NetworkPolicy (selectors, CIDRs, ports) for evaluation."""
    metadata = policy.get("metadata") or {}
    spec = policy.get("spec") or {}
    types = policy_types(spec)
    return CompiledPolicy(
        namespace=str(metadata.get("namespace") or "default"),
        name=str(metadata.get("name") or ""),
        pods=_selector(spec.get("podSelector") or {}),
        ingress=_compile_rules(spec.get("ingress"), "from") if INGRESS in types else None,
        egress=_compile_rules(spec.get("egress"), "to") if EGRESS in types else None,
    )


# -- the verdict ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PolicyVerdict:
    """Whether a connection is admitted, and why.

    ``egress_isolated_by`` names the policies (in the source's namespace) that select the
    source pod for egress, ``ingress_isolated_by`` those (in the destination's namespace)
    that select the destination pod for ingress; empty means the pod is not isolated that
    way. ``egress_allowed_by`` / ``ingress_allowed_by`` name the isolating policies with a
    rule that matched. A direction is allowed when it is not isolated or some policy allowed
    it."""

    egress_isolated_by: tuple[str, ...] = ()
    egress_allowed_by: tuple[str, ...] = ()
    ingress_isolated_by: tuple[str, ...] = ()
    ingress_allowed_by: tuple[str, ...] = ()
    # Traffic from the destination's own node, let in whatever the ingress policies say.
    from_local_node: bool = False

    @property
    def egress_allowed(self) -> bool:
        return not self.egress_isolated_by or bool(self.egress_allowed_by)

    @property
    def ingress_allowed(self) -> bool:
        return self.from_local_node or not self.ingress_isolated_by or bool(self.ingress_allowed_by)

    @property
    def allowed(self) -> bool:
        return self.egress_allowed and self.ingress_allowed


ALLOWED = PolicyVerdict()


# -- the index ------------------------------------------------------------------------------


class PolicyIndex:
    """NetworkPolicies compiled once and grouped by namespace. Immutable after construction:
    build a new one when the policies change."""

    def __init__(self, policies: Iterable[Mapping[str, Any]] = ()) -> None:
        by_namespace: dict[str, list[CompiledPolicy]] = {}
        for policy in policies:
            compiled = compile_policy(policy)
            by_namespace.setdefault(compiled.namespace, []).append(compiled)
        # Sorted by name so that verdicts name policies in a stable order.
        self._by_namespace: dict[str, tuple[CompiledPolicy, ...]] = {
            ns: tuple(sorted(found, key=lambda p: p.name)) for ns, found in by_namespace.items()
        }

    def __bool__(self) -> bool:
        return bool(self._by_namespace)

    def in_namespace(self, namespace: str) -> tuple[CompiledPolicy, ...]:
        """The policies of one namespace, by name."""
        return self._by_namespace.get(namespace, ())

    def isolating(self, pod: Endpoint, direction: str) -> tuple[CompiledPolicy, ...]:
        """The policies that select ``pod`` for ``direction`` (INGRESS or EGRESS)."""
        if pod.namespace is None:
            return ()
        return tuple(
            policy
            for policy in self.in_namespace(pod.namespace)
            if (policy.ingress if direction == INGRESS else policy.egress) is not None
            and policy.pods.matches(pod.labels)
        )

    def evaluate(
        self, source: Endpoint, destination: Endpoint, port: int, protocol: str = TCP
    ) -> PolicyVerdict:
        """Whether ``source`` may open a ``protocol`` connection to ``destination`` on
        ``port`` (the destination container's port number, after any Service DNAT)."""
        if not self._by_namespace:
            return ALLOWED
        egress_isolating = self.isolating(source, EGRESS)
        egress_allowed = tuple(
            policy.name
            for policy in egress_isolating
            if any(
                rule.matches(destination, port, protocol, destination, policy.namespace)
                for rule in policy.egress or ()
            )
        )
        ingress_isolating = self.isolating(destination, INGRESS)
        ingress_allowed = tuple(
            policy.name
            for policy in ingress_isolating
            if any(
                rule.matches(source, port, protocol, destination, policy.namespace)
                for rule in policy.ingress or ()
            )
        )
        # The node's own address: its kubelet (probes) and its host-network pods.
        local = destination.node_ip is not None and source.ip == destination.node_ip
        return PolicyVerdict(
            egress_isolated_by=tuple(p.name for p in egress_isolating),
            egress_allowed_by=egress_allowed,
            ingress_isolated_by=tuple(p.name for p in ingress_isolating),
            ingress_allowed_by=ingress_allowed,
            from_local_node=local,
        )


def evaluate(
    policies: PolicyIndex | Iterable[Mapping[str, Any]],
    source: Endpoint,
    destination: Endpoint,
    port: int,
    protocol: str = TCP,
) -> PolicyVerdict:
    """``PolicyIndex(policies).evaluate(...)``; pass a ``PolicyIndex`` to reuse one across
    many connections."""
    index = policies if isinstance(policies, PolicyIndex) else PolicyIndex(policies)
    return index.evaluate(source, destination, port, protocol)
