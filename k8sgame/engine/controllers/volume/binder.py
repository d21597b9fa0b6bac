"""The persistentvolume-controller (``pkg/controller/volume/persistentvolume``,
``pv_controller.go``): binds claims to volumes and reclaims volumes whose claim is gone.

A claim is synced when it or a volume changes and every 15 seconds while unbound (the
``--pvclaimbinder-sync-period``), so its waiting events repeat as on a real cluster:
``WaitForFirstConsumer``, ``ExternalProvisioning``, ``ProvisioningFailed``, ``FailedBinding``.
Binding writes the volume's ``claimRef`` and phase, then the claim's ``volumeName``,
annotations and status, and records no event. A volume whose claim is gone is Released and
then kept (Retain) or deleted (Delete: by its provisioner, or for a static hostPath volume
only under ``/tmp``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import KIND_NAMESPACE_INDEX, Informer, QueueController, Result
from k8sgame.engine.controllers.volume.matching import (
    BETA_STORAGE_PROVISIONER,
    BIND_COMPLETED,
    BOUND_BY_CONTROLLER,
    PROVISIONED_BY,
    SELECTED_NODE,
    STORAGE_PROVISIONER,
    WAIT_FOR_FIRST_CONSUMER,
    bound_to_claim,
    claim_class,
    claim_reference,
    find_matching_volume,
    mismatch,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.kinds.storage_class import is_default_class
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import rfc3339

COMPONENT = "persistentvolume-controller"
SYNC_PERIOD = 15.0
TERMINAL_PHASES = ("Succeeded", "Failed")
EXTERNAL_PROVISIONING = (
    "Waiting for a volume to be created either by the external provisioner '{provisioner}' or "
    "manually by the system administrator. If volume creation is delayed, please verify that "
    "the provisioner is running and correctly registered."
)

Obj = dict[str, Any]
# ("pv", "", name) or ("pvc", namespace, name): upstream syncs volumes and claims from two
# queues as events come; here one sorted drain takes the volumes first, so a volume made
# Available is seen by the claims synced after it.
VOLUME, CLAIM = "pv", "pvc"
Key = tuple[str, str, str]


class PersistentVolumeController(QueueController[Key]):
    name = "persistentvolume-controller"
    kinds = ("PersistentVolumeClaim", "PersistentVolume", "StorageClass", "Pod")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.kind == "PersistentVolumeClaim":
            self.queue.add((CLAIM, md.get("namespace", ""), md["name"]))
            volume = (event.obj.get("spec") or {}).get("volumeName")
            if event.type == DELETED and volume:
                self.queue.add((VOLUME, "", volume))
            elif event.type == DELETED:
                self._volumes_of_claim(event.obj)
        elif event.kind == "PersistentVolume":
            self.queue.add((VOLUME, "", md["name"]))
            ref = (event.obj.get("spec") or {}).get("claimRef")
            if ref:
                self.queue.add((CLAIM, str(ref.get("namespace", "")), str(ref.get("name", ""))))
            elif (event.obj.get("status") or {}).get("phase") == "Available":
                # A volume free to bind: claims still waiting need not wait for the resync.
                self._pending_claims()
        elif event.kind == "StorageClass" and event.type != DELETED:
            self._pending_claims()
        elif event.kind == "Pod" and event.type != DELETED and event.old is None:
            # A new consumer: its WaitForFirstConsumer claims now wait for it to be scheduled.
            for volume in (event.obj.get("spec") or {}).get("volumes") or []:
                source = volume.get("persistentVolumeClaim") or {}
                if source.get("claimName"):
                    self.queue.add((CLAIM, md.get("namespace", ""), source["claimName"]))

    def _pending_claims(self) -> None:
        for claim in self._claims(None):
            md = claim["metadata"]
            if (md.get("annotations") or {}).get(BIND_COMPLETED) != "yes":
                self.queue.add((CLAIM, md.get("namespace", ""), md["name"]))

    def _volumes_of_claim(self, pvc: Obj) -> None:
        for pv in self._volumes():
            if bound_to_claim(pv, pvc):
                self.queue.add((VOLUME, "", pv["metadata"]["name"]))

    def _volumes(self) -> list[Obj]:
        return [obj for _, obj in self.informer.by_index(KIND_NAMESPACE_INDEX, "PersistentVolume/")]

    def _claims(self, namespace: str | None) -> list[Obj]:
        if namespace is not None:
            return [
                obj
                for _, obj in self.informer.by_index(
                    KIND_NAMESPACE_INDEX, f"PersistentVolumeClaim/{namespace}"
                )
            ]
        found: list[Obj] = []
        for value in self.informer.index_values(KIND_NAMESPACE_INDEX):
            if value.startswith("PersistentVolumeClaim/"):
                found.extend(obj for _, obj in self.informer.by_index(KIND_NAMESPACE_INDEX, value))
        return found

    def reconcile(self, key: Key) -> Result | None:
        what, namespace, name = key
        if what == CLAIM:
            stored = self.informer.get(("PersistentVolumeClaim", namespace, name))
            if stored is None or stored["metadata"].get("deletionTimestamp"):
                return None
            annotations = stored["metadata"].get("annotations") or {}
            if annotations.get(BIND_COMPLETED) == "yes":
                self._sync_bound_claim(stored)
                return None
            return self._sync_unbound_claim(stored)
        stored = self.informer.get(("PersistentVolume", "", name))
        if stored is None:
            return None
        return self._sync_volume(stored)

    # -- claims -----------------------------------------------------------------------------

    def _sync_unbound_claim(self, pvc: Obj) -> Result | None:
        spec = pvc.get("spec") or {}
        if spec.get("volumeName"):
            return self._sync_prebound_claim(pvc, str(spec["volumeName"]))
        if "storageClassName" not in spec and self._assign_default_class(pvc):
            return None
        class_name = claim_class(pvc)
        storage_class = self.informer.get(("StorageClass", "", class_name)) if class_name else None
        delay = (
            storage_class is not None
            and storage_class.get("volumeBindingMode") == WAIT_FOR_FIRST_CONSUMER
        )
        volume = find_matching_volume(pvc, self._volumes(), delay)
        if volume is not None:
            self._bind(volume, pvc)
            return None
        annotations = pvc["metadata"].get("annotations") or {}
        if delay and SELECTED_NODE not in annotations:
            waiting = self._unscheduled_consumers(pvc)
            if waiting:
                names = ", ".join(waiting)
                noun = "pod" if len(waiting) == 1 else "pods"
                self._event(
                    pvc,
                    NORMAL,
                    "WaitForPodScheduled",
                    f"waiting for {noun} {names} to be scheduled",
                )
            else:
                self._event(
                    pvc,
                    NORMAL,
                    "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding",
                )
        elif class_name:
            if storage_class is None:
                self._event(
                    pvc,
                    WARNING,
                    "ProvisioningFailed",
                    f'storageclass.storage.k8s.io "{class_name}" not found',
                )
            else:
                provisioner = str(storage_class.get("provisioner", ""))
                self._set_provisioner(pvc, provisioner)
                self._event(
                    pvc,
                    NORMAL,
                    "ExternalProvisioning",
                    EXTERNAL_PROVISIONING.format(provisioner=provisioner),
                )
        else:
            self._event(
                pvc,
                NORMAL,
                "FailedBinding",
                "no persistent volumes available for this claim and no storage class is set",
            )
        return Result(requeue_after=SYNC_PERIOD)

    def _sync_prebound_claim(self, pvc: Obj, volume_name: str) -> Result | None:
        pv = self.informer.get(("PersistentVolume", "", volume_name))
        if pv is None:
            return Result(requeue_after=SYNC_PERIOD)
        ref = (pv.get("spec") or {}).get("claimRef")
        if ref and not bound_to_claim(pv, pvc):
            self._event(
                pvc,
                WARNING,
                "FailedBinding",
                f'volume "{volume_name}" already bound to a different claim.',
            )
            return Result(requeue_after=SYNC_PERIOD)
        problem = mismatch(pv, pvc)
        if problem is not None:
            self._event(
                pvc,
                WARNING,
                "VolumeMismatch",
                f'Cannot bind to requested volume "{volume_name}": {problem}',
            )
            return Result(requeue_after=SYNC_PERIOD)
        self._bind(pv, pvc)
        return None

    def _sync_bound_claim(self, pvc: Obj) -> None:
        name = (pvc.get("spec") or {}).get("volumeName")
        pv = self.informer.get(("PersistentVolume", "", str(name))) if name else None
        if not name:
            self._lose(
                pvc,
                "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!",
            )
        elif pv is None:
            self._lose(
                pvc, "Bound claim has lost its PersistentVolume. Data on the volume is lost!"
            )
        elif not bound_to_claim(pv, pvc):
            self._event(
                pvc,
                WARNING,
                "ClaimMisbound",
                "Two claims are bound to the same volume, this one is bound incorrectly",
            )
        elif (pvc.get("status") or {}).get("phase") != "Bound":
            self._claim_status(pvc, pv)

    def _lose(self, pvc: Obj, message: str) -> None:
        if (pvc.get("status") or {}).get("phase") == "Lost":
            return
        updated = clone(pvc)
        updated.setdefault("status", {})["phase"] = "Lost"
        self._write_status(updated)
        self._event(pvc, WARNING, "ClaimLost", message)

    def _assign_default_class(self, pvc: Obj) -> bool:
        """``assignDefaultStorageClass``: a claim left without a class gets the default one
        created after it."""
        defaults = [
            obj
            for _, obj in self.informer.by_index(KIND_NAMESPACE_INDEX, "StorageClass/")
            if is_default_class(obj)
        ]
        if not defaults:
            return False
        newest = max(
            defaults,
            key=lambda sc: (
                sc["metadata"].get("creationTimestamp") or "",
                [-ord(c) for c in sc["metadata"]["name"]],
            ),
        )
        updated = clone(pvc)
        updated["spec"]["storageClassName"] = newest["metadata"]["name"]
        try:
            self.api.update(updated)
        except ApiError:
            return False
        return True

    def _unscheduled_consumers(self, pvc: Obj) -> list[str]:
        namespace = pvc["metadata"].get("namespace", "")
        names = []
        for _, pod in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{namespace}"):
            spec = pod.get("spec") or {}
            if spec.get("nodeName") or (pod.get("status") or {}).get("phase") in TERMINAL_PHASES:
                continue
            if any(
                (v.get("persistentVolumeClaim") or {}).get("claimName") == pvc["metadata"]["name"]
                for v in spec.get("volumes") or []
            ):
                names.append(pod["metadata"]["name"])
        return sorted(names)

    def _set_provisioner(self, pvc: Obj, provisioner: str) -> None:
        annotations = pvc["metadata"].get("annotations") or {}
        if annotations.get(STORAGE_PROVISIONER) == provisioner:
            return
        updated = clone(pvc)
        updated["metadata"].setdefault("annotations", {}).update(
            {BETA_STORAGE_PROVISIONER: provisioner, STORAGE_PROVISIONER: provisioner}
        )
        try:
            self.api.update(updated)
        except ApiError:
            pass

    # -- binding ----------------------------------------------------------------------------

    def _bind(self, pv: Obj, pvc: Obj) -> None:
        """``bind``: the volume's claimRef and phase, then the claim's volumeName and status."""
        volume = clone(pv)
        if not bound_to_claim(pv, pvc) or not ((pv.get("spec") or {}).get("claimRef") or {}).get(
            "uid"
        ):
            if not (pv.get("spec") or {}).get("claimRef"):
                volume["metadata"].setdefault("annotations", {})[BOUND_BY_CONTROLLER] = "yes"
            volume["spec"]["claimRef"] = claim_reference(pvc)
            try:
                volume = clone(self.api.update(volume))
            except ApiError:
                return
        self._volume_phase(volume, "Bound")
        claim = clone(pvc)
        annotations = claim["metadata"].setdefault("annotations", {})
        if not claim["spec"].get("volumeName"):
            claim["spec"]["volumeName"] = pv["metadata"]["name"]
            annotations[BOUND_BY_CONTROLLER] = "yes"
        annotations[BIND_COMPLETED] = "yes"
        try:
            claim = clone(self.api.update(claim))
        except ApiError:
            return
        self._claim_status(claim, volume)

    def _claim_status(self, pvc: Obj, pv: Obj) -> None:
        updated = clone(pvc)
        status = updated.setdefault("status", {})
        status["phase"] = "Bound"
        status["accessModes"] = list((pv.get("spec") or {}).get("accessModes") or [])
        if "capacity" not in status:
            status["capacity"] = clone((pv.get("spec") or {}).get("capacity") or {})
        self._write_status(updated)

    def _write_status(self, obj: Obj) -> None:
        try:
            self.api.update_status(obj)
        except ApiError:
            pass

    # -- volumes ----------------------------------------------------------------------------

    def _sync_volume(self, pv: Obj) -> Result | None:
        if pv["metadata"].get("deletionTimestamp"):
            return None
        ref = (pv.get("spec") or {}).get("claimRef")
        phase = (pv.get("status") or {}).get("phase")
        if not ref:
            if phase != "Available":
                self._volume_phase(pv, "Available")
            return None
        claim = self.informer.get(
            ("PersistentVolumeClaim", str(ref.get("namespace", "")), str(ref.get("name", "")))
        )
        if not ref.get("uid"):
            # Pre-bound by its author: available to that claim only.
            if phase != "Available":
                self._volume_phase(pv, "Available")
            if claim is not None:
                self.queue.add(
                    (CLAIM, claim["metadata"].get("namespace", ""), claim["metadata"]["name"])
                )
            return None
        if claim is not None and claim["metadata"].get("uid") == ref.get("uid"):
            if (claim.get("spec") or {}).get("volumeName") == pv["metadata"]["name"]:
                if phase != "Bound":
                    self._volume_phase(pv, "Bound")
            else:
                self.queue.add(
                    (CLAIM, claim["metadata"].get("namespace", ""), claim["metadata"]["name"])
                )
            return None
        # The claim is gone: the volume is released, then reclaimed.
        if phase not in ("Released", "Failed"):
            pv = self._volume_phase(pv, "Released")
        return self._reclaim(pv)

    def _reclaim(self, pv: Obj) -> Result | None:
        spec = pv.get("spec") or {}
        policy = spec.get("persistentVolumeReclaimPolicy")
        if policy != "Delete":
            return None
        provisioner = (pv["metadata"].get("annotations") or {}).get(PROVISIONED_BY)
        if provisioner and not str(provisioner).startswith("kubernetes.io/"):
            return None  # its external provisioner deletes it
        path = str((spec.get("hostPath") or {}).get("path", ""))
        if (
            spec.get("hostPath") is not None
            and len(path) > len("/tmp/")
            and path.startswith("/tmp/")
        ):
            try:
                self.api.delete("PersistentVolume", pv["metadata"]["name"])
            except ApiError:
                pass
            return None
        if spec.get("hostPath") is not None:
            message = f"host_path deleter only supports /tmp/.+ but received provided {path}"
        else:
            message = (
                "error getting deleter volume plugin for volume: no deletable volume plugin matched"
            )
        updated = clone(pv)
        status = updated.setdefault("status", {})
        if status.get("phase") != "Failed" or status.get("message") != message:
            status["phase"] = "Failed"
            status["message"] = message
            status["lastPhaseTransitionTime"] = rfc3339(self.clock.now)
            self._write_status(updated)
        self._event(pv, WARNING, "VolumeFailedDelete", message)
        return Result(requeue_after=SYNC_PERIOD)

    def _volume_phase(self, pv: Obj, phase: str) -> Obj:
        updated = clone(pv)
        status = updated.setdefault("status", {})
        if status.get("phase") == phase:
            return pv
        status["phase"] = phase
        status.pop("message", None)
        status["lastPhaseTransitionTime"] = rfc3339(self.clock.now)
        try:
            return clone(self.api.update_status(updated))
        except ApiError:
            return pv

    def _event(self, obj: Obj, kind: str, reason: str, message: str) -> None:
        self.recorder.record(obj, kind, reason, message, COMPONENT)
