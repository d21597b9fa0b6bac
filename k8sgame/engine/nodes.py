"""Node manifests: the documented default sandbox cluster and a helper to declare nodes.

The default cluster (docs/engine.md) is three live nodes: ``control-plane`` (2 cpu, 4Gi,
tainted ``node-role.kubernetes.io/control-plane:NoSchedule`` as kubeadm does) and two
workers ``node-1`` and ``node-2`` (4 cpu, 8Gi, 110 pods each).
"""

from __future__ import annotations

from typing import Any

CONTROL_PLANE_TAINT = {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}


def node_manifest(
    name: str,
    cpu: str = "2",
    memory: str = "4Gi",
    pods: str = "110",
    labels: dict[str, str] | None = None,
    taints: list[dict[str, Any]] | None = None,
    ready: bool = True,
) -> dict[str, Any]:
    """A Node manifest for a live (``ready=True``) or a never-ready machine."""
    manifest: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": dict(labels or {})},
        "spec": {},
        "status": {"capacity": {"cpu": cpu, "memory": memory, "pods": pods}},
    }
    if taints:
        manifest["spec"]["taints"] = [dict(t) for t in taints]
    if ready:
        manifest["status"]["conditions"] = [{"type": "Ready", "status": "True"}]
    return manifest


def default_nodes() -> list[dict[str, Any]]:
    """The sandbox's default cluster."""
    return [
        node_manifest(
            "control-plane",
            labels={
                "node-role.kubernetes.io/control-plane": "",
                "node.kubernetes.io/exclude-from-external-load-balancers": "",
            },
            taints=[CONTROL_PLANE_TAINT],
        ),
        node_manifest("node-1", cpu="4", memory="8Gi"),
        node_manifest("node-2", cpu="4", memory="8Gi"),
    ]
