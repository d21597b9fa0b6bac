"""The ``pods/eviction`` subresource (``pkg/registry/core/pod/storage/eviction.go``): what
``kubectl drain`` calls. An evicted pod first gets the ``DisruptionTarget`` condition
(reason ``EvictionByEvictionAPI``, GA since 1.31), then an ordinary graceful delete.

PodDisruptionBudgets are not served yet, so no eviction is refused with 429.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.timefmt import rfc3339

DISRUPTION_TARGET = "DisruptionTarget"
EVICTION_REASON = "EvictionByEvictionAPI"
EVICTION_MESSAGE = "Eviction API: evicting"


def evict_pod(
    store: Any, name: str, namespace: str, now: float, grace_period: int | None = None
) -> dict[str, Any]:
    """Mark the pod as a disruption target and delete it; returns the deleted/terminating pod.

    Raises the store's NotFound for a missing pod."""
    pod = store.get("Pod", name, namespace)
    if not (pod["metadata"].get("deletionTimestamp")):
        status = pod.setdefault("status", {})
        conditions = [
            c for c in status.get("conditions") or [] if c.get("type") != DISRUPTION_TARGET
        ]
        conditions.append(
            {
                "type": DISRUPTION_TARGET,
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": rfc3339(now),
                "reason": EVICTION_REASON,
                "message": EVICTION_MESSAGE,
            }
        )
        status["conditions"] = conditions
        store.update_status(pod)
    return store.delete("Pod", name, namespace, grace_period=grace_period)
