"""How kubectl shows a StorageClass: ``kubectl get sc`` (``printStorageClass``: the name with
`` (default)`` for a default class, PROVISIONER, RECLAIMPOLICY, VOLUMEBINDINGMODE,
ALLOWVOLUMEEXPANSION) and its describer (``describeStorageClass``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.kinds.storage_class import is_default_class
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import finish, format_labels
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(sc: dict[str, Any], now: float) -> list[str]:
    name = sc["metadata"]["name"] + (" (default)" if is_default_class(sc) else "")
    return [
        name,
        str(sc.get("provisioner", "")),
        str(sc.get("reclaimPolicy") or "Delete"),
        str(sc.get("volumeBindingMode") or "Immediate"),
        "true" if sc.get("allowVolumeExpansion") else "false",
        age(sc, now),
    ]


def describe_storage_class(sc: dict[str, Any], ctx: DescribeContext) -> str:
    md = sc["metadata"]
    expansion = sc.get("allowVolumeExpansion")
    out = [
        f"Name:\t{md['name']}",
        f"IsDefaultClass:\t{'Yes' if is_default_class(sc) else 'No'}",
        f"Annotations:\t{format_labels(md.get('annotations'))}",
        f"Provisioner:\t{sc.get('provisioner', '')}",
        f"Parameters:\t{format_labels(sc.get('parameters'))}",
        "AllowVolumeExpansion:\t"
        + ("<unset>" if expansion is None else ("True" if expansion else "False")),
    ]
    options = sc.get("mountOptions") or []
    if not options:
        out.append("MountOptions:\t<none>")
    else:
        out.append("MountOptions:")
        out.extend(f"  {option}" for option in options)
    if sc.get("reclaimPolicy") is not None:
        out.append(f"ReclaimPolicy:\t{sc['reclaimPolicy']}")
    if sc.get("volumeBindingMode") is not None:
        out.append(f"VolumeBindingMode:\t{sc['volumeBindingMode']}")
    return finish(out, ctx.search_events(sc, "StorageClass"), ctx.now)


VIEW = KindView(
    "StorageClass",
    TableSpec(
        (
            "NAME",
            "PROVISIONER",
            "RECLAIMPOLICY",
            "VOLUMEBINDINGMODE",
            "ALLOWVOLUMEEXPANSION",
            "AGE",
        ),
        _columns,
    ),
    describe_storage_class,
)
