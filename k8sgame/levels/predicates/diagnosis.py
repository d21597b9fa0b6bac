"""Why a pod is not what a goal wants, in the engine's own words: its status (waiting reasons
and messages, the last termination, the scheduler's message) and its newest warning event
(the probe failure, the back-off). This is the "reason" shown under an unmet goal line."""

from __future__ import annotations

from typing import Any

from k8sgame.content.text import Message, message
from k8sgame.engine.timefmt import parse_rfc3339

# A BackOff warning only says the container keeps failing; the event before it says why.
_UNINFORMATIVE = ("BackOff",)


def pod_events(cluster: Any, pod: dict[str, Any], since: float | None = None) -> list[dict]:
    """Events about this pod (this very object: matched by UID), oldest first."""
    md = pod["metadata"]
    uid = md.get("uid")
    found = []
    for event in cluster.api.view("Event", md.get("namespace") or "default"):
        involved = event.get("involvedObject") or {}
        if involved.get("kind") != "Pod" or involved.get("uid") != uid:
            continue
        last = _event_time(event)
        if since is not None and last < since:
            continue
        found.append(event)
    found.sort(key=_event_time)
    return found


def _event_time(event: dict[str, Any]) -> float:
    stamp = event.get("lastTimestamp") or event.get("firstTimestamp")
    try:
        return parse_rfc3339(stamp) if stamp else 0.0
    except ValueError:
        return 0.0


def last_warning(cluster: Any, pod: dict[str, Any]) -> Message | None:
    """The newest informative Warning event about the pod, as a message."""
    warnings = [e for e in pod_events(cluster, pod) if e.get("type") == "Warning"]
    if not warnings:
        return None
    informative = [e for e in warnings if e.get("reason") not in _UNINFORMATIVE]
    event = (informative or warnings)[-1]
    return message(
        "reasons.last_warning", reason=event.get("reason", ""), text=event.get("message", "")
    )


def _statuses(pod: dict[str, Any]) -> list[dict[str, Any]]:
    status = pod.get("status") or {}
    return list(status.get("initContainerStatuses") or []) + list(
        status.get("containerStatuses") or []
    )


def _termination(status: dict[str, Any]) -> str:
    last = (status.get("lastState") or {}).get("terminated") or {}
    if not last:
        return ""
    return f"{last.get('reason', 'Error')}, exit code {last.get('exitCode', '?')}"


def pod_trouble(cluster: Any, pod: dict[str, Any]) -> Message:
    """Why ``pod`` is not Ready (or not running cleanly), the most telling thing first."""
    name = pod["metadata"]["name"]
    status = pod.get("status") or {}
    detail = last_warning(cluster, pod)
    if pod["metadata"].get("deletionTimestamp"):
        return message("reasons.terminating", pod=name)
    conditions = {c.get("type"): c for c in status.get("conditions") or []}
    scheduled = conditions.get("PodScheduled")
    if not (pod.get("spec") or {}).get("nodeName"):
        if scheduled and scheduled.get("status") == "False":
            return message("reasons.unschedulable", pod=name, text=scheduled.get("message", ""))
        return message("reasons.not_scheduled_yet", pod=name)
    phase = status.get("phase", "Pending")
    for container in _statuses(pod):
        state = container.get("state") or {}
        cname = container.get("name", "")
        restarts = int(container.get("restartCount") or 0)
        if "waiting" in state:
            waiting = state["waiting"] or {}
            reason = waiting.get("reason", "")
            if reason == "CrashLoopBackOff":
                return message(
                    "reasons.crash_loop",
                    detail,
                    pod=name,
                    container=cname,
                    restarts=restarts,
                    last=_termination(container) or "?",
                )
            if reason in ("", "ContainerCreating", "PodInitializing"):
                return message("reasons.starting", pod=name, container=cname)
            return message(
                "reasons.waiting",
                None if waiting.get("message") else detail,
                pod=name,
                container=cname,
                reason=reason,
                text=waiting.get("message", "") or "-",
            )
        if "terminated" in state and phase not in ("Succeeded",):
            done = state["terminated"] or {}
            if done.get("exitCode", 0) != 0 or phase == "Failed":
                return message(
                    "reasons.terminated",
                    detail,
                    pod=name,
                    container=cname,
                    reason=done.get("reason", "Error"),
                    code=done.get("exitCode", "?"),
                )
        if "running" in state and not container.get("ready", False):
            if container.get("started") is False:
                return message("reasons.not_started", detail, pod=name, container=cname)
            return message("reasons.not_ready", detail, pod=name, container=cname)
    if phase == "Succeeded":
        return message("reasons.completed", pod=name)
    if phase == "Failed":
        return message("reasons.failed", detail, pod=name, text=status.get("reason", "") or "-")
    return message("reasons.phase", detail, pod=name, phase=phase)
