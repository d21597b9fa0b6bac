"""Filter plugins of the default profile, in upstream order, with upstream reason strings
(K8S-FACTS §9.1, §9.5). A failing node reports the first plugin that rejects it;
``unresolvable`` marks UnschedulableAndUnresolvable (preemption cannot help)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.scheduler.cache import NodeInfo
from k8sgame.engine.scheduler.node_affinity import matches_node_selector_and_affinity
from k8sgame.engine.scheduler.pod_affinity import AffinityTerm, has_pod_affinity, required_terms
from k8sgame.engine.scheduler.resources import HostPort, host_ports, pod_requests
from k8sgame.engine.scheduler.taints import first_untolerated, tolerated
from k8sgame.engine.scheduler.volume_binding import PLUGIN as VOLUME_BINDING
from k8sgame.engine.scheduler.volume_binding import PodVolumes, fits_node

UNSCHEDULABLE_TAINT = {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}

REASON_UNSCHEDULABLE = "node(s) were unschedulable"
REASON_NODE_NAME = "node(s) didn't match the requested node name"
REASON_PORTS = "node(s) didn't have free ports for the requested pod ports"
REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector"
REASON_TAINTS = "node(s) had untolerated taint(s)"
REASON_TOO_MANY_PODS = "Too many pods"
REASON_AFFINITY = "node(s) didn't match pod affinity rules"
REASON_ANTI_AFFINITY = "node(s) didn't match pod anti-affinity rules"
REASON_EXISTING_ANTI_AFFINITY = "node(s) didn't satisfy existing pods anti-affinity rules"


@dataclass(frozen=True)
class Rejection:
    plugin: str
    reasons: tuple[str, ...]
    unresolvable: bool


@dataclass
class PodContext:
    """Everything about the pod being scheduled, computed once per attempt."""

    pod: dict[str, Any]
    spec: dict[str, Any]
    namespace: str
    labels: dict[str, str]
    requests: dict[str, int]
    non_zero: dict[str, int]
    ports: list[HostPort]
    tolerations: list[dict[str, Any]]
    affinity_terms: list[AffinityTerm] = field(default_factory=list)
    anti_affinity_terms: list[AffinityTerm] = field(default_factory=list)
    # Existing pods' anti-affinity terms that match this pod: (term, node of that pod).
    existing_anti: list[tuple[AffinityTerm, NodeInfo]] = field(default_factory=list)
    # For required affinity: whether any pod anywhere matches all terms (first-pod rule).
    affinity_has_match: bool = False
    # No node name, selector, affinity or host ports: on a plain node only resources matter.
    plain: bool = False
    positive_requests: tuple[tuple[str, int], ...] = ()
    # Every node, and the bound pods with affinity terms: scoring looks past the feasible nodes.
    all_nodes: list[NodeInfo] = field(default_factory=list)
    with_affinity: list[tuple[Any, NodeInfo]] = field(default_factory=list)
    # The pod's claims (VolumeBinding) and the Available volumes they might take.
    volumes: PodVolumes | None = None
    available_volumes: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def build(
        cls, pod: dict[str, Any], nodes: list[NodeInfo], with_affinity: list[tuple[Any, NodeInfo]]
    ) -> PodContext:
        """``with_affinity``: bound pods that carry affinity terms, with their nodes."""
        spec = pod.get("spec") or {}
        md = pod["metadata"]
        namespace = md.get("namespace", "")
        non_zero = pod_requests(spec, non_zero=True)
        ctx = cls(
            pod=pod,
            spec=spec,
            namespace=namespace,
            labels=dict(md.get("labels") or {}),
            requests=pod_requests(spec),
            non_zero={k: non_zero.get(k, 0) for k in ("cpu", "memory")},
            ports=host_ports(spec),
            tolerations=list(spec.get("tolerations") or []),
            all_nodes=nodes,
            with_affinity=with_affinity,
        )
        ctx.positive_requests = tuple(sorted((k, v) for k, v in ctx.requests.items() if v > 0))
        ctx.plain = not (
            spec.get("nodeName") or spec.get("nodeSelector") or spec.get("affinity") or ctx.ports
        )
        if has_pod_affinity(spec):
            ctx.affinity_terms = required_terms(spec, namespace, "podAffinity")
            ctx.anti_affinity_terms = required_terms(spec, namespace, "podAntiAffinity")
        for entry, info in with_affinity:
            for term in required_terms(entry.spec, entry.namespace, "podAntiAffinity"):
                if term.matches(ctx.labels, namespace):
                    ctx.existing_anti.append((term, info))
        if ctx.affinity_terms:
            ctx.affinity_has_match = any(
                all(t.matches(entry.labels, entry.namespace) for t in ctx.affinity_terms)
                for info in nodes
                for entry in info.pods.values()
            )
        return ctx


def node_unschedulable(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    if info.unschedulable and not tolerated(ctx.tolerations, UNSCHEDULABLE_TAINT):
        return Rejection("NodeUnschedulable", (REASON_UNSCHEDULABLE,), True)
    return None


def node_name(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    wanted = ctx.spec.get("nodeName")
    if wanted and wanted != info.name:
        return Rejection("NodeName", (REASON_NODE_NAME,), True)
    return None


def taint_toleration(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    if first_untolerated(info.taints, ctx.tolerations, ("NoSchedule", "NoExecute")) is not None:
        return Rejection("TaintToleration", (REASON_TAINTS,), True)
    return None


def node_affinity(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    if not matches_node_selector_and_affinity(ctx.spec, info.node):
        return Rejection("NodeAffinity", (REASON_NODE_AFFINITY,), True)
    return None


def node_ports(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    for wanted in ctx.ports:
        if any(wanted.conflicts(used) for used in info.ports):
            return Rejection("NodePorts", (REASON_PORTS,), False)
    return None


def node_resources_fit(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    reasons = []
    unresolvable = False
    if len(info.pods) + 1 > info.allocatable.get("pods", 0):
        reasons.append(REASON_TOO_MANY_PODS)
    for name in sorted(ctx.requests):
        amount = ctx.requests[name]
        if amount <= 0:
            continue
        allocatable = info.allocatable.get(name, 0)
        if amount > allocatable - info.requested.get(name, 0):
            reasons.append(f"Insufficient {name}")
            # Bigger than the whole node: evicting pods cannot help (UnschedulableAndUnresolvable).
            unresolvable = unresolvable or amount > allocatable
    if reasons:
        return Rejection("NodeResourcesFit", tuple(reasons), unresolvable)
    return None


def volume_binding(ctx: PodContext, info: NodeInfo) -> Rejection | None:
    if ctx.volumes is None:
        return None
    reason = fits_node(ctx.volumes, info.node, ctx.available_volumes)
    if reason is not None:
        return Rejection(VOLUME_BINDING, (reason,), True)
    return None


def _same_domain(key: str, a: NodeInfo, b: NodeInfo) -> bool:
    value = a.labels.get(key)
    return value is not None and b.labels.get(key) == value


def inter_pod_affinity(ctx: PodContext, info: NodeInfo, nodes: list[NodeInfo]) -> Rejection | None:
    for term in ctx.affinity_terms:
        if term.topology_key not in info.labels:
            return Rejection("InterPodAffinity", (REASON_AFFINITY,), True)
    if ctx.affinity_terms and ctx.affinity_has_match:
        for term in ctx.affinity_terms:
            if not any(
                _same_domain(term.topology_key, info, other)
                and any(term.matches(e.labels, e.namespace) for e in other.pods.values())
                for other in nodes
            ):
                return Rejection("InterPodAffinity", (REASON_AFFINITY,), True)
    elif ctx.affinity_terms:
        # No pod matches anywhere: only a pod matching its own terms may start the group.
        if not all(t.matches(ctx.labels, ctx.namespace) for t in ctx.affinity_terms):
            return Rejection("InterPodAffinity", (REASON_AFFINITY,), True)
    for term in ctx.anti_affinity_terms:
        for other in nodes:
            if _same_domain(term.topology_key, info, other) and any(
                term.matches(e.labels, e.namespace) for e in other.pods.values()
            ):
                return Rejection("InterPodAffinity", (REASON_ANTI_AFFINITY,), False)
    for term, other in ctx.existing_anti:
        if _same_domain(term.topology_key, info, other):
            return Rejection("InterPodAffinity", (REASON_EXISTING_ANTI_AFFINITY,), False)
    return None


SIMPLE_FILTERS = (
    node_unschedulable,
    node_name,
    taint_toleration,
    node_affinity,
    node_ports,
    node_resources_fit,
    volume_binding,
)


def run_filters(ctx: PodContext, info: NodeInfo, nodes: list[NodeInfo]) -> Rejection | None:
    """The first rejection for this node, or None when the pod fits."""
    if ctx.plain and info.plain and not ctx.existing_anti:
        # Fast path with the same outcome: every other filter passes here.
        if len(info.pods) < info.allocatable.get("pods", 0):
            allocatable, requested = info.allocatable, info.requested
            for name, amount in ctx.positive_requests:
                if amount > allocatable.get(name, 0) - requested.get(name, 0):
                    return node_resources_fit(ctx, info)
            return None
        return node_resources_fit(ctx, info)
    for plugin in SIMPLE_FILTERS:
        rejection = plugin(ctx, info)
        if rejection is not None:
            return rejection
    if ctx.affinity_terms or ctx.anti_affinity_terms or ctx.existing_anti:
        return inter_pod_affinity(ctx, info, nodes)
    return None
