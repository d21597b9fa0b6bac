"""``kubectl logs POD [-c CONTAINER] [-p] [--tail N] [--timestamps]``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from k8sgame.engine.timefmt import EPOCH
from k8sgame.kubectl.commands.containers import default_container
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation, register_verb
from k8sgame.kubectl.result import Result

register_verb(
    "logs",
    (
        Flag("container", short="c"),
        Flag("previous", "bool", "p", False),
        Flag("tail", "int", default=-1),
        Flag("timestamps", "bool", default=False),
        Flag("all-containers", "bool", default=False),
    ),
)


def rfc3339_nano(seconds: float) -> str:
    """Go's RFC3339Nano: trailing zeros of the fraction trimmed."""
    instant = EPOCH + timedelta(microseconds=round(seconds * 1_000_000))
    fraction = f"{instant.microsecond:06d}000".rstrip("0")
    return instant.strftime("%Y-%m-%dT%H:%M:%S") + (f".{fraction}" if fraction else "") + "Z"


def run(session: Any, inv: Invocation) -> Result:
    if not inv.args:
        raise KubectlError(
            "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.",
            "POD or TYPE/NAME is a required argument for the logs command",
        )
    target = inv.args[0]
    if "/" in target:
        kind, _, target = target.partition("/")
        if kind not in ("pod", "pods", "po"):
            raise KubectlError(f"cannot get the logs from {kind}: only pods are supported here")
    namespace = inv.flag("namespace") or session.namespace
    pod = session.cluster.store.get("Pod", target, namespace)
    names = [c.get("name") for c in (pod.get("spec") or {}).get("containers") or []]
    container, notice = default_container(
        pod, inv.flag("container") or (inv.args[1] if len(inv.args) > 1 else None)
    )
    result = Result(stderr=notice)
    if container not in names + [
        c.get("name") for c in (pod.get("spec") or {}).get("initContainers") or []
    ]:
        from k8sgame.engine.errors import bad_request

        raise bad_request(f"container {container} is not valid for pod {target}")
    lines = session.cluster.logs(target, namespace, container, bool(inv.flag("previous")))
    tail = int(inv.flag("tail"))
    if tail >= 0:
        lines = lines[-tail:] if tail else []
    for at, _stream, text in lines:
        prefix = rfc3339_nano(at) + " " if inv.flag("timestamps") else ""
        result.stdout += f"{prefix}{text}\n"
    return result
