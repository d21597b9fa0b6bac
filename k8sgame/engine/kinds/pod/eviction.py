"""The ``pods/eviction`` subresource (``pkg/registry/core/pod/storage/eviction.go``): what
``kubectl drain`` calls. An evicted pod first gets the ``DisruptionTarget`` condition
(reason ``EvictionByEvictionAPI``, GA since 1.31), then an ordinary graceful delete.

A pod that is Pending, finished or already being deleted goes without a look at budgets.
Otherwise the PodDisruptionBudget selecting it decides: none, it goes; more than one, the
request fails (500); a pod that is not Ready goes when the budget's policy is AlwaysAllow or
the budget is healthy enough; else the budget must allow a disruption — it is spent
(``disruptionsAllowed`` one less, the pod in ``disruptedPods``) or the eviction is refused
with 429 TooManyRequests, which ``kubectl drain`` retries."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.timefmt import rfc3339

DISRUPTION_TARGET = "DisruptionTarget"
EVICTION_REASON = "EvictionByEvictionAPI"
EVICTION_MESSAGE = "Eviction API: evicting"
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
MULTIPLE_BUDGETS = (
    "This pod has more than one PodDisruptionBudget, which the eviction subresource does not "
    "support."
)


def _ready(pod: dict[str, Any]) -> bool:
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def _budgets(store: Any, pod: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    labels = pod["metadata"].get("labels") or {}
    for pdb in store.list("PodDisruptionBudget", pod["metadata"].get("namespace", "")):
        try:
            selector = from_label_selector((pdb.get("spec") or {}).get("selector"))
        except SelectorError:
            continue
        if selector.matches(labels):
            found.append(pdb)
    return found


def _refused(cause: str) -> ApiError:
    """429 TooManyRequests; the budget's cause (``DisruptionBudget``) rides along as a
    detail that kubectl does not print."""
    return ApiError("TooManyRequests", VIOLATION, 429, detail=cause)


def check_budget(store: Any, pod: dict[str, Any], now: float) -> None:
    """``checkAndDecrement`` and the unready-pod rules; raises ApiError to refuse."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Pending", "Succeeded", "Failed") or pod["metadata"].get(
        "deletionTimestamp"
    ):
        return
    budgets = _budgets(store, pod)
    if not budgets:
        return
    if len(budgets) > 1:
        raise ApiError("InternalError", MULTIPLE_BUDGETS, 500)
    pdb = budgets[0]
    name = pdb["metadata"]["name"]
    pdb_status = pdb.get("status") or {}
    current = int(pdb_status.get("currentHealthy") or 0)
    desired = int(pdb_status.get("desiredHealthy") or 0)
    if not _ready(pod):
        policy = (pdb.get("spec") or {}).get("unhealthyPodEvictionPolicy")
        if policy == "AlwaysAllow" or (current >= desired and desired > 0):
            return
    if int(pdb_status.get("observedGeneration") or 0) < int(pdb["metadata"].get("generation") or 0):
        raise _refused(f"The disruption budget {name} is still being processed by the server.")
    allowed = int(pdb_status.get("disruptionsAllowed") or 0)
    if allowed <= 0:
        raise _refused(
            f"The disruption budget {name} needs {desired} healthy pods and has {current} currently"
        )
    pdb_status = dict(pdb_status)
    pdb_status["disruptionsAllowed"] = allowed - 1
    pdb_status["disruptedPods"] = {
        **(pdb_status.get("disruptedPods") or {}),
        pod["metadata"]["name"]: rfc3339(now),
    }
    if allowed - 1 == 0:
        pdb_status["conditions"] = [
            {
                **c,
                "status": "False",
                "reason": "InsufficientPods",
                "lastTransitionTime": rfc3339(now),
            }
            if c.get("type") == "DisruptionAllowed" and c.get("status") != "False"
            else c
            for c in pdb_status.get("conditions") or []
        ]
    pdb["status"] = pdb_status
    store.update_status(pdb)


def evict_pod(
    store: Any, name: str, namespace: str, now: float, grace_period: int | None = None
) -> dict[str, Any]:
    """Check the pod's budget, mark the pod as a disruption target and delete it; returns
    the deleted/terminating pod. Raises the store's NotFound for a missing pod and 429/500
    when a budget refuses."""
    pod = store.get("Pod", name, namespace)
    check_budget(store, pod, now)
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
