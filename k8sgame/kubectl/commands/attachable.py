"""The pod a command that talks to one pod picks for ``TYPE/NAME`` (kubectl's
``polymorphichelpers.AttachablePodForObjectFn``, used by ``port-forward``): a pod is
itself; a workload or a Service stands for the pods of its selector
(``SelectorsForObject``), of which the most active is taken (``GetFirstPod`` sorted by
``sort.Reverse(podutils.ActivePods)``). When none exists yet, kubectl watches for one
until the pod-running timeout passes.

This is not the choice ``kubectl logs`` makes (``podutils.ByLogging``, see ``logs.py``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.labels import Selector, SelectorError, from_label_selector
from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.errors import KubectlError

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

# The kinds SelectorsForObject knows, and whether their selector is a plain label map.
_LABEL_SELECTOR_KINDS = ("ReplicaSet", "StatefulSet", "DaemonSet", "Deployment", "Job")
_MAP_SELECTOR_KINDS = ("ReplicationController", "Service")
# ActivePods ranks phases so; any other phase counts as Pending (a Go map's zero value).
_PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


def go_type(info: KindInfo) -> str:
    """What Go's ``%T`` prints for a typed object of this kind (``*v1.Deployment``)."""
    return f"*{info.version}.{info.kind}"


def _seconds(stamp: Any) -> float | None:
    return parse_rfc3339(str(stamp)) if stamp else None


def _ready_since(pod: dict[str, Any]) -> float | None:
    """When the Ready condition turned True (None when the pod is not ready; a ready pod
    without the time ranks as if it had just turned ready, as Go's zero time does)."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            if condition.get("status") != "True":
                return None
            since = _seconds(condition.get("lastTransitionTime"))
            return since if since is not None else float("inf")
    return None


def _restarts(pod: dict[str, Any]) -> tuple[int, int]:
    """The highest restart count of the regular containers, then of the sidecars
    (init containers with ``restartPolicy: Always``)."""
    status = pod.get("status") or {}
    regular = max(
        (int(c.get("restartCount") or 0) for c in status.get("containerStatuses") or []),
        default=0,
    )
    spec = pod.get("spec") or {}
    sidecars = {
        c.get("name")
        for c in spec.get("initContainers") or []
        if c.get("restartPolicy") == "Always"
    }
    sidecar = max(
        (
            int(c.get("restartCount") or 0)
            for c in status.get("initContainerStatuses") or []
            if c.get("name") in sidecars
        ),
        default=0,
    )
    return regular, sidecar


def most_active_first(pod: dict[str, Any]) -> tuple[Any, ...]:
    """A sort key putting the pod ``sort.Reverse(podutils.ActivePods)`` ranks first, first:
    scheduled, Running (then Unknown, then Pending), ready, not being deleted (among
    deleted ones, the later deletion), ready for longer, fewer restarts, older. The name
    breaks what kubectl leaves to its unstable sort."""
    md = pod["metadata"]
    phase = str((pod.get("status") or {}).get("phase") or "")
    ready_since = _ready_since(pod)
    deleted = _seconds(md.get("deletionTimestamp"))
    regular, sidecar = _restarts(pod)
    created = _seconds(md.get("creationTimestamp"))
    return (
        not (pod.get("spec") or {}).get("nodeName"),
        -_PHASE_RANK.get(phase, 0),
        ready_since is None,
        deleted is not None,
        -(deleted or 0.0),
        ready_since if ready_since is not None else 0.0,
        regular,
        sidecar,
        created if created is not None else float("inf"),
        md["name"],
    )


def pod_selector(info: KindInfo, obj: dict[str, Any]) -> Selector:
    """``SelectorsForObject``: the label selector of the pods ``obj`` stands for, with its
    errors."""
    spec = obj.get("spec") or {}
    raw = spec.get("selector")
    if info.kind in _MAP_SELECTOR_KINDS:
        if info.kind == "Service" and not raw:
            name = obj["metadata"]["name"]
            raise ValueError(f"invalid service '{name}': Service is defined without a selector")
        return from_label_selector({"matchLabels": raw or {}})
    if info.kind not in _LABEL_SELECTOR_KINDS:
        raise ValueError(f"selector for {go_type(info)} not implemented")
    if raw is None:
        # LabelSelectorAsSelector(nil) is labels.Nothing(), whose text is "": the list
        # kubectl then asks for has no selector at all.
        return Selector()
    try:
        return from_label_selector(raw)
    except SelectorError as error:
        raise ValueError(f"invalid label selector: {error}") from None


def pods_for_object(
    session: KubectlSession, info: KindInfo, obj: dict[str, Any], timeout: float, action: str
) -> list[dict[str, Any]]:
    """The pods of ``obj``'s selector (``GetFirstPod``'s list), waiting up to ``timeout``
    simulated seconds for a first one; ``action`` words kubectl's error ("attach to",
    "get the logs from")."""
    try:
        selector = pod_selector(info, obj)
    except ValueError as error:
        raise KubectlError(f"cannot {action} {go_type(info)}: {error}") from None
    namespace = obj["metadata"].get("namespace") or ""
    found: list[dict[str, Any]] = []

    def listed() -> bool:
        found[:] = session.api.list("Pod", namespace, selector)
        return bool(found)

    if not listed() and not session.cluster.run_until(listed, timeout):
        raise KubectlError("timed out waiting for the condition")
    return found


def attachable_pod(
    session: KubectlSession, info: KindInfo, obj: dict[str, Any], timeout: float
) -> dict[str, Any]:
    """The pod ``obj`` stands for; waits up to ``timeout`` simulated seconds for a first
    pod of its selector to appear."""
    if info.kind == "Pod":
        return obj
    found = pods_for_object(session, info, obj, timeout, "attach to")
    return min(found, key=most_active_first)
