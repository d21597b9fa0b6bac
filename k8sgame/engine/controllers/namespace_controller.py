"""The namespace controller (``pkg/controller/namespace``): empties a namespace that is
being deleted, then finalizes it so the API server removes it."""

from __future__ import annotations

from k8sgame.engine.controllers.base import QueueController, Result
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import DELETED, WatchEvent

RECHECK_SECONDS = 1.0
NAMESPACE_INDEX = "namespace"


class NamespaceController(QueueController[tuple[str]]):
    """Needs an informer over every kind with a ``namespace`` index."""

    name = "namespace-controller"
    kinds = ("Namespace",)

    def on_event(self, event: WatchEvent) -> None:
        if (
            event.kind == "Namespace"
            and event.type != DELETED
            and event.obj["metadata"].get("deletionTimestamp")
        ):
            self.queue.add((event.obj["metadata"]["name"],))

    def _contents(self, namespace: str) -> list[tuple[str, dict]]:
        return [(key[0], obj) for key, obj in self.informer.by_index(NAMESPACE_INDEX, namespace)]

    def reconcile(self, key: tuple[str]) -> Result | None:
        namespace = key[0]
        if self.informer.get(("Namespace", "", namespace)) is None:
            return None
        contents = self._contents(namespace)
        for kind, obj in contents:
            if not obj["metadata"].get("deletionTimestamp"):
                try:
                    self.api.delete(kind, obj["metadata"]["name"], namespace)
                except ApiError:
                    pass
        if not self._contents(namespace):
            self.api.finalize("Namespace", namespace)
            return None
        return Result(requeue_after=RECHECK_SECONDS) if contents else None
