"""The scheduler's view of nodes and the pods bound to them, kept up to date from watches.

Pods count against a node from binding until they are removed or reach a terminal phase
(Succeeded/Failed free their resources), as the scheduler cache does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.quantity import QuantityError, resource_amount
from k8sgame.engine.scheduler.pod_affinity import has_pod_affinity
from k8sgame.engine.scheduler.resources import HostPort, host_ports, pod_requests
from k8sgame.engine.scheduler.vectorized import NodeArrays
from k8sgame.engine.store import DELETED, WatchEvent

TERMINAL_PHASES = ("Succeeded", "Failed")


@dataclass
class PodEntry:
    """What the scheduler remembers about one bound pod."""

    namespace: str
    name: str
    uid: str
    labels: dict[str, str]
    requests: dict[str, int]
    non_zero: dict[str, int]
    ports: list[HostPort]
    spec: dict[str, Any]
    priority: int


@dataclass
class NodeInfo:
    """One node with the totals the filters and scores need."""

    name: str
    node: dict[str, Any]
    allocatable: dict[str, int] = field(default_factory=dict)
    requested: dict[str, int] = field(default_factory=dict)
    non_zero_requested: dict[str, int] = field(default_factory=dict)
    pods: dict[tuple[str, str], PodEntry] = field(default_factory=dict)
    ports: list[HostPort] = field(default_factory=list)
    images: frozenset[str] = frozenset()

    @property
    def labels(self) -> dict[str, str]:
        return self.node["metadata"].get("labels") or {}

    @property
    def taints(self) -> list[dict[str, Any]]:
        return (self.node.get("spec") or {}).get("taints") or []

    @property
    def unschedulable(self) -> bool:
        return bool((self.node.get("spec") or {}).get("unschedulable"))

    # Neither tainted (NoSchedule/NoExecute) nor cordoned: only resources can reject a plain pod.
    plain: bool = True
    prefer_no_schedule: bool = False

    def refresh(self, node: dict[str, Any]) -> None:
        self.node = node
        spec = node.get("spec") or {}
        self.plain = not spec.get("unschedulable") and not any(
            t.get("effect") in ("NoSchedule", "NoExecute") for t in spec.get("taints") or []
        )
        self.prefer_no_schedule = any(
            t.get("effect") == "PreferNoSchedule" for t in spec.get("taints") or []
        )
        self.allocatable = {}
        for name, raw in ((node.get("status") or {}).get("allocatable") or {}).items():
            try:
                self.allocatable[name] = resource_amount(name, raw)
            except QuantityError:
                continue
        self.images = frozenset(
            image_name
            for image in (node.get("status") or {}).get("images") or []
            for image_name in image.get("names") or []
        )

    def add(self, entry: PodEntry) -> None:
        self.pods[(entry.namespace, entry.name)] = entry
        for name, amount in entry.requests.items():
            self.requested[name] = self.requested.get(name, 0) + amount
        for name, amount in entry.non_zero.items():
            self.non_zero_requested[name] = self.non_zero_requested.get(name, 0) + amount
        self.ports.extend(entry.ports)

    def remove(self, key: tuple[str, str]) -> None:
        entry = self.pods.pop(key, None)
        if entry is None:
            return
        for name, amount in entry.requests.items():
            self.requested[name] -= amount
        for name, amount in entry.non_zero.items():
            self.non_zero_requested[name] -= amount
        for port in entry.ports:
            self.ports.remove(port)


def pod_entry(pod: dict[str, Any]) -> PodEntry:
    spec = pod.get("spec") or {}
    md = pod["metadata"]
    requests = pod_requests(spec)
    non_zero = pod_requests(spec, non_zero=True)
    return PodEntry(
        namespace=md.get("namespace", ""),
        name=md["name"],
        uid=md.get("uid", ""),
        labels=dict(md.get("labels") or {}),
        requests=requests,
        non_zero={k: non_zero.get(k, 0) for k in ("cpu", "memory")},
        ports=host_ports(spec),
        spec=spec,
        priority=int(spec.get("priority") or 0),
    )


class SchedulerCache:
    """Nodes by name, each with its bound pods."""

    def __init__(self, api: Client) -> None:
        self.nodes: dict[str, NodeInfo] = {}
        self._pod_node: dict[tuple[str, str], str] = {}
        self._ordered: list[NodeInfo] | None = None
        # Bound pods that carry (anti-)affinity terms: the only ones whose terms can reject
        # an incoming pod, kept apart so a cycle need not walk every pod.
        self.affinity_pods: dict[tuple[str, str], str] = {}
        self._arrays: NodeArrays | None = None
        self._api = api
        api.watch(self._on_node, ("Node",))
        api.watch(self._on_pod, ("Pod",))

    def ordered(self) -> list[NodeInfo]:
        """Nodes in name order (the order filtering walks them, from a rotating start)."""
        if self._ordered is None:
            self._ordered = [self.nodes[name] for name in sorted(self.nodes)]
        return self._ordered

    def arrays(self) -> NodeArrays:
        """The array form of ``ordered()``, rebuilt after node changes."""
        if self._arrays is None:
            self._arrays = NodeArrays(self.ordered())
        return self._arrays

    def _on_node(self, event: WatchEvent) -> None:
        name = event.obj["metadata"]["name"]
        self._arrays = None
        if event.type == DELETED:
            self.nodes.pop(name, None)
            self._ordered = None
            return
        info = self.nodes.get(name)
        if info is None:
            info = NodeInfo(name=name, node=event.obj)
            self.nodes[name] = info
            self._ordered = None
            info.refresh(event.obj)
            # Pods still bound to a node of this name count against it again.
            for key in [k for k, n in self._pod_node.items() if n == name]:
                pod = self._api.peek("Pod", key[1], key[0])
                if pod is not None:
                    info.add(pod_entry(pod))
            return
        info.refresh(event.obj)

    def _on_pod(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        key = (md.get("namespace", ""), md["name"])
        node_name = (event.obj.get("spec") or {}).get("nodeName")
        phase = (event.obj.get("status") or {}).get("phase")
        counted = event.type != DELETED and node_name and phase not in TERMINAL_PHASES
        previous = self._pod_node.get(key)
        if previous is not None and (not counted or previous != node_name):
            if previous in self.nodes:
                self.nodes[previous].remove(key)
                if self._arrays is not None:
                    self._arrays.sync(self.nodes[previous])
            del self._pod_node[key]
            self.affinity_pods.pop(key, None)
            previous = None
        if counted and previous is None:
            self.assume(event.obj, str(node_name))
        elif counted and previous is not None:
            # Labels may change on a bound pod (they matter to pod affinity).
            entry = self.nodes[previous].pods.get(key) if previous in self.nodes else None
            if entry is not None:
                entry.labels = dict(md.get("labels") or {})

    def assume(self, pod: dict[str, Any], node_name: str) -> None:
        md = pod["metadata"]
        key = (md.get("namespace", ""), md["name"])
        if key in self._pod_node:
            return
        self._pod_node[key] = node_name
        info = self.nodes.get(node_name)
        if info is not None:
            info.add(pod_entry(pod))
            if self._arrays is not None:
                self._arrays.sync(info)
        if has_pod_affinity(pod.get("spec") or {}):
            self.affinity_pods[key] = node_name

    def bound_with_affinity(self) -> list[tuple[PodEntry, NodeInfo]]:
        """Bound pods with affinity terms and their nodes, in a stable order."""
        found = []
        for key in sorted(self.affinity_pods):
            info = self.nodes.get(self.affinity_pods[key])
            if info is not None and key in info.pods:
                found.append((info.pods[key], info))
        return found
