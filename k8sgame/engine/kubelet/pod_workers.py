"""The pod workers (``pod_workers.go``, ``kubelet.go`` SyncPod): one per admitted pod, each
driving its pod one step towards its spec on every sync.

A sync mounts volumes, creates the sandbox (``SANDBOX_SECONDS``, then the pod's IP), runs
init containers one by one (sidecars keep running), then the app containers, restarting
exited ones as ``restartPolicy`` says with the crash-loop back-off. A crash-looping container
restarts exactly when its back-off ends (the real kubelet adds up to 50% jitter). Deletion and
``activeDeadlineSeconds`` stop the pod's containers.
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from k8sgame.engine.clock import PRIORITY_DEFAULT
from k8sgame.engine.events import NORMAL, WARNING
from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.images.reference import PullResult
from k8sgame.engine.kubelet.admission import admission_failure
from k8sgame.engine.kubelet.backoff import crash_loop_backoff
from k8sgame.engine.kubelet.containers import ContainerLifecycle, grace_period
from k8sgame.engine.kubelet.context import TERMINAL, NodeContext, field_path, pod_ref
from k8sgame.engine.kubelet.image_manager import ImageManager
from k8sgame.engine.kubelet.node_status import allocate_ip
from k8sgame.engine.kubelet.prober import Prober
from k8sgame.engine.kubelet.runtime import ContainerRuntime, Instance, PodRuntime
from k8sgame.engine.kubelet.status_manager import DEADLINE_MESSAGE, StatusManager
from k8sgame.engine.kubelet.volumes import UNMOUNT_POLL_SECONDS, VolumeManager
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import go_duration, rfc3339

SANDBOX_SECONDS = 1.0


def spec_hash(container: dict[str, Any]) -> str:
    """A container spec's hash: a change means a new container (and a new back-off key)."""
    return hashlib.sha256(json.dumps(container, sort_keys=True).encode()).hexdigest()[:8]


def restart_wanted(pod: dict[str, Any], container: ContainerRuntime, instance: Instance) -> bool:
    """Does ``restartPolicy`` (or being a sidecar) start the exited ``instance`` again?"""
    if container.sidecar:
        return True
    policy = (pod.get("spec") or {}).get("restartPolicy", "Always")
    if container.init:
        return instance.exit_code != 0 and policy != "Never"
    if policy == "Always":
        return True
    if policy == "OnFailure":
        return instance.exit_code != 0
    return False


class PodWorkers:
    """Admits and syncs the pods bound to one node."""

    def __init__(
        self,
        ctx: NodeContext,
        catalog: Catalog,
        volumes: VolumeManager,
        lifecycle: ContainerLifecycle,
        prober: Prober,
        status: StatusManager,
    ) -> None:
        self.ctx = ctx
        self.volumes = volumes
        self.lifecycle = lifecycle
        self.prober = prober
        self.status = status
        self.images = ImageManager(ctx, catalog, self._image_ready, status.publish)
        self.crash_backoff = crash_loop_backoff()

    # -- pod updates -----------------------------------------------------------------------

    def update(self, event: WatchEvent) -> None:
        """A change to a pod bound to this node (``HandlePodUpdates``)."""
        ctx = self.ctx
        pod = event.obj
        uid = pod["metadata"].get("uid", "")
        rt = ctx.pods.get(uid)
        if event.type == DELETED:
            if rt is not None:
                self.forget(rt)
            return
        if (pod.get("spec") or {}).get("nodeName") != ctx.node_name:
            return
        if rt is None:
            if (pod.get("status") or {}).get("phase") in TERMINAL:
                return
            ctx.clock.call_soon(lambda: self._admit(uid), PRIORITY_DEFAULT)
            ctx.pods[uid] = PodRuntime(
                uid, pod["metadata"].get("namespace", ""), pod["metadata"]["name"], ctx.clock.now
            )
            return
        if pod["metadata"].get("deletionTimestamp") and not rt.terminating:
            rt.terminating = True
            ctx.wake(rt, ctx.clock.now)
            return
        deadline = (pod.get("spec") or {}).get("activeDeadlineSeconds")
        if (
            rt.start_time is not None
            and deadline != rt.deadline_seconds
            and not rt.deadline_exceeded
        ):
            rt.deadline_seconds = deadline
            self._arm_deadline(rt, pod)
        for spec in list((pod.get("spec") or {}).get("initContainers") or []) + list(
            (pod.get("spec") or {}).get("containers") or []
        ):
            name = spec.get("name")
            if name in rt.containers and rt.spec_hashes.get(name) != spec_hash(spec):
                self._spec_changed(rt, rt.containers[name], spec)

    # -- admission -------------------------------------------------------------------------

    def _admit(self, uid: str) -> None:
        ctx = self.ctx
        rt = ctx.pods.get(uid)
        if rt is None:
            return
        pod = ctx.pod(rt)
        if pod is None:
            ctx.pods.pop(uid, None)
            return
        rejection = admission_failure(ctx.node(), pod, self._running_pods(uid))
        if rejection is not None:
            reason, message = rejection
            rt.rejected = rejection
            rt.terminated = True
            ctx.record(pod, WARNING, reason, message)
            status = clone(pod.get("status") or {})
            status.update(
                phase="Failed",
                reason=reason,
                message=f"Pod was rejected: {message}",
                startTime=rfc3339(ctx.clock.now),
            )
            self.status.write(pod, status)
            return
        spec = pod.get("spec") or {}
        for container in spec.get("initContainers") or []:
            runtime = ContainerRuntime(
                container["name"],
                container,
                init=True,
                sidecar=container.get("restartPolicy") == "Always",
            )
            rt.containers[runtime.name] = runtime
            rt.init_order.append(runtime.name)
        for container in spec.get("containers") or []:
            rt.containers[container["name"]] = ContainerRuntime(container["name"], container)
            rt.app_order.append(container["name"])
        for runtime in rt.containers.values():
            rt.spec_hashes[runtime.name] = spec_hash(runtime.spec)
            self.prober.add_workers(runtime)
        rt.start_time = ctx.clock.now
        self._arm_deadline(rt, pod)
        self.sync(rt)

    def _running_pods(self, uid: str) -> list[dict[str, Any]]:
        """The node's other admitted pods that have not finished."""
        running = []
        for other in self.ctx.pods.values():
            if other.terminated or other.rejected or other.uid == uid:
                continue
            other_pod = self.ctx.pod(other)
            if other_pod is None or (other_pod.get("status") or {}).get("phase") in TERMINAL:
                continue
            running.append(other_pod)
        return running

    # -- sync ------------------------------------------------------------------------------

    def sync(self, rt: PodRuntime) -> None:
        """Drive the pod one step towards its spec; safe to call at any time."""
        ctx = self.ctx
        if rt.sync_timer is not None and rt.sync_timer.due <= ctx.clock.now:
            rt.sync_timer = None
        if rt.rejected or rt.terminated or rt.uid not in ctx.pods:
            return
        pod = ctx.pod(rt)
        if pod is None:
            self.forget(rt)
            return
        if rt.terminating or pod["metadata"].get("deletionTimestamp"):
            rt.terminating = True
            self.lifecycle.stop_all(rt, pod)
            self._finish_if_stopped(rt)
            return
        if rt.deadline_exceeded or rt.finished:
            return
        if not rt.volumes_ready and not self.volumes.mount(rt, pod):
            self.status.publish(rt)
            return
        if not rt.sandbox_ready:
            if rt.sandbox_due is None:
                rt.sandbox_due = ctx.clock.now + SANDBOX_SECONDS
            if ctx.clock.now < rt.sandbox_due:
                ctx.wake(rt, rt.sandbox_due)
                self.status.publish(rt)
                return
            rt.sandbox_ready = True
            rt.pod_ip = allocate_ip(ctx.node(), ctx.pods.values())
        initialized = any(rt.containers[n].instances for n in rt.app_order)
        for name in rt.init_order:
            container = rt.containers[name]
            if container.sidecar:
                self._ensure_running(rt, pod, container)
                if not container.started and not initialized:
                    self.status.publish(rt)
                    return
                continue
            current = container.current
            if initialized or (
                current is not None and not current.running and current.exit_code == 0
            ):
                continue
            self._ensure_running(rt, pod, container)
            self.status.publish(rt)
            return
        for name in rt.app_order:
            self._ensure_running(rt, pod, rt.containers[name])
        self.status.publish(rt)

    def _ensure_running(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime
    ) -> None:
        if container.running is not None or container.pulling:
            return
        current = container.current
        if current is not None:
            if not container.restart_after_kill and not restart_wanted(pod, container, current):
                container.waiting_reason = container.waiting_message = ""
                return
            previous = container.exited_before_kill if container.restart_after_kill else current
            if previous is not None and self._backing_off(rt, pod, container, previous):
                return
        container.exited_before_kill = None
        container.restart_after_kill = False
        self.images.ensure_image(rt, pod, container)

    def _backing_off(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime, previous: Instance
    ) -> bool:
        """The crash-loop back-off (``doBackOff``): True while the restart must wait; else the
        back-off grows for the restart about to happen."""
        key = f"{pod_ref(pod)}_{container.name}_{spec_hash(container.spec)}"
        now = self.ctx.clock.now
        finished = previous.finished_at or now
        if not self.crash_backoff.in_backoff_since(key, finished, now):
            self.crash_backoff.next(key, finished, now)
            return False
        delay = self.crash_backoff.delay(key) or 0.0
        container.waiting_reason = "CrashLoopBackOff"
        container.waiting_message = f"back-off {go_duration(delay)} restarting failed container={container.name} pod={pod_ref(pod)}"
        self.ctx.record(
            pod,
            WARNING,
            "BackOff",
            f"Back-off restarting failed container {container.name} in pod {pod_ref(pod)}",
            field_path(container),
        )
        self.ctx.wake(rt, finished + delay)
        return True

    def _image_ready(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime, pull: PullResult
    ) -> None:
        if self.lifecycle.create(rt, pod, container, pull):
            self.prober.container_started(rt, container)

    # -- changes while running -------------------------------------------------------------

    def _spec_changed(
        self, rt: PodRuntime, container: ContainerRuntime, spec: dict[str, Any]
    ) -> None:
        container.spec = spec
        rt.spec_hashes[container.name] = spec_hash(spec)
        pod = self.ctx.pod(rt)
        if pod is None or rt.terminating:
            return
        if container.running is not None:
            self.lifecycle.kill(
                rt,
                container,
                f"Container {container.name} definition changed, will be restarted",
                grace_period(pod, container, None),
                True,
            )
            # A new spec hash is a new back-off key: the restart does not wait.
            container.exited_before_kill = None
        else:
            self.ctx.wake(rt, self.ctx.clock.now)

    def _arm_deadline(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        """``activeDeadlineSeconds`` counts from the pod's start; it may be lowered later."""
        if rt.deadline_timer is not None:
            rt.deadline_timer.cancel()
            rt.deadline_timer = None
        deadline = (pod.get("spec") or {}).get("activeDeadlineSeconds")
        rt.deadline_seconds = deadline
        if deadline and rt.start_time is not None:
            rt.deadline_timer = self.ctx.clock.call_at(
                rt.start_time + float(deadline), lambda: self._deadline(rt), PRIORITY_DEFAULT
            )

    def _deadline(self, rt: PodRuntime) -> None:
        pod = self.ctx.pod(rt)
        if pod is None or rt.terminated or rt.terminating or rt.deadline_exceeded:
            return
        # The pod fails at the deadline; its containers are stopped after that.
        rt.deadline_exceeded = True
        self.ctx.record(pod, NORMAL, "DeadlineExceeded", DEADLINE_MESSAGE)
        self.status.publish(rt)
        self.lifecycle.stop_all(rt, pod)

    # -- termination -----------------------------------------------------------------------

    def _finish_if_stopped(self, rt: PodRuntime) -> None:
        if any(c.running is not None for c in rt.ordered()):
            if not rt.terminating:  # a terminating pod's worker is blocked in killPod
                self.status.publish(rt)
            return
        rt.terminated = True
        self.status.publish(rt, terminal=True)
        if rt.terminating:
            # The terminal status is written as SyncTerminatingPod ends; SyncTerminatedPod
            # waits for the next PLEG relist, then for the volumes to be unmounted, and only
            # then does the status manager delete the pod (kubelet pod_workers.go,
            # status_manager.go canBeDeleted). Until then the pod is still there.
            self.forget(rt)
            due = math.floor(self.ctx.clock.now) + 1.0 + UNMOUNT_POLL_SECONDS
            self.ctx.clock.call_at(due, lambda: self.status.final_delete(rt), PRIORITY_DEFAULT)

    def forget(self, rt: PodRuntime) -> None:
        """Drop the pod's worker and every timer it armed, and tear down its volumes."""
        for container in rt.ordered():
            for instance in container.instances:
                if instance.exit_timer is not None:
                    instance.exit_timer.cancel()
            for state in container.probes.values():
                if state.timer is not None:
                    state.timer.cancel()
        if rt.sync_timer is not None:
            rt.sync_timer.cancel()
        self.ctx.pods.pop(rt.uid, None)
        self.volumes.tear_down(rt)
