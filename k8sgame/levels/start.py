"""Building a level's starting cluster: its nodes, its images over the shipped catalog, the
player's namespace, the broken objects, and the warm-up time that lets the trouble show
(restarts climbing, a pull backing off) before the player arrives."""

from __future__ import annotations

import copy
import ipaddress
from collections.abc import Mapping
from functools import cache
from typing import Any

import yaml

from k8sgame.assets import assets_dir
from k8sgame.catalog_loader import load_default_catalog
from k8sgame.datafile.schema import Problem
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.errors import ApiError
from k8sgame.engine.images.catalog import Catalog, CatalogError
from k8sgame.engine.nodes import node_manifest
from k8sgame.engine.rbac.bootstrap_policy import addon_policy
from k8sgame.kubectl.errors import KubectlError
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


@cache
def _addon(name: str) -> list[dict[str, Any]]:
    loaded = yaml.safe_load((assets_dir() / "addons" / name).read_text(encoding="utf-8"))
    return list(loaded)


def ingress_controller_manifests(load_balancer: bool) -> list[dict[str, Any]]:
    """ingress-nginx as ``assets/addons/ingress-nginx.yaml`` holds it; its Service is a
    NodePort (http on 30080, https on 30443) when the cluster has no load balancer."""
    manifests = copy.deepcopy(_addon("ingress-nginx.yaml"))
    # Its RBAC objects come right after its namespace, as in the deploy manifest.
    manifests[1:1] = addon_policy("ingress-nginx")
    for manifest in manifests:
        if manifest["kind"] == "Service" and not load_balancer:
            spec = manifest["spec"]
            spec["type"] = "NodePort"
            spec.pop("externalTrafficPolicy", None)
            for port, node_port in zip(spec["ports"], (30080, 30443), strict=True):
                port["nodePort"] = node_port
    return list(manifests)


def read_working_files(files: Mapping[str, str], path: str) -> list[tuple[str, str]]:
    """``-f PATH`` in a level: its working directory's files (a name, or a directory
    prefix); kubectl's error for a path that is not there."""
    clean = path[2:] if path.startswith("./") else path
    if clean in files:
        return [(path, files[clean])]
    prefix = clean.rstrip("/") + "/"
    inside = sorted(
        name
        for name in files
        if name.startswith(prefix) and name.endswith((".yaml", ".yml", ".json"))
    )
    if inside:
        return [(f"{path.rstrip('/')}/{name[len(prefix) :]}", files[name]) for name in inside]
    raise KubectlError(f'the path "{path}" does not exist')


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
    network = level.cluster.network
    for name, address in sorted((network.outside_hosts if network is not None else {}).items()):
        try:
            ipaddress.IPv4Address(address)
        except ValueError:
            problem = Problem(
                ("cluster", "network", "outsideHosts", name), f"{address!r} is not an IPv4 address"
            )
            raise StartError([problem]) from None
    for pool in network.pools if network is not None else ():
        try:
            pool.ranges()
        except ValueError as error:
            problem = Problem(("cluster", "network", "loadBalancerPool"), str(error))
            raise StartError([problem]) from None
    try:
        cluster = Cluster(catalog, seed=seed, nodes=nodes, network=network)
    except ApiError as error:
        raise StartError([Problem(("cluster", "nodes"), error.message)]) from None
    if level.cluster.ingress_controller:
        for manifest in ingress_controller_manifests(bool(network and network.pools)):
            cluster.create(manifest)
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
    # The cluster's past was made from the same working directory the player gets.
    session = KubectlSession(
        cluster, namespace=namespace, files=lambda path: read_working_files(level.files, path)
    )
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
