"""The local-path provisioner a kind cluster runs (``rancher.io/local-path``), simulated as
one component: for a claim of its class that the scheduler has given a node
(``volume.kubernetes.io/selected-node``) it makes a hostPath PersistentVolume on that node,
named ``pvc-<claim uid>`` and pre-bound to the claim, about three seconds later (as observed on
kind); when such a volume is released with reclaim policy Delete it deletes it, and its
directory on the node with everything in it (the provisioner's helper pod does that). Its
events come from ``sig-storage-lib-external-provisioner``: ``Provisioning`` and
``ProvisioningSucceeded`` on the claim."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.controllers.volume.matching import (
    BIND_COMPLETED,
    PROVISIONED_BY,
    SELECTED_NODE,
    STORAGE_PROVISIONER,
    claim_class,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, EventRecorder
from k8sgame.engine.kinds.storage_class import DEFAULT_CLASS_ANNOTATION
from k8sgame.engine.store import DELETED, WatchEvent

PROVISIONER = "rancher.io/local-path"
BASE_PATH = "/var/local-path-provisioner"
NODE_ANNOTATION = "local.path.provisioner/selected-node"
PROVISIONING_SECONDS = 3.0
# The library names its event source provisioner_hostname_uuid; the pod and uuid are fixed
# here (derived from the provisioner's name) so every run prints the same words.
_DIGEST = hashlib.sha256(PROVISIONER.encode()).hexdigest()
IDENTITY = (
    f"{PROVISIONER}_local-path-provisioner-{_DIGEST[:10]}-{_DIGEST[10:15]}_"
    f"{_DIGEST[16:24]}-{_DIGEST[24:28]}-{_DIGEST[28:32]}-{_DIGEST[32:36]}-{_DIGEST[36:48]}"
)

Obj = dict[str, Any]


def default_storage_class() -> Obj:
    """kind's default class: ``standard``, served by this provisioner, deleting released
    volumes, binding when the first pod is scheduled."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": "standard",
            "annotations": {DEFAULT_CLASS_ANNOTATION: "true"},
        },
        "provisioner": PROVISIONER,
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }


class LocalPathProvisioner(QueueController[tuple[str, str, str]]):
    name = "local-path-provisioner"
    kinds = ("PersistentVolumeClaim", "PersistentVolume")

    def __init__(
        self,
        api: Client,
        informer: Informer,
        clock: SimClock,
        wipe: Callable[[str, str], None] | None = None,
    ) -> None:
        """``wipe(node, path)`` deletes a directory on a node's disk."""
        super().__init__(api, informer, clock)
        self.clock = clock
        self.wipe = wipe
        self.recorder = EventRecorder(api, clock)
        self._started: dict[tuple[str, str], float] = {}

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.kind == "PersistentVolumeClaim" and event.type != DELETED:
            self.queue.add(("claim", md.get("namespace", ""), md["name"]))
        elif event.kind == "PersistentVolume" and event.type != DELETED:
            self.queue.add(("volume", "", md["name"]))

    def reconcile(self, key: tuple[str, str, str]) -> Result | None:
        what, namespace, name = key
        if what == "volume":
            pv = self.informer.get(("PersistentVolume", "", name))
            if pv is not None:
                self._maybe_delete(pv)
            return None
        pvc = self.informer.get(("PersistentVolumeClaim", namespace, name))
        if pvc is None or not self._wanted(pvc):
            self._started.pop((namespace, name), None)
            return None
        started = self._started.get((namespace, name))
        if started is None:
            self._started[(namespace, name)] = self.clock.now
            self.recorder.record(
                pvc,
                NORMAL,
                "Provisioning",
                f'External provisioner is provisioning volume for claim "{namespace}/{name}"',
                IDENTITY,
            )
            return Result(requeue_after=PROVISIONING_SECONDS)
        if self.clock.now < started + PROVISIONING_SECONDS:
            return Result(requeue_after=started + PROVISIONING_SECONDS - self.clock.now)
        self._provision(pvc)
        self._started.pop((namespace, name), None)
        return None

    def _wanted(self, pvc: Obj) -> bool:
        md = pvc["metadata"]
        annotations = md.get("annotations") or {}
        return (
            not md.get("deletionTimestamp")
            and not (pvc.get("spec") or {}).get("volumeName")
            and annotations.get(BIND_COMPLETED) != "yes"
            and annotations.get(STORAGE_PROVISIONER) == PROVISIONER
            and bool(annotations.get(SELECTED_NODE))
        )

    def _provision(self, pvc: Obj) -> None:
        md, spec = pvc["metadata"], pvc.get("spec") or {}
        namespace = md.get("namespace", "")
        node = str((md.get("annotations") or {})[SELECTED_NODE])
        storage_class = self.informer.get(("StorageClass", "", claim_class(pvc))) or {}
        name = f"pvc-{md['uid']}"
        pv: Obj = {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {
                "name": name,
                "annotations": {NODE_ANNOTATION: node, PROVISIONED_BY: PROVISIONER},
            },
            "spec": {
                "accessModes": list(spec.get("accessModes") or []),
                "capacity": {
                    "storage": ((spec.get("resources") or {}).get("requests") or {}).get("storage")
                },
                "claimRef": {
                    "apiVersion": "v1",
                    "kind": "PersistentVolumeClaim",
                    "name": md["name"],
                    "namespace": namespace,
                    "resourceVersion": md.get("resourceVersion", ""),
                    "uid": md["uid"],
                },
                "hostPath": {
                    "path": f"{BASE_PATH}/{name}_{namespace}_{md['name']}",
                    "type": "DirectoryOrCreate",
                },
                "nodeAffinity": {
                    "required": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {
                                        "key": "kubernetes.io/hostname",
                                        "operator": "In",
                                        "values": [node],
                                    }
                                ]
                            }
                        ]
                    }
                },
                "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy", "Delete"),
                "storageClassName": claim_class(pvc),
                "volumeMode": spec.get("volumeMode", "Filesystem"),
            },
        }
        try:
            self.api.create(pv)
        except ApiError as error:
            if error.reason != "AlreadyExists":
                raise
            return
        self.recorder.record(
            pvc,
            NORMAL,
            "ProvisioningSucceeded",
            f"Successfully provisioned volume {name}",
            IDENTITY,
        )

    def _maybe_delete(self, pv: Obj) -> None:
        annotations = pv["metadata"].get("annotations") or {}
        if (
            annotations.get(PROVISIONED_BY) == PROVISIONER
            and (pv.get("status") or {}).get("phase") == "Released"
            and (pv.get("spec") or {}).get("persistentVolumeReclaimPolicy") == "Delete"
            and not pv["metadata"].get("deletionTimestamp")
        ):
            try:
                self.api.delete("PersistentVolume", pv["metadata"]["name"])
            except ApiError:
                return
            node = annotations.get(NODE_ANNOTATION)
            path = ((pv.get("spec") or {}).get("hostPath") or {}).get("path")
            if self.wipe is not None and node and path:
                self.wipe(str(node), str(path))
