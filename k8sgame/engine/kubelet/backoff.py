"""client-go's ``flowcontrol.Backoff`` as the kubelet uses it (K8S-FACTS §1).

Per key: a current delay and the time of the last ``next``. ``next`` resets the delay to the
initial value when there is no entry or the entry has expired, else doubles it up to the
maximum; no jitter. Container restarts expire an entry when the crashed instance ran more
than 600 s after its restart; image pulls use client-go's default, 2 × max.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

INITIAL_CRASH_LOOP_BACKOFF = 10.0
MAX_CRASH_LOOP_BACKOFF = 300.0
CRASH_LOOP_RESET_SECONDS = 600.0
IMAGE_BACKOFF_INITIAL = 10.0
IMAGE_BACKOFF_MAX = 300.0
# Simulated instants are sums of floats; a wake-up scheduled at ``event + delay`` must not be
# judged a hair early.
EPSILON = 1e-6


@dataclass
class _Entry:
    delay: float
    last_update: float


class Backoff:
    """Exponential back-off per key, on simulated time."""

    def __init__(
        self, initial: float, maximum: float, expired: Callable[[float, float], bool] | None = None
    ) -> None:
        self.initial = initial
        self.maximum = maximum
        self._expired = expired or (
            lambda event_time, last_update: event_time - last_update > 2 * maximum
        )
        self._entries: dict[str, _Entry] = {}

    def delay(self, key: str) -> float | None:
        entry = self._entries.get(key)
        return entry.delay if entry else None

    def next(self, key: str, event_time: float, now: float) -> float:
        """Record a failure: reset or double the delay; ``last_update`` becomes ``now``."""
        entry = self._entries.get(key)
        if entry is None or self._expired(event_time, entry.last_update):
            entry = _Entry(self.initial, now)
        else:
            entry = _Entry(min(entry.delay * 2, self.maximum), now)
        self._entries[key] = entry
        return entry.delay

    def in_backoff_since(self, key: str, event_time: float, now: float) -> bool:
        """``IsInBackOffSince``: still waiting ``delay`` seconds after ``event_time``."""
        entry = self._entries.get(key)
        if entry is None or self._expired(event_time, entry.last_update):
            return False
        return now - event_time < entry.delay - EPSILON

    def in_backoff_since_update(self, key: str, now: float) -> bool:
        """``IsInBackOffSinceUpdate``: still waiting ``delay`` seconds after the last failure."""
        entry = self._entries.get(key)
        if entry is None or self._expired(now, entry.last_update):
            return False
        return now - entry.last_update < entry.delay - EPSILON

    def forget(self, prefix: str) -> None:
        for key in [k for k in self._entries if k.startswith(prefix)]:
            del self._entries[key]


def crash_loop_backoff() -> Backoff:
    """The kubelet's container restart back-off: 10 s doubling to 300 s, reset after 10 min."""
    return Backoff(
        INITIAL_CRASH_LOOP_BACKOFF,
        MAX_CRASH_LOOP_BACKOFF,
        lambda event_time, last_update: event_time - last_update > CRASH_LOOP_RESET_SECONDS,
    )


def image_pull_backoff() -> Backoff:
    """Image pull back-off: 10 s doubling to 300 s, entries expire after 600 s."""
    return Backoff(IMAGE_BACKOFF_INITIAL, IMAGE_BACKOFF_MAX)
