"""How kubectl shows a Node: the columns of ``kubectl get nodes`` (``printNode``,
K8S-FACTS §3.5) and its describer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.kubectl.describers.node import describe_node
from k8sgame.kubectl.duration import since
from k8sgame.kubectl.tables import KindView, TableSpec

NONE = "<none>"
ROLE_PREFIX = "node-role.kubernetes.io/"


@dataclass(frozen=True)
class NodeRow:
    name: str
    status: str
    roles: str
    age: str
    version: str
    internal_ip: str
    external_ip: str
    os_image: str
    kernel_version: str
    container_runtime: str


def node_status(node: dict[str, Any]) -> str:
    """``Ready``/``NotReady``/``Unknown`` plus ``,SchedulingDisabled`` when cordoned."""
    ready = next(
        (c for c in (node.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"),
        None,
    )
    if ready is None:
        text = "Unknown"
    else:
        text = "Ready" if ready.get("status") == "True" else "NotReady"
    if (node.get("spec") or {}).get("unschedulable"):
        text += ",SchedulingDisabled"
    return text


def node_roles(node: dict[str, Any]) -> str:
    roles = set()
    for key, value in (node["metadata"].get("labels") or {}).items():
        if key.startswith(ROLE_PREFIX) and key[len(ROLE_PREFIX) :]:
            roles.add(key[len(ROLE_PREFIX) :])
        elif key == "kubernetes.io/role" and value:
            roles.add(value)
    return ",".join(sorted(roles)) if roles else NONE


def _address(node: dict[str, Any], kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return str(address.get("address"))
    return NONE


def node_row(node: dict[str, Any], now: float) -> NodeRow:
    info = (node.get("status") or {}).get("nodeInfo") or {}
    return NodeRow(
        name=node["metadata"]["name"],
        status=node_status(node),
        roles=node_roles(node),
        age=since(node["metadata"].get("creationTimestamp"), now),
        version=info.get("kubeletVersion", ""),
        internal_ip=_address(node, "InternalIP"),
        external_ip=_address(node, "ExternalIP"),
        os_image=info.get("osImage") or "<unknown>",
        kernel_version=info.get("kernelVersion") or "<unknown>",
        container_runtime=info.get("containerRuntimeVersion") or "<unknown>",
    )


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    r = node_row(obj, now)
    return [r.name, r.status, r.roles, r.age, r.version]


def _wide_columns(obj: dict[str, Any], now: float) -> list[str]:
    r = node_row(obj, now)
    return [r.internal_ip, r.external_ip, r.os_image, r.kernel_version, r.container_runtime]


VIEW = KindView(
    "Node",
    TableSpec(
        ("NAME", "STATUS", "ROLES", "AGE", "VERSION"),
        _columns,
        ("INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"),
        _wide_columns,
    ),
    describe_node,
)
