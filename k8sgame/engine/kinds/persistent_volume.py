"""PersistentVolume (v1, cluster-scoped): a piece of storage with a capacity, access modes,
a class and, once bound, a ``claimRef`` to its PersistentVolumeClaim. Defaults
(``SetDefaults_PersistentVolume``): reclaim policy Retain, volumeMode Filesystem, phase
Pending until the persistentvolume-controller makes it Available. Volume sources the
simulator stores: hostPath, local, nfs and csi (where their data lives: ``engine/storage``,
``kubelet/volume_data``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import ANY, QUANTITY_MAP, STRING, STRING_LIST, TIME, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.kinds.event import OBJECT_REFERENCE
from k8sgame.engine.kinds.pod.schema import NODE_SELECTOR
from k8sgame.engine.quantity import is_quantity, parse_quantity
from k8sgame.engine.timefmt import rfc3339

PV_PROTECTION = "kubernetes.io/pv-protection"
ACCESS_MODES = ("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod")
RECLAIM_POLICIES = ("Delete", "Recycle", "Retain")
VOLUME_MODES = ("Block", "Filesystem")
VOLUME_SOURCES = ("hostPath", "local", "nfs", "csi")

PERSISTENT_VOLUME = Struct(
    "PersistentVolume",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "PersistentVolumeSpec",
            {
                "capacity": QUANTITY_MAP,
                "hostPath": Struct("HostPathVolumeSource", {"path": STRING, "type": STRING}),
                "local": Struct("LocalVolumeSource", {"path": STRING, "fsType": STRING}),
                "nfs": ANY,
                "csi": ANY,
                "accessModes": STRING_LIST,
                "claimRef": OBJECT_REFERENCE,
                "persistentVolumeReclaimPolicy": STRING,
                "storageClassName": STRING,
                "mountOptions": STRING_LIST,
                "volumeMode": STRING,
                "nodeAffinity": Struct("VolumeNodeAffinity", {"required": NODE_SELECTOR}),
                "volumeAttributesClassName": STRING,
            },
        ),
        "status": Struct(
            "PersistentVolumeStatus",
            {
                "phase": STRING,
                "message": STRING,
                "reason": STRING,
                "lastPhaseTransitionTime": TIME,
            },
        ),
    },
)


def default_persistent_volume(pv: dict[str, Any], ctx: AdmissionContext) -> None:
    spec = pv.setdefault("spec", {})
    spec.setdefault("persistentVolumeReclaimPolicy", "Retain")
    spec.setdefault("volumeMode", "Filesystem")


def prepare_persistent_volume(pv: dict[str, Any], ctx: AdmissionContext) -> None:
    """The strategy's PrepareForCreate: status starts as Pending, stamped with the time."""
    pv["status"] = {"phase": "Pending", "lastPhaseTransitionTime": rfc3339(ctx.now)}
    # The StorageObjectInUseProtection admission plugin: kept while a claim is bound to it.
    finalizers = pv["metadata"].setdefault("finalizers", [])
    if PV_PROTECTION not in finalizers:
        finalizers.append(PV_PROTECTION)


def validate_access_modes(path: str, modes: Any, message: str = "") -> list[FieldError]:
    """Access modes: at least one, each known, ReadWriteOncePod alone."""
    if not modes:
        return [required(path, message)]
    errors = [not_supported(path, mode, ACCESS_MODES) for mode in modes if mode not in ACCESS_MODES]
    if "ReadWriteOncePod" in modes and len(modes) > 1:
        errors.append(forbidden(path, "may not use ReadWriteOncePod with other access modes"))
    return errors


def storage_request(path: str, amounts: Any) -> list[FieldError]:
    """A storage amount that is there and above zero."""
    amount = (amounts or {}).get("storage")
    if amount is None:
        return [required(f"{path}[storage]")]
    if not is_quantity(amount) or parse_quantity(amount) <= 0:
        return [invalid(f"{path}[storage]", amount, "must be greater than zero")]
    return []


def validate_persistent_volume(pv: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolume`` for the sources the simulator stores."""
    spec = pv.get("spec") or {}
    errors = validate_access_modes("spec.accessModes", spec.get("accessModes"))
    if not spec.get("capacity"):
        errors.append(required("spec.capacity"))
    else:
        errors.extend(storage_request("spec.capacity", spec.get("capacity")))
    policy = spec.get("persistentVolumeReclaimPolicy")
    if policy not in RECLAIM_POLICIES:
        errors.append(not_supported("spec.persistentVolumeReclaimPolicy", policy, RECLAIM_POLICIES))
    elif policy == "Recycle":
        # Deprecated upstream (a recycler pod scrubs the volume); the simulator has none.
        errors.append(
            forbidden(
                "spec.persistentVolumeReclaimPolicy",
                "the Recycle reclaim policy is not modelled by the simulator; use Retain or Delete",
            )
        )
    mode = spec.get("volumeMode")
    if mode not in VOLUME_MODES:
        errors.append(not_supported("spec.volumeMode", mode, VOLUME_MODES))
    sources = [name for name in VOLUME_SOURCES if spec.get(name) is not None]
    if not sources:
        errors.append(required("spec", "must specify a volume type"))
    if spec.get("local") is not None and not spec.get("nodeAffinity"):
        errors.append(required("spec.nodeAffinity", "Local volume requires node affinity"))
    return errors


def validate_persistent_volume_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePersistentVolumeUpdate``: the volume source and class cannot change."""
    errors = validate_persistent_volume(new)
    before, after = old.get("spec") or {}, new.get("spec") or {}
    for name in VOLUME_SOURCES:
        if before.get(name) != after.get(name):
            errors.append(
                forbidden(
                    "spec.persistentvolumesource", "spec.persistentvolumesource is forbidden."
                )
            )
            break
    if before.get("volumeMode") != after.get("volumeMode"):
        errors.append(invalid("spec.volumeMode", after.get("volumeMode"), "field is immutable"))
    if before.get("nodeAffinity") and before.get("nodeAffinity") != after.get("nodeAffinity"):
        errors.append(invalid("spec.nodeAffinity", after.get("nodeAffinity"), "field is immutable"))
    return errors


PERSISTENT_VOLUME_KIND = KindInfo(
    kind="PersistentVolume",
    group="",
    version="v1",
    plural="persistentvolumes",
    namespaced=False,
    schema=PERSISTENT_VOLUME,
    short_names=("pv",),
    defaulter=default_persistent_volume,
    prepare_create=prepare_persistent_volume,
    validator=validate_persistent_volume,
    update_validator=validate_persistent_volume_update,
    generation_fields=(),
)
