"""The Node describer (``kubectl/pkg/describe/describe.go``: ``NodeDescriber``,
``describeNode``, ``describeNodeLease``, ``describeNodeResource``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.quantity import Quantity, pod_limits, pod_requests, quantity
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    L1,
    annotations_multiline,
    finish,
    labels_multiline,
    rfc1123z,
    taint_text,
)
from k8sgame.kubectl.duration import since

# describe.go: LabelNodeRolePrefix, NodeLabelRole
ROLE_PREFIX = "node-role.kubernetes.io/"
ROLE_LABEL = "kubernetes.io/role"
NODE_LEASE_NAMESPACE = "kube-node-lease"
# kubectl/pkg/util/resource: standard container resources (hugepages-* count too).
STANDARD_RESOURCES = ("cpu", "memory", "ephemeral-storage")
# The System Info block of kubectl 1.35's describe.go; it still prints the deprecated
# kubeProxyVersion field (KEP-4004, empty since 1.31), so the line is there with no value.
SYSTEM_INFO = (
    ("Machine ID", "machineID"),
    ("System UUID", "systemUUID"),
    ("Boot ID", "bootID"),
    ("Kernel Version", "kernelVersion"),
    ("OS Image", "osImage"),
    ("Operating System", "operatingSystem"),
    ("Architecture", "architecture"),
    ("Container Runtime Version", "containerRuntimeVersion"),
    ("Kubelet Version", "kubeletVersion"),
    ("Kube-Proxy Version", "kubeProxyVersion"),
)


def node_roles(node: dict[str, Any]) -> list[str]:
    """``findNodeRoles``: ``node-role.kubernetes.io/<role>`` and ``kubernetes.io/role``."""
    roles: set[str] = set()
    for key, value in ((node["metadata"].get("labels")) or {}).items():
        if key.startswith(ROLE_PREFIX) and key[len(ROLE_PREFIX) :]:
            roles.add(key[len(ROLE_PREFIX) :])
        elif key == ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def _lease_lines(node: dict[str, Any], ctx: DescribeContext) -> list[str]:
    """``describeNodeLease``, or the error line when the Lease cannot be read. The simulated
    API serves no Lease objects (kubelets do not renew node leases here), so this is the line
    kubectl prints when ``kube-node-lease/<node>`` is missing."""
    name = node["metadata"]["name"]
    lease = ctx.store.peek("Lease", name, NODE_LEASE_NAMESPACE) if ctx.has_kind("leases") else None
    if lease is None:
        return [f'Lease:\tFailed to get lease: leases.coordination.k8s.io "{name}" not found']
    spec = lease.get("spec") or {}
    return [
        "Lease:",
        f"{L1}HolderIdentity:\t{spec.get('holderIdentity') or '<unset>'}",
        f"{L1}AcquireTime:\t{rfc1123z(spec.get('acquireTime'))}",
        f"{L1}RenewTime:\t{rfc1123z(spec.get('renewTime'))}",
    ]


def _percent(part: int, whole: int) -> int:
    """``int64(float64(part) / float64(whole) * 100)``; 0 when the node has none."""
    if whole == 0:
        return 0
    return int(float(part) / float(whole) * 100)


def _resource_rows(
    node: dict[str, Any], pods: list[dict[str, Any]], now: float, out: list[str]
) -> None:
    """``describeNodeResource``: the non-terminated pods table and the totals."""
    status = node.get("status") or {}
    allocatable = status.get("allocatable") or status.get("capacity") or {}
    cpu_total = quantity(allocatable.get("cpu", 0)).milli_value()
    memory_total = quantity(allocatable.get("memory", 0)).int_value()
    out.append(f"Non-terminated Pods:\t({len(pods)} in total)")
    out.append(
        f"{L1}Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge"
    )
    out.append(
        f"{L1}---------\t----\t\t------------\t----------\t---------------\t-------------\t---"
    )
    requests_total: dict[str, Quantity] = {}
    limits_total: dict[str, Quantity] = {}
    for pod in pods:
        requests, limits = pod_requests(pod), pod_limits(pod)
        cpu_req, cpu_lim = requests.get("cpu", Quantity()), limits.get("cpu", Quantity())
        mem_req, mem_lim = requests.get("memory", Quantity()), limits.get("memory", Quantity())
        md = pod["metadata"]
        out.append(
            f"{L1}{md.get('namespace', '')}\t{md['name']}\t\t"
            f"{cpu_req} ({_percent(cpu_req.milli_value(), cpu_total)}%)\t"
            f"{cpu_lim} ({_percent(cpu_lim.milli_value(), cpu_total)}%)\t"
            f"{mem_req} ({_percent(mem_req.int_value(), memory_total)}%)\t"
            f"{mem_lim} ({_percent(mem_lim.int_value(), memory_total)}%)\t"
            f"{since(md.get('creationTimestamp'), now)}"
        )
        # getPodsTotalRequestsAndLimits: the first pod's amount, then Quantity.Add.
        for totals, amounts in ((requests_total, requests), (limits_total, limits)):
            for name, amount in amounts.items():
                totals[name] = totals[name].add(amount) if name in totals else amount
    out.append("Allocated resources:")
    out.append(f"{L1}(Total limits may be over 100 percent, i.e., overcommitted.)")
    out.append(f"{L1}Resource\tRequests\tLimits")
    out.append(f"{L1}--------\t--------\t------")

    def row(name: str, unit: str) -> str:
        req = requests_total.get(name, Quantity())
        lim = limits_total.get(name, Quantity())
        whole = quantity(allocatable.get(name, 0))
        scale = (lambda q: q.milli_value()) if unit == "milli" else (lambda q: q.int_value())
        return (
            f"{L1}{name}\t{req} ({_percent(scale(req), scale(whole))}%)"
            f"\t{lim} ({_percent(scale(lim), scale(whole))}%)"
        )

    out.append(row("cpu", "milli"))
    out.append(row("memory", "value"))
    out.append(row("ephemeral-storage", "value"))
    huge_pages = sorted(name for name in allocatable if name.startswith("hugepages-"))
    extended = sorted(
        name
        for name in allocatable
        if name not in STANDARD_RESOURCES and not name.startswith("hugepages-") and name != "pods"
    )
    out.extend(row(name, "value") for name in huge_pages)
    for name in extended:
        req = requests_total.get(name, Quantity())
        lim = limits_total.get(name, Quantity())
        out.append(f"{L1}{name}\t{req}\t{lim}")


def describe_node(node: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, roles, metadata, taints, lease, conditions, addresses, capacity, allocatable,
    system info, pod CIDRs, the pods on the node with their share of its allocatable
    resources, and the node's events (searched by uid and, as kubelets record them, by
    name)."""
    md, spec, status = node["metadata"], node.get("spec") or {}, node.get("status") or {}
    out = [f"Name:\t{md['name']}", f"Roles:\t{','.join(node_roles(node)) or '<none>'}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"CreationTimestamp:\t{rfc1123z(md.get('creationTimestamp'))}")
    # printNodeTaintsMultiline sorts by effect, then key.
    taints = sorted(
        spec.get("taints") or [], key=lambda t: f"{t.get('effect') or ''},{t.get('key') or ''}"
    )
    if taints:
        out.extend(f"{'Taints:' if i == 0 else ''}\t{taint_text(t)}" for i, t in enumerate(taints))
    else:
        out.append("Taints:\t<none>")
    out.append(f"Unschedulable:\t{'true' if spec.get('unschedulable') else 'false'}")
    out.extend(_lease_lines(node, ctx))
    conditions = status.get("conditions") or []
    if conditions:
        out.append(
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage"
        )
        out.append(f"{L1}----\t------\t-----------------\t------------------\t------\t-------")
        out.extend(
            f"{L1}{c.get('type', '')} \t{c.get('status', '')} \t{rfc1123z(c.get('lastHeartbeatTime'))} "
            f"\t{rfc1123z(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t{c.get('message', '')}"
            for c in conditions
        )
    out.append("Addresses:")
    out.extend(
        f"{L1}{a.get('type', '')}:\t{a.get('address', '')}" for a in status.get("addresses") or []
    )
    for label, resources in (
        ("Capacity", status.get("capacity") or {}),
        ("Allocatable", status.get("allocatable") or {}),
    ):
        if resources:
            out.append(f"{label}:")
            out.extend(f"{L1}{name}:\t{quantity(resources[name])}" for name in sorted(resources))
    info = status.get("nodeInfo") or {}
    out.append("System Info:")
    out.extend(f"{L1}{label}:\t{info.get(key, '')}" for label, key in SYSTEM_INFO)
    if spec.get("podCIDR"):
        out.append(f"PodCIDR:\t{spec['podCIDR']}")
    if spec.get("podCIDRs"):
        out.append(f"PodCIDRs:\t{','.join(spec['podCIDRs'])}")
    if spec.get("providerID"):
        out.append(f"ProviderID:\t{spec['providerID']}")
    name = md["name"]
    pods = ctx.store.list(
        "Pod",
        None,
        field_filter=lambda p: (
            (p.get("spec") or {}).get("nodeName") == name
            and (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
        ),
    )
    _resource_rows(node, pods, ctx.now, out)
    events = ctx.search_events(node, "Node")
    if events is not None:
        # Kubelets record node events with the node's name as uid.
        seen = {e["metadata"].get("uid") for e in events}
        events += [
            e
            for e in ctx.search_events(node, "Node", uid=name) or []
            if e["metadata"].get("uid") not in seen
        ]
    return finish(out, events, ctx.now)
