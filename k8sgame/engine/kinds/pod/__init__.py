"""The Pod kind as the API server serves it."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.field_selectors import text_value
from k8sgame.engine.api.names import dns1123_subdomain
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.errors import bad_request
from k8sgame.engine.kinds.pod.defaults import default_pod, prepare_pod_for_create
from k8sgame.engine.kinds.pod.schema import POD
from k8sgame.engine.kinds.pod.validation import validate_pod, validate_pod_update


def pod_node_name(pod: dict[str, Any]) -> str:
    """``spec.nodeName`` ("" while unscheduled): the key node-bound watches are indexed by."""
    return str((pod.get("spec") or {}).get("nodeName") or "")


def pod_selectable_fields(pod: dict[str, Any]) -> dict[str, str]:
    """``pod.ToSelectableFields`` (``pkg/registry/core/pod/strategy.go``)."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    return {
        "spec.nodeName": text_value(spec.get("nodeName")),
        "spec.restartPolicy": text_value(spec.get("restartPolicy")),
        "spec.schedulerName": text_value(spec.get("schedulerName")),
        "spec.serviceAccountName": text_value(spec.get("serviceAccountName")),
        "spec.hostNetwork": text_value(bool(spec.get("hostNetwork"))),
        "status.phase": text_value(status.get("phase")),
        "status.podIP": text_value(status.get("podIP")),
        "status.nominatedNodeName": text_value(status.get("nominatedNodeName")),
    }


def pod_grace_period(pod: dict[str, Any], requested: int | None) -> int | None:
    """The pod strategy's ``CheckGracefulDelete``: the requested or spec grace period, and 0
    for a pod that is unbound or finished."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    if not spec.get("nodeName") or status.get("phase") in ("Succeeded", "Failed"):
        return 0
    if requested is not None and requested >= 0:
        # kubectl's --grace-period=0 without --force is sent as 1 (graceful minimum).
        return requested
    return int(spec.get("terminationGracePeriodSeconds", 30))


def stream_container(pod: dict[str, Any], requested: str | None) -> str:
    """Which container ``pods/log`` and ``pods/exec`` mean (the pod strategy's
    ``LogLocation``/``streamLocation``): the one asked for if the pod has it, else the only
    container; a pod with several needs a name. Raises BadRequest otherwise."""
    spec = pod.get("spec") or {}
    name = pod["metadata"]["name"]
    containers = [str(c.get("name", "")) for c in spec.get("containers") or []]
    if requested:
        declared = {
            str(c.get("name"))
            for group in ("containers", "initContainers", "ephemeralContainers")
            for c in spec.get(group) or []
        }
        if requested not in declared:
            raise bad_request(f"container {requested} is not valid for pod {name}")
        return requested
    if len(containers) == 1:
        return containers[0]
    if not containers:
        raise bad_request(f"a container name must be specified for pod {name}")
    message = f"a container name must be specified for pod {name}, choose one of: [{' '.join(containers)}]"
    init = [str(c.get("name", "")) for c in spec.get("initContainers") or []]
    if init:
        message += f" or one of the init containers: [{' '.join(init)}]"
    raise bad_request(message)


POD_KIND = KindInfo(
    kind="Pod",
    group="",
    version="v1",
    plural="pods",
    namespaced=True,
    schema=POD,
    short_names=("po",),
    name_validator=dns1123_subdomain,
    defaulter=default_pod,
    prepare_create=prepare_pod_for_create,
    validator=validate_pod,
    update_validator=validate_pod_update,
    # Pod spec changes never bump generation in practice (spec is almost immutable), but
    # the API server still counts them.
    categories=("all",),
    selectable_fields=pod_selectable_fields,
    grace_period=pod_grace_period,
)
