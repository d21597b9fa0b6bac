"""What generators share: a small cluster to run a variant on, and bilingual text made from
the quiz's message table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.content.language import LANGUAGES
from k8sgame.content.text import QUIZ_MESSAGES, Text, message
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.engine.nodes import node_manifest

NAMESPACE = "default"


def fresh_cluster(
    seed: int, nodes: list[dict[str, Any]] | None = None, network: NetworkSetup | None = None
) -> Cluster:
    """A new simulated cluster (the sandbox's default nodes unless ``nodes`` are given) on
    the ``network`` setup (default: Calico, which enforces NetworkPolicy, and no MetalLB)."""
    return Cluster(load_default_catalog(), seed=seed, nodes=nodes, network=network)


def one_node_cluster(seed: int) -> Cluster:
    """A cluster of one worker, for a question about one pod over a long run: every node's
    kubelet renews its lease every ten seconds, and an hour of three nodes costs three
    times the work for the same answer."""
    return fresh_cluster(seed, [node_manifest("node-1", cpu="4", memory="8Gi")])


def node(name: str, cpu: str, memory: str, **options: Any) -> dict[str, Any]:
    """A ready worker node with that capacity (``labels``, ``taints`` as node_manifest)."""
    return node_manifest(name, cpu=cpu, memory=memory, **options)


def pod_manifest(
    name: str,
    containers: list[dict[str, Any]],
    *,
    namespace: str = NAMESPACE,
    labels: Mapping[str, str] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    """A bare pod in ``namespace`` (labelled only when ``labels`` are given)."""
    metadata: dict[str, Any] = {"name": name, "namespace": namespace}
    if labels is not None:
        metadata["labels"] = dict(labels)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": {"containers": containers, **spec},
    }


def text(key: str, **fields: Any) -> Text:
    """The quiz message ``key`` in both languages, with ``fields`` filled in."""
    rendered = message(key, None, table=QUIZ_MESSAGES, **fields)
    en, ko = (rendered.render(language) for language in LANGUAGES)
    return Text(en, ko)
