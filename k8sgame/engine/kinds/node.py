"""The Node kind: schema, defaults (kubelet registration and admission) and validation.

A Node manifest declares a simulated machine. Its ``status`` is accepted on create, as the
API server accepts it (K8S-FACTS §13): ``capacity``/``allocatable`` size the machine and a
``Ready=True`` condition makes it a live node whose kubelet runs pods. Without one the node
has no kubelet and ``get nodes`` prints ``Unknown``. The NodeTaint admission plugin adds
``node.kubernetes.io/not-ready:NoSchedule``; the node lifecycle controller removes it once
the node is Ready.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api import names
from k8sgame.engine.api.field_selectors import text_value
from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1123_subdomain
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    ANY,
    BOOL,
    QUANTITY_MAP,
    STRING,
    STRING_LIST,
    TIME,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, invalid, not_supported, required
from k8sgame.engine.kinds.pod.validation import TAINT_EFFECTS

TAINT = Struct("Taint", {"key": STRING, "value": STRING, "effect": STRING, "timeAdded": TIME})
NODE_CONDITION = Struct(
    "NodeCondition",
    {
        "type": STRING,
        "status": STRING,
        "lastHeartbeatTime": TIME,
        "lastTransitionTime": TIME,
        "reason": STRING,
        "message": STRING,
    },
)
NODE = Struct(
    "Node",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "NodeSpec",
            {
                "podCIDR": STRING,
                "podCIDRs": STRING_LIST,
                "providerID": STRING,
                "unschedulable": BOOL,
                "taints": ListOf(TAINT),
                "configSource": ANY,
                "externalID": STRING,
            },
        ),
        "status": Struct(
            "NodeStatus",
            {
                "capacity": QUANTITY_MAP,
                "allocatable": QUANTITY_MAP,
                "phase": STRING,
                "conditions": ListOf(NODE_CONDITION),
                "addresses": ListOf(Struct("NodeAddress", {"type": STRING, "address": STRING})),
                "daemonEndpoints": ANY,
                "nodeInfo": ANY,
                "images": ANY,
                "volumesInUse": ANY,
                "volumesAttached": ANY,
                "config": ANY,
                "runtimeHandlers": ANY,
                "features": ANY,
                "declaredFeatures": ANY,
            },
        ),
    },
)

# A machine size for nodes declared without one; documented in docs/engine.md. An x86_64
# Linux kernel exposes 2 MiB and 1 GiB huge page sizes, and the kubelet reports each size,
# with none reserved, as "0" (cadvisor GetHugePagesInfo, kubelet CapacityFromMachineInfo).
DEFAULT_CAPACITY = {
    "cpu": "2",
    "ephemeral-storage": "20Gi",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    "memory": "4Gi",
    "pods": "110",
}
NOT_READY_TAINT_KEY = "node.kubernetes.io/not-ready"
KUBELET_VERSION = "v1.35.0"


def ready_condition(node: dict[str, Any]) -> dict[str, Any] | None:
    for condition in (node.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition
    return None


def is_ready(node: dict[str, Any]) -> bool:
    condition = ready_condition(node)
    return condition is not None and condition.get("status") == "True"


def default_node(node: dict[str, Any], ctx: AdmissionContext) -> None:
    """Registration defaults a kubelet would report, plus the NodeTaint admission plugin."""
    name = node["metadata"].get("name", "")
    labels = node["metadata"].setdefault("labels", {})
    labels.setdefault("kubernetes.io/hostname", name)
    labels.setdefault("kubernetes.io/os", "linux")
    labels.setdefault("kubernetes.io/arch", "amd64")
    labels.setdefault("beta.kubernetes.io/os", "linux")
    labels.setdefault("beta.kubernetes.io/arch", "amd64")
    spec = node.setdefault("spec", {})
    status = node.setdefault("status", {})
    capacity = status.setdefault("capacity", {})
    for resource, amount in DEFAULT_CAPACITY.items():
        capacity.setdefault(resource, amount)
    allocatable = status.setdefault("allocatable", {})
    for resource, amount in capacity.items():
        allocatable.setdefault(resource, amount)
    index = ctx.store.count("Node")
    status.setdefault(
        "addresses",
        [
            {"type": "InternalIP", "address": f"192.168.49.{index + 2}"},
            {"type": "Hostname", "address": name},
        ],
    )
    status.setdefault(
        "nodeInfo",
        {
            "architecture": "amd64",
            "containerRuntimeVersion": "containerd://2.1.4",
            "kernelVersion": "6.8.0-sim",
            "kubeProxyVersion": "",
            "kubeletVersion": KUBELET_VERSION,
            "operatingSystem": "linux",
            "osImage": "k8sgame simulated node",
        },
    )
    status.setdefault("daemonEndpoints", {"kubeletEndpoint": {"Port": 10250}})
    spec.setdefault("podCIDR", f"10.244.{index}.0/24")
    spec.setdefault("podCIDRs", [spec["podCIDR"]])
    taints = spec.setdefault("taints", [])
    if not any(
        t.get("key") == NOT_READY_TAINT_KEY and t.get("effect") == "NoSchedule" for t in taints
    ):
        taints.append({"key": NOT_READY_TAINT_KEY, "effect": "NoSchedule"})
    if not taints:
        spec.pop("taints")


def validate_node(node: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for index, taint in enumerate((node.get("spec") or {}).get("taints") or []):
        path = f"spec.taints[{index}]"
        key = taint.get("key") or ""
        if not key:
            errors.append(required(f"{path}.key"))
        else:
            errors.extend(invalid(f"{path}.key", key, m) for m in names.qualified_name(key))
        if taint.get("value"):
            errors.extend(
                invalid(f"{path}.value", taint["value"], m)
                for m in names.label_value(taint["value"])
            )
        effect = taint.get("effect") or ""
        if not effect:
            errors.append(required(f"{path}.effect"))
        elif effect not in TAINT_EFFECTS:
            errors.append(not_supported(f"{path}.effect", effect, TAINT_EFFECTS))
        if (key, effect) in seen:
            errors.append(
                invalid(
                    f"{path}", f"{key}:{effect}", "taints must be unique by key and effect pair"
                )
            )
        seen.add((key, effect))
    return errors


def validate_node_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    return validate_node(new)


def node_selectable_fields(node: dict[str, Any]) -> dict[str, str]:
    """``node.NodeToSelectableFields``."""
    return {"spec.unschedulable": text_value(bool((node.get("spec") or {}).get("unschedulable")))}


NODE_KIND = KindInfo(
    kind="Node",
    group="",
    version="v1",
    plural="nodes",
    namespaced=False,
    schema=NODE,
    short_names=("no",),
    name_validator=dns1123_subdomain,
    prepare_create=default_node,
    validator=validate_node,
    update_validator=validate_node_update,
    # Nodes are declared with their status; a create keeps it (K8S-FACTS §13).
    status_subresource=False,
    selectable_fields=node_selectable_fields,
)
