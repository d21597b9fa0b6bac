"""PersistentVolumeClaim (v1): a request for storage by size, access modes and class, bound
by the persistentvolume-controller to one PersistentVolume (``spec.volumeName``). Defaults:
volumeMode Filesystem and phase Pending; when ``storageClassName`` is left out the
DefaultStorageClass admission plugin writes the default class's name (the newest one if
several are marked). After creation the spec is fixed except the storage request and the
binding the controller writes."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    ANY,
    QUANTITY_MAP,
    STRING,
    STRING_LIST,
    STRING_MAP,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, forbidden, not_supported
from k8sgame.engine.kinds.persistent_volume import (
    VOLUME_MODES,
    storage_request,
    validate_access_modes,
)
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR
from k8sgame.engine.kinds.storage_class import is_default_class

PVC_PROTECTION = "kubernetes.io/pvc-protection"
IMMUTABLE_SPEC = (
    "spec is immutable after creation except resources.requests and volumeAttributesClassName "
    "for bound claims"
)

PERSISTENT_VOLUME_CLAIM = Struct(
    "PersistentVolumeClaim",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "PersistentVolumeClaimSpec",
            {
                "accessModes": STRING_LIST,
                "selector": LABEL_SELECTOR,
                "resources": Struct(
                    "VolumeResourceRequirements",
                    {"limits": QUANTITY_MAP, "requests": QUANTITY_MAP},
                ),
                "volumeName": STRING,
                "storageClassName": STRING,
                "volumeMode": STRING,
                "dataSource": ANY,
                "dataSourceRef": ANY,
                "volumeAttributesClassName": STRING,
            },
        ),
        "status": Struct(
            "PersistentVolumeClaimStatus",
            {
                "phase": STRING,
                "accessModes": STRING_LIST,
                "capacity": QUANTITY_MAP,
                "conditions": ListOf(ANY),
                "allocatedResources": QUANTITY_MAP,
                "allocatedResourceStatuses": STRING_MAP,
                "currentVolumeAttributesClassName": STRING,
                "modifyVolumeStatus": ANY,
            },
        ),
    },
)


def default_persistent_volume_claim(pvc: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = pvc.setdefault("spec", {})
    spec.setdefault("volumeMode", "Filesystem")


def prepare_persistent_volume_claim(pvc: dict[str, Any], ctx: AdmissionContext) -> None:
    """Status starts Pending; the DefaultStorageClass admission plugin (``admit``) fills in
    a missing class (``nil``, not ``""``, which asks for a volume without a class)."""
    pvc["status"] = {"phase": "Pending"}
    # The StorageObjectInUseProtection admission plugin: kept until no pod uses the claim.
    finalizers = pvc["metadata"].setdefault("finalizers", [])
    if PVC_PROTECTION not in finalizers:
        finalizers.append(PVC_PROTECTION)
    spec = pvc.setdefault("spec", {})
    if "storageClassName" in spec:
        return
    defaults = [sc for sc in ctx.store.list("StorageClass") if is_default_class(sc)]
    if defaults:
        # GetDefaultClass: the newest, then the name that sorts first.
        newest = max(
            defaults,
            key=lambda sc: (
                sc["metadata"].get("creationTimestamp") or "",
                [-ord(c) for c in sc["metadata"]["name"]],
            ),
        )
        spec["storageClassName"] = newest["metadata"]["name"]


def validate_persistent_volume_claim(pvc: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolumeClaimSpec``."""
    spec = pvc.get("spec") or {}
    errors = validate_access_modes(
        "spec.accessModes", spec.get("accessModes"), "at least 1 access mode is required"
    )
    errors.extend(storage_request("spec.resources", (spec.get("resources") or {}).get("requests")))
    mode = spec.get("volumeMode")
    if mode not in VOLUME_MODES:
        errors.append(not_supported("spec.volumeMode", mode, VOLUME_MODES))
    return errors


def validate_persistent_volume_claim_update(
    new: dict[str, Any], old: dict[str, Any]
) -> list[FieldError]:
    """``ValidatePersistentVolumeClaimUpdate``: binding may fill in ``volumeName`` (and a
    nil class); the storage request may change; nothing else in the spec may."""
    errors = validate_persistent_volume_claim(new)
    before, after = dict(old.get("spec") or {}), dict(new.get("spec") or {})
    for spec in (before, after):
        spec.pop("volumeAttributesClassName", None)
        spec["resources"] = {
            k: v for k, v in (spec.get("resources") or {}).items() if k != "requests"
        }
    if not before.get("volumeName"):
        before.pop("volumeName", None)
        after.pop("volumeName", None)
    if "storageClassName" not in before:
        after.pop("storageClassName", None)
    if before != after:
        errors.append(forbidden("spec", IMMUTABLE_SPEC))
    return errors


PERSISTENT_VOLUME_CLAIM_KIND = KindInfo(
    kind="PersistentVolumeClaim",
    group="",
    version="v1",
    plural="persistentvolumeclaims",
    namespaced=True,
    schema=PERSISTENT_VOLUME_CLAIM,
    short_names=("pvc",),
    defaulter=default_persistent_volume_claim,
    prepare_create=prepare_persistent_volume_claim,
    validator=validate_persistent_volume_claim,
    update_validator=validate_persistent_volume_claim_update,
    generation_fields=(),
)
