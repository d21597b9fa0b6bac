"""What the endpointslice and endpoints controllers share (``k8s.io/endpointslice/util``,
``pkg/api/v1/pod`` and the ``FindPort`` of both): which pods a Service's endpoints list, the
port each pod serves a Service port on, which Services a pod change concerns, and the
``endpoints.kubernetes.io/last-change-trigger-time`` bookkeeping."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import KIND_NAMESPACE_INDEX, Informer, QueueController
from k8sgame.engine.kinds.endpoint_slice import parse_ip
from k8sgame.engine.store import MODIFIED, WatchEvent
from k8sgame.engine.timefmt import parse_rfc3339

Obj = dict[str, Any]
ServiceKey = tuple[str, str]  # (namespace, name)

LAST_CHANGE_TRIGGER_TIME = "endpoints.kubernetes.io/last-change-trigger-time"
HEADLESS_LABEL = "service.kubernetes.io/headless"

# Pods keep their Ready transition time across many syncs: each stamp is read once.
_seconds = lru_cache(maxsize=8192)(parse_rfc3339)


def is_pod_ready(pod: Obj) -> bool:
    """``podutil.IsPodReady``: the Ready condition is True."""
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("status") == "True"
    return False


def _ready_since(pod: Obj) -> str | None:
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready":
            return condition.get("lastTransitionTime")
    return None


def pod_ips(pod: Obj) -> list[str]:
    """The pod's IPs (``status.podIPs``, else ``status.podIP``)."""
    status = pod.get("status") or {}
    listed = [str(entry.get("ip")) for entry in status.get("podIPs") or [] if entry.get("ip")]
    if listed:
        return listed
    return [str(status["podIP"])] if status.get("podIP") else []


def addresses_of_type(pod: Obj, address_type: str) -> list[str]:
    """``getEndpointAddresses``: the pod IPs of one family, in canonical form."""
    found = []
    for text in pod_ips(pod):
        ip = parse_ip(text)
        if ip is not None and (ip.version == 6) == (address_type == "IPv6"):
            found.append(str(ip))
    return found


def should_pod_be_in_endpoints(pod: Obj, include_terminating: bool) -> bool:
    """``ShouldPodBeInEndpoints``: not Succeeded or Failed, has an IP, and (unless terminating
    pods count) is not being deleted."""
    if (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
        return False
    if not pod_ips(pod):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def should_set_hostname(pod: Obj, svc: Obj) -> bool:
    """``ShouldSetHostname``: the pod names a hostname and this Service as its subdomain."""
    spec = pod.get("spec") or {}
    return (
        bool(spec.get("hostname"))
        and spec.get("subdomain") == svc["metadata"]["name"]
        and pod["metadata"].get("namespace") == svc["metadata"].get("namespace")
    )


def find_port(pod: Obj, service_port: Obj) -> int | None:
    """``FindPort``: a numeric targetPort as it is; a named one is the container port of that
    name and the Service port's protocol, in the containers or the sidecars (restartable init
    containers); None when the pod has no such port."""
    target = service_port.get("targetPort")
    if isinstance(target, int):
        return target
    if target is None:
        return int(service_port.get("port") or 0) or None
    protocol = service_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or [] if c.get("restartPolicy") == "Always"]
    for container in [*(spec.get("containers") or []), *sidecars]:
        for port in container.get("ports") or []:
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return int(port.get("containerPort") or 0)
    return None


def service_selector(svc: Obj) -> dict[str, str] | None:
    """The selector a controller fills endpoints from, or None: an ExternalName Service has
    no endpoints, and one without a selector gets endpoints made by hand. (An empty map
    reads back from storage as nil, so it counts as none.)"""
    spec = svc.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return None
    return spec.get("selector") or None


def selects(selector: dict[str, str], labels: dict[str, str] | None) -> bool:
    """``labels.Set(selector).AsSelector().Matches``: every pair present."""
    have = labels or {}
    return all(have.get(key) == value for key, value in selector.items())


def matching_pods(informer: Informer, svc: Obj, selector: dict[str, str]) -> list[Obj]:
    """The pods of the Service's namespace its selector matches, sorted by name (the pod
    lister's namespace index, as upstream)."""
    namespace = svc["metadata"].get("namespace") or ""
    return [
        pod
        for _, pod in informer.by_index(KIND_NAMESPACE_INDEX, f"Pod/{namespace}")
        if selects(selector, pod["metadata"].get("labels"))
    ]


def _endpoint_inputs(pod: Obj) -> tuple[Any, ...]:
    """What of a pod an endpoint is made from (``podEndpointsChanged`` and the ports): a pod
    write that leaves all of it alone concerns no Service."""
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    return (
        pod["metadata"].get("labels"),
        pod["metadata"].get("deletionTimestamp"),
        status.get("phase"),
        tuple(pod_ips(pod)),
        is_pod_ready(pod),
        _ready_since(pod),
        spec.get("nodeName"),
        spec.get("hostname"),
        spec.get("subdomain"),
    )


def services_for_pod_event(informer: Informer, event: WatchEvent) -> list[ServiceKey]:
    """``GetServicesToUpdateOnPodChange``: the selector Services of the pod's namespace that
    select it now or selected it before the change; none when nothing an endpoint shows
    changed. Only that namespace's Services are looked at (its index), never all pods."""
    pod = event.obj
    namespace = pod["metadata"].get("namespace") or ""
    services = informer.by_index(KIND_NAMESPACE_INDEX, f"Service/{namespace}")
    if not services:
        return []  # the common case, and the cheapest answer
    old = event.old if event.type == MODIFIED else None
    if old is not None and _endpoint_inputs(old) == _endpoint_inputs(pod):
        return []
    label_sets = [pod["metadata"].get("labels") or {}]
    if old is not None and old["metadata"].get("labels") != pod["metadata"].get("labels"):
        label_sets.append(old["metadata"].get("labels") or {})
    keys = []
    for _, svc in services:
        selector = service_selector(svc)
        if selector is not None and any(selects(selector, labels) for labels in label_sets):
            keys.append((namespace, svc["metadata"]["name"]))
    return keys


class TriggerTimeTracker:
    """``TriggerTimeTracker``: the ``last-change-trigger-time`` of a sync is the earliest
    change since the previous sync of that Service (a pod's Ready transition, the Service's
    creation), the Service's creation time on its first sync, or None when nothing changed
    (the annotation is then removed from what gets written)."""

    def __init__(self) -> None:
        # (namespace, name) -> (service trigger time, pod name -> pod trigger time)
        self._states: dict[ServiceKey, tuple[float, dict[str, float]]] = {}

    def compute(self, svc: Obj, pods: list[Obj]) -> float | None:
        """The trigger time to write for this sync (and remember what was seen)."""
        md = svc["metadata"]
        key = (str(md.get("namespace") or ""), str(md["name"]))
        state = self._states.get(key)
        last_service, last_pods = state if state is not None else (None, {})
        earliest: float | None = None
        pod_times: dict[str, float] = {}
        for pod in pods:
            stamp = _ready_since(pod)
            if not stamp:
                continue
            when = _seconds(stamp)
            name = pod["metadata"]["name"]
            pod_times[name] = when
            if name not in last_pods or when > last_pods[name]:
                earliest = when if earliest is None else min(earliest, when)
        created = _seconds(md["creationTimestamp"]) if md.get("creationTimestamp") else 0.0
        if last_service is None or created > last_service:
            earliest = created if earliest is None else min(earliest, created)
        self._states[key] = (created, pod_times)
        if state is None:
            return created
        return earliest

    def forget(self, key: ServiceKey) -> None:
        """``DeleteService``."""
        self._states.pop(key, None)


class PodMemo:
    """What each pod's part of a Service's sync was last made from and what it was. Stored
    objects are replaced, never changed in place, so the same objects give the same part: a
    sync recomputes only the pods that changed (a Service with hundreds of pods is synced on
    each of their status writes). Only the pods of each Service's latest sync are kept."""

    def __init__(self) -> None:
        self._by_service: dict[ServiceKey, dict[Any, tuple[tuple[Any, ...], Any]]] = {}
        self._seen: dict[Any, tuple[tuple[Any, ...], Any]] = {}

    @staticmethod
    def _key(svc: Obj) -> ServiceKey:
        return (str(svc["metadata"].get("namespace") or ""), str(svc["metadata"]["name"]))

    def get(self, svc: Obj, key: Any, sources: tuple[Any, ...]) -> Any | None:
        """The part remembered under ``key`` if it was made from these very objects."""
        entry = self._by_service.get(self._key(svc), {}).get(key)
        if entry is None or len(entry[0]) != len(sources):
            return None
        if any(a is not b for a, b in zip(entry[0], sources, strict=True)):
            return None
        self._seen[key] = entry
        return entry[1]

    def put(self, key: Any, sources: tuple[Any, ...], part: Any) -> None:
        self._seen[key] = (sources, part)

    def finish(self, svc: Obj) -> None:
        """What this sync saw becomes what is remembered for the Service."""
        self._by_service[self._key(svc)] = self._seen
        self._seen = {}

    def forget(self, key: ServiceKey) -> None:
        self._by_service.pop(key, None)


class ServiceEndpointsController(QueueController[ServiceKey]):
    """What the EndpointSlice and Endpoints controllers share: a queue of Services, fed by
    Service changes and by the pod changes that concern a Service; a change to the objects
    they write is handled by ``on_written`` (their own writes are flagged by ``_writing``)."""

    def __init__(self, api: Client, informer: Informer, clock: SimClock) -> None:
        super().__init__(api, informer, clock)
        self.triggers = TriggerTimeTracker()
        self.memo = PodMemo()
        # True while this controller writes: the events it causes are its own.
        self._writing = False

    def on_event(self, event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if event.kind == "Service":
            self.queue.add((md.get("namespace") or "", md["name"]))
        elif event.kind == "Pod":
            for key in services_for_pod_event(self.informer, event):
                self.queue.add(key)
        elif not self._writing:
            self.on_written(event)

    def on_written(self, event: WatchEvent) -> None:
        """Someone else changed one of the objects this controller writes."""
