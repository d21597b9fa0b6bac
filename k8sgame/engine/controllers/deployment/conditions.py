"""A Deployment's conditions (``deployment/util/deployment_util.go``, K8S-FACTS §7.4): their
reasons, messages and how they are replaced."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.timefmt import rfc3339

AVAILABLE = "Available"
PROGRESSING = "Progressing"
REPLICA_FAILURE = "ReplicaFailure"

MINIMUM_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_UNAVAILABLE = "MinimumReplicasUnavailable"
NEW_RS_CREATED = "NewReplicaSetCreated"
FOUND_NEW_RS = "FoundNewReplicaSet"
RS_UPDATED = "ReplicaSetUpdated"
NEW_RS_AVAILABLE = "NewReplicaSetAvailable"
TIMED_OUT = "ProgressDeadlineExceeded"
PAUSED = "DeploymentPaused"
RESUMED = "DeploymentResumed"
FAILED_RS_CREATE = "ReplicaSetCreateError"

Condition = dict[str, Any]


def new_condition(kind: str, status: str, reason: str, message: str, now: float) -> Condition:
    """``NewDeploymentCondition``: both times are now."""
    stamp = rfc3339(now)
    return {
        "type": kind,
        "status": status,
        "lastUpdateTime": stamp,
        "lastTransitionTime": stamp,
        "reason": reason,
        "message": message,
    }


def get_condition(status: dict[str, Any], kind: str) -> Condition | None:
    return next((c for c in status.get("conditions") or [] if c.get("type") == kind), None)


def remove_condition(status: dict[str, Any], kind: str) -> None:
    conditions = [c for c in status.get("conditions") or [] if c.get("type") != kind]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def set_condition(status: dict[str, Any], condition: Condition) -> None:
    """``SetDeploymentCondition``: nothing changes when status and reason are the same; the
    transition time stays when only the reason changes; the condition moves to the end."""
    current = get_condition(status, condition["type"])
    if (
        current is not None
        and current.get("status") == condition["status"]
        and current.get("reason") == condition["reason"]
    ):
        return
    if current is not None and current.get("status") == condition["status"]:
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    remove_condition(status, condition["type"])
    status["conditions"] = [*(status.get("conditions") or []), condition]


def replace_condition(status: dict[str, Any], condition: Condition) -> None:
    """Replace the condition outright but keep its transition time when the status is the
    same (how ``syncRolloutStatus`` refreshes a Progressing condition that is still True)."""
    current = get_condition(status, condition["type"])
    if current is not None and current.get("status") == condition["status"]:
        condition = {**condition, "lastTransitionTime": current.get("lastTransitionTime")}
    remove_condition(status, condition["type"])
    status["conditions"] = [*(status.get("conditions") or []), condition]
