"""What each component wrote since a mark: the writes the store saw, each with the identity
that made it (the audit log's ``user``), kept so a player can watch the chain of components
that a command sets off (``trace`` at the game's prompt).

Recording only keeps references to the stored objects (never changed once stored), and at
most ``LIMIT`` writes after a mark; the rest are counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.store import Store, WatchEvent

LIMIT = 400


@dataclass(frozen=True)
class Write:
    """One write: when, by whom, and the object before and after."""

    time: float
    user: str
    type: str  # ADDED, MODIFIED or DELETED
    kind: str
    obj: dict[str, Any]
    old: dict[str, Any] | None


class Tracer:
    """Keeps the writes since the last ``mark``; starts listening on the first mark."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.writes: list[Write] = []
        self.dropped = 0
        self.since = 0.0
        self._listening = False

    def mark(self) -> None:
        """Forget what was kept: from now on, keep what happens."""
        if not self._listening:
            self._store.watch(self._hear)
            self._listening = True
        self.writes.clear()
        self.dropped = 0
        self.since = self._store.clock.now

    def _hear(self, event: WatchEvent) -> None:
        if len(self.writes) >= LIMIT:
            self.dropped += 1
            return
        store = self._store
        self.writes.append(
            Write(store.clock.now, store.actor, event.type, event.kind, event.obj, event.old)
        )
