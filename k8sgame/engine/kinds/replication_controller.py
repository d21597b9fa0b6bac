"""ReplicationController (v1): the older ReplicaSet, whose selector is a plain label map
(``SetDefaults_ReplicationController``: the selector, and the controller's own labels, come
from the template's labels when left out; replicas 1; ``ValidateReplicationController``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import INT32, INT64, STRING, STRING_MAP, TIME, ListOf, Struct
from k8sgame.engine.errors import FieldError, invalid, required
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.kinds.workload_template import POD_TEMPLATE_SPEC, validate_workload_template

REPLICATION_CONTROLLER = Struct(
    "ReplicationController",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "ReplicationControllerSpec",
            {
                "replicas": INT32,
                "minReadySeconds": INT32,
                "selector": STRING_MAP,
                "template": POD_TEMPLATE_SPEC,
            },
        ),
        "status": Struct(
            "ReplicationControllerStatus",
            {
                "replicas": INT32,
                "fullyLabeledReplicas": INT32,
                "readyReplicas": INT32,
                "availableReplicas": INT32,
                "observedGeneration": INT64,
                "conditions": ListOf(
                    Struct(
                        "ReplicationControllerCondition",
                        {
                            "type": STRING,
                            "status": STRING,
                            "lastTransitionTime": TIME,
                            "reason": STRING,
                            "message": STRING,
                        },
                    )
                ),
            },
        ),
    },
)


def default_replication_controller(rc: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = rc.setdefault("spec", {})
    template = spec.get("template")
    labels = (
        ((template or {}).get("metadata") or {}).get("labels")
        if isinstance(template, dict)
        else None
    )
    if labels:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        if not rc["metadata"].get("labels"):
            rc["metadata"]["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}), in_pod=False)


def prepare_replication_controller(rc: dict[str, Any], ctx: AdmissionContext) -> None:
    rc["status"] = {"replicas": 0}


def validate_replication_controller(rc: dict[str, Any]) -> list[FieldError]:
    """``ValidateReplicationControllerSpec``."""
    spec = rc.get("spec") or {}
    errors: list[FieldError] = []
    for name in ("replicas", "minReadySeconds"):
        value = spec.get(name)
        if isinstance(value, int) and value < 0:
            errors.append(invalid(f"spec.{name}", value, "must be greater than or equal to 0"))
    selector = spec.get("selector") or {}
    if not selector:
        errors.append(required("spec.selector"))
    if spec.get("template") is None:
        errors.append(required("spec.template"))
        return errors
    # The template checks the other workloads share, on the map as matchLabels; the
    # selector's own problems were reported above, as upstream words them.
    template_errors: list[FieldError] = []
    validate_workload_template(
        {**spec, "selector": {"matchLabels": selector}},
        "replicationcontroller",
        template_errors,
        kind="ReplicationController",
    )
    errors.extend(e for e in template_errors if e.path != "spec.selector")
    return errors


REPLICATION_CONTROLLER_KIND = KindInfo(
    kind="ReplicationController",
    group="",
    version="v1",
    plural="replicationcontrollers",
    namespaced=True,
    schema=REPLICATION_CONTROLLER,
    short_names=("rc",),
    defaulter=default_replication_controller,
    prepare_create=prepare_replication_controller,
    validator=validate_replication_controller,
    categories=("all",),
    scale_subresource=True,
)
