"""ReplicaSet (apps/v1): its schema, defaults and validation
(``pkg/apis/apps/v1/defaults.go``, ``pkg/apis/apps/validation/validation.go``).

A ReplicaSet's pod template gets the pod-spec defaults a Pod gets, except what only Pods get
(``enableServiceLinks``, requests copied from limits). The selector must select the
template's labels, and a ReplicaSet's pods always restart (``restartPolicy: Always``).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import INT32, INT64, STRING, TIME, ListOf, Struct
from k8sgame.engine.errors import FieldError, invalid
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR
from k8sgame.engine.kinds.workload_template import POD_TEMPLATE_SPEC, validate_workload_template

REPLICA_SET = Struct(
    "ReplicaSet",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "ReplicaSetSpec",
            {
                "replicas": INT32,
                "minReadySeconds": INT32,
                "selector": LABEL_SELECTOR,
                "template": POD_TEMPLATE_SPEC,
            },
        ),
        "status": Struct(
            "ReplicaSetStatus",
            {
                "replicas": INT32,
                "fullyLabeledReplicas": INT32,
                "readyReplicas": INT32,
                "availableReplicas": INT32,
                "terminatingReplicas": INT32,
                "observedGeneration": INT64,
                "conditions": ListOf(
                    Struct(
                        "ReplicaSetCondition",
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


def default_replica_set(rs: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_ReplicaSet`` (replicas 1) and the template's pod-spec defaults."""
    spec = rs.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    template = spec.get("template")
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}), in_pod=False)


def prepare_replica_set(rs: dict[str, Any], ctx: AdmissionContext) -> None:
    """The strategy's PrepareForCreate: a new ReplicaSet starts with an empty status."""
    rs["status"] = {"replicas": 0}


def validate_replica_set(rs: dict[str, Any]) -> list[FieldError]:
    """``ValidateReplicaSetSpec``, in upstream's order."""
    spec = rs.get("spec") or {}
    errors: list[FieldError] = []
    for name in ("replicas", "minReadySeconds"):
        value = spec.get(name)
        if isinstance(value, int) and value < 0:
            errors.append(invalid(f"spec.{name}", value, "must be greater than or equal to 0"))
    # Upstream's ReplicaSet validation really says "deployment" for an empty selector.
    validate_workload_template(spec, "deployment", errors)
    return errors


def validate_replica_set_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """apps/v1 keeps the selector as it was created."""
    errors = validate_replica_set(new)
    before = (old.get("spec") or {}).get("selector")
    after = (new.get("spec") or {}).get("selector")
    if before != after:
        errors.insert(0, invalid("spec.selector", after, "field is immutable"))
    return errors


REPLICA_SET_KIND = KindInfo(
    kind="ReplicaSet",
    group="apps",
    version="v1",
    plural="replicasets",
    namespaced=True,
    schema=REPLICA_SET,
    short_names=("rs",),
    defaulter=default_replica_set,
    prepare_create=prepare_replica_set,
    validator=validate_replica_set,
    update_validator=validate_replica_set_update,
    categories=("all",),
    scale_subresource=True,
)
