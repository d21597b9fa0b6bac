"""What the network generators share: the manifests of a web pod and client pods, waiting
until they run, kubectl's view of the cluster, and bilingual text assembled from several
messages.

The clusters stay small (one or two nodes, a handful of pods) and run only until the pods
they need are up: a few simulated seconds, a few milliseconds of work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from k8sgame.content.language import LANGUAGES
from k8sgame.content.text import QUIZ_MESSAGES, Text, say
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.controllers.endpoint_util import is_pod_ready
from k8sgame.kubectl.session import KubectlSession
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import pod_manifest

WEB_IMAGE = "k8sgame/demo-web"
WEB_PORT = 8080  # where the demo app serves HTTP unless its PORT says otherwise
CLIENT_IMAGE = "busybox:1.36"
# Long enough for an image pull and a start; the pods here are up after a few seconds.
START_LIMIT = 60.0
# The demo app opens its port half a second after it starts (STARTUP_SECONDS): a little more.
WARM_UP = 0.6


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


def client_pod(
    name: str, namespace: str, labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """A pod that only sleeps: the place a client program runs."""
    container = {"name": "client", "image": CLIENT_IMAGE, "command": ["sleep", "3600"]}
    return pod_manifest(name, [container], namespace=namespace, labels=labels or {})


def _up(cluster: Cluster, name: str, namespace: str) -> bool:
    """Whether the pod has its address and is Ready."""
    found = cluster.api.peek("Pod", name, namespace) or {}
    return bool((found.get("status") or {}).get("podIP")) and is_pod_ready(found)


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
    return lambda: all(_up(cluster, name, namespace) for name, namespace in wanted)


def kubectl_output(cluster: Cluster, command: str) -> str:
    """``kubectl COMMAND``'s output as the player would see it (the trailing newline cut);
    MeasureError when it fails."""
    result = KubectlSession(cluster).run(command)
    if result.exit_code != 0:
        raise MeasureError(f"kubectl {command} failed: {result.stderr.strip()}")
    return result.stdout.rstrip()


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
