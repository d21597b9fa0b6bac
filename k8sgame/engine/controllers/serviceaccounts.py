"""The service account controller (``pkg/controller/serviceaccount``,
``serviceaccounts_controller.go``): every active namespace has a ``default``
ServiceAccount, made again when it is deleted.

It hears namespaces being added or updated and ServiceAccounts being deleted, and syncs the
namespace: a namespace that is gone or not ``Active`` (terminating) is left alone; a
missing account is created, an ``AlreadyExists`` (someone else was faster) or a
terminating-namespace refusal ignored."""

from __future__ import annotations

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import (
    KIND_NAMESPACE_INDEX,
    Informer,
    QueueController,
    Result,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import ADDED, DELETED, MODIFIED, WatchEvent

# ``ServiceAccountsControllerOptions``' default: the accounts every namespace gets.
DEFAULT_SERVICE_ACCOUNTS = ("default",)


class ServiceAccountsController(QueueController[tuple[str]]):
    name = "serviceaccount-controller"
    kinds = ("Namespace", "ServiceAccount")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        # The informer's initial list counts as additions: namespaces made before it started.
        for (_, _, name), _ns in informer.by_index(KIND_NAMESPACE_INDEX, "Namespace/"):
            self.queue.add((name,))

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.kind == "Namespace" and event.type in (ADDED, MODIFIED):
            self.queue.add((md["name"],))
        elif (
            event.kind == "ServiceAccount"
            and event.type == DELETED
            and md["name"] in DEFAULT_SERVICE_ACCOUNTS
        ):
            self.queue.add((str(md.get("namespace") or ""),))

    def reconcile(self, key: tuple[str]) -> Result | None:
        namespace = key[0]
        ns = self.informer.get(("Namespace", "", namespace))
        if ns is None or (ns.get("status") or {}).get("phase") != "Active":
            return None
        for name in DEFAULT_SERVICE_ACCOUNTS:
            if self.informer.get(("ServiceAccount", namespace, name)) is not None:
                continue
            try:
                self.api.create(
                    {
                        "apiVersion": "v1",
                        "kind": "ServiceAccount",
                        "metadata": {"name": name, "namespace": namespace},
                    }
                )
            except ApiError as error:
                # AlreadyExists: made since the cache was read; Forbidden: the namespace
                # began terminating (NamespaceLifecycle refuses new objects in it).
                if error.reason not in ("AlreadyExists", "Forbidden"):
                    raise
        return None
