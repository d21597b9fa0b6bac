"""How kubectl shows a PersistentVolume: ``kubectl get pv`` (``printPersistentVolume``:
CAPACITY, ACCESS MODES as ``RWO,ROX``, RECLAIM POLICY, STATUS, CLAIM as ``namespace/name``,
STORAGECLASS, VOLUMEATTRIBUTESCLASS, REASON; ``-o wide`` adds VOLUMEMODE) and its describer
(``describePersistentVolume``, kubectl 1.35)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.volume.matching import access_modes_text, volume_class
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import annotations_multiline, finish, labels_multiline
from k8sgame.kubectl.duration import since
from k8sgame.kubectl.tables import KindView, TableSpec, age


def go_list(items: list[Any] | None) -> str:
    """Go's ``%v`` of a string slice: ``[a b]``."""
    return "[" + " ".join(str(i) for i in items or []) + "]"


def status_cell(obj: dict[str, Any]) -> str:
    if obj["metadata"].get("deletionTimestamp"):
        return "Terminating"
    return str((obj.get("status") or {}).get("phase") or "")


def _columns(pv: dict[str, Any], now: float) -> list[str]:
    spec, status = pv.get("spec") or {}, pv.get("status") or {}
    ref = spec.get("claimRef")
    return [
        pv["metadata"]["name"],
        str((spec.get("capacity") or {}).get("storage", "")),
        access_modes_text(spec.get("accessModes")),
        str(spec.get("persistentVolumeReclaimPolicy") or ""),
        status_cell(pv),
        f"{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else "",
        volume_class(pv),
        str(spec.get("volumeAttributesClassName") or "<unset>"),
        str(status.get("reason") or ""),
        age(pv, now),
    ]


def _wide(pv: dict[str, Any], now: float) -> list[str]:
    return [str((pv.get("spec") or {}).get("volumeMode") or "<unset>")]


def _expression(req: dict[str, Any]) -> str:
    text = f"{req.get('key', '')} {str(req.get('operator', '')).lower()}"
    if req.get("values"):
        text += " [" + ", ".join(str(v) for v in req["values"]) + "]"
    return text


def _node_affinity(affinity: dict[str, Any] | None, out: list[str]) -> None:
    """``printVolumeNodeAffinity``."""
    required = (affinity or {}).get("required")
    if required is None:
        out.append("Node Affinity:\t<none>")
        return
    out.append("Node Affinity:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        out.append("  Required Terms:\t<none>")
        return
    out.append("  Required Terms:\t")
    for index, term in enumerate(terms):
        expressions = term.get("matchExpressions") or []
        if not expressions:
            out.append(f"    Term {index}:\t<none>")
            continue
        for position, req in enumerate(expressions):
            label = f"    Term {index}:" if position == 0 else "    "
            out.append(f"{label}\t{_expression(req)}")


def _source(spec: dict[str, Any], out: list[str]) -> None:
    out.append("Source:")
    if spec.get("hostPath") is not None:
        host = spec["hostPath"]
        out.append("    Type:\tHostPath (bare host directory volume)")
        out.append(f"    Path:\t{host.get('path', '')}")
        out.append(f"    HostPathType:\t{host['type'] if 'type' in host else '<none>'}")
    elif spec.get("nfs") is not None:
        nfs = spec["nfs"] if isinstance(spec["nfs"], dict) else {}
        out.append("    Type:\tNFS (an NFS mount that lasts the lifetime of a pod)")
        out.append(f"    Server:\t{nfs.get('server', '')}")
        out.append(f"    Path:\t{nfs.get('path', '')}")
        out.append(f"    ReadOnly:\t{'true' if nfs.get('readOnly') else 'false'}")
    elif spec.get("local") is not None:
        out.append("    Type:\tLocalVolume (a persistent volume backed by local storage on a node)")
        out.append(f"    Path:\t{spec['local'].get('path', '')}")
    else:
        out.append("  <unknown>")


def describe_persistent_volume(pv: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = pv["metadata"], pv.get("spec") or {}, pv.get("status") or {}
    out = [f"Name:\t{md['name']}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Finalizers:\t{go_list(md.get('finalizers'))}")
    out.append(f"StorageClass:\t{volume_class(pv)}")
    if md.get("deletionTimestamp"):
        out.append(f"Status:\tTerminating (lasts {since(md['deletionTimestamp'], ctx.now)})")
    else:
        out.append(f"Status:\t{status.get('phase', '')}")
    ref = spec.get("claimRef")
    out.append(f"Claim:\t{ref.get('namespace', '')}/{ref.get('name', '')}" if ref else "Claim:\t")
    out.append(f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}")
    out.append(f"Access Modes:\t{access_modes_text(spec.get('accessModes'))}")
    if spec.get("volumeMode") is not None:
        out.append(f"VolumeMode:\t{spec['volumeMode']}")
    out.append(f"Capacity:\t{(spec.get('capacity') or {}).get('storage', '0')}")
    _node_affinity(spec.get("nodeAffinity"), out)
    out.append(f"Message:\t{status.get('message', '')}")
    _source(spec, out)
    return finish(out, ctx.search_events(pv, "PersistentVolume"), ctx.now)


VIEW = KindView(
    "PersistentVolume",
    TableSpec(
        (
            "NAME",
            "CAPACITY",
            "ACCESS MODES",
            "RECLAIM POLICY",
            "STATUS",
            "CLAIM",
            "STORAGECLASS",
            "VOLUMEATTRIBUTESCLASS",
            "REASON",
            "AGE",
        ),
        _columns,
        ("VOLUMEMODE",),
        _wide,
    ),
    describe_persistent_volume,
)
