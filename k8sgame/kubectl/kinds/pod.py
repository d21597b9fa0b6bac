"""How kubectl shows a Pod: the columns of ``kubectl get pods`` (``printPod`` in
``pkg/printers/internalversion``, K8S-FACTS §3.5: READY, STATUS, RESTARTS, AGE and the
``-o wide`` extras) and its describer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.describers.pod import describe_pod_in_context
from k8sgame.kubectl.duration import human_duration, since
from k8sgame.kubectl.tables import KindView, TableSpec

NONE = "<none>"


@dataclass(frozen=True)
class PodRow:
    name: str
    ready: str
    status: str
    restarts: str
    age: str
    ip: str
    node: str
    nominated_node: str
    readiness_gates: str


def _terminated_reason(state: dict[str, Any], prefix: str = "") -> str:
    terminated = state["terminated"]
    if terminated.get("reason"):
        return prefix + terminated["reason"]
    if terminated.get("signal"):
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{terminated.get('exitCode', 0)}"


def _finished(status: dict[str, Any]) -> float | None:
    terminated = (status.get("lastState") or {}).get("terminated")
    if terminated and terminated.get("finishedAt"):
        return parse_rfc3339(terminated["finishedAt"])
    return None


def _condition_true(pod: dict[str, Any], kind: str) -> bool:
    return any(
        c.get("type") == kind and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or []
    )


def pod_row(pod: dict[str, Any], now: float) -> PodRow:
    """One row of ``kubectl get pods`` as kubectl computes it."""
    spec, status, md = pod.get("spec") or {}, pod.get("status") or {}, pod["metadata"]
    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    sidecars = [c for c in init_specs.values() if c.get("restartPolicy") == "Always"]
    total = len(spec.get("containers") or []) + len(sidecars)
    reason = status.get("reason") or status.get("phase") or ""
    for condition in status.get("conditions") or []:
        if condition.get("type") == "PodScheduled" and condition.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"
    ready = restarts = sidecar_restarts = 0
    last_restart: float | None = None
    last_sidecar_restart: float | None = None
    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for index, container in enumerate(init_statuses):
        restarts += int(container.get("restartCount") or 0)
        finished = _finished(container)
        if finished is not None and (last_restart is None or finished > last_restart):
            last_restart = finished
        state = container.get("state") or {}
        if (init_specs.get(container.get("name")) or {}).get("restartPolicy") == "Always":
            sidecar_restarts += int(container.get("restartCount") or 0)
            if finished is not None and (
                last_sidecar_restart is None or finished > last_sidecar_restart
            ):
                last_sidecar_restart = finished
            if container.get("started") and container.get("ready"):
                ready += 1
            continue
        if "terminated" in state and state["terminated"].get("exitCode") == 0:
            continue
        if "terminated" in state:
            reason = _terminated_reason(state, "Init:")
        elif (
            "waiting" in state
            and state["waiting"].get("reason")
            and state["waiting"]["reason"] != "PodInitializing"
        ):
            reason = "Init:" + state["waiting"]["reason"]
        else:
            reason = f"Init:{index}/{len(init_specs)}"
        initializing = True
        break
    if not initializing or _condition_true(pod, "Initialized"):
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for container in reversed(status.get("containerStatuses") or []):
            restarts += int(container.get("restartCount") or 0)
            finished = _finished(container)
            if finished is not None and (last_restart is None or finished > last_restart):
                last_restart = finished
            state = container.get("state") or {}
            if "waiting" in state and state["waiting"].get("reason"):
                reason = state["waiting"]["reason"]
            elif "terminated" in state:
                reason = _terminated_reason(state)
            elif container.get("ready") and "running" in state:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(pod, "Ready") else "NotReady"
    if md.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif md.get("deletionTimestamp") and status.get("phase") not in ("Succeeded", "Failed"):
        reason = "Terminating"
    restarts_text = str(restarts)
    if restarts and last_restart is not None:
        restarts_text = f"{restarts} ({human_duration(now - last_restart)} ago)"
    gates = spec.get("readinessGates") or []
    gates_text = NONE
    if gates:
        true = sum(1 for g in gates if _condition_true(pod, g.get("conditionType", "")))
        gates_text = f"{true}/{len(gates)}"
    return PodRow(
        name=md["name"],
        ready=f"{ready}/{total}",
        status=reason,
        restarts=restarts_text,
        age=since(md.get("creationTimestamp"), now),
        ip=status.get("podIP") or NONE,
        node=spec.get("nodeName") or NONE,
        nominated_node=status.get("nominatedNodeName") or NONE,
        readiness_gates=gates_text,
    )


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    r = pod_row(obj, now)
    return [r.name, r.ready, r.status, r.restarts, r.age]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    r = pod_row(obj, now)
    return [r.ip, r.node, r.nominated_node, r.readiness_gates]


VIEW = KindView(
    "Pod",
    TableSpec(
        ("NAME", "READY", "STATUS", "RESTARTS", "AGE"),
        _columns,
        ("IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
        _wide_columns,
    ),
    describe_pod_in_context,
)
