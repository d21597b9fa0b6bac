"""Building a level's starting cluster: its nodes, its images over the shipped catalog, the
player's namespace, the broken objects, and the warm-up time that lets the trouble show
(restarts climbing, a pull backing off) before the player arrives."""

from __future__ import annotations

from typing import Any

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.datafile.schema import Problem
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.errors import ApiError
from k8sgame.engine.images.catalog import Catalog, CatalogError
from k8sgame.engine.nodes import node_manifest
from k8sgame.kubectl.session import KubectlSession
from k8sgame.levels.model import Level


class StartError(ValueError):
    """The starting cluster cannot be built; ``problems`` point into the level file."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def node_from_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A Node manifest from a level's short node description."""
    return node_manifest(
        spec["name"],
        cpu=str(spec.get("cpu", "2")),
        memory=str(spec.get("memory", "4Gi")),
        pods=str(spec.get("pods", "110")),
        labels={str(k): str(v) for k, v in (spec.get("labels") or {}).items()},
        taints=[dict(t) for t in spec.get("taints") or []] or None,
        ready=bool(spec.get("ready", True)),
    )


# Merging a level's images re-parses the catalog; every copy of a level's cluster (the
# checker's look-ahead, choices) shares one, as every cluster shares the shipped catalog.
_CATALOGS: dict[int, tuple[Level, Catalog]] = {}


def level_catalog(level: Level) -> Catalog:
    """The shipped catalog with the level's images laid over it. Raises CatalogError."""
    cached = _CATALOGS.get(id(level))
    if cached is not None and cached[0] is level:
        return cached[1]
    catalog = load_default_catalog().merged(level.cluster.images)
    _CATALOGS[id(level)] = (level, catalog)
    return catalog


def start_cluster(level: Level, seed: int) -> Cluster:
    """The level's cluster at the moment the player gets it. Raises StartError."""
    problems: list[Problem] = []
    try:
        catalog = level_catalog(level)
    except CatalogError as error:
        raise StartError([Problem(("cluster", "images"), str(error))]) from None
    nodes = None
    if level.cluster.nodes is not None:
        nodes = [node_from_spec(spec) for spec in level.cluster.nodes]
    try:
        cluster = Cluster(catalog, seed=seed, nodes=nodes)
    except ApiError as error:
        raise StartError([Problem(("cluster", "nodes"), error.message)]) from None
    namespace = level.cluster.namespace
    if cluster.api.peek("Namespace", namespace, "") is None:
        cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
    for index, manifest in enumerate(level.cluster.manifests):
        obj = dict(manifest)
        metadata = dict(obj.get("metadata") or {}) if isinstance(obj.get("metadata"), dict) else {}
        try:
            info = cluster.api.kind_info(str(obj.get("kind", "")))
            if info.namespaced and not metadata.get("namespace"):
                metadata["namespace"] = namespace
                obj["metadata"] = metadata
            cluster.create(obj)
        except ApiError as error:
            problems.append(Problem(("cluster", "manifests", index), error.message))
    if problems:
        raise StartError(problems)
    session = KubectlSession(cluster, namespace=namespace)
    for index, (after, what, argument) in enumerate(level.cluster.steps):
        cluster.run_for(after)
        if what == "kubectl":
            result = session.run(argument)
            failed = result.stderr.strip() or argument if result.exit_code != 0 else ""
        else:
            act = cluster.stop_kubelet if what == "stop_kubelet" else cluster.start_kubelet
            failed = "" if act(argument) else f'node "{argument}" has no kubelet'
        if failed:
            problems.append(Problem(("cluster", "steps", index, what), failed))
            raise StartError(problems)
    cluster.run_for(level.cluster.warmup)
    return cluster


def start_problems(level: Level) -> list[Problem]:
    """What keeps the level from starting (empty when it starts)."""
    try:
        start_cluster(level, 0)
    except StartError as error:
        return error.problems
    return []
