"""The kubelet of one node: admits bound pods, pulls images, runs containers, probes them,
restarts them with back-off, stops them gracefully, and writes pod status.

Timing model (docs/engine.md): volumes mount at once (a missing ConfigMap/Secret retries with
back-off, ``FailedMount``); the sandbox takes ``SANDBOX_SECONDS``; pulls take the image's pull
time, one at a time per node (``serializeImagePulls``); the kubelet sees a container exit at
the next whole second (PLEG relists every second) and acts on it one relist later; a
crash-looping container restarts exactly when its back-off ends (the real kubelet adds up to
50% jitter to the wait); sync errors (pull back-off, config errors) retry every 10 s.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
from random import Random
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import PRIORITY_DEFAULT, PRIORITY_TIMER, SimClock
from k8sgame.engine.errors import ApiError, bad_request
from k8sgame.engine.events import NORMAL, WARNING, EventRecorder
from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.images.process import plan_process
from k8sgame.engine.images.reference import pull
from k8sgame.engine.kinds.pod import pod_node_name
from k8sgame.engine.kubelet.backoff import crash_loop_backoff, image_pull_backoff
from k8sgame.engine.kubelet.environment import (
    ConfigError,
    mounted_files,
    resolve_env,
    volume_mount_paths,
    volume_problem,
)
from k8sgame.engine.kubelet.probes import FAILURE, INITIAL_RESULT, KINDS, SUCCESS, run_probe
from k8sgame.engine.kubelet.runtime import ContainerRuntime, Instance, PodRuntime, ProbeState
from k8sgame.engine.kubelet.status import container_status, pod_conditions, pod_phase
from k8sgame.engine.objcopy import clone
from k8sgame.engine.quantity import QuantityError, memory_bytes, resource_amount
from k8sgame.engine.scheduler.resources import pod_requests
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import go_duration, rfc3339

COMPONENT = "kubelet"
SANDBOX_SECONDS = 1.0
SYNC_RETRY_SECONDS = 10.0
CACHED_PULL_SECONDS = 0.5
MIN_GRACE_SECONDS = 2
MOUNT_RETRY_INITIAL = 0.5
MOUNT_RETRY_MAX = 122.0
TERMINAL = ("Succeeded", "Failed")
# volume_manager.go podAttachAndMountRetryInterval: WaitForUnmount polls every 300 ms; its
# first poll comes before the volume reconciler (100 ms loops) has unmounted anything.
UNMOUNT_POLL_SECONDS = 0.3
DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"


def _pod_ref(pod: dict[str, Any]) -> str:
    """``format.Pod``: ``name_namespace(uid)``."""
    md = pod["metadata"]
    return f"{md['name']}_{md.get('namespace', '')}({md.get('uid', '')})"


def _spec_hash(container: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(container, sort_keys=True).encode()).hexdigest()[:8]


def _field_path(container: ContainerRuntime) -> str:
    group = "initContainers" if container.init else "containers"
    return f"spec.{group}{{{container.name}}}"


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
    ) -> None:
        self.node_name = node_name
        self.api = api
        self.clock = clock
        self.recorder = recorder
        self.catalog = catalog
        self.rng = rng
        self.pods: dict[str, PodRuntime] = {}
        self.images: dict[str, int] = {}
        # When a pull in the queue will have brought each image (normalized reference).
        self.image_arrives: dict[str, float] = {}
        self.pull_free_at = 0.0
        self.crash_backoff = crash_loop_backoff()
        self.image_backoff = image_pull_backoff()
        self.pull_errors: dict[str, str] = {}
        self.stopped = False
        # The kubelet's pod watch is ``fieldSelector=spec.nodeName=<node>``: it hears only the
        # pods bound to its node, so a pod event costs the same with one node or a thousand.
        api.watch(self._on_pod, ("Pod",), index=(pod_node_name, node_name))

    # -- node ------------------------------------------------------------------------------

    def register(self) -> None:
        """Post the node's conditions as a healthy kubelet does."""
        node = self.api.peek("Node", self.node_name)
        if node is None:
            return
        updated = clone(node)
        now = rfc3339(self.clock.now)
        previous = {c.get("type"): c for c in (node.get("status") or {}).get("conditions") or []}
        conditions = []
        for kind, status, reason, message in (
            (
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            (
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ):
            old = previous.get(kind) or {}
            since = (
                old.get("lastTransitionTime")
                if old.get("status") == status and old.get("lastTransitionTime")
                else now
            )
            conditions.append(
                {
                    "lastHeartbeatTime": now,
                    "lastTransitionTime": since,
                    "message": message,
                    "reason": reason,
                    "status": status,
                    "type": kind,
                }
            )
        updated.setdefault("status", {})["conditions"] = conditions
        self.api.update_status(updated)

    def _node(self) -> dict[str, Any] | None:
        return self.api.peek("Node", self.node_name)

    def _host_ip(self) -> str:
        node = self._node() or {}
        for address in (node.get("status") or {}).get("addresses") or []:
            if address.get("type") == "InternalIP":
                return str(address.get("address"))
        return ""

    def _allocate_ip(self) -> str:
        """The lowest free address of the node's pod CIDR (a /24: .2 to .254)."""
        node = self._node() or {}
        cidr = str((node.get("spec") or {}).get("podCIDR") or "10.244.0.0/24")
        prefix = cidr.split("/")[0].rsplit(".", 1)[0]
        used = {rt.pod_ip for rt in self.pods.values() if rt.sandbox_ready and not rt.terminated}
        for host in range(2, 255):
            address = f"{prefix}.{host}"
            if address not in used:
                return address
        return f"{prefix}.254"

    # -- watch -----------------------------------------------------------------------------

    def _on_pod(self, event: WatchEvent) -> None:
        if self.stopped:
            return
        pod = event.obj
        uid = pod["metadata"].get("uid", "")
        rt = self.pods.get(uid)
        if event.type == DELETED:
            if rt is not None:
                self._forget(rt)
            return
        if (pod.get("spec") or {}).get("nodeName") != self.node_name:
            return
        if rt is None:
            if (pod.get("status") or {}).get("phase") in TERMINAL:
                return
            self.clock.call_soon(lambda: self._admit(uid), PRIORITY_DEFAULT)
            self.pods[uid] = PodRuntime(
                uid, pod["metadata"].get("namespace", ""), pod["metadata"]["name"], self.clock.now
            )
            return
        if pod["metadata"].get("deletionTimestamp") and not rt.terminating:
            rt.terminating = True
            self._schedule_sync(rt, self.clock.now)
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
            if name in rt.containers and rt.spec_hashes.get(name) != _spec_hash(spec):
                self._spec_changed(rt, rt.containers[name], spec)

    def _pod(self, rt: PodRuntime) -> dict[str, Any] | None:
        pod = self.api.peek("Pod", rt.name, rt.namespace)
        if pod is None or pod["metadata"].get("uid") != rt.uid:
            return None
        return pod

    # -- admission -------------------------------------------------------------------------

    def _admit(self, uid: str) -> None:
        rt = self.pods.get(uid)
        if rt is None:
            return
        pod = self._pod(rt)
        if pod is None:
            self.pods.pop(uid, None)
            return
        rejection = self._admission_failure(pod)
        if rejection is not None:
            reason, message = rejection
            rt.rejected = rejection
            rt.terminated = True
            self.recorder.record(pod, WARNING, reason, message, COMPONENT, self.node_name)
            status = clone(pod.get("status") or {})
            status.update(
                phase="Failed",
                reason=reason,
                message=f"Pod was rejected: {message}",
                startTime=rfc3339(self.clock.now),
            )
            self._write_status(pod, status)
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
            rt.spec_hashes[runtime.name] = _spec_hash(runtime.spec)
            for kind in KINDS:
                if runtime.spec.get(kind):
                    # Probe workers start with the pod's first sync; their tickers keep that phase.
                    runtime.probes[kind] = ProbeState(kind, self.clock.now, INITIAL_RESULT[kind])
        rt.start_time = self.clock.now
        self._arm_deadline(rt, pod)
        self._sync(rt)

    def _admission_failure(self, pod: dict[str, Any]) -> tuple[str, str] | None:
        """``lifecycle/predicate.go``: does the pod fit next to the node's admitted pods?"""
        node = self._node()
        if node is None:
            return None
        allocatable: dict[str, int] = {}
        for name, raw in ((node.get("status") or {}).get("allocatable") or {}).items():
            try:
                allocatable[name] = resource_amount(name, raw)
            except QuantityError:
                continue
        used: dict[str, int] = {}
        count = 0
        for other in self.pods.values():
            if other.terminated or other.rejected or other.uid == pod["metadata"].get("uid"):
                continue
            other_pod = self._pod(other)
            if other_pod is None or (other_pod.get("status") or {}).get("phase") in TERMINAL:
                continue
            count += 1
            for name, amount in pod_requests(other_pod.get("spec") or {}).items():
                used[name] = used.get(name, 0) + amount
        if count + 1 > allocatable.get("pods", 110):
            return (
                "OutOfpods",
                f"Node didn't have enough resource: pods, requested: 1, used: {count}, capacity: {allocatable.get('pods', 110)}",
            )
        for name, amount in sorted(pod_requests(pod.get("spec") or {}).items()):
            if amount > 0 and used.get(name, 0) + amount > allocatable.get(name, 0):
                return (
                    f"OutOf{name}",
                    f"Node didn't have enough resource: {name}, requested: {amount}, used: {used.get(name, 0)}, capacity: {allocatable.get(name, 0)}",
                )
        return None

    # -- sync ------------------------------------------------------------------------------

    def _schedule_sync(self, rt: PodRuntime, at: float) -> None:
        if rt.sync_timer is not None and not rt.sync_timer.cancelled and rt.sync_timer.due <= at:
            return
        if rt.sync_timer is not None:
            rt.sync_timer.cancel()
        rt.sync_timer = self.clock.call_at(at, lambda: self._sync(rt), PRIORITY_DEFAULT)

    def _sync(self, rt: PodRuntime) -> None:
        """Drive the pod one step towards its spec; safe to call at any time."""
        if rt.sync_timer is not None and rt.sync_timer.due <= self.clock.now:
            rt.sync_timer = None
        if rt.rejected or rt.terminated or rt.uid not in self.pods:
            return
        pod = self._pod(rt)
        if pod is None:
            self._forget(rt)
            return
        if rt.terminating or pod["metadata"].get("deletionTimestamp"):
            rt.terminating = True
            self._sync_terminating(rt, pod)
            return
        if rt.deadline_exceeded or rt.finished:
            return
        if not rt.volumes_ready and not self._mount_volumes(rt, pod):
            self._publish(rt)
            return
        if not rt.sandbox_ready:
            if rt.sandbox_due is None:
                rt.sandbox_due = self.clock.now + SANDBOX_SECONDS
            if self.clock.now < rt.sandbox_due:
                self._schedule_sync(rt, rt.sandbox_due)
                self._publish(rt)
                return
            rt.sandbox_ready = True
            rt.pod_ip = self._allocate_ip()
        initialized = any(rt.containers[n].instances for n in rt.app_order)
        for name in rt.init_order:
            container = rt.containers[name]
            if container.sidecar:
                self._ensure_running(rt, pod, container)
                if not container.started and not initialized:
                    self._publish(rt)
                    return
                continue
            current = container.current
            if initialized or (
                current is not None and not current.running and current.exit_code == 0
            ):
                continue
            self._ensure_running(rt, pod, container)
            self._publish(rt)
            return
        for name in rt.app_order:
            self._ensure_running(rt, pod, rt.containers[name])
        self._publish(rt)

    def _mount_volumes(self, rt: PodRuntime, pod: dict[str, Any]) -> bool:
        problem = volume_problem(pod, self.api)
        if problem is None:
            rt.volumes_ready = True
            return True
        volume, error = problem
        self.recorder.record(
            pod,
            WARNING,
            "FailedMount",
            f'MountVolume.SetUp failed for volume "{volume}" : {error}',
            COMPONENT,
            self.node_name,
        )
        rt.mount_attempts += 1
        delay = min(MOUNT_RETRY_INITIAL * 2 ** (rt.mount_attempts - 1), MOUNT_RETRY_MAX)
        self._schedule_sync(rt, self.clock.now + delay)
        return False

    def _restart_wanted(
        self, pod: dict[str, Any], container: ContainerRuntime, instance: Instance
    ) -> bool:
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

    def _backoff_key(self, pod: dict[str, Any], container: ContainerRuntime) -> str:
        return f"{_pod_ref(pod)}_{container.name}_{_spec_hash(container.spec)}"

    def _ensure_running(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime
    ) -> None:
        if container.running is not None or container.pulling:
            return
        current = container.current
        if current is not None:
            if not container.restart_after_kill and not self._restart_wanted(
                pod, container, current
            ):
                container.waiting_reason = container.waiting_message = ""
                return
            previous = container.exited_before_kill if container.restart_after_kill else current
            if previous is not None:
                key = self._backoff_key(pod, container)
                now = self.clock.now
                finished = previous.finished_at or now
                if self.crash_backoff.in_backoff_since(key, finished, now):
                    delay = self.crash_backoff.delay(key) or 0.0
                    container.waiting_reason = "CrashLoopBackOff"
                    container.waiting_message = f"back-off {go_duration(delay)} restarting failed container={container.name} pod={_pod_ref(pod)}"
                    self.recorder.record(
                        pod,
                        WARNING,
                        "BackOff",
                        f"Back-off restarting failed container {container.name} in pod {_pod_ref(pod)}",
                        COMPONENT,
                        self.node_name,
                        _field_path(container),
                    )
                    self._schedule_sync(rt, finished + delay)
                    return
                self.crash_backoff.next(key, finished, now)
        container.exited_before_kill = None
        container.restart_after_kill = False
        self._start_container(rt, pod, container)

    # -- images and container start --------------------------------------------------------

    def _start_container(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime
    ) -> None:
        image = str(container.spec.get("image", ""))
        policy = container.spec.get("imagePullPolicy", "IfNotPresent")
        field_path = _field_path(container)
        result = pull(self.catalog, image)
        normalized = getattr(result, "normalized", image)
        present = normalized in self.images
        if getattr(result, "invalid", False):
            self._waiting(rt, container, "InvalidImageName", result.error)
            self.recorder.record(
                pod, WARNING, "InspectFailed", result.error, COMPONENT, self.node_name, field_path
            )
            self.recorder.record(
                pod,
                WARNING,
                "Failed",
                "Error: InvalidImageName",
                COMPONENT,
                self.node_name,
                field_path,
            )
            self._schedule_sync(rt, self.clock.now + SYNC_RETRY_SECONDS)
            return
        if policy == "Never" and not present:
            message = f'Container image "{image}" is not present with pull policy of Never'
            self._waiting(rt, container, "ErrImageNeverPull", message)
            self.recorder.record(
                pod, WARNING, "ErrImageNeverPull", message, COMPONENT, self.node_name, field_path
            )
            self.recorder.record(
                pod,
                WARNING,
                "Failed",
                "Error: ErrImageNeverPull",
                COMPONENT,
                self.node_name,
                field_path,
            )
            self._schedule_sync(rt, self.clock.now + SYNC_RETRY_SECONDS)
            return
        if present and policy != "Always":
            self.recorder.record(
                pod,
                NORMAL,
                "Pulled",
                f'Container image "{image}" already present on machine and can be accessed by the pod',
                COMPONENT,
                self.node_name,
                field_path,
            )
            self._create_container(rt, pod, container, result)
            return
        key = f"{rt.uid}_{image}"
        now = self.clock.now
        if self.image_backoff.in_backoff_since_update(key, now):
            self.recorder.record(
                pod,
                NORMAL,
                "BackOff",
                f'Back-off pulling image "{image}"',
                COMPONENT,
                self.node_name,
                field_path,
            )
            self.recorder.record(
                pod,
                WARNING,
                "Failed",
                "Error: ImagePullBackOff",
                COMPONENT,
                self.node_name,
                field_path,
            )
            message = f'Back-off pulling image "{image}"'
            if key in self.pull_errors:
                message += f": {self.pull_errors[key]}"
            self._waiting(rt, container, "ImagePullBackOff", message)
            self._schedule_sync(rt, now + SYNC_RETRY_SECONDS)
            return
        self.recorder.record(
            pod,
            NORMAL,
            "Pulling",
            f'Pulling image "{image}"',
            COMPONENT,
            self.node_name,
            field_path,
        )
        begin = max(now, self.pull_free_at)
        # Pulls run one at a time: one queued behind a pull of the same image finds the
        # layers already there when its turn comes, and is quick.
        arrived = self.image_arrives.get(normalized)
        cached = present or (arrived is not None and arrived <= begin)
        duration = CACHED_PULL_SECONDS if cached or not result.ok else float(result.seconds)
        end = begin + duration
        self.pull_free_at = end
        if result.ok and arrived is None:
            self.image_arrives[normalized] = end
        container.pulling = True
        self.clock.call_at(
            end, lambda: self._pull_done(rt, container, result, now, begin), PRIORITY_TIMER
        )

    def _pull_done(
        self,
        rt: PodRuntime,
        container: ContainerRuntime,
        result: Any,
        requested: float,
        began: float,
    ) -> None:
        container.pulling = False
        pod = self._pod(rt)
        if pod is None or rt.terminating or rt.uid not in self.pods:
            return
        image = str(container.spec.get("image", ""))
        field_path = _field_path(container)
        now = self.clock.now
        if rt.terminated or rt.deadline_exceeded:
            return
        if result.image != image:
            # The spec changed while pulling: the next sync pulls the image it names now.
            self._schedule_sync(rt, now)
            return
        if not result.ok:
            key = f"{rt.uid}_{image}"
            self.recorder.record(
                pod,
                WARNING,
                "Failed",
                f'Failed to pull image "{image}": {result.error}',
                COMPONENT,
                self.node_name,
                field_path,
            )
            self.recorder.record(
                pod, WARNING, "Failed", "Error: ErrImagePull", COMPONENT, self.node_name, field_path
            )
            self.image_backoff.next(key, now, now)
            self.pull_errors[key] = f"ErrImagePull: {result.error}"
            self._waiting(rt, container, "ErrImagePull", result.error)
            self._publish(rt)
            # The status write wakes the pod worker again about a second later.
            self._schedule_sync(rt, now + 1.0)
            return
        self.images[result.normalized] = int(result.size)
        self._record_node_image(result)
        pulled = go_duration(math.floor(round((now - began) * 1000, 6)) / 1000)
        waited = go_duration(math.floor(round((now - requested) * 1000, 6)) / 1000)
        self.recorder.record(
            pod,
            NORMAL,
            "Pulled",
            f'Successfully pulled image "{image}" in {pulled} ({waited} including waiting). Image size: {result.size} bytes.',
            COMPONENT,
            self.node_name,
            field_path,
        )
        self._create_container(rt, pod, container, result)
        self._publish(rt)
        # Containers after this one (sidecars gate them) may start now.
        self._schedule_sync(rt, now)

    def _record_node_image(self, result: Any) -> None:
        node = self._node()
        if node is None:
            return
        updated = clone(node)
        images = updated.setdefault("status", {}).setdefault("images", [])
        names = [result.image_id, result.normalized]
        if not any(entry.get("names") == names for entry in images):
            images.append({"names": names, "sizeBytes": int(result.size)})
            self.api.update_status(updated)

    def _waiting(
        self, rt: PodRuntime, container: ContainerRuntime, reason: str, message: str
    ) -> None:
        container.waiting_reason = reason
        container.waiting_message = message

    def _container_id(self) -> str:
        return "containerd://" + "".join(f"{self.rng.getrandbits(4):x}" for _ in range(64))

    def _create_container(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime, result: Any
    ) -> None:
        field_path = _field_path(container)
        behaviour = self.catalog.image_for(str(container.spec.get("image", "")))
        try:
            env = resolve_env(pod, container.spec, self.api)
        except ConfigError as exc:
            self._waiting(rt, container, "CreateContainerConfigError", str(exc))
            self.recorder.record(
                pod, WARNING, "Failed", f"Error: {exc}", COMPONENT, self.node_name, field_path
            )
            self._schedule_sync(rt, self.clock.now + SYNC_RETRY_SECONDS)
            return
        files = mounted_files(pod, container.spec, self.api)
        whole, writable = volume_mount_paths(pod, container.spec)
        process = plan_process(
            behaviour,
            container.spec.get("command"),
            container.spec.get("args"),
            env,
            files,
            started_at=self.clock.now,
            pod_ip=rt.pod_ip,
            stdin=bool(container.spec.get("stdin")),
            volume_dirs=whole,
            writable_paths=writable,
            hostname=pod["metadata"]["name"],
        )
        now = self.clock.now
        instance = Instance(self._container_id(), process, now, result.normalized, result.image_id)
        container.instances.append(instance)
        container.restart_count = len(container.instances) - 1
        self.recorder.record(
            pod, NORMAL, "Created", "Container created", COMPONENT, self.node_name, field_path
        )
        if process.start_error:
            instance.start_failed = True
            instance.finished_at = now
            instance.exit_code = 128
            instance.reason = "StartError"
            instance.message = process.start_error
            self.recorder.record(
                pod,
                WARNING,
                "Failed",
                f"Error: {process.start_error}",
                COMPONENT,
                self.node_name,
                field_path,
            )
            self._waiting(rt, container, "RunContainerError", process.start_error)
            self._schedule_sync(rt, now + 1.0)
            return
        container.waiting_reason = container.waiting_message = ""
        self.recorder.record(
            pod, NORMAL, "Started", "Container started", COMPONENT, self.node_name, field_path
        )
        self._schedule_exit(rt, container, instance)
        relist = math.floor(now) + 1.0
        if instance.exit_timer is not None and instance.exit_timer.due < relist:
            rt.unseen_until = relist
        container.started = "startupProbe" not in container.probes
        # Regular init containers are ready only once they have completed (prober_manager).
        plain_init = container.init and not container.sidecar
        container.ready = (
            container.started and "readinessProbe" not in container.probes and not plain_init
        )
        for state in container.probes.values():
            self._schedule_probe(rt, container, state)
        if container.started:
            self._trigger_readiness(rt, container)

    def _schedule_exit(
        self, rt: PodRuntime, container: ContainerRuntime, instance: Instance
    ) -> None:
        process = instance.process
        candidates: list[tuple[float, int, str]] = []
        if process.exit_at is not None:
            offset, code = process.exit_at
            candidates.append((offset, code, "Completed" if code == 0 else "Error"))
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
        instance.exit_timer = self.clock.call_at(
            instance.started_at + offset,
            lambda: self._on_exit(rt, container, instance, code, reason),
            PRIORITY_TIMER,
        )

    # -- exits and kills -------------------------------------------------------------------

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
        instance.finished_at = self.clock.now
        instance.exit_code = code
        instance.reason = reason
        container.ready = (
            container.init and not container.sidecar and code == 0 and not instance.killing
        )
        container.started = False
        if rt.uid not in self.pods:
            return
        if instance.killing and container.restart_after_kill and not rt.terminating:
            # The kubelet kills and starts again within one sync (SyncPod), no relist between.
            self._sync(rt)
            return
        if rt.terminating:
            # SyncTerminatingPod's killPod waits for StopContainer itself: no relist needed.
            self._sync(rt)
            return
        # PLEG relists every second: the kubelet learns of the exit at the next tick...
        detect = math.floor(self.clock.now) + 1.0
        self.clock.call_at(detect, lambda: self._exit_seen(rt), PRIORITY_DEFAULT)

    def _exit_seen(self, rt: PodRuntime) -> None:
        if rt.uid not in self.pods:
            return
        self._publish(rt)
        # ...and the status it writes shows the exit until the following relist.
        if rt.terminating:
            self._sync(rt)
        else:
            self._schedule_sync(rt, self.clock.now + 1.0)

    def _kill(
        self, rt: PodRuntime, container: ContainerRuntime, message: str, grace: float, restart: bool
    ) -> None:
        instance = container.running
        pod = self._pod(rt)
        if instance is None or instance.killing or pod is None:
            return
        instance.killing = True
        self.recorder.record(
            pod, NORMAL, "Killing", message, COMPONENT, self.node_name, _field_path(container)
        )
        if restart:
            container.exited_before_kill = container.last_exited(exclude=instance)
            container.restart_after_kill = True
        grace = max(grace, MIN_GRACE_SECONDS)
        stop = instance.process.stop
        if stop.exits_on_signal and stop.seconds <= grace:
            offset, code = stop.seconds, stop.exit_code
        else:
            offset, code = grace, 137
        due = self.clock.now + offset
        if (
            instance.exit_timer is not None
            and instance.exit_timer.due <= due
            and not instance.exit_timer.cancelled
        ):
            return
        if instance.exit_timer is not None:
            instance.exit_timer.cancel()
        reason = "Completed" if code == 0 else "Error"
        instance.exit_timer = self.clock.call_at(
            due, lambda: self._on_exit(rt, container, instance, code, reason), PRIORITY_TIMER
        )

    def _grace(
        self, pod: dict[str, Any], container: ContainerRuntime, probe_kind: str | None
    ) -> float:
        md, spec = pod["metadata"], pod.get("spec") or {}
        if md.get("deletionGracePeriodSeconds") is not None:
            return float(md["deletionGracePeriodSeconds"])
        if probe_kind:
            probe_grace = (container.spec.get(probe_kind) or {}).get(
                "terminationGracePeriodSeconds"
            )
            if probe_grace is not None:
                return float(probe_grace)
        return float(spec.get("terminationGracePeriodSeconds", 30))

    def _spec_changed(
        self, rt: PodRuntime, container: ContainerRuntime, spec: dict[str, Any]
    ) -> None:
        container.spec = spec
        rt.spec_hashes[container.name] = _spec_hash(spec)
        pod = self._pod(rt)
        if pod is None or rt.terminating:
            return
        if container.running is not None:
            self._kill(
                rt,
                container,
                f"Container {container.name} definition changed, will be restarted",
                self._grace(pod, container, None),
                True,
            )
            # A new spec hash is a new back-off key: the restart does not wait.
            container.exited_before_kill = None
        else:
            self._schedule_sync(rt, self.clock.now)

    def _arm_deadline(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        """``activeDeadlineSeconds`` counts from the pod's start; it may be lowered later."""
        if rt.deadline_timer is not None:
            rt.deadline_timer.cancel()
            rt.deadline_timer = None
        deadline = (pod.get("spec") or {}).get("activeDeadlineSeconds")
        rt.deadline_seconds = deadline
        if deadline and rt.start_time is not None:
            rt.deadline_timer = self.clock.call_at(
                rt.start_time + float(deadline), lambda: self._deadline(rt), PRIORITY_DEFAULT
            )

    def _deadline(self, rt: PodRuntime) -> None:
        pod = self._pod(rt)
        if pod is None or rt.terminated or rt.terminating or rt.deadline_exceeded:
            return
        # The pod fails at the deadline; its containers are stopped after that.
        rt.deadline_exceeded = True
        self.recorder.record(
            pod, NORMAL, "DeadlineExceeded", DEADLINE_MESSAGE, COMPONENT, self.node_name
        )
        self._publish(rt)
        self._stop_all(rt, pod)

    def _stop_all(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        """Stop every running container with the pod's grace period, restarting none."""
        for container in rt.ordered():
            if container.running is not None:
                self._kill(
                    rt,
                    container,
                    f"Stopping container {container.name}",
                    self._grace(pod, container, None),
                    False,
                )

    def _sync_terminating(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        self._stop_all(rt, pod)
        self._finish_if_stopped(rt, pod)

    def _finish_if_stopped(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        if any(c.running is not None for c in rt.ordered()):
            if not rt.terminating:  # a terminating pod's worker is blocked in killPod
                self._publish(rt)
            return
        rt.terminated = True
        self._publish(rt, terminal=True)
        if rt.terminating:
            # The terminal status is written as SyncTerminatingPod ends; SyncTerminatedPod
            # waits for the next PLEG relist, then for the volumes to be unmounted, and only
            # then does the status manager delete the pod (kubelet pod_workers.go,
            # status_manager.go canBeDeleted). Until then the pod is still there.
            self._forget(rt)
            due = math.floor(self.clock.now) + 1.0 + UNMOUNT_POLL_SECONDS
            self.clock.call_at(due, lambda: self._remove(rt), PRIORITY_DEFAULT)

    def _remove(self, rt: PodRuntime) -> None:
        """The status manager's final delete (grace 0, preconditioned on the pod's UID)."""
        if self._pod(rt) is None:
            return
        self._publish(rt, terminal=True, final=True)
        with contextlib.suppress(ApiError):
            self.api.delete("Pod", rt.name, rt.namespace, grace_period=0)

    def _forget(self, rt: PodRuntime) -> None:
        for container in rt.ordered():
            for instance in container.instances:
                if instance.exit_timer is not None:
                    instance.exit_timer.cancel()
            for state in container.probes.values():
                if state.timer is not None:
                    state.timer.cancel()
        if rt.sync_timer is not None:
            rt.sync_timer.cancel()
        self.pods.pop(rt.uid, None)

    # -- probes ----------------------------------------------------------------------------

    def _schedule_probe(
        self,
        rt: PodRuntime,
        container: ContainerRuntime,
        state: ProbeState,
        immediate: bool = False,
        not_before: float | None = None,
    ) -> None:
        """Arm the probe's next tick: the first ``anchor + k * period`` strictly after now
        (and not before ``not_before``), or right now when ``immediate``."""
        if state.timer is not None and not state.timer.cancelled:
            return
        period = float(container.spec.get(state.kind, {}).get("periodSeconds") or 10)
        now = self.clock.now
        ticks = (
            math.floor(round((now - state.anchor) / period, 6)) + 1 if now >= state.anchor else 0
        )
        if not_before is not None and not_before > now:
            ticks = max(ticks, math.ceil(round((not_before - state.anchor) / period, 6)))
        due = now if immediate else state.anchor + ticks * period
        state.timer = self.clock.call_at(
            due, lambda: self._probe(rt, container, state), PRIORITY_DEFAULT
        )

    def _trigger_readiness(self, rt: PodRuntime, container: ContainerRuntime) -> None:
        """The kubelet probes readiness right after a sync finds a started, unready container,
        and restarts the readiness ticker from that moment."""
        state = container.probes.get("readinessProbe")
        if state is None or container.ready:
            return
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        state.anchor = self.clock.now
        self._schedule_probe(rt, container, state, immediate=True)

    def _probe(self, rt: PodRuntime, container: ContainerRuntime, state: ProbeState) -> None:
        state.timer = None
        instance = container.running
        if instance is None or instance.killing or rt.uid not in self.pods:
            return
        if state.container_id != instance.container_id:
            state.container_id = instance.container_id
            state.result = INITIAL_RESULT[state.kind]
            state.on_hold = False
        spec = container.spec.get(state.kind) or {}
        now = self.clock.now
        if state.on_hold:
            self._schedule_probe(rt, container, state)
            return
        if rt.terminating and state.kind != "readinessProbe":
            return
        if state.kind == "startupProbe" and container.started:
            return
        # initialDelaySeconds counts whole seconds since startedAt (prober/worker.go).
        if int(now - instance.started_at) < int(spec.get("initialDelaySeconds") or 0) or (
            state.kind != "startupProbe" and not container.started
        ):
            self._schedule_probe(rt, container, state)
            return
        outcome = run_probe(
            spec, container.spec, instance.process, now - instance.started_at, rt.pod_ip
        )
        result = outcome.result
        if result == FAILURE:
            pod = self._pod(rt)
            if pod is not None:
                self.recorder.record(
                    pod,
                    WARNING,
                    "Unhealthy",
                    f"{KINDS[state.kind]} probe failed: {outcome.output}",
                    COMPONENT,
                    self.node_name,
                    _field_path(container),
                )
        if result in (SUCCESS, FAILURE):
            if state.last_result == result:
                state.run += 1
            else:
                state.last_result = result
                state.run = 1
            wanted = (
                spec.get("failureThreshold") if result == FAILURE else spec.get("successThreshold")
            )
            acts = (
                state.kind == "startupProbe"
                or state.result != result
                or (state.kind == "livenessProbe" and result == FAILURE)
            )
            if acts and state.run >= int(wanted or (3 if result == FAILURE else 1)):
                pod = self._pod(rt)
                if pod is not None:
                    self._probe_result(rt, pod, container, state, result)
        if container.running is not instance or instance.killing:
            return
        not_before = None
        if result == SUCCESS and state.result == SUCCESS and "exec" not in spec:
            # A settled success repeats until the process's network answers can change:
            # skip the identical ticks in between (they record nothing).
            change = instance.process.network_steady_after(now - instance.started_at)
            if change is None:
                return
            not_before = instance.started_at + change
        self._schedule_probe(rt, container, state, not_before=not_before)

    def _probe_result(
        self,
        rt: PodRuntime,
        pod: dict[str, Any],
        container: ContainerRuntime,
        state: ProbeState,
        result: str,
    ) -> None:
        changed = state.result != result
        state.result = result
        policy = (pod.get("spec") or {}).get("restartPolicy", "Always")
        will_restart = ", will be restarted" if policy != "Never" or container.sidecar else ""
        if state.kind == "livenessProbe" and result == FAILURE:
            state.on_hold = True
            state.run = 0
            self._kill(
                rt,
                container,
                f"Container {container.name} failed liveness probe{will_restart}",
                self._grace(pod, container, "livenessProbe"),
                bool(will_restart),
            )
        elif state.kind == "startupProbe":
            state.on_hold = True
            state.run = 0
            if result == SUCCESS:
                container.started = True
                container.ready = "readinessProbe" not in container.probes
                self._publish(rt)
                self._trigger_readiness(rt, container)
                self._schedule_sync(rt, self.clock.now)
            else:
                self._kill(
                    rt,
                    container,
                    f"Container {container.name} failed startup probe{will_restart}",
                    self._grace(pod, container, "startupProbe"),
                    bool(will_restart),
                )
        elif state.kind == "readinessProbe" and changed:
            container.ready = result == SUCCESS
            self._publish(rt)

    # -- status ----------------------------------------------------------------------------

    def _publish(self, rt: PodRuntime, terminal: bool = False, final: bool = False) -> None:
        """Write the pod's status as the kubelet computes it now (no write when unchanged);
        ``final`` is the status manager's TerminatePod just before a deleted pod goes."""
        pod = self._pod(rt)
        if pod is None or rt.rejected:
            return
        if rt.unseen_until is not None:
            if self.clock.now < rt.unseen_until and not terminal:
                return
            rt.unseen_until = None
        spec = pod.get("spec") or {}
        old = pod.get("status") or {}
        status = clone(old)
        is_terminal = terminal or old.get("phase") in TERMINAL
        phase = pod_phase(rt, spec.get("restartPolicy", "Always"), is_terminal)
        if old.get("phase") in TERMINAL:
            phase = old["phase"]
        if rt.deadline_exceeded:
            phase = "Failed"
            status["reason"] = "DeadlineExceeded"
            status["message"] = DEADLINE_MESSAGE
        has_init = bool(rt.init_order)
        init_statuses = [
            container_status(rt.containers[n], "PodInitializing") for n in rt.init_order
        ]
        app_statuses = [
            container_status(
                rt.containers[n], "PodInitializing" if has_init else "ContainerCreating"
            )
            for n in rt.app_order
        ]
        if final:
            # TerminatePod: containers that never got to run are reported as gone, and a pod
            # that had such containers did not succeed.
            unknown = False
            for entry in (
                *app_statuses,
                *(init_statuses if any(c.instances for c in rt.containers.values()) else ()),
            ):
                if "waiting" in entry["state"]:
                    entry["state"] = {
                        "terminated": {
                            "exitCode": 137,
                            "finishedAt": None,
                            "message": "The container could not be located when the pod was terminated",
                            "reason": "ContainerStatusUnknown",
                            "startedAt": None,
                        }
                    }
                    unknown = True
            if unknown:
                phase = "Failed"
        status["phase"] = phase
        # status_manager SetPodStatus: CalculatePodStatusObservedGeneration (GA in 1.35).
        generation = int(pod["metadata"].get("generation") or 0)
        if generation:
            status["observedGeneration"] = generation
        status["conditions"] = pod_conditions(
            rt, phase, old.get("conditions") or [], self.clock.now, generation
        )
        host_ip = self._host_ip()
        if host_ip:
            status["hostIP"] = host_ip
            status["hostIPs"] = [{"ip": host_ip}]
        if rt.sandbox_ready:
            status["podIP"] = rt.pod_ip
            status["podIPs"] = [{"ip": rt.pod_ip}]
        if rt.start_time is not None:
            status["startTime"] = rfc3339(rt.start_time)
        if rt.init_order:
            status["initContainerStatuses"] = init_statuses
        status["containerStatuses"] = app_statuses
        self._write_status(pod, status)
        if phase in TERMINAL and not rt.terminating and not rt.finished:
            self._finish(rt, pod)

    def _finish(self, rt: PodRuntime, pod: dict[str, Any]) -> None:
        """A pod that reached Succeeded or Failed runs nothing more: stop what is left
        (sidecars, containers of a pod past its deadline) and restart nothing."""
        rt.finished = True
        self._stop_all(rt, pod)

    def _write_status(self, pod: dict[str, Any], status: dict[str, Any]) -> None:
        if status == pod.get("status"):
            return
        updated = dict(pod)
        updated["status"] = status
        try:
            self.api.update_status(updated)
        except ApiError:
            pass

    # -- exec ------------------------------------------------------------------------------

    def exec(self, pod: dict[str, Any], container_name: str, argv: list[str]) -> Any:
        """Run ``argv`` in a running container (``kubectl exec``); returns an ExecResult.

        A command may change files the process is waiting on, so its exit and its probes are
        planned again afterwards.
        """
        rt = self.pods.get(pod["metadata"].get("uid", ""))
        container = rt.containers.get(container_name) if rt else None
        instance = container.running if container else None
        if rt is None or container is None or instance is None:
            raise bad_request(
                f'unable to upgrade connection: container not found ("{container_name}")'
            )
        result = instance.process.exec(list(argv), self.clock.now - instance.started_at)
        if instance.exit_timer is not None and not instance.killing:
            instance.exit_timer.cancel()
            instance.exit_timer = None
            self._schedule_exit(rt, container, instance)
        elif instance.exit_timer is None:
            self._schedule_exit(rt, container, instance)
        for state in container.probes.values():
            if state.timer is not None:
                state.timer.cancel()
                state.timer = None
            if not state.on_hold:
                self._schedule_probe(rt, container, state)
        return result

    # -- logs ------------------------------------------------------------------------------

    def logs(
        self, pod: dict[str, Any], container_name: str, previous: bool
    ) -> list[tuple[float, str, str]]:
        """``(time, stream, line)`` of a container's current or previous instance.

        Errors follow the kubelet's ``validateContainerLogStatus``.
        """
        rt = self.pods.get(pod["metadata"].get("uid", ""))
        pod_name = pod["metadata"]["name"]
        container = rt.containers.get(container_name) if rt else None
        instances = container.instances if container else []
        current = instances[-1] if instances else None
        if previous:
            earlier = (
                [i for i in instances if i is not current]
                if current and current.running
                else instances[:-1]
            )
            if not earlier:
                raise bad_request(
                    f'previous terminated container "{container_name}" in pod "{pod_name}" not found'
                )
            instance = earlier[-1]
        elif current is not None:
            instance = current
        else:
            reason = container.waiting_reason if container else ""
            if not reason:
                pending_init = (
                    rt is not None and rt.init_order and not (container and container.init)
                )
                reason = "PodInitializing" if pending_init else "ContainerCreating"
            if reason == "ErrImagePull":
                reason = "image can't be pulled"
            elif reason == "ImagePullBackOff":
                reason = "trying and failing to pull image"
            raise bad_request(
                f'container "{container_name}" in pod "{pod_name}" is waiting to start: {reason}'
            )
        if instance.start_failed:
            return []
        end = instance.finished_at if instance.finished_at is not None else self.clock.now
        return [
            (instance.started_at + line.at, line.stream, line.text)
            for line in instance.process.logs(end - instance.started_at)
        ]
