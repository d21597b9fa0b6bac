"""``kubectl logs``: one pod (``POD``, ``pod/POD``, ``POD CONTAINER``) or the pods of a
selector (``-l``), a container or ``--all-containers``, ``-p``, ``--tail``, ``--timestamps``,
``--prefix`` (``pkg/cmd/logs/logs.go``, ``polymorphichelpers/logsforobject.go``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import EPOCH, parse_rfc3339
from k8sgame.kubectl.commands.attachable import pods_for_object
from k8sgame.kubectl.commands.containers import default_container
from k8sgame.kubectl.commands.get import resolve_kind, selector_flag
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "logs",
    (
        Flag("container", short="c"),
        Flag("previous", "bool", "p", False),
        # None until given: with -l an unset --tail means the last 10 lines (selectorTail).
        Flag("tail", "int", default=None),
        Flag("timestamps", "bool", default=False),
        Flag("all-containers", "bool", default=False),
        Flag("selector", short="l", default=""),
        Flag("prefix", "bool", default=False),
        Flag("max-log-requests", "int", default=5),
    ),
    args=Args.POD,
)
SELECTOR_TAIL = 10
USAGE = (
    "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\n"
    "POD or TYPE/NAME is a required argument for the logs command"
)
HINT = "See 'kubectl logs -h' for help and examples"


def rfc3339_nano(seconds: float) -> str:
    """Go's RFC3339Nano: trailing zeros of the fraction trimmed."""
    instant = EPOCH + timedelta(microseconds=round(seconds * 1_000_000))
    fraction = f"{instant.microsecond:06d}000".rstrip("0")
    return instant.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def _pods(
    session: KubectlSession, inv: Invocation, namespace: str, result: Result
) -> list[dict[str, Any]]:
    """logs.go Complete: a pod by name, or the pods of the selector (sorted by name: kubectl's
    own order comes from a Go map)."""
    if inv.flag("selector"):
        return session.api.list("Pod", namespace, selector_flag(inv))
    target = inv.args[0]
    if "/" in target:
        kind, _, target = target.partition("/")
        if kind not in ("pod", "pods", "po"):
            return [_first_pod_of(session, kind, target, namespace, result)]
    try:
        return [session.api.get("Pod", target, namespace)]
    except ApiError as error:
        if error.reason != "NotFound":
            raise
        # logs.go wraps the builder's NotFound in an error of its own.
        raise KubectlError(
            f'error from server (NotFound): {error.message} in namespace "{namespace}"'
        ) from None


# How long kubectl waits for a pod to appear (``--pod-running-timeout``, 20 s by default).
POD_RUNNING_TIMEOUT = 20.0


def _by_logging(pod: dict[str, Any]) -> tuple[Any, ...]:
    """``podutils.ByLogging``: scheduled, then Running before Unknown before Pending, ready,
    ready for longer, more restarts, older."""
    status = pod.get("status") or {}
    ready_since = next(
        (
            parse_rfc3339(c["lastTransitionTime"])
            for c in status.get("conditions") or []
            if c.get("type") == "Ready"
            and c.get("status") == "True"
            and c.get("lastTransitionTime")
        ),
        None,
    )
    restarts = max(
        (int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or []), default=0
    )
    created = pod["metadata"].get("creationTimestamp")
    return (
        not (pod.get("spec") or {}).get("nodeName"),
        {"Running": 0, "Unknown": 1, "Pending": 2}.get(str(status.get("phase")), 0),
        ready_since is None,
        ready_since if ready_since is not None else 0.0,
        -restarts,
        parse_rfc3339(created) if created else float("inf"),
        pod["metadata"]["name"],
    )


def _first_pod_of(
    session: KubectlSession, word: str, name: str, namespace: str, result: Result
) -> dict[str, Any]:
    """``logsForObject`` for a workload or a Service: the first of its selector's pods as
    ByLogging sorts them (waiting up to the pod-running timeout for one to appear)."""
    info = resolve_kind(session, word)
    owner = session.api.get(info.kind, name, namespace)
    found = pods_for_object(session, info, owner, POD_RUNNING_TIMEOUT, "get the logs from")
    found.sort(key=_by_logging)
    if len(found) > 1:
        result.stderr += f"Found {len(found)} pods, using pod/{found[0]['metadata']['name']}\n"
    return found[0]


def _containers(pod: dict[str, Any], inv: Invocation, result: Result) -> list[str]:
    spec = pod.get("spec") or {}
    if inv.flag("all-containers"):
        return [c.get("name", "") for c in (*spec.get("initContainers", ()), *spec["containers"])]
    wanted = inv.flag("container") or (inv.args[1] if len(inv.args) > 1 else None)
    container, notice = default_container(pod, wanted)
    # The selector's pods each print the notice too (logsForObjectWithClient, allPods unset).
    result.stderr += notice
    known = [c.get("name") for c in (*spec.get("containers", ()), *spec.get("initContainers", ()))]
    if container not in known:
        # podcmd.FindContainerByName, checked by kubectl before it asks the server.
        raise KubectlError(f"container {container} is not valid for pod {pod['metadata']['name']}")
    return [container]


@handles("logs")
def run(session: KubectlSession, inv: Invocation) -> Result:
    selector = inv.flag("selector")
    if (not inv.args and not selector) or len(inv.args) > 2:
        raise KubectlError(USAGE, HINT)
    if len(inv.args) == 1 and selector:
        raise KubectlError("only a selector (-l) or a POD name is allowed", HINT)
    if inv.flag("container") and len(inv.args) == 2:
        raise KubectlError("only one of -c or an inline [CONTAINER] arg is allowed")
    tail = inv.flag("tail")
    if tail is not None and tail < -1:
        raise KubectlError("--tail must be greater than or equal to -1")
    if tail is None:
        tail = SELECTOR_TAIL if selector else -1
    namespace = inv.flag("namespace") or session.namespace
    result = Result()
    pods = _pods(session, inv, namespace, result)
    if selector and not pods:
        result.stderr += f"No resources found in {namespace} namespace.\n"
        return result
    for pod in pods:
        name = pod["metadata"]["name"]
        for container in _containers(pod, inv, result):
            lines = session.api.logs(name, namespace, container, bool(inv.flag("previous")))
            if tail >= 0:
                lines = lines[-tail:] if tail else []
            prefix = f"[pod/{name}/{container}] " if inv.flag("prefix") else ""
            for at, _stream, text in lines:
                stamp = rfc3339_nano(at) + " " if inv.flag("timestamps") else ""
                result.stdout += f"{prefix}{stamp}{text}\n"
    return result
