"""The container lifecycle (``kuberuntime_container.go``): create and start a container whose
image is on the node, plan when its process exits, notice exits as PLEG does, and stop
containers gracefully.

PLEG relists every second: the kubelet sees an exit at the next whole second and acts on it
one relist later. A stop sends the image's stop signal; a process that does not exit within
the grace period (at least ``MIN_GRACE_SECONDS``) is killed with exit code 137.
"""

from __future__ import annotations

import math
from random import Random
from typing import Any

from k8sgame.engine.clock import PRIORITY_DEFAULT, PRIORITY_TIMER
from k8sgame.engine.events import NORMAL, WARNING
from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.images.process import plan_process
from k8sgame.engine.images.reference import PullResult
from k8sgame.engine.kubelet.context import NodeContext, field_path
from k8sgame.engine.kubelet.environment import (
    ConfigError,
    mounted_files,
    resolve_env,
    volume_mount_paths,
)
from k8sgame.engine.kubelet.image_manager import SYNC_RETRY_SECONDS
from k8sgame.engine.kubelet.runtime import ContainerRuntime, Instance, PodRuntime
from k8sgame.engine.kubelet.security import run_as, verify_run_as_non_root
from k8sgame.engine.kubelet.volume_data import container_volumes
from k8sgame.engine.network.pod_files import pod_files
from k8sgame.engine.quantity import QuantityError, memory_bytes

MIN_GRACE_SECONDS = 2
DEFAULT_GRACE_SECONDS = 30


def grace_period(pod: dict[str, Any], container: ContainerRuntime, probe_kind: str | None) -> float:
    """The grace period a stop gets: the deletion's, else the probe's own
    ``terminationGracePeriodSeconds`` for a probe kill, else the pod's."""
    md, spec = pod["metadata"], pod.get("spec") or {}
    if md.get("deletionGracePeriodSeconds") is not None:
        return float(md["deletionGracePeriodSeconds"])
    if probe_kind:
        probe_grace = (container.spec.get(probe_kind) or {}).get("terminationGracePeriodSeconds")
        if probe_grace is not None:
            return float(probe_grace)
    return float(spec.get("terminationGracePeriodSeconds", DEFAULT_GRACE_SECONDS))


class ContainerLifecycle:
    """Starts, watches and stops the containers of one node."""

    def __init__(self, ctx: NodeContext, catalog: Catalog, rng: Random) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.rng = rng

    # -- start -----------------------------------------------------------------------------

    def create(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime, result: PullResult
    ) -> bool:
        """Create and start the container; False when it could not start (a config error or
        a start error, both retried by a later sync)."""
        ctx = self.ctx
        path = field_path(container)
        behaviour = self.catalog.image_for(str(container.spec.get("image", "")))
        try:
            env = resolve_env(pod, container.spec, ctx.api)
            # generateContainerConfig: the environment first, then the non-root check.
            refused = verify_run_as_non_root(pod, container.spec, behaviour)
            if refused:
                raise ConfigError(refused)
        except ConfigError as exc:
            container.waiting_reason = "CreateContainerConfigError"
            container.waiting_message = str(exc)
            ctx.record(pod, WARNING, "Failed", f"Error: {exc}", path)
            ctx.wake(rt, ctx.clock.now + SYNC_RETRY_SECONDS)
            return False
        files = mounted_files(pod, container.spec, ctx.api)
        whole, writable = volume_mount_paths(pod, container.spec)
        # Volumes whose data outlives the container or is shared: seen as they are now.
        volumes = container_volumes(pod, container.spec, ctx)
        process = plan_process(
            behaviour,
            container.spec.get("command"),
            container.spec.get("args"),
            env,
            files,
            started_at=ctx.clock.now,
            pod_ip=rt.pod_ip,
            stdin=bool(container.spec.get("stdin")),
            volume_dirs=whole,
            writable_paths=writable,
            hostname=pod["metadata"]["name"],
            etc_files=pod_files(pod, rt.pod_ip),
            shared=volumes.contents() if volumes is not None else (),
            volumes=volumes,
            net=ctx.pod_network(pod, rt.pod_ip),
            clock=ctx.clock_now,
            api=ctx.pod_api(pod),
            run_as=run_as(pod, container.spec),
        )
        now = ctx.clock.now
        instance = Instance(self._container_id(), process, now, result.normalized, result.image_id)
        instance.mounted = mounted_files(pod, container.spec, ctx.api, refreshed_only=True)
        container.instances.append(instance)
        container.restart_count = len(container.instances) - 1
        ctx.record(pod, NORMAL, "Created", "Container created", path)
        if process.start_error:
            instance.start_failed = True
            instance.finished_at = now
            instance.exit_code = 128
            instance.reason = "StartError"
            instance.message = process.start_error
            ctx.record(pod, WARNING, "Failed", f"Error: {process.start_error}", path)
            container.waiting_reason = "RunContainerError"
            container.waiting_message = process.start_error
            ctx.wake(rt, now + 1.0)
            return False
        container.waiting_reason = container.waiting_message = ""
        if volumes is not None:
            volumes.attach(rt.uid, instance, lambda: ctx.files_changed(rt, container))
        ctx.record(pod, NORMAL, "Started", "Container started", path)
        self.schedule_exit(rt, container, instance)
        relist = math.floor(now) + 1.0
        if instance.exit_timer is not None and instance.exit_timer.due < relist:
            rt.unseen_until = relist
        container.started = "startupProbe" not in container.probes
        # Regular init containers are ready only once they have completed (prober_manager).
        plain_init = container.init and not container.sidecar
        container.ready = (
            container.started and "readinessProbe" not in container.probes and not plain_init
        )
        return True

    def _container_id(self) -> str:
        return "containerd://" + "".join(f"{self.rng.getrandbits(4):x}" for _ in range(64))

    def schedule_exit(
        self, rt: PodRuntime, container: ContainerRuntime, instance: Instance
    ) -> None:
        """Arm the instance's exit: its process's own exit or an OOM kill, whichever is first."""
        process = instance.process
        candidates: list[tuple[float, int, str]] = []
        if process.exit_at is not None:
            offset, code = process.exit_at
            candidates.append((offset, code, "Completed" if code == 0 else "Error"))
        waiting = process.waiting_at
        if waiting is not None:
            # The plan waits on the network at that moment: look again then.
            candidates.append((waiting, -1, ""))
        limit = ((container.spec.get("resources") or {}).get("limits") or {}).get("memory")
        if limit is not None:
            try:
                oom = process.oom_after(memory_bytes(limit))
            except QuantityError:
                oom = None
            if oom is not None:
                candidates.append((oom, 137, "OOMKilled"))
        if not candidates:
            return
        offset, code, reason = min(candidates, key=lambda c: c[0])
        if code == -1:
            instance.exit_timer = self.ctx.clock.call_at(
                instance.started_at + offset,
                lambda: self._replan(rt, container, instance),
                PRIORITY_TIMER,
            )
            return
        instance.exit_timer = self.ctx.clock.call_at(
            instance.started_at + offset,
            lambda: self._on_exit(rt, container, instance, code, reason),
            PRIORITY_TIMER,
        )

    def _replan(self, rt: PodRuntime, container: ContainerRuntime, instance: Instance) -> None:
        """The cluster reached the moment the process's plan waited for: plan on."""
        instance.exit_timer = None
        if instance.running and not instance.killing:
            self.schedule_exit(rt, container, instance)
            self.ctx.files_changed(rt, container)

    # -- exits -----------------------------------------------------------------------------

    def _on_exit(
        self,
        rt: PodRuntime,
        container: ContainerRuntime,
        instance: Instance,
        code: int,
        reason: str,
    ) -> None:
        if not instance.running:
            return
        ctx = self.ctx
        instance.finished_at = ctx.clock.now
        instance.exit_code = code
        instance.reason = reason
        container.ready = (
            container.init and not container.sidecar and code == 0 and not instance.killing
        )
        container.started = False
        if rt.uid not in ctx.pods:
            return
        if instance.killing and container.restart_after_kill and not rt.terminating:
            # The kubelet kills and starts again within one sync (SyncPod), no relist between.
            ctx.sync(rt)
            return
        if rt.terminating:
            # SyncTerminatingPod's killPod waits for StopContainer itself: no relist needed.
            ctx.sync(rt)
            return
        # PLEG relists every second: the kubelet learns of the exit at the next tick...
        detect = math.floor(ctx.clock.now) + 1.0
        ctx.clock.call_at(detect, lambda: self._exit_seen(rt), PRIORITY_DEFAULT)

    def _exit_seen(self, rt: PodRuntime) -> None:
        ctx = self.ctx
        if rt.uid not in ctx.pods:
            return
        ctx.publish(rt)
        # ...and the status it writes shows the exit until the following relist.
        if rt.terminating:
            ctx.sync(rt)
        else:
            ctx.wake(rt, ctx.clock.now + 1.0)

    # -- stop ------------------------------------------------------------------------------

    def kill(
        self, rt: PodRuntime, container: ContainerRuntime, message: str, grace: float, restart: bool
    ) -> None:
        """Stop the running instance with ``grace`` seconds; ``restart`` starts it again once
        it has exited."""
        instance = container.running
        pod = self.ctx.pod(rt)
        if instance is None or instance.killing or pod is None:
            return
        instance.killing = True
        self.ctx.record(pod, NORMAL, "Killing", message, field_path(container))
        if restart:
            container.exited_before_kill = container.last_exited(exclude=instance)
            container.restart_after_kill = True
        grace = max(grace, MIN_GRACE_SECONDS)
        stop = instance.process.stop
        if stop.exits_on_signal and stop.seconds <= grace:
            offset, code = stop.seconds, stop.exit_code
        else:
            offset, code = grace, 137
        due = self.ctx.clock.now + offset
        timer = instance.exit_timer
        if timer is not None and timer.due <= due and not timer.cancelled:
            return
        if timer is not None:
            timer.cancel()
        reason = "Completed" if code == 0 else "Error"
        instance.exit_timer = self.ctx.clock.call_at(
            due, lambda: self._on_exit(rt, container, instance, code, reason), PRIORITY_TIMER
        )

    def stop_all(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        """Stop every running container with the pod's grace period, restarting none."""
        for container in rt.ordered():
            if container.running is not None:
                self.kill(
                    rt,
                    container,
                    f"Stopping container {container.name}",
                    grace_period(pod, container, None),
                    False,
                )
