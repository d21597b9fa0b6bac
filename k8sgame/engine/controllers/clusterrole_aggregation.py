"""The ClusterRole aggregation controller (``pkg/controller/clusterroleaggregation``, as
``clusterrole-aggregation-controller``): a ClusterRole with an ``aggregationRule`` gets, as
its rules, the rules of every other ClusterRole its selectors pick — the ClusterRoles of each
selector sorted by name, each rule once (semantic equality) — in place of its own.

Any ClusterRole change queues every aggregated ClusterRole (upstream's ``enqueue``: the set
is small and the dependencies are not tracked). A ClusterRole whose rules already are the
aggregate is left alone.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.store import WatchEvent


def _normalised(rule: dict[str, Any]) -> dict[str, Any]:
    # equality.Semantic.DeepEqual: an empty list and a missing one are the same.
    return {k: v for k, v in rule.items() if v not in (None, [], "")}


def _rule_key(rule: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    normalised = _normalised(rule)
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in normalised.items()))


def aggregate_rules(shared: dict[str, Any], everyone: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rules an aggregated ClusterRole gathers from ``everyone`` (the ClusterRoles,
    sorted by name): per selector, each matching role's rules, each rule once. Raises
    SelectorError for a selector that cannot be read."""
    rules: list[dict[str, Any]] = []
    seen: set[tuple[tuple[str, Any], ...]] = set()
    rule_set = shared.get("aggregationRule") or {}
    for raw in rule_set.get("clusterRoleSelectors") or []:
        selector = from_label_selector(raw)
        for role in everyone:
            if role["metadata"]["name"] == shared["metadata"]["name"]:
                continue
            if not selector.matches(role["metadata"].get("labels") or {}):
                continue
            for rule in role.get("rules") or []:
                key = _rule_key(rule)
                if key not in seen:
                    seen.add(key)
                    rules.append(rule)
    return rules


class ClusterRoleAggregationController(QueueController[tuple[str]]):
    name = "clusterrole-aggregation-controller"
    kinds = ("ClusterRole",)

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self._enqueue()

    def on_event(self, event: WatchEvent) -> None:
        self._enqueue()

    def _all(self) -> list[dict[str, Any]]:
        return sorted(self.api.view("ClusterRole"), key=lambda r: str(r["metadata"]["name"]))

    def _enqueue(self) -> None:
        for role in self._all():
            if role.get("aggregationRule") is not None:
                self.queue.add((str(role["metadata"]["name"]),))

    def aggregate(self, shared: dict[str, Any]) -> list[dict[str, Any]]:
        """The rules the ClusterRole's selectors gather (raises SelectorError)."""
        return aggregate_rules(shared, self._all())

    def reconcile(self, key: tuple[str]) -> Result | None:
        (name,) = key
        shared = self.api.peek("ClusterRole", name)
        if shared is None or shared.get("aggregationRule") is None:
            return None
        try:
            rules = self.aggregate(shared)
        except SelectorError:
            return None  # validation keeps bad selectors out; nothing to do
        current = [_normalised(r) for r in shared.get("rules") or []]
        if current == [_normalised(r) for r in rules]:
            return None
        updated = dict(shared)
        updated["rules"] = [dict(r) for r in rules] or None
        try:
            self.api.update(updated)
        except ApiError as error:
            if error.reason != "NotFound":
                raise
        return None
