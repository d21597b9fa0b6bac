"""The VolumeBinding plugin (``pkg/scheduler/framework/plugins/volumebinding``): a pod's
PersistentVolumeClaims decide where it may run and hold it until its volumes are bound.

PreFilter refuses the pod everywhere (UnschedulableAndUnresolvable) when a claim is missing,
being deleted, lost, or unbound with immediate binding. Filter keeps a node only if each bound
volume's node affinity allows it and each claim waiting for its first consumer can be served
there: by an Available volume that fits and allows the node, or by its class's provisioner.
PreBind binds such a static volume to the claim, or asks for one by writing
``volume.kubernetes.io/selected-node``; the pod is bound to the node once every claim is
bound."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.controllers.volume.matching import (
    BOUND_BY_CONTROLLER,
    SELECTED_NODE,
    WAIT_FOR_FIRST_CONSUMER,
    claim_class,
    claim_reference,
    find_matching_volume,
)
from k8sgame.engine.scheduler.node_affinity import term_matches

Obj = dict[str, Any]
Lookup = Callable[[str, str, str], Obj | None]

PLUGIN = "VolumeBinding"
UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind"
REASON_NODE_CONFLICT = "node(s) didn't match PersistentVolume's node affinity"
NO_PROVISIONER = "kubernetes.io/no-provisioner"


def claim_names(pod: Obj) -> list[str]:
    """The claims a pod's volumes name, in order."""
    return [
        str(v["persistentVolumeClaim"]["claimName"])
        for v in (pod.get("spec") or {}).get("volumes") or []
        if (v.get("persistentVolumeClaim") or {}).get("claimName")
    ]


def volume_allows(pv: Obj, node: Obj) -> bool:
    """``CheckNodeAffinity``: a volume without node affinity fits every node."""
    required = (((pv.get("spec") or {}).get("nodeAffinity") or {}).get("required")) or {}
    terms = required.get("nodeSelectorTerms")
    if not terms:
        return True
    return any(term_matches(term, node) for term in terms)


@dataclass
class PodVolumes:
    """A pod's claims, sorted by what they need (``GetPodVolumeClaims``)."""

    bound: list[tuple[Obj, Obj]] = field(default_factory=list)  # (claim, volume)
    waiting: list[tuple[Obj, Obj | None]] = field(default_factory=list)  # (claim, class)


def pre_filter(pod: Obj, lookup: Lookup) -> tuple[PodVolumes | None, str | None]:
    """The claims, or the PreFilter message that keeps the pod off every node."""
    namespace = pod["metadata"].get("namespace", "")
    found = PodVolumes()
    for name in claim_names(pod):
        pvc = lookup("PersistentVolumeClaim", name, namespace)
        if pvc is None:
            return None, f'persistentvolumeclaim "{name}" not found'
        if pvc["metadata"].get("deletionTimestamp"):
            return None, f'persistentvolumeclaim "{name}" is being deleted'
        volume_name = (pvc.get("spec") or {}).get("volumeName")
        if (pvc.get("status") or {}).get("phase") == "Lost":
            return None, (
                f'persistentvolumeclaim "{name}" bound to non-existent persistentvolume '
                f'"{volume_name}"'
            )
        if (pvc.get("status") or {}).get("phase") == "Bound" and volume_name:
            pv = lookup("PersistentVolume", str(volume_name), "")
            if pv is not None:
                found.bound.append((pvc, pv))
                continue
        class_name = claim_class(pvc)
        storage_class = lookup("StorageClass", class_name, "") if class_name else None
        delayed = (
            storage_class is not None
            and storage_class.get("volumeBindingMode") == WAIT_FOR_FIRST_CONSUMER
            and not volume_name
        )
        if not delayed:
            return None, UNBOUND_IMMEDIATE
        found.waiting.append((pvc, storage_class))
    return found, None


def _take_static(pvc: Obj, node: Obj, available: list[Obj], taken: set[str]) -> Obj | None:
    """An Available volume on this node for the claim, not already taken by another claim of
    the pod (and then taken)."""
    pv = find_matching_volume(
        pvc,
        [v for v in available if v["metadata"]["name"] not in taken],
        True,
        lambda volume: volume_allows(volume, node),
    )
    if pv is not None:
        taken.add(pv["metadata"]["name"])
    return pv


def fits_node(volumes: PodVolumes, node: Obj, available: list[Obj]) -> str | None:
    """``FindPodVolumes`` for one node: the reason it cannot serve the claims, or None."""
    name = node["metadata"]["name"]
    for _, bound_volume in volumes.bound:
        if not volume_allows(bound_volume, node):
            return REASON_NODE_CONFLICT
    taken: set[str] = set()
    for pvc, storage_class in volumes.waiting:
        selected = (pvc["metadata"].get("annotations") or {}).get(SELECTED_NODE)
        if selected and selected != name:
            return REASON_BIND_CONFLICT
        if _take_static(pvc, node, available, taken) is not None:
            continue
        provisioner = str((storage_class or {}).get("provisioner") or "")
        if not provisioner or provisioner == NO_PROVISIONER:
            return REASON_BIND_CONFLICT
    return None


def pre_bind(
    volumes: PodVolumes, node: Obj, available: list[Obj], update: Callable[[Obj], Any]
) -> None:
    """Bind each waiting claim's static volume on this node (the volume side; the
    persistentvolume-controller finishes the claim), or ask its provisioner for one."""
    name = node["metadata"]["name"]
    taken: set[str] = set()
    for pvc, _ in volumes.waiting:
        pv = _take_static(pvc, node, available, taken)
        if pv is not None:
            if (pv.get("spec") or {}).get("claimRef"):
                continue
            bound = {**pv, "metadata": dict(pv["metadata"]), "spec": dict(pv.get("spec") or {})}
            bound["metadata"]["annotations"] = {
                **(pv["metadata"].get("annotations") or {}),
                BOUND_BY_CONTROLLER: "yes",
            }
            bound["spec"]["claimRef"] = claim_reference(pvc)
            update(bound)
            continue
        if (pvc["metadata"].get("annotations") or {}).get(SELECTED_NODE) == name:
            continue
        claim = {**pvc, "metadata": dict(pvc["metadata"])}
        claim["metadata"]["annotations"] = {
            **(pvc["metadata"].get("annotations") or {}),
            SELECTED_NODE: name,
        }
        update(claim)
