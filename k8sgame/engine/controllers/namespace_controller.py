"""The namespace controller: creates ``kube-root-ca.crt`` in every namespace, and empties a
deleted namespace before removing it (``pkg/controller/namespace``, root-ca-cert-publisher)."""

from __future__ import annotations

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import ADDED, DELETED, WatchEvent

ROOT_CA_CONFIG_MAP = "kube-root-ca.crt"
# A placeholder certificate: the simulated cluster has no TLS, but the object is real.
_ROOT_CA = "-----BEGIN CERTIFICATE-----\nk8sgame simulated cluster CA\n-----END CERTIFICATE-----\n"
RECHECK_SECONDS = 1.0


class NamespaceController:
    def __init__(self, api: Client, clock: SimClock) -> None:
        self.api = api
        self.clock = clock
        api.watch(self._on_event, ("Namespace",))

    def _on_event(self, event: WatchEvent) -> None:
        name = event.obj["metadata"]["name"]
        if event.type == ADDED:
            self.clock.call_soon(lambda: self._publish_root_ca(name), PRIORITY_CONTROLLER)
        elif event.type != DELETED and event.obj["metadata"].get("deletionTimestamp"):
            self.clock.call_soon(lambda: self._drain(name), PRIORITY_CONTROLLER)

    def _publish_root_ca(self, namespace: str) -> None:
        ns = self.api.peek("Namespace", namespace)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        if self.api.peek("ConfigMap", ROOT_CA_CONFIG_MAP, namespace) is None:
            self.api.create(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": ROOT_CA_CONFIG_MAP, "namespace": namespace},
                    "data": {"ca.crt": _ROOT_CA},
                }
            )

    def _drain(self, namespace: str) -> None:
        ns = self.api.peek("Namespace", namespace)
        if ns is None:
            return
        remaining = 0
        for info in self.api.registry.all():
            if not info.namespaced:
                continue
            for obj in list(self.api.view(info.kind, namespace)):
                remaining += 1
                if not obj["metadata"].get("deletionTimestamp"):
                    try:
                        self.api.delete(info.kind, obj["metadata"]["name"], namespace)
                    except ApiError:
                        pass
        still = sum(
            1
            for info in self.api.registry.all()
            if info.namespaced
            for _ in self.api.view(info.kind, namespace)
        )
        if still == 0:
            self.api.finalize("Namespace", namespace)
        elif remaining:
            self.clock.call_later(
                RECHECK_SECONDS, lambda: self._drain(namespace), PRIORITY_CONTROLLER
            )
