"""What the parts of one node's kubelet share: who it is, its client, clock and event
recorder, the pods it has admitted, and the disks its containers' volumes live on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_DEFAULT, SimClock
from k8sgame.engine.events import EventRecorder
from k8sgame.engine.images.api_call import api_error
from k8sgame.engine.kubelet.runtime import ContainerRuntime, PodRuntime
from k8sgame.engine.storage.disk import Disk

COMPONENT = "kubelet"
TERMINAL = ("Succeeded", "Failed")


def pod_ref(pod: dict[str, Any]) -> str:
    """``format.Pod``: ``name_namespace(uid)``."""
    md = pod["metadata"]
    return f"{md['name']}_{md.get('namespace', '')}({md.get('uid', '')})"


def field_path(container: ContainerRuntime) -> str:
    """The ``involvedObject.fieldPath`` of an event about one container."""
    group = "initContainers" if container.init else "containers"
    return f"spec.{group}{{{container.name}}}"


def _unwired(rt: PodRuntime) -> None:
    raise RuntimeError("the kubelet's pod workers are not wired yet")


def _unwired_container(rt: PodRuntime, container: ContainerRuntime) -> None:
    raise RuntimeError("the kubelet's prober is not wired yet")


class NodeContext:
    """One kubelet's shared state; every part of the kubelet holds the same one."""

    __slots__ = (
        "api",
        "clock",
        "disk",
        "files_changed",
        "net",
        "network",
        "node_name",
        "pods",
        "publish",
        "recorder",
        "sync",
    )

    def __init__(
        self,
        node_name: str,
        api: Client,
        clock: SimClock,
        recorder: EventRecorder,
        disk: Disk | None = None,
        network: Disk | None = None,
    ) -> None:
        self.node_name = node_name
        self.api = api
        self.clock = clock
        self.recorder = recorder
        self.pods: dict[str, PodRuntime] = {}
        # The node's own disk (hostPath, emptyDir, local volumes) and the network storage
        # every node reaches; a kubelet made on its own gets disks of its own.
        self.disk = disk if disk is not None else Disk(clock)
        self.network = network if network is not None else Disk(clock)
        # The pod workers' sync, the status manager's publish and the prober's
        # files_changed, bound once those parts exist (they need the others first).
        self.sync: Callable[[PodRuntime], None] = _unwired
        self.publish: Callable[[PodRuntime], None] = _unwired
        self.files_changed: Callable[[PodRuntime, ContainerRuntime], None] = _unwired_container
        # The cluster's network (``network.fabric.Network``), when the kubelet has one.
        self.net: Any = None

    def clock_now(self) -> float:
        """The cluster's time (a process's plan waits for it before a network call)."""
        return float(self.clock.now)

    def pod_network(self, pod: dict[str, Any], pod_ip: str) -> Any:
        """The network as ``pod``'s containers reach it (None without a network)."""
        if self.net is None:
            return None
        md = pod["metadata"]
        node = str((pod.get("spec") or {}).get("nodeName") or self.node_name)
        return self.net.link(md.get("namespace") or "default", md["name"], pod_ip, node)

    def pod_api(self, pod: dict[str, Any]) -> Callable[[str, Any], str]:
        """What ``pod``'s containers reach when their programs call the API server with
        the pod's service-account token: ``(request, files) -> error``."""
        server = self.api.server
        md, spec = pod["metadata"], pod.get("spec") or {}
        namespace = str(md.get("namespace") or "default")
        account = str(spec.get("serviceAccountName") or "default")

        def call(request: str, files: Any) -> str:
            return api_error(server, namespace, account, request, files)

        return call

    def pod(self, rt: PodRuntime) -> dict[str, Any] | None:
        """The API's copy of an admitted pod, or None once it is gone or replaced."""
        pod = self.api.peek("Pod", rt.name, rt.namespace)
        if pod is None or pod["metadata"].get("uid") != rt.uid:
            return None
        return pod

    def node(self) -> dict[str, Any] | None:
        return self.api.peek("Node", self.node_name)

    def record(
        self, pod: dict[str, Any], event_type: str, reason: str, message: str, path: str = ""
    ) -> None:
        """Record an event from this node's kubelet about ``pod``."""
        self.recorder.record(pod, event_type, reason, message, COMPONENT, self.node_name, path)

    def wake(self, rt: PodRuntime, at: float) -> None:
        """Have the pod's worker sync at ``at`` (an earlier wake-up already armed wins)."""
        timer = rt.sync_timer
        if timer is not None and not timer.cancelled and timer.due <= at:
            return
        if timer is not None:
            timer.cancel()
        rt.sync_timer = self.clock.call_at(at, lambda: self.sync(rt), PRIORITY_DEFAULT)
