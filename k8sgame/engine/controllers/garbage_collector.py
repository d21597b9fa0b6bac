"""The garbage collector: deletes dependents of deleted owners (``ownerReferences``).

- Background: once the owner is gone, each dependent with no live owner left is deleted.
- Foreground: the owner carries the ``foregroundDeletion`` finalizer; its dependents are
  deleted first and the owner is removed when none remain.
- Orphan: the owner carries the ``orphan`` finalizer; the owner's reference is removed from
  each dependent, then the owner is removed.
Source: ``pkg/controller/garbagecollector`` and the ``ownerReferences`` docs.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.base import OWNER_INDEX, ObjectKey, QueueController, Result
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import DELETED, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, WatchEvent


class GarbageCollector(QueueController[ObjectKey]):
    """Keeps the owner graph consistent after deletions. Needs an informer over every kind
    with an ``owner-uid`` index (the dependents graph)."""

    name = "garbage-collector-controller"

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.type == DELETED:
            # Its dependents may have lost their last owner.
            for key, _ in self.informer.by_index(OWNER_INDEX, md["uid"]):
                self.queue.add(key)
            # A foreground owner waits for this dependent: look at it again.
            for ref in md.get("ownerReferences") or []:
                info = self.api.registry.get(ref.get("kind", ""))
                if info is not None:
                    self.queue.add(
                        (info.kind, namespace if info.namespaced else "", ref.get("name", ""))
                    )
        elif md.get("deletionTimestamp") and (
            FOREGROUND_FINALIZER in (md.get("finalizers") or [])
            or ORPHAN_FINALIZER in (md.get("finalizers") or [])
        ):
            self.queue.add((event.kind, namespace, md["name"]))
        elif md.get("ownerReferences") and (
            event.old is None
            or event.old["metadata"].get("ownerReferences") != md["ownerReferences"]
        ):
            # A dependent whose owners may already be gone (created late, or orphan cleanup).
            # An update that leaves its references as they were changes nothing for the owner
            # graph (the graph builder acts on reference changes); a lost owner arrives as
            # that owner's DELETED event.
            self.queue.add((event.kind, namespace, md["name"]))

    def reconcile(self, key: ObjectKey) -> Result | None:
        obj = self.informer.get(key)
        if obj is None:
            return None
        finalizers = obj["metadata"].get("finalizers") or []
        if obj["metadata"].get("deletionTimestamp") and (
            FOREGROUND_FINALIZER in finalizers or ORPHAN_FINALIZER in finalizers
        ):
            self._process_owner(key, obj)
        else:
            self._check_dependent(key, obj)
        return None

    def _owner_alive(self, ref: dict[str, Any], namespace: str) -> bool:
        info = self.api.registry.get(ref.get("kind", ""))
        if info is None:
            return False
        owner = self.informer.get(
            (info.kind, namespace if info.namespaced else "", ref.get("name", ""))
        )
        return owner is not None and owner["metadata"]["uid"] == ref.get("uid")

    def _check_dependent(self, key: ObjectKey, obj: dict[str, Any]) -> None:
        md = obj["metadata"]
        refs = md.get("ownerReferences") or []
        if refs and md.get("deletionTimestamp") is None:
            if not any(self._owner_alive(ref, md.get("namespace", "")) for ref in refs):
                self._delete(key)

    def _process_owner(self, key: ObjectKey, owner: dict[str, Any]) -> None:
        md = owner["metadata"]
        finalizers = list(md.get("finalizers") or [])
        dependents = self.informer.by_index(OWNER_INDEX, md["uid"])
        if ORPHAN_FINALIZER in finalizers:
            for (dep_kind, dep_namespace, dep_name), _ in dependents:
                updated = self.api.get(dep_kind, dep_name, dep_namespace)
                updated["metadata"]["ownerReferences"] = [
                    r
                    for r in updated["metadata"].get("ownerReferences") or []
                    if r.get("uid") != md["uid"]
                ]
                if not updated["metadata"]["ownerReferences"]:
                    del updated["metadata"]["ownerReferences"]
                self.api.update(updated)
            self._drop_finalizer(key, ORPHAN_FINALIZER)
            return
        if FOREGROUND_FINALIZER in finalizers:
            for dep_key, dep in dependents:
                if not dep["metadata"].get("deletionTimestamp"):
                    self._delete(dep_key, "Foreground")
            # Dependents' DELETED events queue this owner again; it goes once none remain.
            if not dependents:
                self._drop_finalizer(key, FOREGROUND_FINALIZER)

    def _drop_finalizer(self, key: ObjectKey, finalizer: str) -> None:
        kind, namespace, name = key
        current = self.api.get(kind, name, namespace)
        current["metadata"]["finalizers"] = [
            f for f in current["metadata"].get("finalizers") or [] if f != finalizer
        ]
        if not current["metadata"]["finalizers"]:
            del current["metadata"]["finalizers"]
        self.api.update(current)

    def _delete(self, key: ObjectKey, propagation: str = "Background") -> None:
        kind, namespace, name = key
        try:
            self.api.delete(kind, name, namespace, propagation=propagation)
        except ApiError:
            pass
