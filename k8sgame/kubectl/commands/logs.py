"""``kubectl logs``: one pod (``POD``, ``pod/POD``, ``POD CONTAINER``) or the pods of a
selector (``-l``), a container or ``--all-containers``, ``-p``, ``--tail``, ``--timestamps``,
``--prefix`` (``pkg/cmd/logs/logs.go``, ``polymorphichelpers/logsforobject.go``)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import EPOCH
from k8sgame.kubectl.commands.containers import default_container
from k8sgame.kubectl.commands.get import selector_flag
from k8sgame.kubectl.errors import KubectlError, NotModelledError
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


def _pods(session: KubectlSession, inv: Invocation, namespace: str) -> list[dict[str, Any]]:
    """logs.go Complete: a pod by name, or the pods of the selector (sorted by name: kubectl's
    own order comes from a Go map)."""
    if inv.flag("selector"):
        return session.cluster.api.list("Pod", namespace, selector_flag(inv))
    target = inv.args[0]
    if "/" in target:
        kind, _, target = target.partition("/")
        if kind not in ("pod", "pods", "po"):
            raise NotModelledError("logs_pods_only", kind=kind)
    try:
        return [session.cluster.api.get("Pod", target, namespace)]
    except ApiError as error:
        if error.reason != "NotFound":
            raise
        # logs.go wraps the builder's NotFound in an error of its own.
        raise KubectlError(
            f'error from server (NotFound): {error.message} in namespace "{namespace}"'
        ) from None


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
    pods = _pods(session, inv, namespace)
    result = Result()
    if selector and not pods:
        result.stderr += f"No resources found in {namespace} namespace.\n"
        return result
    for pod in pods:
        name = pod["metadata"]["name"]
        for container in _containers(pod, inv, result):
            lines = session.cluster.logs(name, namespace, container, bool(inv.flag("previous")))
            if tail >= 0:
                lines = lines[-tail:] if tail else []
            prefix = f"[pod/{name}/{container}] " if inv.flag("prefix") else ""
            for at, _stream, text in lines:
                stamp = rfc3339_nano(at) + " " if inv.flag("timestamps") else ""
                result.stdout += f"{prefix}{stamp}{text}\n"
    return result
