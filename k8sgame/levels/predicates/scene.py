"""What a predicate looks at (``Scene``: the cluster, the player's namespace, when the player
started and last changed something) and what it answers (``Outcome``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.content.text import Message, message
from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import SelectorError, parse
from k8sgame.engine.timefmt import parse_rfc3339


@dataclass(frozen=True)
class Scene:
    """The cluster as a goal sees it.

    ``start`` is when the player got the cluster; ``fix`` is when the player last changed it
    (``start`` until then), for predicates such as "no BackOff event since the fix"."""

    cluster: Any
    namespace: str
    start: float
    fix: float

    @property
    def now(self) -> float:
        return float(self.cluster.now)

    def namespace_of(self, params: dict[str, Any]) -> str:
        return str(params.get("namespace") or self.namespace)


@dataclass(frozen=True)
class Outcome:
    """Whether a predicate holds, and why (in the engine's terms) either way."""

    ok: bool
    reason: Message


def held(ok: bool, key: str, **fields: Any) -> Outcome:
    return Outcome(ok, message(key, **fields))


def seconds_since(timestamp: str | None, now: float) -> float | None:
    """How long ago an RFC 3339 timestamp written by the engine was."""
    if not timestamp:
        return None
    try:
        return now - parse_rfc3339(timestamp)
    except ValueError:
        return None


def select_pods(scene: Scene, params: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The pods a predicate names (``name``) or selects (``selector``), and how to call them."""
    return select(scene, "Pod", params)


def select(scene: Scene, kind: str, params: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """Objects of ``kind`` by ``name`` or label ``selector`` (in the given or the player's
    namespace), and a label for messages ("pod web", "pods app=web")."""
    store = scene.cluster.api
    try:
        namespaced = store.kind_info(kind).namespaced
    except ApiError:
        return [], f"{kind.lower()} {params.get('name', '')}"
    namespace = scene.namespace_of(params) if namespaced else ""
    noun = kind.lower()
    if "name" in params:
        obj = store.peek(kind, str(params["name"]), namespace)
        return ([obj] if obj is not None else []), f"{noun} {params['name']}"
    try:
        selector = parse(str(params.get("selector", "")))
    except SelectorError:
        return [], f"{noun}s {params.get('selector')}"
    return store.view(kind, namespace if namespaced else None, selector), (
        f"{noun}s {params.get('selector')}"
    )
