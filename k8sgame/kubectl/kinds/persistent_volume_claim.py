"""How kubectl shows a PersistentVolumeClaim: ``kubectl get pvc``
(``printPersistentVolumeClaim``: STATUS, VOLUME, and CAPACITY and ACCESS MODES only once it
names a volume; STORAGECLASS, VOLUMEATTRIBUTESCLASS; ``-o wide`` adds VOLUMEMODE) and its
describer (``describePersistentVolumeClaim`` with ``Used By``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.volume.matching import access_modes_text, claim_class
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    labels_multiline,
    rfc1123z,
)
from k8sgame.kubectl.duration import since
from k8sgame.kubectl.kinds.persistent_volume import go_list, status_cell
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _bound_cells(pvc: dict[str, Any]) -> tuple[str, str]:
    if not (pvc.get("spec") or {}).get("volumeName"):
        return "", ""
    status = pvc.get("status") or {}
    return (
        str((status.get("capacity") or {}).get("storage", "0")),
        access_modes_text(status.get("accessModes")),
    )


def _columns(pvc: dict[str, Any], now: float) -> list[str]:
    spec = pvc.get("spec") or {}
    capacity, modes = _bound_cells(pvc)
    return [
        pvc["metadata"]["name"],
        status_cell(pvc),
        str(spec.get("volumeName") or ""),
        capacity,
        modes,
        claim_class(pvc),
        str(spec.get("volumeAttributesClassName") or "<unset>"),
        age(pvc, now),
    ]


def _wide(pvc: dict[str, Any], now: float) -> list[str]:
    return [str((pvc.get("spec") or {}).get("volumeMode") or "<unset>")]


def _users(pvc: dict[str, Any], ctx: DescribeContext) -> list[str]:
    """``getPodsForPVC``: pods whose volumes name the claim."""
    md = pvc["metadata"]
    names = set()
    for pod in ctx.store.view("Pod", md.get("namespace", "")):
        for volume in (pod.get("spec") or {}).get("volumes") or []:
            if (volume.get("persistentVolumeClaim") or {}).get("claimName") == md["name"]:
                names.add(pod["metadata"]["name"])
    return sorted(names)


def describe_persistent_volume_claim(pvc: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = pvc["metadata"], pvc.get("spec") or {}, pvc.get("status") or {}
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"StorageClass:\t{claim_class(pvc)}",
    ]
    if md.get("deletionTimestamp"):
        out.append(f"Status:\tTerminating (lasts {since(md['deletionTimestamp'], ctx.now)})")
    else:
        out.append(f"Status:\t{status.get('phase', '')}")
    out.append(f"Volume:\t{spec.get('volumeName', '')}")
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Finalizers:\t{go_list(md.get('finalizers'))}")
    capacity, modes = _bound_cells(pvc)
    out.append(f"Capacity:\t{capacity}")
    out.append(f"Access Modes:\t{modes}")
    if spec.get("volumeMode") is not None:
        out.append(f"VolumeMode:\t{spec['volumeMode']}")
    users = _users(pvc, ctx)
    if not users:
        out.append("Used By:\t<none>")
    for index, name in enumerate(users):
        out.append(f"{'Used By:' if index == 0 else ''}\t{name}")
    conditions = status.get("conditions") or []
    if conditions:
        out.append("Conditions:")
        out.append("  Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage")
        out.append("  ----\t------\t-----------------\t------------------\t------\t-------")
        for c in conditions:
            out.append(
                f"  {c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastProbeTime'))} "
                f"\t{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}"
            )
    return finish(out, ctx.search_events(pvc, "PersistentVolumeClaim"), ctx.now)


VIEW = KindView(
    "PersistentVolumeClaim",
    TableSpec(
        (
            "NAME",
            "STATUS",
            "VOLUME",
            "CAPACITY",
            "ACCESS MODES",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "AGE",
        ),
        _columns,
        ("VOLUMEMODE",),
        _wide,
    ),
    describe_persistent_volume_claim,
)
