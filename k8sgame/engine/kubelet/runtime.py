"""What the simulated container runtime remembers about pods and container instances."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.clock import Timer


@dataclass
class Instance:
    """One run of a container (a container ID in the runtime)."""

    container_id: str
    process: Any  # k8sgame.engine.images.process.Process
    started_at: float
    image: str  # normalized reference, e.g. docker.io/library/nginx:latest
    image_id: str
    finished_at: float | None = None
    exit_code: int | None = None
    reason: str = ""
    message: str = ""
    start_failed: bool = False
    exit_timer: Timer | None = None
    killing: bool = False
    # Files of ConfigMap/Secret/projected volumes as last written (the kubelet refreshes them).
    mounted: dict[str, str] = field(default_factory=dict)

    @property
    def running(self) -> bool:
        return self.finished_at is None


@dataclass
class ProbeState:
    """A probe worker's memory (``prober/worker.go``)."""

    kind: str  # liveness, readiness, startup
    anchor: float  # ticker start: ticks at anchor + k * period
    result: str  # Success, Failure, Unknown
    last_result: str = ""
    run: int = 0
    on_hold: bool = False
    container_id: str = ""
    timer: Timer | None = None


@dataclass
class ContainerRuntime:
    """One container of a pod across its instances."""

    name: str
    spec: dict[str, Any]
    init: bool = False
    sidecar: bool = False
    instances: list[Instance] = field(default_factory=list)
    restart_count: int = 0
    waiting_reason: str = ""
    waiting_message: str = ""
    ready: bool = False
    started: bool = False
    probes: dict[str, ProbeState] = field(default_factory=dict)
    # Set while a kill is in progress whose instance must not count for back-off yet.
    exited_before_kill: Instance | None = None
    restart_after_kill: bool = False
    pulling: bool = False

    @property
    def current(self) -> Instance | None:
        return self.instances[-1] if self.instances else None

    @property
    def running(self) -> Instance | None:
        current = self.current
        return current if current is not None and current.running else None

    def last_exited(self, exclude: Instance | None = None) -> Instance | None:
        for instance in reversed(self.instances):
            if instance is exclude:
                continue
            if not instance.running:
                return instance
        return None


@dataclass
class PodRuntime:
    """A pod admitted by this node's kubelet."""

    uid: str
    namespace: str
    name: str
    added_at: float
    containers: dict[str, ContainerRuntime] = field(default_factory=dict)
    init_order: list[str] = field(default_factory=list)
    app_order: list[str] = field(default_factory=list)
    volumes_ready: bool = False
    sandbox_ready: bool = False
    sandbox_due: float | None = None
    pod_ip: str = ""
    start_time: float | None = None
    rejected: tuple[str, str] | None = None
    terminating: bool = False
    terminated: bool = False
    deadline_exceeded: bool = False
    deadline_timer: Timer | None = None
    deadline_seconds: Any = None
    # Reached Succeeded/Failed: nothing is started or restarted any more.
    finished: bool = False
    sync_timer: Timer | None = None
    mount_attempts: int = 0
    spec_hashes: dict[str, str] = field(default_factory=dict)
    # A container started and exited between two PLEG relists: the kubelet never saw it
    # running, so no status is written until the relist at this time reports the exit.
    unseen_until: float | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.namespace, self.name)

    def ordered(self) -> list[ContainerRuntime]:
        return [self.containers[n] for n in self.init_order + self.app_order]
