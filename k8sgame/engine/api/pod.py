"""The Pod kind as the API server serves it."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.names import dns1123_subdomain
from k8sgame.engine.api.pod_defaults import default_pod, prepare_pod_for_create
from k8sgame.engine.api.pod_schema import POD
from k8sgame.engine.api.pod_validation import validate_pod, validate_pod_update
from k8sgame.engine.api.registry import KindInfo


def pod_node_name(pod: dict[str, Any]) -> str:
    """``spec.nodeName`` ("" while unscheduled): the key node-bound watches are indexed by."""
    return str((pod.get("spec") or {}).get("nodeName") or "")


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
)
