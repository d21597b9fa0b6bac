"""The kinds every simulated cluster serves from the start."""

from __future__ import annotations

from k8sgame.engine.api.config import CONFIG_MAP_KIND, SECRET_KIND
from k8sgame.engine.api.event import EVENT_KIND
from k8sgame.engine.api.namespace import NAMESPACE_KIND
from k8sgame.engine.api.node import NODE_KIND
from k8sgame.engine.api.pod import POD_KIND
from k8sgame.engine.api.registry import KindRegistry


def builtin_registry() -> KindRegistry:
    """A registry holding Namespace, Node, Pod, ConfigMap, Secret and Event."""
    registry = KindRegistry()
    for info in (NAMESPACE_KIND, NODE_KIND, POD_KIND, CONFIG_MAP_KIND, SECRET_KIND, EVENT_KIND):
        registry.register(info)
    return registry
