"""Pod predicates: Ready (for a while), restarts stable, phase, condition, container state,
and placement on a node with given labels. Time windows are read from the status the engine
wrote (a condition's ``lastTransitionTime``, a container's ``startedAt``), so the verdict does
not depend on how often anyone looked."""

from __future__ import annotations

from typing import Any

from k8sgame.content.text import message
from k8sgame.datafile.schema import (
    Bool,
    Duration,
    Enum,
    Field,
    Int,
    MapOf,
    Obj,
    Str,
    duration_seconds,
)
from k8sgame.levels.predicates.diagnosis import last_warning, pod_trouble
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import (
    Outcome,
    Scene,
    held,
    seconds_since,
    select_pods,
)

NAME = Field(
    Str("the pod's name", pattern=r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?", pattern_hint="a DNS name")
)
SELECTOR = Field(Str("a label selector, as kubectl -l takes it (app=web,tier!=db)"))
NAMESPACE = Field(Str("the namespace (default: the level's namespace)"))


def _pod_target(description: str, **fields: Field) -> Obj:
    return Obj(
        {"name": NAME, "selector": SELECTOR, "namespace": NAMESPACE, **fields},
        description,
        exactly_one_of=("name", "selector"),
    )


def _condition(pod: dict[str, Any], kind: str) -> dict[str, Any] | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == kind:
            return condition
    return None


def _window(params: dict[str, Any], key: str = "for") -> float:
    return duration_seconds(params.get(key, 0)) or 0.0


@predicate(
    "pod_ready",
    _pod_target(
        "pods are Ready (the Ready condition is True), optionally for at least a while",
        count=Field(Int("how many must be Ready (default: every selected pod, at least one)", 1)),
        **{"for": Field(Duration("how long the Ready condition must have been True"))},
    ),
)
def pod_ready(scene: Scene, params: dict[str, Any]) -> Outcome:
    pods, label = select_pods(scene, params)
    window = _window(params)
    needed = int(params.get("count") or max(len(pods), 1))
    ready = []
    trouble = None
    for pod in pods:
        condition = _condition(pod, "Ready")
        if condition and condition.get("status") == "True":
            age = seconds_since(condition.get("lastTransitionTime"), scene.now) or 0.0
            if age + 1e-6 >= window:
                ready.append(pod)
                continue
            trouble = trouble or message(
                "reasons.ready_too_short",
                pod=pod["metadata"]["name"],
                seconds=int(age),
                needed=int(window),
            )
        else:
            trouble = trouble or pod_trouble(scene.cluster, pod)
    if not pods:
        return held(False, "reasons.missing", what=label)
    if len(ready) >= needed:
        return held(True, "reasons.ready", what=label, count=len(ready))
    reason = message("reasons.ready_count", what=label, count=len(ready), needed=needed)
    return Outcome(False, reason.with_detail(trouble))


def _container_stable(status: dict[str, Any], now: float, window: float, phase: str) -> bool:
    state = status.get("state") or {}
    if "running" in state:
        age = seconds_since((state["running"] or {}).get("startedAt"), now)
        return age is not None and age + 1e-6 >= window
    if "terminated" in state:
        # A finished pod restarts nothing any more.
        return phase in ("Succeeded", "Failed")
    return False


@predicate(
    "restarts_stable",
    _pod_target(
        "no container of the pods has restarted for a while (and none is waiting to restart)",
        container=Field(Str("only this container")),
        **{"for": Field(Duration("the window with no restart"), required=True)},
    ),
)
def restarts_stable(scene: Scene, params: dict[str, Any]) -> Outcome:
    pods, label = select_pods(scene, params)
    if not pods:
        return held(False, "reasons.missing", what=label)
    window = _window(params)
    for pod in pods:
        phase = (pod.get("status") or {}).get("phase", "Pending")
        statuses = (pod.get("status") or {}).get("containerStatuses") or []
        if params.get("container"):
            statuses = [s for s in statuses if s.get("name") == params["container"]]
        if not statuses:
            return Outcome(False, pod_trouble(scene.cluster, pod))
        for status in statuses:
            if _container_stable(status, scene.now, window, phase):
                continue
            name = pod["metadata"]["name"]
            restarts = int(status.get("restartCount") or 0)
            state = status.get("state") or {}
            if restarts == 0 and "running" in state:
                age = seconds_since(state["running"].get("startedAt"), scene.now) or 0.0
                return held(
                    False,
                    "reasons.running_too_short",
                    pod=name,
                    container=status.get("name", ""),
                    seconds=int(age),
                    needed=int(window),
                )
            if restarts == 0:
                return Outcome(False, pod_trouble(scene.cluster, pod))
            reason = message(
                "reasons.restarts_climbing",
                pod=name,
                container=status.get("name", ""),
                restarts=restarts,
            )
            return Outcome(False, reason.with_detail(last_warning(scene.cluster, pod)))
    return held(True, "reasons.stable", what=label, seconds=int(window))


PHASES = ("Pending", "Running", "Succeeded", "Failed", "Unknown")


@predicate(
    "pod_phase",
    _pod_target(
        "every selected pod is in this phase",
        phase=Field(Enum(PHASES, "the pod phase"), required=True),
    ),
)
def pod_phase(scene: Scene, params: dict[str, Any]) -> Outcome:
    pods, label = select_pods(scene, params)
    if not pods:
        return held(False, "reasons.missing", what=label)
    for pod in pods:
        phase = (pod.get("status") or {}).get("phase", "Pending")
        if phase != params["phase"]:
            reason = message(
                "reasons.phase_is", pod=pod["metadata"]["name"], phase=phase, wanted=params["phase"]
            )
            if params["phase"] in ("Running", "Succeeded"):
                reason = reason.with_detail(pod_trouble(scene.cluster, pod))
            return Outcome(False, reason)
    return held(True, "reasons.phase_ok", what=label, phase=params["phase"])


@predicate(
    "pod_condition",
    _pod_target(
        "every selected pod has this condition with this status",
        type=Field(
            Str("the condition type: PodScheduled, Initialized, ContainersReady, Ready…"),
            required=True,
        ),
        status=Field(Enum(("True", "False", "Unknown"), "the wanted status (default True)")),
        **{"for": Field(Duration("how long it must have had that status"))},
    ),
)
def pod_condition(scene: Scene, params: dict[str, Any]) -> Outcome:
    pods, label = select_pods(scene, params)
    if not pods:
        return held(False, "reasons.missing", what=label)
    wanted = params.get("status", "True")
    window = _window(params)
    for pod in pods:
        condition = _condition(pod, params["type"]) or {}
        status = condition.get("status", "Unknown" if not condition else "")
        age = seconds_since(condition.get("lastTransitionTime"), scene.now) or 0.0
        if status != wanted or age + 1e-6 < window:
            return held(
                False,
                "reasons.condition_is",
                pod=pod["metadata"]["name"],
                type=params["type"],
                status=status or "-",
                wanted=wanted,
                text=condition.get("message") or condition.get("reason") or "-",
            )
    return held(True, "reasons.condition_ok", what=label, type=params["type"], status=wanted)


@predicate(
    "container_state",
    Obj(
        {
            "name": Field(NAME.schema, required=True),
            "namespace": NAMESPACE,
            "container": Field(Str("the container (default: the first one)")),
            "init": Field(Bool("look among the init containers")),
            "state": Field(Enum(("waiting", "running", "terminated"), "the state"), required=True),
            "reason": Field(Str("the state's reason (CrashLoopBackOff, Completed, OOMKilled…)")),
            "exit_code": Field(Int("the exit code (terminated)")),
        },
        "a container of a pod is in a state, optionally with a reason and exit code",
    ),
)
def container_state(scene: Scene, params: dict[str, Any]) -> Outcome:
    pods, label = select_pods(scene, params)
    if not pods:
        return held(False, "reasons.missing", what=label)
    pod = pods[0]
    status = pod.get("status") or {}
    field_name = "initContainerStatuses" if params.get("init") is True else "containerStatuses"
    statuses = status.get(field_name) or []
    if params.get("container"):
        statuses = [s for s in statuses if s.get("name") == params["container"]]
    if not statuses:
        return Outcome(False, pod_trouble(scene.cluster, pod))
    current = statuses[0]
    ((state_name, state),) = (current.get("state") or {"waiting": {}}).items()
    state = state or {}
    wanted = params["state"]
    reason = state.get("reason", "")
    ok = state_name == wanted
    if ok and params.get("reason"):
        ok = reason == params["reason"]
    if ok and "exit_code" in params:
        ok = state.get("exitCode") == params["exit_code"]
    return held(
        ok,
        "reasons.container_state",
        pod=pod["metadata"]["name"],
        container=current.get("name", ""),
        state=state_name,
        reason=reason or "-",
    )


@predicate(
    "scheduled_on",
    _pod_target(
        "every selected pod is bound to a node carrying these labels",
        node_labels=Field(MapOf(Str(min_length=0), "labels the node must have"), required=True),
    ),
)
def scheduled_on(scene: Scene, params: dict[str, Any]) -> Outcome:
    pods, label = select_pods(scene, params)
    if not pods:
        return held(False, "reasons.missing", what=label)
    wanted = {str(k): str(v) for k, v in params["node_labels"].items()}
    want_text = ",".join(f"{k}={v}" for k, v in sorted(wanted.items()))
    for pod in pods:
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name:
            return Outcome(False, pod_trouble(scene.cluster, pod))
        node = scene.cluster.api.peek("Node", node_name, "")
        labels = ((node or {}).get("metadata") or {}).get("labels") or {}
        if any(labels.get(k) != v for k, v in wanted.items()):
            return held(
                False,
                "reasons.wrong_node",
                pod=pod["metadata"]["name"],
                node=node_name,
                labels=want_text,
            )
    return held(True, "reasons.on_node", what=label, labels=want_text)
