"""The kubelet of one node: it wires the parts that admit bound pods, mount their volumes,
pull images, run, probe and restart containers, stop them gracefully and write pod status.

- ``pod_workers``: admission and the per-pod sync loop, crash-loop back-off, deadlines;
- ``volumes``: ConfigMap/Secret mounts with retry;
- ``volume_refresh``: mounted ConfigMaps and Secrets follow their source at the next sync;
- ``volume_data``: where emptyDir, hostPath, claimed and nfs volumes keep their files (the
  node's disk, the network storage), read and written by the containers that mount them;
- ``image_manager``: pull policy, the serialized pull queue, image back-off;
- ``containers``: create/start, exits as PLEG sees them, graceful stops;
- ``prober``: liveness, readiness and startup workers;
- ``status_manager``: status writes and the final delete;
- ``streaming``: ``exec`` and ``logs``;
- ``node_status``: the node's heartbeat conditions, its address and pod IPs.

The timing model is in docs/engine.md ("The kubelet").
"""

from __future__ import annotations

from random import Random
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.events import EventRecorder
from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.kinds.pod import pod_node_name
from k8sgame.engine.kubelet.containers import ContainerLifecycle
from k8sgame.engine.kubelet.context import NodeContext
from k8sgame.engine.kubelet.node_lease import NodeLease
from k8sgame.engine.kubelet.node_status import healthy_node
from k8sgame.engine.kubelet.pod_workers import PodWorkers
from k8sgame.engine.kubelet.prober import Prober
from k8sgame.engine.kubelet.runtime import PodRuntime
from k8sgame.engine.kubelet.status_manager import StatusManager
from k8sgame.engine.kubelet.streaming import container_logs, exec_in
from k8sgame.engine.kubelet.volume_refresh import VolumeRefresher
from k8sgame.engine.kubelet.volumes import VolumeManager
from k8sgame.engine.network.fabric import Network
from k8sgame.engine.storage.disk import Disk
from k8sgame.engine.store import MODIFIED, WatchEvent


class Kubelet:
    """The node agent for ``node_name``."""

    def __init__(
        self,
        node_name: str,
        api: Client,
        clock: SimClock,
        recorder: EventRecorder,
        catalog: Catalog,
        rng: Random,
        disk: Disk | None = None,
        network: Disk | None = None,
        net: Network | None = None,
    ) -> None:
        """``disk`` is the node's own, ``network`` the cluster's network storage (each a new
        empty one when not given); ``net`` the cluster's network, which commands run with
        ``exec`` reach (without it their client programs have none)."""
        self.node_name = node_name
        self.net = net
        self.ctx = ctx = NodeContext(node_name, api, clock, recorder, disk, network)
        ctx.net = net
        self.lifecycle = ContainerLifecycle(ctx, catalog, rng)
        self.prober = Prober(ctx, self.lifecycle)
        self.status = StatusManager(ctx, self.lifecycle)
        self.workers = PodWorkers(
            ctx, catalog, VolumeManager(ctx), self.lifecycle, self.prober, self.status
        )
        ctx.sync = self.workers.sync
        ctx.publish = self.status.publish
        ctx.files_changed = self.prober.files_changed
        self.volume_refresh = VolumeRefresher(ctx, self.lifecycle, self.prober)
        self.lease = NodeLease(ctx)
        self.stopped = False
        # The kubelet's pod watch is ``fieldSelector=spec.nodeName=<node>``: it hears only the
        # pods bound to its node, so a pod event costs the same with one node or a thousand.
        api.watch(self._on_pod, ("Pod",), index=(pod_node_name, node_name))

    @property
    def pods(self) -> dict[str, PodRuntime]:
        """The pods this kubelet has admitted, by UID (read by metrics-server)."""
        return self.ctx.pods

    def register(self) -> None:
        """Post the node's conditions as a healthy kubelet does, and start the lease."""
        node = self.ctx.node()
        if node is not None:
            self.ctx.api.update_status(healthy_node(node, self.ctx.clock.now))
        self.lease.start()

    def halt(self) -> None:
        """``systemctl stop kubelet``: nothing it does reaches the API server any more (no
        lease renewal, no status, no events) and it hears no pod changes. Its containers
        keep running, as a container runtime does without its kubelet."""
        self.stopped = True
        self.ctx.api.offline = True
        self.lease.stop()

    def resume(self) -> None:
        """The kubelet starts again: it registers, renews its lease, goes through the pods
        bound to its node (deleted ones stop, new ones are admitted) and posts each pod's
        status as it is now."""
        if not self.stopped:
            return
        self.stopped = False
        self.ctx.api.offline = False
        self.register()
        bound = {
            pod["metadata"].get("uid", ""): pod
            for pod in self.ctx.api.list("Pod")
            if (pod.get("spec") or {}).get("nodeName") == self.node_name
        }
        for uid, rt in list(self.ctx.pods.items()):
            if uid not in bound:
                self.workers.forget(rt)
        for pod in bound.values():
            self.workers.update(WatchEvent(MODIFIED, "Pod", pod))
        for rt in list(self.ctx.pods.values()):
            self.status.publish(rt)

    def _on_pod(self, event: WatchEvent) -> None:
        if not self.stopped:
            self.workers.update(event)

    def exec(self, pod: dict[str, Any], container_name: str, argv: list[str]) -> Any:
        """Run ``argv`` in a running container (``kubectl exec``); returns an ExecResult."""
        rt = self.ctx.pods.get(pod["metadata"].get("uid", ""))
        net = self.net.for_pod(pod) if self.net is not None else None
        return exec_in(
            rt, container_name, argv, self.ctx.clock.now, self.lifecycle, self.prober, net
        )

    def logs(
        self, pod: dict[str, Any], container_name: str, previous: bool
    ) -> list[tuple[float, str, str]]:
        """``(time, stream, line)`` of a container's current or previous instance."""
        rt = self.ctx.pods.get(pod["metadata"].get("uid", ""))
        return container_logs(rt, pod, container_name, previous, self.ctx.clock.now)
