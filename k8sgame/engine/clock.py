"""The simulated clock: one heap of due actions, and time that moves only when one is popped.

Nothing ticks when nothing is due, so an hour of cluster time costs only the events in it.
Entries are ordered by ``(time, priority, sequence)``: equal times run in priority order,
then in the order they were scheduled, which keeps every run of the same inputs identical.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable

Action = Callable[[], None]

# Priorities for actions due at the same instant: lower runs first. Controllers react to
# what the store already holds before kubelets advance containers, like informers draining
# their queues before the next timer fires.
PRIORITY_CONTROLLER = 0
PRIORITY_DEFAULT = 5
PRIORITY_TIMER = 10


class Timer:
    """A scheduled action; ``cancel()`` makes it a no-op without touching the heap."""

    __slots__ = ("action", "cancelled", "due")

    def __init__(self, due: float, action: Action) -> None:
        self.due = due
        self.action = action
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True


class SimClock:
    """Discrete-event clock. ``now`` is simulated seconds since the cluster's epoch."""

    def __init__(self) -> None:
        self.now: float = 0.0
        # Plain tuples compare in C: (due, priority, sequence, timer).
        self._heap: list[tuple[float, int, int, Timer]] = []
        self._seq = 0

    def call_at(self, due: float, action: Action, priority: int = PRIORITY_DEFAULT) -> Timer:
        """Run ``action`` at simulated time ``due`` (never earlier than now)."""
        self._seq += 1
        # Microsecond resolution keeps sums like 30.1 + 10 from drifting between runs.
        timer = Timer(max(round(due, 6), self.now), action)
        heapq.heappush(self._heap, (timer.due, priority, self._seq, timer))
        return timer

    def call_later(self, delay: float, action: Action, priority: int = PRIORITY_DEFAULT) -> Timer:
        """Run ``action`` ``delay`` seconds from now."""
        return self.call_at(self.now + delay, action, priority)

    def call_soon(self, action: Action, priority: int = PRIORITY_DEFAULT) -> Timer:
        """Run ``action`` at the current instant, after what is already due now."""
        return self.call_at(self.now, action, priority)

    def next_due(self) -> float | None:
        """Time of the next live action, or None when nothing is scheduled."""
        while self._heap and self._heap[0][3].cancelled:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def step(self) -> bool:
        """Pop and run one live action; False when the queue is empty."""
        while self._heap:
            timer = heapq.heappop(self._heap)[3]
            if timer.cancelled:
                continue
            self.now = timer.due
            timer.action()
            return True
        return False

    def run_until_time(self, target: float) -> None:
        """Run every action due at or before ``target``; ``now`` ends at ``target``."""
        while True:
            due = self.next_due()
            if due is None or due > target:
                break
            self.step()
        self.now = max(self.now, target)

    def run_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Run actions until ``predicate()`` holds or ``timeout`` seconds pass.

        The predicate is checked before starting and after each action, so the clock stops at
        the exact instant the condition first became true. Returns whether it held.
        """
        deadline = self.now + timeout
        if predicate():
            return True
        while True:
            due = self.next_due()
            if due is None or due > deadline:
                self.now = max(self.now, deadline)
                return predicate()
            self.step()
            if predicate():
                return True

    def settle(self) -> None:
        """Run everything due at the current instant (controllers reacting to a write)."""
        self.run_until_time(self.now)

    @property
    def pending(self) -> int:
        return sum(1 for entry in self._heap if not entry[3].cancelled)
