"""Answers the engine measures on a running cluster, for levels' choices and the quiz.

Nothing here is an answer key: each function runs (or reads) a simulated cluster and returns
what happened there — the delay before a restart, the value of a field.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.cluster import Cluster
from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.jsonpath import JsonPathError, jsonpath_values

# How long a cluster may run to see a measured event happen (restarts back off up to five
# minutes, so a dozen restarts fit).
MEASURE_LIMIT = 3 * 3600.0


class MeasureError(ValueError):
    """The engine could not take the measurement (the event never happened in time)."""


def container_status(
    cluster: Cluster, namespace: str, pod: str, container: str | None
) -> dict[str, Any] | None:
    """The status of a pod's container (the first when not named), or None."""
    obj = cluster.api.peek("Pod", pod, namespace)
    if obj is None:
        return None
    for status in (obj.get("status") or {}).get("containerStatuses") or []:
        if container is None or status.get("name") == container:
            return dict(status)
    return None


def restart_delay(
    cluster: Cluster,
    namespace: str,
    pod: str,
    restart: int,
    container: str | None = None,
    limit: float = MEASURE_LIMIT,
) -> float:
    """Run ``cluster`` until the container's ``restart``-th restart and return how long it
    waited between the previous instance's exit and the new start (the back-off)."""

    def reached() -> bool:
        status = container_status(cluster, namespace, pod, container)
        return status is not None and int(status.get("restartCount") or 0) >= restart

    if not cluster.run_until(reached, limit):
        raise MeasureError(f"pod {pod} never reached restart {restart}")
    status = container_status(cluster, namespace, pod, container) or {}
    if int(status.get("restartCount") or 0) != restart:
        raise MeasureError(f"pod {pod} was already past restart {restart} when the level starts")
    state = status.get("state") or {}
    started = (state.get("running") or state.get("terminated") or {}).get("startedAt")
    finished = ((status.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
    if not started or not finished:
        raise MeasureError(f"pod {pod} has no start or finish time to measure")
    return parse_rfc3339(started) - parse_rfc3339(finished)


def field_value(cluster: Cluster, kind: str, name: str, namespace: str, path: str) -> Any:
    """The value a kubectl JSONPath finds in an object now (several values joined by spaces);
    ``kind`` as kubectl takes it (``Pod``, ``pods``, ``po``)."""
    info = cluster.api.registry.resolve(kind)
    if info is None:
        raise MeasureError(f'the server doesn\'t have a resource type "{kind}"')
    obj = cluster.api.peek(info.kind, name, namespace if info.namespaced else "")
    if obj is None:
        raise MeasureError(f"{kind} {name} does not exist")
    try:
        values = jsonpath_values(obj, path)
    except JsonPathError as error:
        raise MeasureError(error.message) from None
    return values[0] if len(values) == 1 else " ".join(str(v) for v in values)
