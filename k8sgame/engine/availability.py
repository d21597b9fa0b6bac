"""How many replicas of each Deployment were available, over time: what a "no downtime" goal
is judged on. It records ``status.availableReplicas`` (kubectl's AVAILABLE column) each time
the Deployment controller changes it, so the lowest value over any window can be asked for
afterwards, however rarely anyone looked."""

from __future__ import annotations

from k8sgame.engine.store import DELETED, Store, WatchEvent

Key = tuple[str, str]  # (namespace, name)


class AvailabilityLog:
    """Each Deployment's available replicas as (time, count) steps."""

    def __init__(self, store: Store) -> None:
        self.clock = store.clock
        self._steps: dict[Key, list[tuple[float, int]]] = {}
        store.watch(self._on_event, ("Deployment",))

    def _on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        key = (str(md.get("namespace") or ""), str(md["name"]))
        count = (
            0
            if event.type == DELETED
            else int((event.obj.get("status") or {}).get("availableReplicas") or 0)
        )
        steps = self._steps.setdefault(key, [])
        if steps and steps[-1][1] == count:
            return
        if steps and steps[-1][0] == self.clock.now:
            steps[-1] = (self.clock.now, count)
        else:
            steps.append((self.clock.now, count))

    def lowest(self, namespace: str, name: str, since: float) -> int | None:
        """The fewest available replicas from ``since`` until now (None: never seen)."""
        steps = self._steps.get((namespace, name))
        if not steps:
            return None
        before = [count for time, count in steps if time <= since]
        during = [count for time, count in steps if time > since]
        values = ([before[-1]] if before else []) + during
        return min(values) if values else None
