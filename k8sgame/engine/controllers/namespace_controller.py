"""The namespace controller: creates ``kube-root-ca.crt`` in every namespace, and empties a
deleted namespace before removing it (``pkg/controller/namespace``, root-ca-cert-publisher)."""

from __future__ import annotations

from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import ADDED, DELETED, Store, WatchEvent

ROOT_CA_CONFIG_MAP = "kube-root-ca.crt"
# A placeholder certificate: the simulated cluster has no TLS, but the object is real.
_ROOT_CA = "-----BEGIN CERTIFICATE-----\nk8sgame simulated cluster CA\n-----END CERTIFICATE-----\n"
RECHECK_SECONDS = 1.0


class NamespaceController:
    def __init__(self, store: Store, clock: SimClock) -> None:
        self.store = store
        self.clock = clock
        store.watch(self._on_event, ("Namespace",))

    def _on_event(self, event: WatchEvent) -> None:
        name = event.obj["metadata"]["name"]
        if event.type == ADDED:
            self.clock.call_soon(lambda: self._publish_root_ca(name), PRIORITY_CONTROLLER)
        elif event.type != DELETED and event.obj["metadata"].get("deletionTimestamp"):
            self.clock.call_soon(lambda: self._drain(name), PRIORITY_CONTROLLER)

    def _publish_root_ca(self, namespace: str) -> None:
        ns = self.store.peek("Namespace", namespace)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        if self.store.peek("ConfigMap", ROOT_CA_CONFIG_MAP, namespace) is None:
            self.store.create(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": ROOT_CA_CONFIG_MAP, "namespace": namespace},
                    "data": {"ca.crt": _ROOT_CA},
                }
            )

    def _drain(self, namespace: str) -> None:
        ns = self.store.peek("Namespace", namespace)
        if ns is None:
            return
        remaining = 0
        for info in self.store.registry.all():
            if not info.namespaced:
                continue
            for obj in list(self.store.iter(info.kind, namespace)):
                remaining += 1
                if not obj["metadata"].get("deletionTimestamp"):
                    try:
                        self.store.delete(info.kind, obj["metadata"]["name"], namespace)
                    except ApiError:
                        pass
        still = sum(
            1
            for info in self.store.registry.all()
            if info.namespaced
            for _ in self.store.iter(info.kind, namespace)
        )
        if still == 0:
            self.store.finalize("Namespace", namespace)
        elif remaining:
            self.clock.call_later(
                RECHECK_SECONDS, lambda: self._drain(namespace), PRIORITY_CONTROLLER
            )
