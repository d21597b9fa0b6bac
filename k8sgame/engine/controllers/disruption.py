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
    md = pod["metadata"]
    condition = {
        "type": "DisruptionTarget",
        "status": "True",
        "lastProbeTime": None,
        "lastTransitionTime": rfc3339(now),
        "reason": reason,
        "message": message,
    }
    try:
        # A status patch, as ``PatchPodStatus`` sends (the controllers' roles grant
        # ``patch`` on ``pods/status``): conditions merge by type.
        api.patch(
            "Pod",
            md["name"],
            md.get("namespace", ""),
            {"status": {"conditions": [condition]}},
            status=True,
        )
        api.delete("Pod", md["name"], md.get("namespace", ""), grace_period=grace_period)
    except ApiError as error:
        if error.reason != "NotFound":
            raise
