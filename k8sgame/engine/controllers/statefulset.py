"""The StatefulSet controller as ``statefulset-controller`` (``pkg/controller/statefulset``,
``stateful_set_control.go``, ``stateful_set_utils.go``, ``stateful_pod_control.go``).

Each sync of a StatefulSet:

1. claims its pods and sorts them by ordinal: ``<set>-<i>`` for i in
   ``[start, start+replicas)`` are replicas, the rest are condemned (highest first);
2. walks the replicas in order: a Failed or Succeeded pod is deleted (made again on a later
   sync), a missing one is created after its claims (``<template>-<set>-<i>``, labels from
   the selector), and with OrderedReady the walk stops at a pod just created, terminating,
   not Running and Ready, or not available for ``minReadySeconds``;
3. deletes condemned pods, highest ordinal first, one at a time with OrderedReady (all at
   once with Parallel);
4. with RollingUpdate, deletes the highest-ordinal pod not at the update revision, down to
   ``partition``, one at a time, once the ones above it are available again;
5. writes the status: replicas, ready, available, current and updated counts and revisions.

Pods carry ``statefulset.kubernetes.io/pod-name``, ``apps.kubernetes.io/pod-index`` and
``controller-revision-hash`` (``<set>-<template hash>``), ``hostname`` and ``subdomain``.
ControllerRevision objects are not kept: the controller remembers each revision's template
itself, so pods below a partition are made again from the template they had."""

from __future__ import annotations

import re
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import Informer, QueueController, Result
from k8sgame.engine.controllers.deployment.revisions import template_hash
from k8sgame.engine.controllers.ownership import claim, controller_ref, controller_reference
from k8sgame.engine.errors import ApiError
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.kinds.stateful_set import ON_DELETE, PARALLEL, ROLLING_UPDATE
from k8sgame.engine.labels import SelectorError, from_label_selector
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339

COMPONENT = "statefulset-controller"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REVISION_LABEL = "controller-revision-hash"
_ORDINAL = re.compile(r"(.*)-([0-9]+)$")

Obj = dict[str, Any]


def parse_ordinal(pod: Obj, set_name: str) -> int | None:
    """``getParentNameAndOrdinal`` for a pod of this set, or None."""
    match = _ORDINAL.match(pod["metadata"]["name"])
    if match is None or match.group(1) != set_name:
        return None
    return int(match.group(2))


def revision_name(sts: Obj) -> str:
    """The update revision's name: ``<set>-<hash of the pod template>``."""
    template = (sts.get("spec") or {}).get("template") or {}
    collisions = int((sts.get("status") or {}).get("collisionCount") or 0)
    return f"{sts['metadata']['name']}-{template_hash(template, collisions)}"


def _ready_since(pod: Obj) -> float | None:
    status = pod.get("status") or {}
    if status.get("phase") != "Running":
        return None
    for condition in status.get("conditions") or []:
        if condition.get("type") == "Ready":
            if condition.get("status") != "True":
                return None
            stamp = condition.get("lastTransitionTime")
            return parse_rfc3339(stamp) if stamp else 0.0
    return None


class StatefulSetController(QueueController[tuple[str, str]]):
    name = "statefulset-controller"
    kinds = ("StatefulSet", "Pod")

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.clock = clock
        self.recorder = EventRecorder(api, clock)
        # Each revision's pod template, as ControllerRevisions would hold it.
        self._templates: dict[tuple[str, str], Obj] = {}

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        namespace = md.get("namespace", "")
        if event.kind == "StatefulSet":
            if event.type != DELETED:
                self.queue.add((namespace, md["name"]))
            return
        for pod in (event.obj, event.old):
            ref = controller_ref(pod) if pod is not None else None
            if ref is not None and ref.get("kind") == "StatefulSet":
                self.queue.add((namespace, str(ref.get("name", ""))))

    # -- one sync -------------------------------------------------------------------------

    def reconcile(self, key: tuple[str, str]) -> Result | None:
        namespace, name = key
        stored = self.informer.get(("StatefulSet", namespace, name))
        if stored is None:
            return None
        sts = clone(stored)
        spec = sts.get("spec") or {}
        try:
            selector = from_label_selector(spec.get("selector"))
        except SelectorError:
            return None
        pods = [
            p
            for p in claim(self.informer, self.api, sts, "Pod", selector.matches)
            if parse_ordinal(p, name) is not None
        ]
        update = revision_name(sts)
        self._templates.setdefault((namespace, update), clone(spec.get("template") or {}))
        current = str((sts.get("status") or {}).get("currentRevision") or update)
        if (namespace, current) not in self._templates:
            current = update
        requeue = None
        if not sts["metadata"].get("deletionTimestamp"):
            requeue = self._sync(sts, pods, current, update)
        self._write_status(stored, sts, current, update)
        return Result(requeue_after=requeue) if requeue is not None else None

    def _sync(self, sts: Obj, pods: list[Obj], current: str, update: str) -> float | None:
        spec = sts.get("spec") or {}
        name = sts["metadata"]["name"]
        start = int((spec.get("ordinals") or {}).get("start") or 0)
        count = int(spec.get("replicas") or 0)
        monotonic = spec.get("podManagementPolicy") != PARALLEL
        min_ready = int(spec.get("minReadySeconds") or 0)
        by_ordinal = {parse_ordinal(p, name): p for p in pods}
        condemned = sorted(
            (p for o, p in by_ordinal.items() if o is None or not start <= o < start + count),
            key=lambda p: -(parse_ordinal(p, name) or 0),
        )
        rolling = ((spec.get("updateStrategy") or {}).get("rollingUpdate")) or {}
        partition = int(rolling.get("partition") or 0)
        wait: float | None = None
        for ordinal in range(start, start + count):
            pod = by_ordinal.get(ordinal)
            if pod is not None and (pod.get("status") or {}).get("phase") in (
                "Failed",
                "Succeeded",
            ):
                if not pod["metadata"].get("deletionTimestamp"):
                    self._delete_pod(sts, pod)
                if monotonic:
                    return None
                continue
            if pod is None:
                revision = current if ordinal < start + partition else update
                self._create_pod(sts, ordinal, revision)
                if monotonic:
                    return None
                continue
            if (pod.get("status") or {}).get("phase") == "Pending":
                self._create_claims(sts, pod, ordinal)
            if not monotonic:
                continue
            if pod["metadata"].get("deletionTimestamp"):
                return None
            since = _ready_since(pod)
            if since is None:
                return None
            if self.clock.now < since + min_ready:
                return since + min_ready - self.clock.now
        for pod in condemned:
            if pod["metadata"].get("deletionTimestamp"):
                if monotonic:
                    return None
                continue
            if monotonic and _ready_since(pod) is None and pod is not condemned[0]:
                return None
            self._scale_down(sts, pod, parse_ordinal(pod, name))
            if monotonic:
                return None
        if (spec.get("updateStrategy") or {}).get("type") == ON_DELETE:
            return wait
        for ordinal in range(start + count - 1, start + partition - 1, -1):
            pod = by_ordinal.get(ordinal)
            if pod is None:
                return wait
            if pod["metadata"].get("labels", {}).get(REVISION_LABEL) != update and not pod[
                "metadata"
            ].get("deletionTimestamp"):
                self._delete_pod(sts, pod)
                return None
            since = _ready_since(pod)
            if since is None or self.clock.now < since + min_ready:
                return wait
        return wait

    # -- pods and claims --------------------------------------------------------------------

    def _claim_name(self, template: Obj, sts: Obj, ordinal: int) -> str:
        return f"{template['metadata']['name']}-{sts['metadata']['name']}-{ordinal}"

    def _create_claims(self, sts: Obj, pod_name: Obj | str, ordinal: int) -> bool:
        """Any missing claim of the pod's volume claim templates; False if one failed."""
        spec = sts.get("spec") or {}
        namespace = sts["metadata"].get("namespace", "")
        pod = pod_name if isinstance(pod_name, str) else pod_name["metadata"]["name"]
        match_labels = (spec.get("selector") or {}).get("matchLabels") or {}
        retention = spec.get("persistentVolumeClaimRetentionPolicy") or {}
        for template in spec.get("volumeClaimTemplates") or []:
            claim_name = self._claim_name(template, sts, ordinal)
            existing = self.informer.get(("PersistentVolumeClaim", namespace, claim_name))
            if existing is not None:
                if existing["metadata"].get("deletionTimestamp"):
                    self._event(
                        sts,
                        WARNING,
                        "FailedCreate",
                        f"create Pod {pod} in StatefulSet {sts['metadata']['name']} failed "
                        f"error: pvc {claim_name} is being deleted",
                    )
                    return False
                continue
            md = template.get("metadata") or {}
            labels = {**(md.get("labels") or {}), **match_labels}
            pvc: Obj = {
                "apiVersion": "v1",
                "kind": "PersistentVolumeClaim",
                "metadata": {"name": claim_name, "namespace": namespace},
                "spec": clone(template.get("spec") or {}),
            }
            if labels:
                pvc["metadata"]["labels"] = labels
            if md.get("annotations"):
                pvc["metadata"]["annotations"] = clone(md["annotations"])
            if retention.get("whenDeleted") == "Delete":
                pvc["metadata"]["ownerReferences"] = [controller_reference(sts)]
            try:
                self.api.create(pvc)
            except ApiError as error:
                if error.reason == "AlreadyExists":
                    continue
                self._event(
                    sts,
                    WARNING,
                    "FailedCreate",
                    f"create Claim {claim_name} for Pod {pod} in StatefulSet "
                    f"{sts['metadata']['name']} failed error: {error.message}",
                )
                return False
            self._event(
                sts,
                NORMAL,
                "SuccessfulCreate",
                f"create Claim {claim_name} Pod {pod} in StatefulSet {sts['metadata']['name']} "
                "success",
            )
        return True

    def _create_pod(self, sts: Obj, ordinal: int, revision: str) -> None:
        spec = sts.get("spec") or {}
        md = sts["metadata"]
        namespace = md.get("namespace", "")
        name = f"{md['name']}-{ordinal}"
        if not self._create_claims(sts, name, ordinal):
            return
        template = self._templates.get((namespace, revision)) or spec.get("template") or {}
        template_md = template.get("metadata") or {}
        pod_spec = clone(template.get("spec") or {})
        claims = [
            {
                "name": t["metadata"]["name"],
                "persistentVolumeClaim": {"claimName": self._claim_name(t, sts, ordinal)},
            }
            for t in spec.get("volumeClaimTemplates") or []
        ]
        taken = {c["name"] for c in claims}
        pod_spec["volumes"] = claims + [
            v for v in pod_spec.get("volumes") or [] if v.get("name") not in taken
        ]
        if not pod_spec["volumes"]:
            del pod_spec["volumes"]
        pod_spec["hostname"] = name
        if spec.get("serviceName"):
            pod_spec["subdomain"] = spec["serviceName"]
        pod: Obj = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "generateName": f"{md['name']}-",
                "namespace": namespace,
                "labels": {
                    **(template_md.get("labels") or {}),
                    POD_NAME_LABEL: name,
                    POD_INDEX_LABEL: str(ordinal),
                    REVISION_LABEL: revision,
                },
                "ownerReferences": [controller_reference(sts)],
            },
            "spec": pod_spec,
        }
        for field in ("annotations", "finalizers"):
            if template_md.get(field):
                pod["metadata"][field] = clone(template_md[field])
        try:
            self.api.create(pod)
        except ApiError as error:
            if error.reason != "AlreadyExists":
                self._event(
                    sts,
                    WARNING,
                    "FailedCreate",
                    f"create Pod {name} in StatefulSet {md['name']} failed error: {error.message}",
                )
            return
        self._event(
            sts,
            NORMAL,
            "SuccessfulCreate",
            f"create Pod {name} in StatefulSet {md['name']} successful",
        )

    def _scale_down(self, sts: Obj, pod: Obj, ordinal: int | None) -> None:
        """A condemned pod; with ``whenScaled: Delete`` its claims go with it (owned by it)."""
        spec = sts.get("spec") or {}
        retention = spec.get("persistentVolumeClaimRetentionPolicy") or {}
        if retention.get("whenScaled") == "Delete" and ordinal is not None:
            namespace = sts["metadata"].get("namespace", "")
            for template in spec.get("volumeClaimTemplates") or []:
                claim_name = self._claim_name(template, sts, ordinal)
                pvc = self.informer.get(("PersistentVolumeClaim", namespace, claim_name))
                if pvc is None:
                    continue
                updated = clone(pvc)
                updated["metadata"]["ownerReferences"] = [controller_reference(pod)]
                try:
                    self.api.update(updated)
                except ApiError:
                    pass
        self._delete_pod(sts, pod)

    def _delete_pod(self, sts: Obj, pod: Obj) -> None:
        name = pod["metadata"]["name"]
        try:
            self.api.delete("Pod", name, pod["metadata"].get("namespace", ""))
        except ApiError as error:
            if error.reason != "NotFound":
                self._event(
                    sts,
                    WARNING,
                    "FailedDelete",
                    f"delete Pod {name} in StatefulSet {sts['metadata']['name']} failed error: "
                    f"{error.message}",
                )
            return
        self._event(
            sts,
            NORMAL,
            "SuccessfulDelete",
            f"delete Pod {name} in StatefulSet {sts['metadata']['name']} successful",
        )

    # -- status -----------------------------------------------------------------------------

    def _write_status(self, stored: Obj, sts: Obj, current: str, update: str) -> None:
        spec = sts.get("spec") or {}
        name = sts["metadata"]["name"]
        min_ready = int(spec.get("minReadySeconds") or 0)
        pods = [p for p in self.informer.by_index("owner-uid", str(sts["metadata"].get("uid", "")))]
        replicas = ready = available = current_count = updated = 0
        for _, pod in pods:
            if pod.get("kind") != "Pod" or parse_ordinal(pod, name) is None:
                continue
            if not (pod.get("status") or {}).get("phase"):
                continue
            replicas += 1
            since = _ready_since(pod)
            if since is not None:
                ready += 1
                if self.clock.now >= since + min_ready:
                    available += 1
            if pod["metadata"].get("deletionTimestamp"):
                continue
            revision = (pod["metadata"].get("labels") or {}).get(REVISION_LABEL)
            current_count += revision == current
            updated += revision == update
        strategy = (spec.get("updateStrategy") or {}).get("type")
        wanted = int(spec.get("replicas") or 0)
        if strategy == ROLLING_UPDATE and updated == ready == replicas == wanted:
            current_count, current = updated, update
        status: Obj = {
            "observedGeneration": sts["metadata"].get("generation"),
            "replicas": replicas,
            "readyReplicas": ready,
            "currentReplicas": current_count,
            "updatedReplicas": updated,
            "currentRevision": current,
            "updateRevision": update,
            "collisionCount": 0,
            "availableReplicas": available,
        }
        # omitempty: zero counts and empty names are left out, except replicas and available.
        status = {
            k: v
            for k, v in status.items()
            if k in ("replicas", "availableReplicas", "collisionCount") or v not in (0, None, "")
        }
        if (stored.get("status") or {}) == status:
            return
        updated_obj = dict(stored)
        updated_obj["status"] = status
        try:
            self.api.update_status(updated_obj)
        except ApiError:
            pass

    def _event(self, sts: Obj, kind: str, reason: str, message: str) -> None:
        self.recorder.record(sts, kind, reason, message, COMPONENT)
