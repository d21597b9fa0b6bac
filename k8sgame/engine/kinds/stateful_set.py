"""StatefulSet (apps/v1): its schema, defaults and validation (``SetDefaults_StatefulSet``,
``ValidateStatefulSetSpec``, ``ValidateStatefulSetUpdate``).

Defaults: replicas 1, podManagementPolicy OrderedReady, updateStrategy RollingUpdate with
partition 0, revisionHistoryLimit 10, persistentVolumeClaimRetentionPolicy Retain/Retain; each
volume claim template becomes a PersistentVolumeClaim with volumeMode Filesystem and phase
Pending. The simulator is Kubernetes 1.35.4 or later, where the MaxUnavailableStatefulSet gate
is off again, so ``maxUnavailable`` is not defaulted. After creation only the replicas,
ordinals, template, update strategy, revision history limit, retention policy and
minReadySeconds may change."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1123_label
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import INT32, INT64, INT_OR_STRING, STRING, ListOf, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported
from k8sgame.engine.kinds.persistent_volume_claim import PERSISTENT_VOLUME_CLAIM
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR, POD_TEMPLATE_SPEC
from k8sgame.engine.kinds.workload_template import validate_workload_template

ORDERED_READY = "OrderedReady"
PARALLEL = "Parallel"
ROLLING_UPDATE = "RollingUpdate"
ON_DELETE = "OnDelete"
RETENTION = ("Retain", "Delete")
# ValidateStatefulSetUpdate's message (the list with revisionHistoryLimit, as 1.34+ print it).
IMMUTABLE_SPEC = (
    "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', "
    "'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and "
    "'minReadySeconds' are forbidden"
)
MUTABLE_FIELDS = (
    "replicas",
    "ordinals",
    "template",
    "updateStrategy",
    "revisionHistoryLimit",
    "persistentVolumeClaimRetentionPolicy",
    "minReadySeconds",
)

STATEFUL_SET = Struct(
    "StatefulSet",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "StatefulSetSpec",
            {
                "replicas": INT32,
                "selector": LABEL_SELECTOR,
                "template": POD_TEMPLATE_SPEC,
                "volumeClaimTemplates": ListOf(PERSISTENT_VOLUME_CLAIM),
                "serviceName": STRING,
                "podManagementPolicy": STRING,
                "updateStrategy": Struct(
                    "StatefulSetUpdateStrategy",
                    {
                        "type": STRING,
                        "rollingUpdate": Struct(
                            "RollingUpdateStatefulSetStrategy",
                            {"partition": INT32, "maxUnavailable": INT_OR_STRING},
                        ),
                    },
                ),
                "revisionHistoryLimit": INT32,
                "minReadySeconds": INT32,
                "persistentVolumeClaimRetentionPolicy": Struct(
                    "StatefulSetPersistentVolumeClaimRetentionPolicy",
                    {"whenDeleted": STRING, "whenScaled": STRING},
                ),
                "ordinals": Struct("StatefulSetOrdinals", {"start": INT32}),
            },
        ),
        "status": Struct(
            "StatefulSetStatus",
            {
                "observedGeneration": INT64,
                "replicas": INT32,
                "readyReplicas": INT32,
                "currentReplicas": INT32,
                "updatedReplicas": INT32,
                "currentRevision": STRING,
                "updateRevision": STRING,
                "collisionCount": INT32,
                "availableReplicas": INT32,
            },
        ),
    },
)


def default_stateful_set(sts: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = sts.setdefault("spec", {})
    spec.setdefault("podManagementPolicy", ORDERED_READY)
    strategy = spec.setdefault("updateStrategy", {})
    if not strategy.get("type"):
        strategy["type"] = ROLLING_UPDATE
        strategy.setdefault("rollingUpdate", {})
    rolling = strategy.get("rollingUpdate")
    if strategy["type"] == ROLLING_UPDATE and isinstance(rolling, dict):
        rolling.setdefault("partition", 0)
    policy = spec.setdefault("persistentVolumeClaimRetentionPolicy", {})
    policy.setdefault("whenDeleted", "Retain")
    policy.setdefault("whenScaled", "Retain")
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    template = spec.get("template")
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}), in_pod=False)
    for claim in spec.get("volumeClaimTemplates") or []:
        if isinstance(claim, dict):
            claim.setdefault("apiVersion", "v1")
            claim.setdefault("kind", "PersistentVolumeClaim")
            claim.setdefault("spec", {}).setdefault("volumeMode", "Filesystem")
            claim.setdefault("status", {}).setdefault("phase", "Pending")


def prepare_stateful_set(sts: dict[str, Any], ctx: AdmissionContext) -> None:
    sts["status"] = {"replicas": 0, "availableReplicas": 0}


def validate_stateful_set(sts: dict[str, Any]) -> list[FieldError]:
    """``ValidateStatefulSetSpec`` for what the simulator models."""
    spec = sts.get("spec") or {}
    errors: list[FieldError] = []
    policy = spec.get("podManagementPolicy")
    if policy not in (ORDERED_READY, PARALLEL):
        errors.append(
            invalid("spec.podManagementPolicy", policy, "must be 'OrderedReady' or 'Parallel'")
        )
    strategy = spec.get("updateStrategy") or {}
    kind = strategy.get("type")
    if kind not in (ROLLING_UPDATE, ON_DELETE):
        errors.append(
            invalid("spec.updateStrategy", strategy, "must be 'RollingUpdate' or 'OnDelete'")
        )
    rolling = strategy.get("rollingUpdate")
    if kind == ON_DELETE and rolling is not None:
        errors.append(
            invalid(
                "spec.updateStrategy.rollingUpdate",
                rolling,
                "only allowed for updateStrategy 'RollingUpdate'",
            )
        )
    if isinstance(rolling, dict):
        partition = rolling.get("partition")
        if isinstance(partition, int) and partition < 0:
            errors.append(
                invalid(
                    "spec.updateStrategy.rollingUpdate.partition",
                    partition,
                    "must be greater than or equal to 0",
                )
            )
        if rolling.get("maxUnavailable") is not None:
            errors.append(
                forbidden(
                    "spec.updateStrategy.rollingUpdate.maxUnavailable",
                    "maxUnavailable is not modelled by the simulator (the "
                    "MaxUnavailableStatefulSet feature is off in Kubernetes 1.35.4 and later)",
                )
            )
    retention = spec.get("persistentVolumeClaimRetentionPolicy") or {}
    for field in ("whenDeleted", "whenScaled"):
        if retention.get(field) not in RETENTION:
            errors.append(
                not_supported(
                    f"spec.persistentVolumeClaimRetentionPolicy.{field}",
                    retention.get(field),
                    RETENTION,
                )
            )
    for name in ("replicas", "minReadySeconds"):
        value = spec.get(name)
        if isinstance(value, int) and value < 0:
            errors.append(invalid(f"spec.{name}", value, "must be greater than or equal to 0"))
    validate_workload_template(
        spec, "statefulset", errors, kind="StatefulSet", pod_spec_checked=False
    )
    return errors


def validate_stateful_set_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errors = validate_stateful_set(new)
    before = {k: v for k, v in (old.get("spec") or {}).items() if k not in MUTABLE_FIELDS}
    after = {k: v for k, v in (new.get("spec") or {}).items() if k not in MUTABLE_FIELDS}
    if before != after:
        errors.append(forbidden("spec", IMMUTABLE_SPEC))
    return errors


STATEFUL_SET_KIND = KindInfo(
    kind="StatefulSet",
    group="apps",
    version="v1",
    plural="statefulsets",
    namespaced=True,
    schema=STATEFUL_SET,
    short_names=("sts",),
    name_validator=dns1123_label,
    defaulter=default_stateful_set,
    prepare_create=prepare_stateful_set,
    validator=validate_stateful_set,
    update_validator=validate_stateful_set_update,
    categories=("all",),
    scale_subresource=True,
)
