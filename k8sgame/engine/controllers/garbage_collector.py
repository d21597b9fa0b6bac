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

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import DELETED, FOREGROUND_FINALIZER, ORPHAN_FINALIZER, WatchEvent


class GarbageCollector:
    """Keeps the owner graph consistent after deletions."""

    def __init__(self, api: Client, clock: SimClock) -> None:
        self.api = api
        self.clock = clock
        self._dirty: set[tuple[str, str, str]] = set()
        self._scheduled = False
        api.watch(self._on_event)

    def _on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.type == DELETED:
            self._queue(("gone", md["uid"], md.get("namespace", "")))
            # A foreground owner waits for this dependent: look at it again.
            for ref in md.get("ownerReferences") or []:
                info = self.api.registry.get(ref.get("kind", ""))
                if info is not None:
                    self._queue(
                        (
                            info.kind,
                            ref.get("name", ""),
                            md.get("namespace", "") if info.namespaced else "",
                        )
                    )
        elif md.get("deletionTimestamp") and (
            FOREGROUND_FINALIZER in (md.get("finalizers") or [])
            or ORPHAN_FINALIZER in (md.get("finalizers") or [])
        ):
            self._queue((event.kind, md["name"], md.get("namespace", "")))
        elif event.type != DELETED and md.get("ownerReferences"):
            # A dependent whose owners may already be gone (created late, or orphan cleanup).
            self._queue(("dependent", event.kind, f"{md.get('namespace', '')}/{md['name']}"))

    def _queue(self, item: tuple[str, str, str]) -> None:
        self._dirty.add(item)
        if not self._scheduled:
            self._scheduled = True
            self.clock.call_soon(self._process, PRIORITY_CONTROLLER)

    def _process(self) -> None:
        self._scheduled = False
        items, self._dirty = sorted(self._dirty), set()
        for item in items:
            if item[0] == "gone":
                self._collect_dependents(item[1])
            elif item[0] == "dependent":
                namespace, name = item[2].split("/", 1)
                obj = self.api.peek(item[1], name, namespace)
                if obj is not None:
                    self._check_dependent(item[1], obj)
            else:
                self._process_owner(item[0], item[1], item[2])

    def _owner_alive(self, ref: dict[str, Any], namespace: str) -> bool:
        info = self.api.registry.get(ref.get("kind", ""))
        if info is None:
            return False
        owner = self.api.peek(info.kind, ref.get("name", ""), namespace if info.namespaced else "")
        return owner is not None and owner["metadata"]["uid"] == ref.get("uid")

    def _check_dependent(self, kind: str, obj: dict[str, Any]) -> None:
        md = obj["metadata"]
        refs = md.get("ownerReferences") or []
        if refs and md.get("deletionTimestamp") is None:
            if not any(self._owner_alive(ref, md.get("namespace", "")) for ref in refs):
                self._delete(kind, md["name"], md.get("namespace", ""))

    def _dependents(self, owner_uid: str) -> list[tuple[str, dict[str, Any]]]:
        found = []
        for info in self.api.registry.all():
            for obj in self.api.view(info.kind):
                if any(
                    r.get("uid") == owner_uid for r in obj["metadata"].get("ownerReferences") or []
                ):
                    found.append((info.kind, obj))
        return found

    def _collect_dependents(self, owner_uid: str) -> None:
        for kind, obj in self._dependents(owner_uid):
            self._check_dependent(kind, obj)

    def _process_owner(self, kind: str, name: str, namespace: str) -> None:
        owner = self.api.peek(kind, name, namespace)
        if owner is None:
            return
        md = owner["metadata"]
        finalizers = list(md.get("finalizers") or [])
        dependents = self._dependents(md["uid"])
        if ORPHAN_FINALIZER in finalizers:
            for dep_kind, dep in dependents:
                updated = self.api.get(
                    dep_kind, dep["metadata"]["name"], dep["metadata"].get("namespace", "")
                )
                updated["metadata"]["ownerReferences"] = [
                    r
                    for r in updated["metadata"].get("ownerReferences") or []
                    if r.get("uid") != md["uid"]
                ]
                if not updated["metadata"]["ownerReferences"]:
                    del updated["metadata"]["ownerReferences"]
                self.api.update(updated)
            self._drop_finalizer(kind, name, namespace, ORPHAN_FINALIZER)
            return
        if FOREGROUND_FINALIZER in finalizers:
            for dep_kind, dep in dependents:
                if not dep["metadata"].get("deletionTimestamp"):
                    self._delete(
                        dep_kind,
                        dep["metadata"]["name"],
                        dep["metadata"].get("namespace", ""),
                        "Foreground",
                    )
            # Dependents' DELETED events queue this owner again; it goes once none remain.
            if not dependents:
                self._drop_finalizer(kind, name, namespace, FOREGROUND_FINALIZER)

    def _drop_finalizer(self, kind: str, name: str, namespace: str, finalizer: str) -> None:
        current = self.api.get(kind, name, namespace)
        current["metadata"]["finalizers"] = [
            f for f in current["metadata"].get("finalizers") or [] if f != finalizer
        ]
        if not current["metadata"]["finalizers"]:
            del current["metadata"]["finalizers"]
        self.api.update(current)

    def _delete(
        self, kind: str, name: str, namespace: str, propagation: str = "Background"
    ) -> None:
        try:
            self.api.delete(kind, name, namespace, propagation=propagation)
        except ApiError:
            pass
