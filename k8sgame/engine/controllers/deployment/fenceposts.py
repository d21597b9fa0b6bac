"""The rolling-update arithmetic of ``pkg/controller/deployment/util/deployment_util.go``
(K8S-FACTS §7.2–7.3), as pure functions of a Deployment and its ReplicaSets.

Every function reads ``spec.replicas`` of ReplicaSets as their size and
``status.availableReplicas`` as what is available, as upstream does.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.intstr import scaled_value
from k8sgame.engine.kinds.deployment import ROLLING_UPDATE
from k8sgame.engine.timefmt import parse_rfc3339

DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS = "deployment.kubernetes.io/max-replicas"

Obj = dict[str, Any]


def replicas(obj: Obj | None) -> int:
    """``spec.replicas`` (0 for no object)."""
    if obj is None:
        return 0
    return int((obj.get("spec") or {}).get("replicas") or 0)


def status_count(obj: Obj | None, field: str) -> int:
    if obj is None:
        return 0
    return int((obj.get("status") or {}).get(field) or 0)


def is_rolling_update(deployment: Obj) -> bool:
    return ((deployment.get("spec") or {}).get("strategy") or {}).get("type") == ROLLING_UPDATE


def resolve_fenceposts(max_surge: Any, max_unavailable: Any, desired: int) -> tuple[int, int]:
    """``ResolveFenceposts``: surge rounds up, unavailability down; both 0 means one may be
    unavailable."""
    surge = scaled_value(max_surge, desired, True)
    unavailable = scaled_value(max_unavailable, desired, False)
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def _rolling(deployment: Obj) -> dict[str, Any]:
    return ((deployment.get("spec") or {}).get("strategy") or {}).get("rollingUpdate") or {}


def max_surge(deployment: Obj) -> int:
    """``MaxSurge``: 0 unless the strategy is RollingUpdate."""
    if not is_rolling_update(deployment):
        return 0
    rolling = _rolling(deployment)
    surge, _ = resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas(deployment)
    )
    return surge


def max_unavailable(deployment: Obj) -> int:
    """``MaxUnavailable``: 0 for Recreate or no replicas, never more than the replicas."""
    desired = replicas(deployment)
    if not is_rolling_update(deployment) or desired == 0:
        return 0
    rolling = _rolling(deployment)
    _, unavailable = resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), desired
    )
    return min(unavailable, desired)


def total_replicas(replica_sets: list[Obj]) -> int:
    """``GetReplicaCountForReplicaSets``: the sum of their sizes."""
    return sum(replicas(rs) for rs in replica_sets)


def total_status(replica_sets: list[Obj], field: str) -> int:
    """The sum of one status count (``replicas``, ``availableReplicas`` …)."""
    return sum(status_count(rs, field) for rs in replica_sets)


def new_rs_new_replicas(deployment: Obj, all_rss: list[Obj], new_rs: Obj | None) -> int:
    """``NewRSNewReplicas``: the size the new ReplicaSet may grow to now."""
    desired = replicas(deployment)
    if not is_rolling_update(deployment):
        return desired
    current_new = replicas(new_rs)
    max_total = desired + max_surge(deployment)
    current_total = total_replicas(all_rss)
    if current_total >= max_total:
        return current_new
    scale_up = min(max_total - current_total, desired - current_new)
    return current_new + scale_up


def is_saturated(deployment: Obj, rs: Obj | None) -> bool:
    """``IsSaturated``: the new ReplicaSet has all the replicas, all available."""
    if rs is None:
        return False
    try:
        desired = int((rs["metadata"].get("annotations") or {}).get(DESIRED_REPLICAS, ""))
    except ValueError:
        return False
    wanted = replicas(deployment)
    return (
        replicas(rs) == wanted
        and desired == wanted
        and status_count(rs, "availableReplicas") == wanted
    )


def _round_half_away(value: float) -> int:
    """``integer.RoundToInt32``: halves round away from zero (``math.Round``)."""
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


def _fraction(rs: Obj, deployment: Obj) -> int:
    """``getReplicaSetFraction``: how much a ReplicaSet grows or shrinks in proportion."""
    desired = replicas(deployment)
    if desired == 0:
        return -replicas(rs)
    new_max = desired + max_surge(deployment)
    try:
        before = int((rs["metadata"].get("annotations") or {})[MAX_REPLICAS])
    except (KeyError, ValueError):
        before = status_count(deployment, "replicas")
    if before == 0:
        return 0
    return _round_half_away(replicas(rs) * new_max / before) - replicas(rs)


def proportion(rs: Obj | None, deployment: Obj, to_add: int, added: int) -> int:
    """``GetProportion``: a ReplicaSet's share of a scale-up (or -down) while rolling."""
    if rs is None or replicas(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _fraction(rs, deployment)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def created_order(rs: Obj) -> tuple[float, str]:
    """``ReplicaSetsByCreationTimestamp``'s key: oldest first, then by name."""
    stamp = rs["metadata"].get("creationTimestamp")
    return (parse_rfc3339(stamp) if stamp else 0.0, rs["metadata"]["name"])


def _oldest_first(replica_sets: list[Obj]) -> list[Obj]:
    return sorted(replica_sets, key=created_order)


def new_replica_set_size(deployment: Obj, all_rss: list[Obj], new_rs: Obj) -> int | None:
    """``reconcileNewReplicaSet``: the size the new ReplicaSet should take now, or None to
    leave it."""
    wanted = replicas(deployment)
    current = replicas(new_rs)
    if current == wanted:
        return None
    if current > wanted:
        return wanted
    size = new_rs_new_replicas(deployment, all_rss, new_rs)
    return size if size != current else None


def old_replica_set_scale_downs(
    deployment: Obj, all_rss: list[Obj], old_rss: list[Obj], new_rs: Obj
) -> list[tuple[Obj, int]]:
    """``reconcileOldReplicaSets``: the (ReplicaSet, new size) steps that shrink the active
    old ReplicaSets within the unavailability budget — first the pods that are not available
    (``cleanupUnhealthyReplicas``), then available ones down to replicas − maxUnavailable
    (``scaleDownOldReplicaSetsForRollingUpdate``), oldest ReplicaSet first."""
    if total_replicas(old_rss) == 0:
        return []
    min_available = replicas(deployment) - max_unavailable(deployment)
    new_unavailable = replicas(new_rs) - status_count(new_rs, "availableReplicas")
    budget = total_replicas(all_rss) - min_available - new_unavailable
    if budget <= 0:
        return []
    steps: list[tuple[Obj, int]] = []
    sizes: dict[str, int] = {}
    cleaned = 0
    for rs in _oldest_first(old_rss):
        if cleaned >= budget:
            break
        size, available = replicas(rs), status_count(rs, "availableReplicas")
        # A status that counts more available pods than the size (not caught up yet) asks
        # for nothing: upstream refuses to "scale down" upwards.
        if size == 0 or size <= available:
            continue
        down = min(budget - cleaned, size - available)
        sizes[rs["metadata"]["name"]] = size - down
        steps.append((rs, size - down))
        cleaned += down
    available_total = total_status([*old_rss, new_rs], "availableReplicas")
    if available_total <= min_available:
        return steps
    allowed = available_total - min_available
    scaled = 0
    for rs in _oldest_first(old_rss):
        if scaled >= allowed:
            break
        size = sizes.get(rs["metadata"]["name"], replicas(rs))
        if size == 0:
            continue
        down = min(size, allowed - scaled)
        steps.append((rs, size - down))
        scaled += down
    return steps
