"""Score plugins of the default profile with their default weights (K8S-FACTS §9.1).

Each plugin scores every feasible node, normalizes to 0..100 (``MaxNodeScore``) and is
multiplied by its weight. Plugins that give every node the same score cannot change the
choice, so they are skipped when nothing in the pod or the nodes can make them differ.
ImageLocality (weight 1) is not modelled: upstream it matches the pod's image string,
normalized only by adding ``:latest``, against the fully qualified names nodes report
(``docker.io/library/nginx:latest``), so short names like ``nginx`` never score anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from k8sgame.engine.scheduler.cache import NodeInfo
from k8sgame.engine.scheduler.filters import PodContext
from k8sgame.engine.scheduler.node_affinity import preferred_score
from k8sgame.engine.scheduler.pod_affinity import has_pod_affinity, preferred_terms, required_terms
from k8sgame.engine.scheduler.taints import tolerates

MAX_NODE_SCORE = 100
WEIGHTS = {
    "TaintToleration": 3,
    "NodeAffinity": 2,
    "PodTopologySpread": 2,
    "InterPodAffinity": 2,
    "NodeResourcesFit": 1,
    "NodeResourcesBalancedAllocation": 1,
    "ImageLocality": 1,
}


def default_normalize(scores: list[int], reverse: bool) -> list[int]:
    """``helper.DefaultNormalizeScore``: scale to 0..100 by the maximum, optionally reversed."""
    highest = max(scores, default=0)
    if highest == 0:
        return [MAX_NODE_SCORE if reverse else 0 for _ in scores]
    result = []
    for score in scores:
        scaled = MAX_NODE_SCORE * score // highest
        result.append(MAX_NODE_SCORE - scaled if reverse else scaled)
    return result


def taint_toleration(ctx: PodContext, nodes: list[NodeInfo]) -> list[int] | None:
    if not any(n.prefer_no_schedule for n in nodes):
        return None
    tolerations = [
        t for t in ctx.tolerations if (t.get("effect") or "PreferNoSchedule") == "PreferNoSchedule"
    ]
    raw = [
        sum(
            1
            for taint in node.taints
            if taint.get("effect") == "PreferNoSchedule"
            and not any(tolerates(t, taint) for t in tolerations)
        )
        for node in nodes
    ]
    return default_normalize(raw, reverse=True)


def node_affinity(ctx: PodContext, nodes: list[NodeInfo]) -> list[int] | None:
    preferred = ((ctx.spec.get("affinity") or {}).get("nodeAffinity") or {}).get(
        "preferredDuringSchedulingIgnoredDuringExecution"
    )
    if not preferred:
        return None
    return default_normalize([preferred_score(ctx.spec, n.node) for n in nodes], reverse=False)


def node_resources_fit(ctx: PodContext, nodes: list[NodeInfo]) -> list[int]:
    """LeastAllocated over cpu and memory (weights 1 and 1), with non-zero requests:
    ``(allocatable - requested) * 100 // allocatable`` per resource (0 when over), averaged."""
    pod_cpu, pod_mem = ctx.non_zero.get("cpu", 0), ctx.non_zero.get("memory", 0)
    scores = []
    for node in nodes:
        allocatable, requested = node.allocatable, node.non_zero_requested
        total = weights = 0
        for capacity, used in (
            (allocatable.get("cpu", 0), requested.get("cpu", 0) + pod_cpu),
            (allocatable.get("memory", 0), requested.get("memory", 0) + pod_mem),
        ):
            if capacity:
                weights += 1
                if used <= capacity:
                    total += (capacity - used) * MAX_NODE_SCORE // capacity
        scores.append(total // weights if weights else 0)
    return scores


def balanced_allocation(ctx: PodContext, nodes: list[NodeInfo]) -> list[int] | None:
    """``(1 - std(cpu fraction, memory fraction)) * 100`` with plain requests, the incoming pod
    included, fractions capped at 1; skipped for pods that request nothing (upstream #129138)."""
    pod_cpu, pod_mem = ctx.requests.get("cpu", 0), ctx.requests.get("memory", 0)
    if not pod_cpu and not pod_mem:
        return None
    scores = []
    for node in nodes:
        allocatable, requested = node.allocatable, node.requested
        fractions = []
        for capacity, used in (
            (allocatable.get("cpu", 0), requested.get("cpu", 0) + pod_cpu),
            (allocatable.get("memory", 0), requested.get("memory", 0) + pod_mem),
        ):
            if capacity:
                fractions.append(min(used / capacity, 1.0))
        std = abs(fractions[0] - fractions[1]) / 2 if len(fractions) == 2 else 0.0
        scores.append(int((1 - std) * MAX_NODE_SCORE))
    return scores


HARD_POD_AFFINITY_WEIGHT = 1


def inter_pod_affinity(ctx: PodContext, nodes: list[NodeInfo]) -> list[int] | None:
    """Preferred pod (anti-)affinity (``interpodaffinity/scoring.go``).

    Every bound pod on every node adds to its topology domain: the incoming pod's preferred
    affinity (+weight) and anti-affinity (-weight) terms it matches, and its own required
    affinity (+1, ``hardPodAffinityWeight``) and preferred (anti-)affinity terms that match
    the incoming pod. A node scores the sum over the domains it is in; min-max normalized.
    """
    affinity = (
        preferred_terms(ctx.spec, ctx.namespace, "podAffinity")
        if has_pod_affinity(ctx.spec)
        else []
    )
    anti = (
        preferred_terms(ctx.spec, ctx.namespace, "podAntiAffinity")
        if has_pod_affinity(ctx.spec)
        else []
    )
    if affinity or anti:
        sources = [(entry, info) for info in ctx.all_nodes for entry in info.pods.values()]
    else:
        sources = list(ctx.with_affinity)
    if not sources:
        return None
    domains: dict[tuple[str, str], int] = {}

    def add(key: str, info: NodeInfo, amount: int) -> None:
        value = info.labels.get(key)
        if value is not None and amount:
            domains[(key, value)] = domains.get((key, value), 0) + amount

    for entry, info in sources:
        if not info.labels:
            continue
        for term in affinity:
            if term.matches(entry.labels, entry.namespace):
                add(term.topology_key, info, term.weight)
        for term in anti:
            if term.matches(entry.labels, entry.namespace):
                add(term.topology_key, info, -term.weight)
        if has_pod_affinity(entry.spec):
            for term in required_terms(entry.spec, entry.namespace, "podAffinity"):
                if term.matches(ctx.labels, ctx.namespace):
                    add(term.topology_key, info, HARD_POD_AFFINITY_WEIGHT)
            for term in preferred_terms(entry.spec, entry.namespace, "podAffinity"):
                if term.matches(ctx.labels, ctx.namespace):
                    add(term.topology_key, info, term.weight)
            for term in preferred_terms(entry.spec, entry.namespace, "podAntiAffinity"):
                if term.matches(ctx.labels, ctx.namespace):
                    add(term.topology_key, info, -term.weight)
    if not domains:
        return None
    raw = [
        sum(score for (key, value), score in domains.items() if node.labels.get(key) == value)
        for node in nodes
    ]
    low, high = min(raw), max(raw)
    if high == low:
        return [0 for _ in raw]
    # Float arithmetic then truncation, as upstream's NormalizeScore does.
    return [int(float(MAX_NODE_SCORE) * ((s - low) / (high - low))) for s in raw]


ScorePlugin = Callable[[PodContext, list[NodeInfo]], list[int] | None]
SCORE_PLUGINS: tuple[tuple[str, ScorePlugin], ...] = (
    ("TaintToleration", taint_toleration),
    ("NodeAffinity", node_affinity),
    ("InterPodAffinity", inter_pod_affinity),
    ("NodeResourcesFit", node_resources_fit),
    ("NodeResourcesBalancedAllocation", balanced_allocation),
)


RESOURCE_PLUGINS = frozenset({"NodeResourcesFit", "NodeResourcesBalancedAllocation"})


def total_scores(
    ctx: PodContext, nodes: list[NodeInfo], skip: frozenset[str] = frozenset()
) -> list[int]:
    """Weighted sum of every plugin's normalized score, per node (``skip``: plugins left out)."""
    totals = [0] * len(nodes)
    for name, plugin in SCORE_PLUGINS:
        if name in skip:
            continue
        scores = plugin(ctx, nodes)
        if scores is None:
            continue
        weight = WEIGHTS[name]
        for index, score in enumerate(scores):
            totals[index] += score * weight
    return totals
