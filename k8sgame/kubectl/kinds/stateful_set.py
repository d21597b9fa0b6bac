"""How kubectl shows a StatefulSet: ``kubectl get sts`` (``printStatefulSet``: READY as
ready/desired; ``-o wide`` adds containers and images, no selector) and its describer
(``describeStatefulSet``, kubectl 1.35: no Service Name or Pod Management Policy lines yet)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.controllers.volume.matching import claim_class
from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.replica_set import pod_status_for_controller
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    format_label_selector,
    labels_multiline,
    rfc1123z,
)
from k8sgame.kubectl.kinds.replica_set import container_cells
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(sts: dict[str, Any], now: float) -> list[str]:
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    return [
        sts["metadata"]["name"],
        f"{int(status.get('readyReplicas') or 0)}/{int(spec.get('replicas') or 0)}",
        age(sts, now),
    ]


def _wide(sts: dict[str, Any], now: float) -> list[str]:
    return container_cells((sts.get("spec") or {}).get("template"))


def _claim_templates(templates: list[dict[str, Any]], out: list[str]) -> None:
    """``describeVolumeClaimTemplates``: labels and annotations both as ``key=value``."""
    if not templates:
        out.append("Volume Claims:\t<none>")
        return
    out.append("Volume Claims:")
    for claim in templates:
        md, spec = claim.get("metadata") or {}, claim.get("spec") or {}
        out.append(f"  Name:\t{md.get('name', '')}")
        out.append(f"  StorageClass:\t{claim_class({'metadata': md, 'spec': spec})}")
        for title, values in (("Labels", md.get("labels")), ("Annotations", md.get("annotations"))):
            if not values:
                out.append(f"  {title}:\t<none>")
                continue
            for index, key in enumerate(sorted(values)):
                out.append(f"{'  ' + title + ':' if index == 0 else '  '}\t{key}={values[key]}")
        capacity = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        out.append(f"  Capacity:\t{capacity if capacity is not None else '<default>'}")
        out.append(f"  Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]")


def describe_stateful_set(sts: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec, status = sts["metadata"], sts.get("spec") or {}, sts.get("status") or {}
    selector = spec.get("selector")
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}",
        f"Selector:\t{format_label_selector(selector)}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(
        f"Replicas:\t{int(spec.get('replicas') or 0)} desired | "
        f"{int(status.get('replicas') or 0)} total"
    )
    strategy = spec.get("updateStrategy") or {}
    out.append(f"Update Strategy:\t{strategy.get('type', '')}")
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict) and rolling.get("partition") is not None:
        out.append(f"  Partition:\t{rolling['partition']}")
    running, waiting, succeeded, failed = pod_status_for_controller(sts, selector, ctx)
    out.append(
        f"Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / "
        f"{failed} Failed"
    )
    describe_pod_template(spec.get("template"), out)
    _claim_templates(list(spec.get("volumeClaimTemplates") or []), out)
    return finish(out, ctx.search_events(sts, "StatefulSet"), ctx.now)


VIEW = KindView(
    "StatefulSet",
    TableSpec(("NAME", "READY", "AGE"), _columns, ("CONTAINERS", "IMAGES"), _wide),
    describe_stateful_set,
)
