"""The Deployment describer (``kubectl/pkg/describe/describe.go``: ``DeploymentDescriber``,
``describeDeployment``, ``printReplicaSetsByLabels``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.deployments import replica_sets_of
from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    conditions_table,
    finish,
    format_label_selector,
    labels_multiline,
    rfc1123z,
)


def replica_sets_line(replica_sets: list[dict[str, Any]]) -> str:
    """``printReplicaSetsByLabels``: ``name (current/desired replicas created)``, joined."""
    text = ", ".join(
        f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas') or 0}"
        f"/{(rs.get('spec') or {}).get('replicas') or 0} replicas created)"
        for rs in replica_sets
    )
    return text or "<none>"


def int_or_string(value: Any) -> str:
    """``IntOrString.String()``."""
    return str(value) if value is not None else "0"


def describe_deployment(deployment: dict[str, Any], ctx: DescribeContext) -> str:
    """Name to strategy, the pod template, the conditions, the old and new ReplicaSets (every
    old one, scaled to 0 or not), and the events."""
    md = deployment["metadata"]
    spec, status = deployment.get("spec") or {}, deployment.get("status") or {}
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Selector:\t{format_label_selector(spec.get('selector'))}")
    out.append(
        f"Replicas:\t{spec.get('replicas') or 0} desired | {status.get('updatedReplicas') or 0}"
        f" updated | {status.get('replicas') or 0} total | {status.get('availableReplicas') or 0}"
        f" available | {status.get('unavailableReplicas') or 0} unavailable"
    )
    strategy = spec.get("strategy") or {}
    out.append(f"StrategyType:\t{strategy.get('type', '')}")
    out.append(f"MinReadySeconds:\t{spec.get('minReadySeconds') or 0}")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        out.append(
            f"RollingUpdateStrategy:\t{int_or_string(rolling.get('maxUnavailable'))} max"
            f" unavailable, {int_or_string(rolling.get('maxSurge'))} max surge"
        )
    describe_pod_template(spec.get("template"), out)
    conditions_table(status.get("conditions"), out)
    new_rs, old_rss = replica_sets_of(deployment, ctx.store)
    if new_rs is not None or old_rss:
        out.append(f"OldReplicaSets:\t{replica_sets_line(old_rss)}")
        out.append(f"NewReplicaSet:\t{replica_sets_line([new_rs] if new_rs else [])}")
    return finish(out, ctx.search_events(deployment, "Deployment"), ctx.now)
