"""Mounted ConfigMaps and Secrets follow their source: when one changes, the kubelet rewrites
the files of running containers at the pod's next periodic sync (``syncFrequency``, 1 m,
K8S-FACTS §10). A real kubelet adds the cache's propagation delay; the simulator uses the
pod's sync ticks, counted from its first sync. ``subPath`` mounts and environment variables
never change in a running container."""

from __future__ import annotations

import math
from functools import partial

from k8sgame.engine.clock import PRIORITY_DEFAULT
from k8sgame.engine.kubelet.containers import ContainerLifecycle
from k8sgame.engine.kubelet.context import NodeContext
from k8sgame.engine.kubelet.environment import mounted_files
from k8sgame.engine.kubelet.prober import Prober
from k8sgame.engine.kubelet.runtime import PodRuntime
from k8sgame.engine.store import WatchEvent

SYNC_FREQUENCY_SECONDS = 60.0  # kubelet syncFrequency (K8S-FACTS §10)


class VolumeRefresher:
    """Rewrites mounted files of running containers after their sources change."""

    def __init__(self, ctx: NodeContext, lifecycle: ContainerLifecycle, prober: Prober) -> None:
        self.ctx = ctx
        self.lifecycle = lifecycle
        self.prober = prober
        self._due: dict[str, float] = {}  # pod uid -> the sync that will refresh it
        ctx.api.watch(self._on_source, ("ConfigMap", "Secret"))

    def _on_source(self, event: WatchEvent) -> None:
        namespace = event.obj["metadata"].get("namespace", "")
        for uid, rt in sorted(self.ctx.pods.items()):
            if rt.namespace != namespace or rt.start_time is None or uid in self._due:
                continue
            if not any(c.running is not None for c in rt.ordered()):
                continue
            now = self.ctx.clock.now
            ticks = math.floor((now - rt.start_time) / SYNC_FREQUENCY_SECONDS) + 1
            due = rt.start_time + ticks * SYNC_FREQUENCY_SECONDS
            self._due[uid] = due
            self.ctx.clock.call_at(due, partial(self._refresh, rt), PRIORITY_DEFAULT)

    def _refresh(self, rt: PodRuntime) -> None:
        self._due.pop(rt.uid, None)
        pod = self.ctx.pod(rt)
        if pod is None or rt.uid not in self.ctx.pods:
            return
        now = self.ctx.clock.now
        for container in rt.ordered():
            instance = container.running
            if instance is None or instance.killing:
                continue
            files = mounted_files(pod, container.spec, self.ctx.api, refreshed_only=True)
            changed: dict[str, str | None] = {
                path: content
                for path, content in files.items()
                if instance.mounted.get(path) != content
            }
            changed.update({path: None for path in instance.mounted if path not in files})
            if not changed:
                continue
            instance.mounted = files
            instance.process.remount(now - instance.started_at, changed)
            # What the process does next may depend on the files: plan its exit and probes again.
            if instance.exit_timer is not None:
                instance.exit_timer.cancel()
                instance.exit_timer = None
            self.lifecycle.schedule_exit(rt, container, instance)
            self.prober.reschedule(rt, container)
