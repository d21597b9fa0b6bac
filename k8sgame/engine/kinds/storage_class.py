"""StorageClass (storage.k8s.io/v1, cluster-scoped): which provisioner makes volumes for a
claim that names it, with what reclaim policy, and when (``volumeBindingMode``). Defaults
(``SetDefaults_StorageClass``): reclaimPolicy Delete, volumeBindingMode Immediate. The
provisioner, parameters, reclaim policy and binding mode cannot change."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import ANY, BOOL, STRING, STRING_LIST, STRING_MAP, ListOf, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required

# storageclass.kubernetes.io/is-default-class: "true" marks the class a claim without one gets.
DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class"
BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class"
RECLAIM_POLICIES = ("Delete", "Retain")
BINDING_MODES = ("Immediate", "WaitForFirstConsumer")

STORAGE_CLASS = Struct(
    "StorageClass",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "provisioner": STRING,
        "parameters": STRING_MAP,
        "reclaimPolicy": STRING,
        "mountOptions": STRING_LIST,
        "allowVolumeExpansion": BOOL,
        "volumeBindingMode": STRING,
        "allowedTopologies": ListOf(ANY),
    },
)


def default_storage_class(sc: dict[str, Any], ctx: AdmissionContext) -> None:
    sc.setdefault("reclaimPolicy", "Delete")
    sc.setdefault("volumeBindingMode", "Immediate")


def is_default_class(sc: dict[str, Any]) -> bool:
    """``IsDefaultAnnotation``: the GA or the beta annotation set to "true"."""
    annotations = sc["metadata"].get("annotations") or {}
    return "true" in (
        annotations.get(DEFAULT_CLASS_ANNOTATION),
        annotations.get(BETA_DEFAULT_CLASS_ANNOTATION),
    )


def validate_storage_class(sc: dict[str, Any]) -> list[FieldError]:
    """``ValidateStorageClass``."""
    errors: list[FieldError] = []
    if not sc.get("provisioner"):
        errors.append(required("provisioner"))
    policy = sc.get("reclaimPolicy")
    if policy not in RECLAIM_POLICIES:
        errors.append(not_supported("reclaimPolicy", policy, RECLAIM_POLICIES))
    mode = sc.get("volumeBindingMode")
    if mode not in BINDING_MODES:
        errors.append(not_supported("volumeBindingMode", mode, BINDING_MODES))
    return errors


def validate_storage_class_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateStorageClassUpdate``: only metadata, mount options and expansion change."""
    errors = validate_storage_class(new)
    for name in ("parameters", "provisioner", "reclaimPolicy"):
        if (new.get(name) or None) != (old.get(name) or None):
            errors.append(forbidden(name, f"updates to {name} are forbidden."))
    if new.get("volumeBindingMode") != old.get("volumeBindingMode"):
        errors.append(
            invalid("volumeBindingMode", new.get("volumeBindingMode"), "field is immutable")
        )
    return errors


STORAGE_CLASS_KIND = KindInfo(
    kind="StorageClass",
    group="storage.k8s.io",
    version="v1",
    plural="storageclasses",
    namespaced=False,
    schema=STORAGE_CLASS,
    short_names=("sc",),
    defaulter=default_storage_class,
    validator=validate_storage_class,
    update_validator=validate_storage_class_update,
    status_subresource=False,
    generation_fields=(),
)
