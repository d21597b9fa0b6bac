"""The legacy Endpoints controller (``pkg/controller/endpoint/endpoints_controller.go``),
as the ``endpoint-controller`` service account. Deprecated with the Endpoints API in v1.33
but still run by default in 1.35: for every Service with a selector (not ExternalName), an
Endpoints object of the same name.

- Pods that are not Succeeded or Failed and have an IP are listed (terminating ones only
  with ``publishNotReadyAddresses``): Ready pods (every pod, with
  ``publishNotReadyAddresses``) under ``addresses``, the rest under ``notReadyAddresses``,
  each with the port the pod serves every Service port on (``RepackSubsets`` groups
  addresses by their set of ports). No pods: an Endpoints without subsets.
- Labels: the Service's, ``service.kubernetes.io/headless`` for a headless Service and
  ``endpoints.kubernetes.io/managed-by: endpoint-controller``; annotations
  ``endpoints.kubernetes.io/last-change-trigger-time`` and, past 1000 addresses,
  ``endpoints.kubernetes.io/over-capacity: truncated`` (ready addresses kept first).
- A sync that would write the same subsets and labels writes nothing.
- When the Service is deleted its Endpoints is deleted (upstream the Service's REST storage
  does it in the same request, and this controller again when it syncs the gone Service;
  the simulator leaves it to the controller, at the same simulated instant). An Endpoints
  deleted while its Service is there is written again."""

from __future__ import annotations

import math
from typing import Any

from k8sgame.engine.controllers.base import Result
from k8sgame.engine.controllers.endpoint_util import (
    HEADLESS_LABEL,
    LAST_CHANGE_TRIGGER_TIME,
    PodMemo,
    ServiceEndpointsController,
    ServiceKey,
    addresses_of_type,
    find_port,
    is_pod_ready,
    matching_pods,
    service_selector,
    should_pod_be_in_endpoints,
    should_set_hostname,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.service import is_service_ip_set
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import rfc3339

Obj = dict[str, Any]

MANAGED_BY_LABEL = "endpoints.kubernetes.io/managed-by"
CONTROLLER_NAME = "endpoint-controller"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
MAX_CAPACITY = 1000


def _address(svc: Obj, pod: Obj) -> Obj | None:
    """``podToEndpointAddressForService``: the pod IP of the Service's first family."""
    families = (svc.get("spec") or {}).get("ipFamilies") or ["IPv4"]
    ips = addresses_of_type(pod, str(families[0]))
    if not ips:
        return None
    md = pod["metadata"]
    address: Obj = {
        "ip": ips[0],
        "nodeName": (pod.get("spec") or {}).get("nodeName") or "",
        "targetRef": {
            "kind": "Pod",
            "namespace": md.get("namespace") or "",
            "name": md["name"],
            "uid": md.get("uid") or "",
        },
    }
    if should_set_hostname(pod, svc):
        address["hostname"] = pod["spec"]["hostname"]
    return address


def _ip_order(address: Obj) -> tuple[bytes, bool, str]:
    """``LessEndpointAddress``: by the IP's text as bytes (``10.244.1.10`` before
    ``10.244.1.9``), then without a target first, then by the target's uid."""
    target = address.get("targetRef")
    uid = str((target or {}).get("uid") or "")
    return (str(address["ip"]).encode(), target is not None, uid)


def repack_subsets(entries: list[tuple[Obj, Obj | None, bool]]) -> list[Obj]:
    """``RepackSubsets``: (address, port or None, ready) entries grouped into subsets, one
    per set of addresses that offer the same ports. Addresses sort by IP; ports by name,
    number and protocol, and subsets by their addresses (upstream sorts these two by a hash
    of Go's printed structs, which Python cannot reproduce)."""
    by_port: dict[str, tuple[Obj | None, dict[tuple[str, str], tuple[Obj, bool]]]] = {}
    for address, port, ready in entries:
        port_key = repr(sorted(port.items())) if port is not None else "-"
        _, members = by_port.setdefault(port_key, (port, {}))
        key = (address["ip"], str((address.get("targetRef") or {}).get("uid") or ""))
        was = members.get(key)
        # Once an address is not ready for a port it stays so (mapAddressByPort).
        if was is None or was[1]:
            members[key] = (address, ready)
    groups: dict[str, tuple[list[Obj], dict[tuple[str, str], tuple[Obj, bool]]]] = {}
    for port, members in by_port.values():
        group_key = repr(sorted((k, r) for k, (_, r) in members.items()))
        group_ports, _ = groups.setdefault(group_key, ([], members))
        if port is not None:
            group_ports.append(port)
    subsets = []
    for ports, members in groups.values():
        listed = sorted((a for a, r in members.values() if r), key=_ip_order)
        unlisted = sorted((a for a, r in members.values() if not r), key=_ip_order)
        subset: Obj = {}
        if listed:
            subset["addresses"] = listed
        if unlisted:
            subset["notReadyAddresses"] = unlisted
        if ports:
            subset["ports"] = sorted(
                ports, key=lambda p: (p.get("name") or "", p["port"], p["protocol"])
            )
        subsets.append(subset)
    return sorted(
        subsets,
        key=lambda s: [
            _ip_order(a) for a in (*s.get("addresses", ()), *s.get("notReadyAddresses", ()))
        ],
    )


Entry = tuple[Obj, Obj | None, bool]  # (address, port or None, ready)


def _pod_entries(svc: Obj, pod: Obj) -> list[Entry]:
    """What one pod adds to the Service's Endpoints: its address once per port it serves."""
    spec = svc.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    if not should_pod_be_in_endpoints(pod, include_terminating=publish):
        return []
    address = _address(svc, pod)
    if address is None:
        return []
    ready = publish or is_pod_ready(pod)
    if not spec.get("ports"):
        # A headless Service may have no ports: its addresses are listed bare.
        return [(address, None, ready)] if spec.get("clusterIP") == "None" else []
    entries: list[Entry] = []
    for service_port in spec["ports"]:
        number = find_port(pod, service_port)
        if number is None:
            continue
        port: Obj = {"port": number, "protocol": service_port.get("protocol") or "TCP"}
        if service_port.get("name"):
            port["name"] = service_port["name"]
        if service_port.get("appProtocol") is not None:
            port["appProtocol"] = service_port["appProtocol"]
        entries.append((address, port, ready))
    return entries


def desired_subsets(svc: Obj, pods: list[Obj], memo: PodMemo | None = None) -> list[Obj]:
    """The subsets of the Service's Endpoints for these (selected) pods."""
    memo = memo if memo is not None else PodMemo()
    entries: list[Entry] = []
    for pod in pods:
        name = pod["metadata"]["name"]
        found = memo.get(svc, name, (pod, svc))
        if found is None:
            found = _pod_entries(svc, pod)
            memo.put(name, (pod, svc), found)
        entries.extend(found)
    memo.finish(svc)
    return repack_subsets(entries)


def truncate(subsets: list[Obj]) -> bool:
    """``truncateEndpoints``: past 1000 addresses keep ready ones first, each subset its
    share (rounded up) of what fits; whether anything was cut."""
    ready = sum(len(s.get("addresses") or []) for s in subsets)
    not_ready = sum(len(s.get("notReadyAddresses") or []) for s in subsets)
    if ready + not_ready <= MAX_CAPACITY:
        return False
    cut_ready = ready > MAX_CAPACITY
    room = MAX_CAPACITY if cut_ready else MAX_CAPACITY - ready
    total = ready if cut_ready else not_ready
    left = room
    for subset in subsets:
        field = "addresses" if cut_ready else "notReadyAddresses"
        share = min(math.ceil(len(subset.get(field) or []) / total * room), left)
        kept = (subset.get(field) or [])[:share]
        if kept:
            subset[field] = kept
        else:
            subset.pop(field, None)
        if cut_ready:
            subset.pop("notReadyAddresses", None)
        left -= len(kept)
    return True


def _comparable_labels(labels: dict[str, str] | None) -> dict[str, str]:
    # The labels the controller adds itself are not the Service's.
    return {k: v for k, v in (labels or {}).items() if k not in (HEADLESS_LABEL, MANAGED_BY_LABEL)}


# Updates go the trusted way; a test turns it off to compare the stored objects.
TRUSTED_WRITES = True


class EndpointsController(ServiceEndpointsController):
    name = "endpoints-controller"
    kinds = ("Service", "Pod", "Endpoints")

    def on_written(self, event: WatchEvent) -> None:
        if event.type == DELETED:
            # onEndpointsDelete: a Service that still exists gets its Endpoints back.
            md = event.obj["metadata"]
            self.queue.add((md.get("namespace") or "", md["name"]))

    def reconcile(self, key: ServiceKey) -> Result | None:
        namespace, name = key
        svc = self.informer.get(("Service", namespace, name))
        current = self.informer.get(("Endpoints", namespace, name))
        if svc is None:
            self.triggers.forget(key)
            self.memo.forget(key)
            if current is not None:
                self._write(lambda: self.api.delete("Endpoints", name, namespace))
            return None
        selector = service_selector(svc)
        if selector is None:
            return None
        pods = matching_pods(self.informer, svc, selector)
        trigger = self.triggers.compute(svc, pods)
        subsets = desired_subsets(svc, pods, self.memo)
        svc_labels = svc["metadata"].get("labels") or {}
        if current is not None:
            annotations = current["metadata"].get("annotations") or {}
            over = sum(
                len(s.get("addresses") or []) + len(s.get("notReadyAddresses") or [])
                for s in subsets
            )
            capacity_ok = over <= MAX_CAPACITY and OVER_CAPACITY not in annotations
            if (
                (current.get("subsets") or []) == subsets
                and _comparable_labels(current["metadata"].get("labels")) == svc_labels
                and capacity_ok
            ):
                return None
        self._write(lambda: self._store(svc, current, subsets, trigger))
        return None

    def _write(self, action: Any) -> None:
        # Its own writes are not someone else's deletions to undo.
        self._writing = True
        try:
            action()
        except ApiError as error:
            if error.reason not in ("NotFound", "Forbidden"):
                raise
        finally:
            self._writing = False

    def _store(
        self, svc: Obj, current: Obj | None, subsets: list[Obj], trigger: float | None
    ) -> None:
        md = svc["metadata"]
        # A shallow copy is enough: the subsets are replaced and the metadata copied.
        endpoints: Obj = (
            {**current, "metadata": dict(current["metadata"])}
            if current is not None
            else {
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {"name": md["name"], "namespace": md.get("namespace") or ""},
            }
        )
        if subsets:
            endpoints["subsets"] = subsets
        else:
            endpoints.pop("subsets", None)
        ep_md = endpoints["metadata"]
        annotations = dict(ep_md.get("annotations") or {})
        if trigger is not None:
            annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339(trigger)
        else:
            annotations.pop(LAST_CHANGE_TRIGGER_TIME, None)
        if truncate(subsets):
            annotations[OVER_CAPACITY] = "truncated"
        else:
            annotations.pop(OVER_CAPACITY, None)
        labels = dict(md.get("labels") or {})
        if not is_service_ip_set(svc):
            labels[HEADLESS_LABEL] = ""
        labels[MANAGED_BY_LABEL] = CONTROLLER_NAME
        ep_md["labels"] = labels
        if annotations:
            ep_md["annotations"] = annotations
        else:
            ep_md.pop("annotations", None)
        if current is None:
            self.api.create(endpoints)
        else:
            # Well-formed and defaulted by construction: the trusted way (see endpointslice).
            self.api.update(endpoints, trusted=TRUSTED_WRITES)
