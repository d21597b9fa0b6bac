"""Builds a bare API store (no kubelets or scheduler) for store-level tests."""

import random

from k8sgame.engine.api.builtin import builtin_registry
from k8sgame.engine.api.namespace import SYSTEM_NAMESPACES
from k8sgame.engine.clock import SimClock
from k8sgame.engine.store import Store


def bare_store(seed: int = 1) -> Store:
    store = Store(builtin_registry(), SimClock(), random.Random(seed))
    for name in SYSTEM_NAMESPACES:
        store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return store


def pod(name: str = "web", image: str = "nginx", **spec_extra) -> dict:
    spec = {"containers": [{"name": "web", "image": image}]}
    spec.update(spec_extra)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}
