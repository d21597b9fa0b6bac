"""The RBAC objects of a new cluster in the form the store keeps them, made once.

Every cluster starts with the same 150-odd policy objects (``bootstrap_policy``). Sending
each through decoding, defaulting and validation, then letting the aggregation controller
fill ``admin``, ``edit`` and ``view``, would cost every new cluster tens of milliseconds. So
this is done once, on a scratch store, and a cluster stores copies of the results as they
are (the API server's trusted path). A test shows the outcome is the same object for object.
"""

from __future__ import annotations

from functools import cache
from random import Random
from typing import Any

from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.clusterrole_aggregation import aggregate_rules
from k8sgame.engine.kinds import builtin_registry
from k8sgame.engine.objcopy import clone
from k8sgame.engine.rbac.bootstrap_policy import cluster_policy
from k8sgame.engine.store import Store

# What the store sets on each object; the cluster's own store sets them again.
_STORE_FIELDS = ("uid", "resourceVersion", "creationTimestamp", "generation")


@cache
def _stored_forms(metallb: bool) -> tuple[dict[str, Any], ...]:
    store = Store(builtin_registry(), SimClock(), Random(0))
    created = [store.create(manifest) for manifest in cluster_policy(metallb)]
    by_name = {obj["metadata"]["name"]: obj for obj in created if obj["kind"] == "ClusterRole"}
    # The aggregation controller's work, to its fixed point (``admin`` takes in ``edit``,
    # which takes in ``view``).
    changed = True
    while changed:
        changed = False
        everyone = sorted(by_name.values(), key=lambda r: str(r["metadata"]["name"]))
        for role in everyone:
            if role.get("aggregationRule") is None:
                continue
            rules = [dict(rule) for rule in aggregate_rules(role, everyone)]
            if rules != (role.get("rules") or []):
                role["rules"] = rules
                changed = True
    for obj in created:
        for field in _STORE_FIELDS:
            obj["metadata"].pop(field, None)
    return tuple(created)


def bootstrap_objects(metallb: bool = False) -> list[dict[str, Any]]:
    """Fresh copies of the new cluster's policy objects as stored (see ``cluster_policy``),
    aggregated ClusterRoles already holding their rules."""
    return [clone(obj) for obj in _stored_forms(metallb)]
