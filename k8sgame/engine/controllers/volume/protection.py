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


class StorageProtectionController(QueueController[tuple[str, str, str]]):
    """Both protection loops; keys are (kind, namespace, name)."""

    name = "storage-protection"
    kinds = ("PersistentVolumeClaim", "PersistentVolume", "Pod")

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = str(md.get("namespace") or "")
        if event.kind == "Pod":
            for volume in (event.obj.get("spec") or {}).get("volumes") or []:
                claim = (volume.get("persistentVolumeClaim") or {}).get("claimName")
                if claim:
                    self.queue.add(("PersistentVolumeClaim", namespace, str(claim)))
            return
        if md.get("deletionTimestamp"):
            self.queue.add((event.kind, namespace, md["name"]))

    def reconcile(self, key: tuple[str, str, str]) -> Result | None:
        kind, namespace, name = key
        obj = self.informer.get((kind, namespace, name))
        if obj is None or not obj["metadata"].get("deletionTimestamp"):
            return None
        if kind == "PersistentVolumeClaim":
            finalizer = PVC_PROTECTION
            in_use = any(
                _uses(pod, name) and (pod.get("status") or {}).get("phase") not in FINISHED
                for _, pod in self.informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{namespace}")
            )
        else:
            finalizer = PV_PROTECTION
            in_use = (obj.get("status") or {}).get("phase") == "Bound"
        finalizers = obj["metadata"].get("finalizers") or []
        if in_use or finalizer not in finalizers:
            return None
        updated = clone(obj)
        updated["metadata"]["finalizers"] = [f for f in finalizers if f != finalizer]
        try:
            self.api.update(updated)
        except ApiError:
            pass
        return None
