"""Deleting a pod for a disruption (``PodDisruptionConditions``): the controller first sets
the pod's ``DisruptionTarget`` condition with its reason, then deletes it."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import rfc3339


def delete_disrupted(
    api: Client,
    pod: dict[str, Any],
    reason: str,
    message: str,
    now: float,
    grace_period: int | None = None,
) -> None:
    """Mark ``pod`` ``DisruptionTarget`` (``reason``, ``message``) and delete it; a pod
    already gone is no error."""
    md, status = pod["metadata"], pod.get("status") or {}
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != "DisruptionTarget"]
    conditions.append(
        {
            "type": "DisruptionTarget",
            "status": "True",
            "lastProbeTime": None,
            "lastTransitionTime": rfc3339(now),
            "reason": reason,
            "message": message,
        }
    )
    try:
        updated = dict(pod)
        updated["status"] = {**status, "conditions": conditions}
        api.update_status(updated)
        api.delete("Pod", md["name"], md.get("namespace", ""), grace_period=grace_period)
    except ApiError as error:
        if error.reason != "NotFound":
            raise
