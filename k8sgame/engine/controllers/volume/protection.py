"""The pvc-protection and pv-protection controllers (``pkg/controller/volume/pvcprotection``,
``pvprotection``): a claim being deleted keeps its ``kubernetes.io/pvc-protection`` finalizer
while a pod that is not finished uses it; a volume being deleted keeps
``kubernetes.io/pv-protection`` while it is Bound."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.base import KIND_NAMESPACE_INDEX, QueueController, Result
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.persistent_volume import PV_PROTECTION
from k8sgame.engine.kinds.persistent_volume_claim import PVC_PROTECTION
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import WatchEvent

Obj = dict[str, Any]
FINISHED = ("Succeeded", "Failed")


def _uses(pod: Obj, claim: str) -> bool:
    return any(
        (volume.get("persistentVolumeClaim") or {}).get("claimName") == claim
        for volume in (pod.get("spec") or {}).get("volumes") or []
    )


class _ProtectionController(QueueController[tuple[str, str]]):
    """Removes ``finalizer`` from a deleted object of ``protected`` once it is not in use."""

    protected = ""
    finalizer = ""

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.kind == self.protected and md.get("deletionTimestamp"):
            self.queue.add((str(md.get("namespace") or ""), md["name"]))

    def in_use(self, obj: Obj) -> bool:
        raise NotImplementedError

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        obj = self.informer.get((self.protected, *key))
        if obj is None or not obj["metadata"].get("deletionTimestamp"):
            return None
        finalizers = obj["metadata"].get("finalizers") or []
        if self.finalizer not in finalizers or self.in_use(obj):
            return None
        updated = clone(obj)
        updated["metadata"]["finalizers"] = [f for f in finalizers if f != self.finalizer]
        try:
            self.api.update(updated)
        except ApiError:
            pass
        return None


class PVCProtectionController(_ProtectionController):
    """A claim is in use while a pod that is not finished names it."""

    name = "pvc-protection-controller"
    kinds = ("PersistentVolumeClaim", "Pod")
    protected = "PersistentVolumeClaim"
    finalizer = PVC_PROTECTION

    def on_event(self, event: WatchEvent) -> None:
        if event.kind != "Pod":
            super().on_event(event)
            return
        namespace = str(event.obj["metadata"].get("namespace") or "")
        for volume in (event.obj.get("spec") or {}).get("volumes") or []:
            claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
            if claim:
                self.queue.add((namespace, str(claim)))

    def in_use(self, obj: Obj) -> bool:
        md = obj["metadata"]
        pods = self.informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{md.get('namespace', '')}")
        return any(
            _uses(pod, md["name"]) and (pod.get("status") or {}).get("phase") not in FINISHED
            for _, pod in pods
        )


class PVProtectionController(_ProtectionController):
    """A volume is in use while it is Bound."""

    name = "pv-protection-controller"
    kinds = ("PersistentVolume",)
    protected = "PersistentVolume"
    finalizer = PV_PROTECTION

    def in_use(self, obj: Obj) -> bool:
        return (obj.get("status") or {}).get("phase") == "Bound"
