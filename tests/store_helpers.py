"""Builds a bare API server (no kubelets or scheduler) for API-level tests."""

import random

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import ADMIN
from k8sgame.engine.apiserver.server import ApiServer
from k8sgame.engine.clock import SimClock
from k8sgame.engine.kinds import builtin_registry
from k8sgame.engine.kinds.namespace import SYSTEM_NAMESPACES
from k8sgame.engine.store import Store


class BareApi(Client):
    """An admin client of a fresh API server, with its clock and storage at hand."""

    def __init__(self, seed: int) -> None:
        self.store = Store(builtin_registry(), SimClock(), random.Random(seed))
        super().__init__(ApiServer(self.store), ADMIN)

    @property
    def clock(self) -> SimClock:
        return self.store.clock

    @property
    def revision(self) -> int:
        return self.store.revision

    @property
    def audit(self) -> list[str]:
        return self.store.audit


def bare_store(seed: int = 1) -> BareApi:
    api = BareApi(seed)
    for name in SYSTEM_NAMESPACES:
        api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
    return api


def pod(name: str = "web", image: str = "nginx", **spec_extra) -> dict:
    spec = {"containers": [{"name": "web", "image": image}]}
    spec.update(spec_extra)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}
