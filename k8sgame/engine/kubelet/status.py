"""Pod status as the kubelet computes it: phase, conditions and container statuses.

Phase follows ``getPhase`` (``pkg/kubelet/kubelet_pods.go``, K8S-FACTS §3.3); conditions
and their reasons follow ``pkg/kubelet/status/generate.go`` and are listed in the order the
kubelet writes them: PodReadyToStartContainers, Initialized, Ready, ContainersReady,
PodScheduled.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from k8sgame.engine.kubelet.runtime import ContainerRuntime, Instance, PodRuntime
from k8sgame.engine.timefmt import rfc3339

# StartError instances never started: the runtime reports the zero time (kubelet.md §7).
ZERO_TIME = "1970-01-01T00:00:00Z"


def terminated_state(instance: Instance) -> dict[str, Any]:
    state: dict[str, Any] = {
        "containerID": instance.container_id,
        "exitCode": instance.exit_code,
        "finishedAt": rfc3339(instance.finished_at or 0.0),
        "reason": instance.reason,
        "startedAt": ZERO_TIME if instance.start_failed else rfc3339(instance.started_at),
    }
    if instance.message:
        state["message"] = instance.message
    return state


def _mounts(spec: dict[str, Any]) -> list[dict[str, Any]]:
    mounts = []
    for mount in spec.get("volumeMounts") or []:
        entry: dict[str, Any] = {"mountPath": mount.get("mountPath"), "name": mount.get("name")}
        if mount.get("readOnly"):
            entry["readOnly"] = True
            entry["recursiveReadOnly"] = "Disabled"
        mounts.append(entry)
    return mounts


def container_status(container: ContainerRuntime, default_waiting: str) -> dict[str, Any]:
    """One entry of ``containerStatuses`` / ``initContainerStatuses``."""
    current = container.current
    status: dict[str, Any] = {"name": container.name}
    last_exited_before: Instance | None = None
    if current is None:
        state = {"waiting": {"reason": container.waiting_reason or default_waiting}}
        if container.waiting_message:
            state["waiting"]["message"] = container.waiting_message
        status.update(image=container.spec.get("image", ""), imageID="")
    elif container.waiting_reason and not current.running:
        state = {"waiting": {"reason": container.waiting_reason}}
        if container.waiting_message:
            state["waiting"]["message"] = container.waiting_message
        last_exited_before = current
        status.update(
            containerID=current.container_id, image=current.image, imageID=current.image_id
        )
    elif current.running:
        state = {"running": {"startedAt": rfc3339(current.started_at)}}
        last_exited_before = container.last_exited()
        status.update(
            containerID=current.container_id, image=current.image, imageID=current.image_id
        )
    else:
        state = {"terminated": terminated_state(current)}
        last_exited_before = container.last_exited(exclude=current)
        status.update(
            containerID=current.container_id, image=current.image, imageID=current.image_id
        )
    status["lastState"] = (
        {"terminated": terminated_state(last_exited_before)} if last_exited_before else {}
    )
    status["ready"] = container.ready
    status["restartCount"] = container.restart_count
    status["started"] = container.started
    status["state"] = state
    resources = container.spec.get("resources") or {}
    if resources.get("limits") or resources.get("requests"):
        status["resources"] = resources
    mounts = _mounts(container.spec)
    if mounts:
        status["volumeMounts"] = mounts
    return status


def _succeeded(instance: Instance | None) -> bool:
    return instance is not None and not instance.running and instance.exit_code == 0


def _init_failed(container: ContainerRuntime) -> bool:
    current = container.current
    if current is None or current.running:
        return False
    return current.exit_code != 0


def pod_phase(rt: PodRuntime, restart_policy: str, terminal: bool) -> str:
    """``getPhase``: Pending, Running, Succeeded or Failed."""
    apps = [rt.containers[n] for n in rt.app_order]
    inits = [rt.containers[n] for n in rt.init_order if not rt.containers[n].sidecar]
    pending_init = False
    for container in inits:
        if _succeeded(container.current):
            continue
        if _init_failed(container) and restart_policy == "Never":
            return "Failed"
        pending_init = True
        break
    running = stopped = succeeded = waiting = 0
    for container in apps:
        current = container.current
        if current is None:
            waiting += 1
        elif current.running:
            running += 1
        else:
            stopped += 1
            if current.exit_code == 0:
                succeeded += 1
    if pending_init and running == 0 and stopped == 0:
        return "Pending"
    if waiting > 0 and not (terminal and running == 0):
        return "Pending"
    if running > 0:
        return "Running"
    if stopped > 0:
        if terminal:
            return "Succeeded" if stopped == succeeded else "Failed"
        if restart_policy == "Always":
            return "Running"
        if stopped == succeeded:
            return "Succeeded"
        if restart_policy == "Never":
            return "Failed"
        return "Running"
    return "Pending"


def _make_condition(
    previous: dict[str, dict[str, Any]],
    kind: str,
    status: str,
    now: float,
    reason: str = "",
    message: str = "",
    generation: int = 0,
) -> dict[str, Any]:
    old = previous.get(kind)
    since = old.get("lastTransitionTime") if old and old.get("status") == status else rfc3339(now)
    condition: dict[str, Any] = {
        "lastProbeTime": None,
        "lastTransitionTime": since,
        "status": status,
        "type": kind,
    }
    if generation:
        condition["observedGeneration"] = generation
    if reason:
        condition["reason"] = reason
    if message:
        condition["message"] = message
    return condition


# kubetypes.PodConditionsByKubelet: the conditions the kubelet writes itself. Others (such as
# the eviction API's DisruptionTarget) are kept from the stored status, ahead of the kubelet's
# own, as the status manager's mergePodStatus does.
KUBELET_CONDITIONS = (
    "PodScheduled",
    "Ready",
    "Initialized",
    "ContainersReady",
    "PodReadyToStartContainers",
)


def pod_conditions(
    rt: PodRuntime, phase: str, previous: list[dict[str, Any]], now: float, generation: int = 0
) -> list[dict[str, Any]]:
    """The kubelet's conditions (generateAPIPodStatus). Each carries the pod's
    ``metadata.generation`` as ``observedGeneration`` (PodObservedGenerationTracking, GA and
    locked on in 1.35: ``CalculatePodConditionObservedGeneration``)."""
    old = {c.get("type", ""): c for c in previous}
    _condition = partial(_make_condition, generation=generation)

    # A finished pod's sandbox is gone (GeneratePodReadyToStartContainersCondition).
    sandbox = rt.sandbox_ready and not rt.terminated and phase not in ("Succeeded", "Failed")
    conditions = [c for c in previous if c.get("type") not in KUBELET_CONDITIONS]
    conditions.append(
        _condition(old, "PodReadyToStartContainers", "True" if sandbox else "False", now)
    )
    inits = [rt.containers[n] for n in rt.init_order]
    apps = [rt.containers[n] for n in rt.app_order]
    any_app_started = any(c.instances for c in apps)
    incomplete = [
        c.name for c in inits if not (c.sidecar and c.started) and not _succeeded(c.current)
    ]
    if phase == "Succeeded":
        conditions.append(_condition(old, "Initialized", "True", now, "PodCompleted"))
    elif incomplete and not any_app_started:
        conditions.append(
            _condition(
                old,
                "Initialized",
                "False",
                now,
                "ContainersNotInitialized",
                f"containers with incomplete status: [{' '.join(incomplete)}]",
            )
        )
    else:
        conditions.append(_condition(old, "Initialized", "True", now))
    unready = [c.name for c in [*(i for i in inits if i.sidecar), *apps] if not c.ready]
    if phase in ("Succeeded", "Failed"):
        reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
        ready = _condition(old, "Ready", "False", now, reason)
        containers_ready = _condition(old, "ContainersReady", "False", now, reason)
    elif unready:
        message = f"containers with unready status: [{' '.join(unready)}]"
        ready = _condition(old, "Ready", "False", now, "ContainersNotReady", message)
        containers_ready = _condition(
            old, "ContainersReady", "False", now, "ContainersNotReady", message
        )
    else:
        ready = _condition(old, "Ready", "True", now)
        containers_ready = _condition(old, "ContainersReady", "True", now)
    conditions.extend([ready, containers_ready])
    conditions.append(_condition(old, "PodScheduled", "True", now))
    return conditions
