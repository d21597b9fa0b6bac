"""Resource metrics as metrics-server serves them (``metrics.k8s.io/v1beta1``) for ``kubectl top``.

A pure, read-only view computed from what the kubelets' container runtimes remember: no timers,
no writes, no randomness. metrics-server is modelled as running since simulated second 0 with
the upstream manifests' ``--metric-resolution=15s`` (``manifests/base/deployment.yaml``; the
binary's own default is 60 s), so it scrapes every kubelet at ``t = 0, 15, 30, ...``
(``pkg/server/server.go`` ``runScrape``: one tick at start, then a ticker). Each scrape takes,
for every running container, its cumulative CPU time and its memory working set at that
instant (the kubelet's ``/metrics/resource``), and for the node the sum over its containers.

What the API answers is computed as ``pkg/storage`` of metrics-server does:

- CPU is a rate: ``(cumulative(last) - cumulative(prev)) / (last - prev)`` in nanocores
  (``types.go`` ``resourceUsage``, truncated to an integer); memory is the working set of the
  latest scrape. The reported ``timestamp`` is the latest scrape and ``window`` its distance to
  the point used as ``prev``.
- A container needs a ``prev`` point of the same run: the previous scrape, if the container
  had already started before it (``pod.go`` ``Store``: ``newPoint.StartTime.Before(
  lastContainer.Timestamp)``). A fresh container that started between 10 s and one resolution
  before the latest scrape uses its start (with zero CPU used) as ``prev``
  (``freshContainerMinMetricsResolution``). A pod appears only when every container the
  kubelet reports for it has a ``prev`` (``GetMetrics``: ``allContainersPresent``), so a pod
  has no metrics for one or two scrapes after it starts and after each container restart.
- Only running containers are reported; a pod with none (Pending, crash-loop back-off,
  Succeeded, Failed) has no metrics.
- Nodes: a node's point needs its kubelet (metrics-server scrapes every node it lists; a node
  without a kubelet answers nothing) and, like containers, two scrapes. The simulator does not
  model the node's own daemons (kernel, containerd, kubelet, system pods): node usage is the sum
  of the containers running on it, so an empty node shows zero.

Simplifications (docs/engine.md): every point is taken exactly at the scrape instant (a real
kubelet serves cAdvisor/CRI statistics a few seconds old); CPU is the image behaviour's steady
figure with no jitter; metrics-server's rule that drops points whose cumulative CPU or memory is
zero (``decode.go`` ``checkContainerMetrics``) is not applied, because on a real machine those
are never zero once a process or a node has run.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.errors import not_found
from k8sgame.engine.kubelet.kubelet import Kubelet
from k8sgame.engine.kubelet.runtime import Instance, PodRuntime
from k8sgame.engine.labels import Selector
from k8sgame.engine.timefmt import parse_rfc3339

# metrics-server's --metric-resolution in the upstream manifests (and the Helm chart).
METRIC_RESOLUTION = 15.0
# pkg/storage/pod.go freshContainerMinMetricsResolution.
FRESH_CONTAINER_MIN_RESOLUTION = 10.0
# CPU is averaged over the window by sampling the behaviour at the middle of slices no longer
# than this (its CPU figure is piecewise constant: exact unless a stage changes mid-slice).
CPU_SAMPLE_SECONDS = 0.5
METRICS_GROUP = "metrics.k8s.io"
_EPS = 1e-9


@dataclass(frozen=True)
class ContainerMetrics:
    """One container's usage: CPU in nanocores (a rate), memory working set in bytes."""

    name: str
    cpu_nanocores: int
    memory_bytes: int


@dataclass(frozen=True)
class PodMetrics:
    """A ``PodMetrics`` object: the latest scrape (``timestamp``) and the CPU ``window``."""

    namespace: str
    name: str
    timestamp: float
    window: float
    containers: tuple[ContainerMetrics, ...]
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def cpu_nanocores(self) -> int:
        return sum(c.cpu_nanocores for c in self.containers)

    @property
    def memory_bytes(self) -> int:
        return sum(c.memory_bytes for c in self.containers)


@dataclass(frozen=True)
class NodeMetrics:
    """A ``NodeMetrics`` object."""

    name: str
    timestamp: float
    window: float
    cpu_nanocores: int
    memory_bytes: int
    labels: Mapping[str, str] = field(default_factory=dict)


def _running_at(instance: Instance, at: float) -> bool:
    """Whether the runtime (and so the kubelet's resource metrics) had this run at ``at``."""
    if instance.start_failed or instance.started_at > at:
        return False
    return instance.finished_at is None or instance.finished_at > at


def _instance_at(runs: list[Instance], at: float) -> Instance | None:
    for instance in reversed(runs):
        if _running_at(instance, at):
            return instance
    return None


def _cpu_millis_seconds(instance: Instance, start: float, end: float) -> float:
    """CPU time (millicore-seconds) the run used between ``start`` and ``end`` (absolute)."""
    begin = max(start, instance.started_at)
    finish = end if instance.finished_at is None else min(end, instance.finished_at)
    if finish <= begin:
        return 0.0
    slices = max(1, math.ceil((finish - begin) / CPU_SAMPLE_SECONDS - _EPS))
    step = (finish - begin) / slices
    total = 0
    for index in range(slices):
        at = begin + (index + 0.5) * step - instance.started_at
        total += instance.process.cpu_millis_at(at)
    return total * step


def _nanocores(millis_seconds: float, window: float) -> int:
    """``uint64(cpuUsage)``: nanocore-seconds over the window, truncated (float noise from the
    sampling is rounded away first, so a steady 5 millicores is exactly 5000000n)."""
    if window <= 0:
        return 0
    value = millis_seconds * 1_000_000 / window
    nearest = round(value)
    return nearest if abs(value - nearest) < 1e-3 else int(value)


def _memory(instance: Instance, at: float) -> int:
    return int(instance.process.memory_at(at - instance.started_at))


class MetricsServer:
    """metrics-server's API over the simulated kubelets (see the module docstring)."""

    def __init__(
        self,
        api: Client,
        kubelets: Mapping[str, Kubelet],
        clock: SimClock,
        resolution: float = METRIC_RESOLUTION,
    ) -> None:
        self.api = api
        self.kubelets = kubelets
        self.clock = clock
        self.resolution = resolution

    # -- scrape grid -----------------------------------------------------------------------

    def last_scrape(self) -> float:
        """The latest scrape at or before now (metrics-server scrapes at start, t = 0)."""
        return math.floor(self.clock.now / self.resolution + _EPS) * self.resolution

    # -- pods ------------------------------------------------------------------------------

    def _runtime(self, pod: Mapping[str, Any]) -> PodRuntime | None:
        node = (pod.get("spec") or {}).get("nodeName")
        kubelet = self.kubelets.get(str(node)) if node else None
        if kubelet is None or kubelet.stopped:
            return None
        return kubelet.pods.get(pod["metadata"].get("uid", ""))

    def _pod(self, pod: Mapping[str, Any]) -> PodMetrics | None:
        runtime = self._runtime(pod)
        if runtime is None:
            return None
        last = self.last_scrape()
        prev = last - self.resolution
        containers = []
        windows = []
        for container in runtime.ordered():
            instance = _instance_at(container.instances, last)
            if instance is None:
                continue  # not running at the scrape: the kubelet does not report it
            start = instance.started_at
            age = last - start
            if FRESH_CONTAINER_MIN_RESOLUTION <= age < self.resolution:
                since = start  # pod.go: a copy of the new point at StartTime, CPU 0
            elif prev >= 0 and start < prev:
                since = prev  # the previous scrape saw this same run
            else:
                return None  # one container without a prev point hides the whole pod
            window = last - since
            containers.append(
                ContainerMetrics(
                    container.name,
                    _nanocores(_cpu_millis_seconds(instance, since, last), window),
                    _memory(instance, last),
                )
            )
            windows.append(window)
        if not containers:
            return None
        meta = pod["metadata"]
        return PodMetrics(
            meta.get("namespace", ""),
            meta["name"],
            last,
            windows[0],
            tuple(containers),
            dict(meta.get("labels") or {}),
        )

    def list_pods(
        self, namespace: str | None = None, selector: Selector | None = None
    ) -> list[PodMetrics]:
        """``GET /apis/metrics.k8s.io/v1beta1[/namespaces/NS]/pods``: sorted by namespace, name."""
        found = []
        for pod in self.api.view("Pod", namespace):
            if selector is not None and not selector.matches(pod["metadata"].get("labels")):
                continue
            metrics = self._pod(pod)
            if metrics is not None:
                found.append(metrics)
        return found

    def get_pod(self, name: str, namespace: str) -> PodMetrics:
        """One pod's metrics; NotFound as metrics-server answers (``pkg/api/pod.go`` Get)."""
        pod = self.api.peek("Pod", name, namespace)
        if pod is None:
            # The pod lister's own error: GroupResource "pods" and the bare name.
            raise not_found("pods", "", name)
        metrics = self._pod(pod)
        if metrics is None:
            raise not_found("podmetrics", METRICS_GROUP, f"{namespace}/{name}")
        return metrics

    # -- nodes -----------------------------------------------------------------------------

    def _node_started(self, node: Mapping[str, Any]) -> float:
        stamp = node["metadata"].get("creationTimestamp")
        return parse_rfc3339(stamp) if stamp else 0.0

    def _runs(self, kubelet: Kubelet) -> Iterator[Instance]:
        for runtime in kubelet.pods.values():
            for container in runtime.ordered():
                yield from container.instances

    def _node(self, node: Mapping[str, Any]) -> NodeMetrics | None:
        name = node["metadata"]["name"]
        kubelet = self.kubelets.get(name)
        if kubelet is None or kubelet.stopped:
            return None  # nothing answers the scrape
        last = self.last_scrape()
        prev = last - self.resolution
        if prev < 0 or self._node_started(node) > prev:
            return None  # node.go: a point needs the one before it
        runs = [i for i in self._runs(kubelet) if not i.start_failed]
        cpu = sum(_cpu_millis_seconds(i, prev, last) for i in runs)
        memory = sum(_memory(i, last) for i in runs if _running_at(i, last))
        return NodeMetrics(
            name,
            last,
            self.resolution,
            _nanocores(cpu, self.resolution),
            memory,
            dict(node["metadata"].get("labels") or {}),
        )

    def list_nodes(self, selector: Selector | None = None) -> list[NodeMetrics]:
        """``GET /apis/metrics.k8s.io/v1beta1/nodes``: sorted by name (``pkg/api/node.go``)."""
        found = []
        for node in self.api.view("Node"):
            if selector is not None and not selector.matches(node["metadata"].get("labels")):
                continue
            metrics = self._node(node)
            if metrics is not None:
                found.append(metrics)
        return found

    def get_node(self, name: str) -> NodeMetrics:
        """One node's metrics; NotFound as metrics-server answers (``pkg/api/node.go`` Get)."""
        node = self.api.peek("Node", name)
        if node is None:
            # The typed node lister's error: client-go listers use v1.Resource("node").
            raise not_found("node", "", name)
        metrics = self._node(node)
        if metrics is None:
            raise not_found("nodemetrics", METRICS_GROUP, name)
        return metrics
