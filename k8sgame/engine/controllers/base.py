"""The controller runtime: informers with indexes, a keyed work queue, and the manager.

A controller is written the way client-go controllers are: an ``Informer`` keeps the
objects of a kind (the stored objects themselves, read-only) and indexes them, its event
handlers put keys on a ``WorkQueue``, and the queue calls ``reconcile(key)`` for each key
once, in sorted order, on the simulated clock. A reconcile may ask to run again later
(``requeue_after``) or fail, which retries with exponential back-off
(client-go ``workqueue.DefaultControllerRateLimiter``'s per-item part: 5 ms doubling to
1000 s). ``controllers/manager.py`` starts them, as kube-controller-manager does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock, Timer
from k8sgame.engine.errors import ApiError
from k8sgame.engine.store import ADDED, DELETED, WatchEvent

ObjectKey = tuple[str, str, str]  # (kind, namespace, name)
Indexer = Callable[[dict[str, Any]], Iterable[str]]
EventHandler = Callable[[WatchEvent], None]

BACKOFF_BASE_SECONDS = 0.005
BACKOFF_MAX_SECONDS = 1000.0


def namespace_index(obj: dict[str, Any]) -> Iterable[str]:
    return (str(obj["metadata"].get("namespace") or ""),)


def kind_namespace_index(obj: dict[str, Any]) -> Iterable[str]:
    """``Kind/namespace``: one kind's objects of a namespace, without the namespace's others."""
    return (f"{obj.get('kind', '')}/{obj['metadata'].get('namespace') or ''}",)


def owner_uid_index(obj: dict[str, Any]) -> Iterable[str]:
    refs = obj["metadata"].get("ownerReferences")
    return tuple(str(ref.get("uid", "")) for ref in refs) if refs else ()


def orphan_index(obj: dict[str, Any]) -> Iterable[str]:
    """``Kind/namespace`` for an object no controller owns: what a controller may adopt."""
    refs = obj["metadata"].get("ownerReferences")
    if refs and any(ref.get("controller") for ref in refs):
        return ()
    return (f"{obj.get('kind', '')}/{obj['metadata'].get('namespace') or ''}",)


def node_name_index(obj: dict[str, Any]) -> Iterable[str]:
    node = (obj.get("spec") or {}).get("nodeName")
    return (str(node),) if node else ()


def label_index(obj: dict[str, Any]) -> Iterable[str]:
    return tuple(f"{k}={v}" for k, v in sorted((obj["metadata"].get("labels") or {}).items()))


def object_key(kind: str, obj: dict[str, Any]) -> ObjectKey:
    md = obj["metadata"]
    return (kind, str(md.get("namespace") or ""), str(md["name"]))


class Informer:
    """A watch of one kind (or of every kind, ``kinds=None``) with a cache and indexes."""

    def __init__(
        self,
        api: Client,
        kinds: tuple[str, ...] | None,
        indexers: dict[str, Indexer] | None = None,
    ) -> None:
        self.api = api
        self.indexers = dict(indexers or {})
        # Handlers in the order they were added, each with the kinds it hears (None: all).
        self.handlers: list[tuple[EventHandler, tuple[str, ...] | None]] = []
        self._handlers_by_kind: dict[str, list[EventHandler]] = {}
        self.stopped = False
        self._objects: dict[ObjectKey, dict[str, Any]] = {}
        # One value index per indexer, in the indexers' order; each object's values the same
        # way (tuples compare fast on every event).
        self._by_name: dict[str, dict[str, set[ObjectKey]]] = {name: {} for name in self.indexers}
        self._indexes = tuple(self._by_name.values())
        self._index_fns = tuple(self.indexers.values())
        self._indexed: dict[ObjectKey, tuple[tuple[str, ...], ...]] = {}
        listed = kinds if kinds is not None else tuple(i.kind for i in api.registry.stored())
        for kind in listed:
            for obj in api.view(kind):
                self._store(object_key(kind, obj), obj)
        api.watch(self._on_event, kinds)

    def add_handler(self, handler: EventHandler, kinds: tuple[str, ...] | None = None) -> None:
        """Call ``handler`` after each change the cache took in (only of ``kinds``, if given)."""
        self.handlers.append((handler, kinds))
        self._handlers_by_kind.clear()

    def _handlers_for(self, kind: str) -> list[EventHandler]:
        # Most events (Events, pod statuses) concern few of the handlers: chosen once per kind.
        found = self._handlers_by_kind.get(kind)
        if found is None:
            found = [h for h, kinds in self.handlers if kinds is None or kind in kinds]
            self._handlers_by_kind[kind] = found
        return found

    def stop(self) -> None:
        """Stop hearing changes (the watch stays registered but is ignored)."""
        self.stopped = True

    def _on_event(self, event: WatchEvent) -> None:
        if self.stopped:
            return
        key = object_key(event.kind, event.obj)
        if event.type == DELETED:
            self._forget(key)
        else:
            self._store(key, event.obj)
        for handler in self._handlers_for(event.kind):
            handler(event)

    def _store(self, key: ObjectKey, obj: dict[str, Any]) -> None:
        values = tuple([tuple(fn(obj)) for fn in self._index_fns])
        if self._indexed.get(key) == values:
            # Most changes (status, counts) leave the indexed values as they were.
            self._objects[key] = obj
            return
        self._forget(key)
        self._objects[key] = obj
        self._indexed[key] = values
        for index, keys in zip(self._indexes, values, strict=True):
            for value in keys:
                index.setdefault(value, set()).add(key)

    def _forget(self, key: ObjectKey) -> None:
        self._objects.pop(key, None)
        for index, keys in zip(self._indexes, self._indexed.pop(key, ()), strict=False):
            for value in keys:
                members = index.get(value)
                if members is not None:
                    members.discard(key)
                    if not members:
                        del index[value]

    def get(self, key: ObjectKey) -> dict[str, Any] | None:
        """The cached object (read-only), or None."""
        return self._objects.get(key)

    def cached(self, kinds: tuple[str, ...] | None) -> list[tuple[str, dict[str, Any]]]:
        """``(kind, object)`` for every cached object of ``kinds`` (None: all), by key."""
        return [
            (key[0], self._objects[key])
            for key in sorted(self._objects)
            if kinds is None or key[0] in kinds
        ]

    def index_values(self, index: str) -> list[str]:
        """The values ``index`` holds now, sorted."""
        return sorted(self._by_name[index])

    def by_index(self, index: str, value: str) -> list[tuple[ObjectKey, dict[str, Any]]]:
        """The cached objects whose ``index`` holds ``value``, sorted by key."""
        keys = sorted(self._by_name[index].get(value, ()))
        return [(key, self._objects[key]) for key in keys]


# The shared informer's indexes by owner and of orphans (controllers/manager.py adds them).
OWNER_INDEX = "owner-uid"
ORPHAN_INDEX = "orphan"
# One kind's objects in a namespace ("Pod/default"; "Node/" for the cluster's nodes).
KIND_NAMESPACE_INDEX = "kind-namespace"
NODE_NAME_INDEX = "node-name"


def claim_candidates(informer: Informer, owner: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    """The objects of ``kind`` a controller may claim (``ClaimObjects``'s input): those its
    ``owner`` controls, then the orphans of its namespace, each list sorted by key. Through
    two indexes, so a claim costs what the owner has, not what the namespace holds."""
    md = owner["metadata"]
    uid = md.get("uid")
    owned = [
        obj
        for key, obj in informer.by_index(OWNER_INDEX, str(uid))
        if key[0] == kind
        and any(
            ref.get("controller") and ref.get("uid") == uid
            for ref in obj["metadata"].get("ownerReferences") or []
        )
    ]
    orphans = [
        obj for _, obj in informer.by_index(ORPHAN_INDEX, f"{kind}/{md.get('namespace') or ''}")
    ]
    return owned + orphans


K = TypeVar("K", bound=tuple[str, ...])


@dataclass(frozen=True)
class Result:
    """What a reconcile asks for: nothing, to run again after ``requeue_after`` seconds, or
    (``rate_limited``) to run again after the key's growing back-off, as a sync that
    returned an error is (``AddRateLimited``)."""

    requeue_after: float | None = None
    rate_limited: bool = False


class WorkQueue(Generic[K]):
    """Keys waiting to be reconciled: each key once, processed in sorted order."""

    def __init__(
        self,
        clock: SimClock,
        reconcile: Callable[[K], Result | None],
        priority: int = PRIORITY_CONTROLLER,
    ) -> None:
        self.clock = clock
        self.reconcile = reconcile
        self.priority = priority
        self.stopped = False
        self._pending: set[K] = set()
        self._scheduled = False
        self._later: dict[K, tuple[float, Timer]] = {}
        self._failures: dict[K, int] = {}

    def __len__(self) -> int:
        return len(self._pending)

    def add(self, key: K) -> None:
        """Queue ``key`` (once, however often it is added before it runs)."""
        if self.stopped:
            return
        self._pending.add(key)
        if not self._scheduled:
            self._scheduled = True
            self.clock.call_soon(self._drain, self.priority)

    def add_after(self, key: K, delay: float) -> None:
        """Queue ``key`` after ``delay`` seconds (the earliest of several such asks wins)."""
        due = self.clock.now + delay
        waiting = self._later.get(key)
        if waiting is not None:
            if waiting[0] <= due:
                return
            waiting[1].cancel()
        timer = self.clock.call_at(due, lambda: self._wake(key), self.priority)
        self._later[key] = (due, timer)

    def add_rate_limited(self, key: K) -> None:
        """Queue ``key`` again after its back-off, which doubles with each failure."""
        failures = self._failures.get(key, 0)
        self._failures[key] = failures + 1
        self.add_after(key, min(BACKOFF_BASE_SECONDS * 2**failures, BACKOFF_MAX_SECONDS))

    def forget(self, key: K) -> None:
        """Reset ``key``'s back-off (after a reconcile that worked)."""
        self._failures.pop(key, None)

    def stop(self) -> None:
        self.stopped = True
        for _, timer in self._later.values():
            timer.cancel()
        self._later.clear()
        self._pending.clear()

    def _wake(self, key: K) -> None:
        self._later.pop(key, None)
        self.add(key)

    def _drain(self) -> None:
        self._scheduled = False
        keys, self._pending = sorted(self._pending), set()
        for key in keys:
            if self.stopped:
                return
            try:
                result = self.reconcile(key)
            except ApiError:
                # A write lost a race (Conflict) or the object changed under it: retry later.
                self.add_rate_limited(key)
                continue
            if result is not None and result.rate_limited:
                self.add_rate_limited(key)
                continue
            self.forget(key)
            if result is not None and result.requeue_after is not None:
                self.add_after(key, result.requeue_after)


def write_status(api: Client, stored: dict[str, Any], status: dict[str, Any]) -> None:
    """PUT ``/status`` with ``status`` unless the stored one already equals it; a lost race
    is left for the next sync."""
    if (stored.get("status") or {}) == status:
        return
    updated = dict(stored)
    updated["status"] = status
    try:
        api.update_status(updated)
    except ApiError:
        pass


class QueueController(Generic[K]):
    """A controller: its informer's events become keys on its queue, each key reconciled.

    Subclasses set ``name``, may set ``kinds`` (the kinds whose events it hears; None: all),
    and define ``on_event`` (which keys an event touches) and ``reconcile`` (bring one key to
    its desired state)."""

    name = ""
    kinds: tuple[str, ...] | None = None
    replays_existing = False

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        self.api = api
        self.informer = informer
        self.queue: WorkQueue[K] = WorkQueue(clock, self.reconcile)
        informer.add_handler(self.on_event, self.kinds)
        # A handler added to a synced informer hears what it already holds as additions
        # (client-go replays the initial list). Only the controllers whose work starts
        # from objects made before the controller manager (the API server's namespaces)
        # ask for it: replaying the whole bootstrap policy to every loop costs time and
        # changes nothing.
        if self.replays_existing:
            for kind, obj in informer.cached(self.kinds):
                self.on_event(WatchEvent(ADDED, kind, obj))

    def stop(self) -> None:
        self.queue.stop()

    def on_event(self, event: WatchEvent) -> None:
        raise NotImplementedError

    def reconcile(self, key: K) -> Result | None:
        raise NotImplementedError
