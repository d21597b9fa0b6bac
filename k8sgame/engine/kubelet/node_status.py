"""The node's side of the kubelet: the conditions a healthy kubelet posts, the node's
address, and pod IPs from the node's ``podCIDR``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from k8sgame.engine.kubelet.runtime import PodRuntime
from k8sgame.engine.objcopy import clone
from k8sgame.engine.timefmt import rfc3339

# (type, status, reason, message) as a healthy kubelet reports them (setters.go).
HEALTHY_CONDITIONS = (
    (
        "MemoryPressure",
        "False",
        "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available",
    ),
    ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
    ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
    ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
)
DEFAULT_POD_CIDR = "10.244.0.0/24"


def healthy_node(node: dict[str, Any], now: float) -> dict[str, Any]:
    """``node`` with the conditions of a healthy kubelet heartbeat at ``now``; a condition
    whose status did not change keeps its ``lastTransitionTime``."""
    updated = clone(node)
    stamp = rfc3339(now)
    previous = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or []}
    conditions = []
    for kind, status, reason, message in HEALTHY_CONDITIONS:
        old = previous.get(kind) or {}
        since = (
            old.get("lastTransitionTime")
            if old.get("status") == status and old.get("lastTransitionTime")
            else stamp
        )
        conditions.append(
            {
                "lastHeartbeatTime": stamp,
                "lastTransitionTime": since,
                "message": message,
                "reason": reason,
                "status": status,
                "type": kind,
            }
        )
    updated.setdefault("status", {})["conditions"] = conditions
    return updated


def host_ip(node: dict[str, Any] | None) -> str:
    """The node's ``InternalIP``, or "" when it reports none."""
    for address in ((node or {}).get("status") or {}).get("addresses") or []:
        if address.get("type") == "InternalIP":
            return str(address.get("address"))
    return ""


def allocate_ip(node: dict[str, Any] | None, pods: Iterable[PodRuntime]) -> str:
    """The lowest free address of the node's pod CIDR (a /24: .2 to .254)."""
    cidr = str(((node or {}).get("spec") or {}).get("podCIDR") or DEFAULT_POD_CIDR)
    prefix = cidr.split("/")[0].rsplit(".", 1)[0]
    used = {rt.pod_ip for rt in pods if rt.sandbox_ready and not rt.terminated}
    for host in range(2, 255):
        address = f"{prefix}.{host}"
        if address not in used:
            return address
    return f"{prefix}.254"
