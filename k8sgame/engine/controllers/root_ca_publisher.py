"""The root CA publisher (``pkg/controller/certificates/rootcacertpublisher``): every
namespace gets a ``kube-root-ca.crt`` ConfigMap, which pods' projected token volumes mount."""

from __future__ import annotations

from k8sgame.engine.controllers.base import QueueController, Result
from k8sgame.engine.store import ADDED, WatchEvent

ROOT_CA_CONFIG_MAP = "kube-root-ca.crt"
# A placeholder certificate: the simulated cluster has no TLS, but the object is real.
_ROOT_CA = "-----BEGIN CERTIFICATE-----\nk8sgame simulated cluster CA\n-----END CERTIFICATE-----\n"


class RootCAPublisher(QueueController[tuple[str]]):
    name = "root-ca-certificate-publisher-controller"
    kinds = ("Namespace",)
    replays_existing = True

    def on_event(self, event: WatchEvent) -> None:
        if event.kind == "Namespace" and event.type == ADDED:
            self.queue.add((event.obj["metadata"]["name"],))

    def reconcile(self, key: tuple[str]) -> Result | None:
        namespace = key[0]
        ns = self.informer.get(("Namespace", "", namespace))
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return None
        if self.informer.get(("ConfigMap", namespace, ROOT_CA_CONFIG_MAP)) is None:
            self.api.create(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": {"name": ROOT_CA_CONFIG_MAP, "namespace": namespace},
                    "data": {"ca.crt": _ROOT_CA},
                }
            )
        return None
