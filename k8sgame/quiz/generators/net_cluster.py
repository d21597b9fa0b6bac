"""What the network generators share: the manifests of a small cluster with a web pod and
client pods, waiting until they run, and bilingual text assembled from several messages.

The clusters stay small (one or two nodes, a handful of pods) and run only until the pods
they need are up: a few simulated seconds, a few milliseconds of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.content.language import LANGUAGES
from k8sgame.content.text import QUIZ_MESSAGES, Text, say
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.engine.nodes import node_manifest
from k8sgame.measure import MeasureError

WEB_IMAGE = "k8sgame/demo-web"
WEB_PORT = 8080  # where the demo app serves HTTP unless its PORT says otherwise
CLIENT_IMAGE = "busybox:1.36"
# Long enough for an image pull and a start; the pods here are up after a few seconds.
START_LIMIT = 60.0
# The demo app opens its port half a second after it starts (STARTUP_SECONDS): a little more.
WARM_UP = 0.6


def small_cluster(
    seed: int, nodes: Iterable[str] = ("node-1",), network: NetworkSetup | None = None
) -> Cluster:
    """A cluster of a few workers (no control-plane node: nothing here needs one) on the
    ``network`` setup (default: Calico, which enforces NetworkPolicy, and no MetalLB)."""
    manifests = [node_manifest(name, cpu="4", memory="8Gi") for name in nodes]
    return Cluster(load_default_catalog(), seed=seed, nodes=manifests, network=network)


def namespace_manifest(name: str, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": dict(labels or {})},
    }


def web_container() -> dict[str, Any]:
    """The demo web app, with its port declared under the name ``http``."""
    return {
        "name": "web",
        "image": WEB_IMAGE,
        "ports": [{"name": "http", "containerPort": WEB_PORT}],
    }


def pod(
    name: str, namespace: str, container: dict[str, Any], labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A bare pod of one container."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": dict(labels or {})},
        "spec": {"containers": [container]},
    }


def client_pod(
    name: str, namespace: str, labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A pod that only sleeps: the place a client program runs."""
    container = {"name": "client", "image": CLIENT_IMAGE, "command": ["sleep", "3600"]}
    return pod(name, namespace, container, labels)


def is_ready(cluster: Cluster, name: str, namespace: str) -> bool:
    """Whether the pod has its address and its Ready condition."""
    found = cluster.api.peek("Pod", name, namespace) or {}
    status = found.get("status") or {}
    conditions = status.get("conditions") or []
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
    return bool(status.get("podIP")) and ready


def run_until_up(
    cluster: Cluster, done: Callable[[], bool], what: str, warm_up: float = WARM_UP
) -> None:
    """Run the cluster until ``done()`` holds, then ``warm_up`` seconds more for the servers
    to open their ports; MeasureError when it never does."""
    if not cluster.run_until(done, START_LIMIT):
        raise MeasureError(f"{what} never came up")
    if warm_up:
        cluster.run_for(warm_up)


def pods_ready(cluster: Cluster, pods: Iterable[tuple[str, str]]) -> Callable[[], bool]:
    """A check that every (name, namespace) pod is ready."""
    wanted = tuple(pods)
    return lambda: all(is_ready(cluster, name, namespace) for name, namespace in wanted)


def compose(key: str, parts: Mapping[str, Text] | None = None, **fields: Any) -> Text:
    """The quiz message ``key`` in each language, with ``parts`` (texts of their own) put in
    that language and ``fields`` (engine values, the same in both) as they are."""
    rendered = []
    for language in LANGUAGES:
        own = {name: part.get(language) for name, part in (parts or {}).items()}
        rendered.append(say(key, language, table=QUIZ_MESSAGES, **fields, **own))
    en, ko = rendered
    return Text(en, ko)


def bullets(lines: Iterable[Text]) -> Text:
    """Lines as a list, one ``- `` item a line, in each language."""
    items = list(lines)
    return Text(
        "\n".join(f"- {line.en}" for line in items), "\n".join(f"- {line.ko}" for line in items)
    )


EMPTY = Text("", "")
