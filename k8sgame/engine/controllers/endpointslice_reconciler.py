"""The EndpointSlice reconciler (``k8s.io/endpointslice`` ``reconciler.go``, ``utils.go``):
from a Service, the pods its selector matches and the slices the controller already keeps,
which slices to create, update and delete. A pure function of its inputs (its memo of each
pod's endpoint only saves work); the controller (``endpointslice.py``) makes the writes.

Where upstream leaves an order to Go's map iteration (``EndpointSet.PopAny``, the sets of
slice names) the simulator takes a fixed one: new endpoints go in pod-name order, slices in
name order. Ports keep the Service's order (upstream sorts them by a hash of Go's printed
struct, which Python cannot reproduce)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.controllers.endpoint_util import (
    HEADLESS_LABEL,
    LAST_CHANGE_TRIGGER_TIME,
    PodMemo,
    addresses_of_type,
    find_port,
    is_pod_ready,
    should_pod_be_in_endpoints,
    should_set_hostname,
)
from k8sgame.engine.controllers.ownership import controller_reference
from k8sgame.engine.kinds.endpoint_slice import MANAGED_BY_LABEL, SERVICE_NAME_LABEL
from k8sgame.engine.kinds.service import is_service_ip_set
from k8sgame.engine.objcopy import clone
from k8sgame.engine.timefmt import rfc3339

Obj = dict[str, Any]
NodeLookup = Callable[[str], Obj | None]

# controllerQualifiedName: the managed-by label's value on the slices this controller keeps.
CONTROLLER_NAME = "endpointslice-controller.k8s.io"
# kube-controller-manager --max-endpoints-per-slice (default 100).
MAX_ENDPOINTS_PER_SLICE = 100
ZONE_LABEL = "topology.kubernetes.io/zone"
# trafficDistribution values that ask for hints (trafficdist.closeTrafficDistribution).
CLOSE_TRAFFIC = ("PreferClose", "PreferSameNode", "PreferSameZone")
_RESERVED_LABELS = (SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL)


@dataclass
class SlicePlan:
    """The writes of one reconcile step, made in this order: creates, updates, deletes."""

    create: list[Obj] = field(default_factory=list)
    update: list[Obj] = field(default_factory=list)
    delete: list[Obj] = field(default_factory=list)


def address_types(svc: Obj) -> list[str]:
    """``getAddressTypesForService``: one slice family per IP family of the Service."""
    families = (svc.get("spec") or {}).get("ipFamilies") or []
    found = [f for f in ("IPv4", "IPv6") if f in families]
    return found or ["IPv4"]


def owned_by(eps: Obj, svc: Obj) -> bool:
    """``ownedBy``: the slice has an owner reference to this very Service."""
    uid = svc["metadata"].get("uid")
    return any(
        ref.get("uid") == uid and ref.get("kind") == "Service" and ref.get("apiVersion") == "v1"
        for ref in eps["metadata"].get("ownerReferences") or []
    )


def slice_labels(eps: Obj, svc: Obj) -> tuple[dict[str, str], bool]:
    """``setEndpointSliceLabels``: the Service's labels plus the reserved ones, and whether
    the slice's own (non-reserved) labels differed from the Service's."""
    mine = {
        k: v for k, v in (eps["metadata"].get("labels") or {}).items() if k not in _RESERVED_LABELS
    }
    wanted = {
        k: v for k, v in (svc["metadata"].get("labels") or {}).items() if k not in _RESERVED_LABELS
    }
    changed = mine != wanted
    if not is_service_ip_set(svc):
        wanted[HEADLESS_LABEL] = ""
    wanted[SERVICE_NAME_LABEL] = svc["metadata"]["name"]
    wanted[MANAGED_BY_LABEL] = CONTROLLER_NAME
    return wanted, changed


def new_slice(svc: Obj, ports: list[Obj], address_type: str) -> Obj:
    """``newEndpointSlice``: ``generateName: <service>-``, the Service as controlling owner."""
    md = svc["metadata"]
    eps: Obj = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": f"{md['name']}-",
            "namespace": md.get("namespace") or "",
            "ownerReferences": [controller_reference(svc)],
            "labels": {},
        },
        "addressType": address_type,
        "endpoints": [],
        "ports": clone(ports),
    }
    eps["metadata"]["labels"], _ = slice_labels(eps, svc)
    return eps


def endpoint_ports(svc: Obj, pod: Obj) -> list[Obj]:
    """``getEndpointPorts``: each Service port this pod serves, with the pod's number."""
    spec = svc.get("spec") or {}
    ports = []
    for service_port in spec.get("ports") or []:
        number = find_port(pod, service_port)
        if number is None:
            continue
        port: Obj = {
            "name": str(service_port.get("name") or ""),
            "port": number,
            "protocol": service_port.get("protocol") or "TCP",
        }
        if service_port.get("appProtocol") is not None:
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports


def ports_key(ports: list[Obj] | None) -> str:
    """``NewPortMapKey``: the same for the same set of ports in any order (nil = empty)."""
    return json.dumps(sorted(json.dumps(p, sort_keys=True) for p in ports or []))


def endpoint_key(endpoint: Obj) -> tuple[Any, ...]:
    """``hashEndpoint``: addresses, hostname and the target's namespace and name."""
    ref = endpoint.get("targetRef") or {}
    return (
        tuple(sorted(endpoint.get("addresses") or [])),
        endpoint.get("hostname") or "",
        ref.get("namespace") or "",
        ref.get("name") or "",
    )


def pod_to_endpoint(pod: Obj, node: Obj | None, svc: Obj, address_type: str) -> Obj:
    """``podToEndpoint``: ready unless the pod is unready or terminating (always, with
    ``publishNotReadyAddresses``); serving = the pod is Ready; terminating = being deleted."""
    spec = svc.get("spec") or {}
    md = pod["metadata"]
    serving = is_pod_ready(pod)
    terminating = bool(md.get("deletionTimestamp"))
    ready = bool(spec.get("publishNotReadyAddresses")) or (serving and not terminating)
    endpoint: Obj = {
        "addresses": addresses_of_type(pod, address_type),
        "conditions": {"ready": ready, "serving": serving, "terminating": terminating},
        "targetRef": {
            "kind": "Pod",
            "namespace": md.get("namespace") or "",
            "name": md["name"],
            "uid": md.get("uid") or "",
        },
    }
    node_name = (pod.get("spec") or {}).get("nodeName")
    if node_name:
        endpoint["nodeName"] = node_name
    zone = ((node or {}).get("metadata") or {}).get("labels", {}).get(ZONE_LABEL)
    if zone:
        endpoint["zone"] = zone
    if should_set_hostname(pod, svc):
        endpoint["hostname"] = pod["spec"]["hostname"]
    _hint(endpoint, spec.get("trafficDistribution"))
    return endpoint


def _hint(endpoint: Obj, distribution: str | None) -> None:
    """``trafficdist``: with a close traffic distribution, each ready endpoint is hinted to
    its zone (and, for PreferSameNode, its node); otherwise no hints."""
    if distribution not in CLOSE_TRAFFIC or not endpoint["conditions"]["ready"]:
        return
    hints: Obj = {}
    if endpoint.get("zone"):
        hints["forZones"] = [{"name": endpoint["zone"]}]
    if distribution == "PreferSameNode" and endpoint.get("nodeName"):
        hints["forNodes"] = [{"name": endpoint["nodeName"]}]
    if hints:
        endpoint["hints"] = hints


# One pod's part of a sync: (ports, their key, endpoint or None when it is left out).
PodPart = tuple[list[Obj], str, Obj | None]


def _pod_part(svc: Obj, pod: Obj, node: Obj | None, address_type: str) -> PodPart:
    ports = endpoint_ports(svc, pod)
    publish = bool((svc.get("spec") or {}).get("publishNotReadyAddresses"))
    if node is None and not publish:
        # A pod on a node that is gone is left out (upstream retries the sync later).
        return ports, ports_key(ports), None
    endpoint = pod_to_endpoint(pod, node, svc, address_type)
    return ports, ports_key(ports), endpoint if endpoint["addresses"] else None


def _desired(
    svc: Obj,
    pods: list[Obj],
    nodes: NodeLookup,
    address_type: str,
    memo: PodMemo,
) -> tuple[dict[str, list[Obj]], dict[str, dict[tuple[Any, ...], Obj]]]:
    """The endpoints wanted, grouped by the set of ports their pod serves."""
    meta: dict[str, list[Obj]] = {}
    wanted: dict[str, dict[tuple[Any, ...], Obj]] = {}
    for pod in pods:
        if not should_pod_be_in_endpoints(pod, include_terminating=True):
            continue
        node = nodes(str((pod.get("spec") or {}).get("nodeName") or ""))
        sources = (pod, svc, node)
        part = memo.get(svc, (pod["metadata"]["name"], address_type), sources)
        if part is None:
            part = _pod_part(svc, pod, node, address_type)
            memo.put((pod["metadata"]["name"], address_type), sources, part)
        ports, key, endpoint = part
        meta.setdefault(key, ports)
        group = wanted.setdefault(key, {})
        if endpoint is not None:
            group[endpoint_key(endpoint)] = endpoint
    return meta, wanted


def _slice_to_fill(slices: list[Obj], count: int, limit: int) -> Obj | None:
    """``getSliceToFill``: the unchanged slice closest to full once ``count`` are added."""
    closest_diff, closest = limit, None
    for eps in slices:
        diff = limit - (count + len(eps.get("endpoints") or []))
        if 0 <= diff < closest_diff:
            closest_diff, closest = diff, eps
            if diff == 0:
                break
    return closest


def _pop(wanted: dict[tuple[Any, ...], Obj]) -> Obj:
    key = next(iter(wanted))
    return wanted.pop(key)


def _by_port_mapping(
    svc: Obj,
    existing: list[Obj],
    wanted: dict[tuple[Any, ...], Obj],
    ports: list[Obj],
    address_type: str,
    limit: int,
) -> SlicePlan:
    """``reconcileByPortMapping``: keep wanted endpoints where they are (updated when they
    changed), drop the rest, fill the slices being updated, then an unchanged slice with
    room for all that is left, then new slices."""
    by_name: dict[str, Obj] = {}
    unchanged: list[str] = []
    to_update: list[str] = []
    to_delete: list[str] = []
    for eps in existing:
        name = eps["metadata"]["name"]
        by_name[name] = eps
        kept = []
        updated = False
        for endpoint in eps.get("endpoints") or []:
            got = wanted.pop(endpoint_key(endpoint), None)
            if got is not None:
                kept.append(got)
                updated = updated or got != endpoint
        labels, labels_changed = slice_labels(eps, svc)
        if updated or len(eps.get("endpoints") or []) != len(kept):
            if not kept:
                to_delete.append(name)
                continue
            copy = clone(eps)
            copy["endpoints"] = kept
            copy["metadata"]["labels"] = labels
            by_name[name] = copy
            to_update.append(name)
        elif labels_changed:
            copy = clone(eps)
            copy["endpoints"] = list(copy.get("endpoints") or [])
            copy["metadata"]["labels"] = labels
            by_name[name] = copy
            to_update.append(name)
        else:
            unchanged.append(name)
    if wanted and to_update:
        # The fullest slices first (a stable sort keeps name order among equals).
        for name in sorted(to_update, key=lambda n: -len(by_name[n].get("endpoints") or [])):
            eps = by_name[name]
            while wanted and len(eps["endpoints"]) < limit:
                eps["endpoints"].append(_pop(wanted))
    plan = SlicePlan()
    while wanted:
        fill = None
        if len(wanted) < limit and unchanged:
            fill = _slice_to_fill([by_name[n] for n in unchanged], len(wanted), limit)
        if fill is None:
            fill = new_slice(svc, ports, address_type)
        else:
            fill = clone(fill)
            fill["endpoints"] = list(fill.get("endpoints") or [])
            by_name[fill["metadata"]["name"]] = fill
        while wanted and len(fill["endpoints"]) < limit:
            fill["endpoints"].append(_pop(wanted))
        name = fill["metadata"].get("name")
        if name:
            to_update.append(name)
            unchanged.remove(name)
        else:
            plan.create.append(fill)
    plan.update = [by_name[n] for n in sorted(set(to_update))]
    plan.delete = [by_name[n] for n in sorted(to_delete)]
    return plan


def _is_placeholder_of(eps: Obj, placeholder: Obj) -> bool:
    """``placeholderSliceCompare``: same namespace, labels and address type, and no
    endpoints or ports (nil and empty are the same)."""
    return (
        eps["metadata"].get("namespace") == placeholder["metadata"]["namespace"]
        and (eps["metadata"].get("labels") or {}) == placeholder["metadata"]["labels"]
        and eps.get("addressType") == placeholder["addressType"]
        and not eps.get("endpoints")
        and not eps.get("ports")
    )


def _finalize(svc: Obj, plan: SlicePlan) -> SlicePlan:
    """``finalize``: a slice about to be deleted is reused for one about to be created
    (an update under the old name), if it is this Service's and of the same address type."""
    index = 0
    while index < len(plan.delete) and plan.create:
        doomed, fresh = plan.delete[index], plan.create[-1]
        if doomed.get("addressType") == fresh["addressType"] and owned_by(doomed, svc):
            fresh["metadata"]["name"] = doomed["metadata"]["name"]
            plan.create.pop()
            plan.update.append(fresh)
            plan.delete.pop(index)
        else:
            index += 1
    return plan


def _by_address_type(
    svc: Obj,
    pods: list[Obj],
    existing: list[Obj],
    nodes: NodeLookup,
    address_type: str,
    limit: int,
    memo: PodMemo,
) -> SlicePlan:
    """``reconcileByAddressType``."""
    plan = SlicePlan()
    existing_by_ports: dict[str, list[Obj]] = {}
    for eps in existing:
        if owned_by(eps, svc):
            existing_by_ports.setdefault(ports_key(eps.get("ports")), []).append(eps)
        else:
            plan.delete.append(eps)
    meta, wanted = _desired(svc, pods, nodes, address_type, memo)
    for key, group in wanted.items():
        part = _by_port_mapping(
            svc, existing_by_ports.get(key, []), group, meta[key], address_type, limit
        )
        plan.create.extend(part.create)
        plan.update.extend(part.update)
        plan.delete.extend(part.delete)
    for key, slices in existing_by_ports.items():
        if key not in wanted:
            plan.delete.extend(slices)
    if len(existing) == len(plan.delete) and not plan.create:
        # No slice would be left: a placeholder without endpoints or ports stands in.
        placeholder = new_slice(svc, [], address_type)
        if len(plan.delete) == 1 and _is_placeholder_of(plan.delete[0], placeholder):
            plan.delete = []
        else:
            plan.create.append(placeholder)
    return _finalize(svc, plan)


def reconcile_slices(
    svc: Obj,
    pods: list[Obj],
    existing: list[Obj],
    nodes: NodeLookup,
    trigger_time: float | None,
    limit: int = MAX_ENDPOINTS_PER_SLICE,
    memo: PodMemo | None = None,
) -> list[SlicePlan]:
    """``Reconciler.Reconcile``: one plan per address type of the Service, then the
    deletion of slices of a type it no longer has. Created and updated slices carry the
    trigger time annotation (removed when there is none)."""
    wanted_types = address_types(svc)
    by_type: dict[str, list[Obj]] = {}
    stale = SlicePlan()
    for eps in existing:
        if eps.get("addressType") in wanted_types:
            by_type.setdefault(str(eps["addressType"]), []).append(eps)
        else:
            stale.delete.append(eps)
    memo = memo if memo is not None else PodMemo()
    plans = [
        _by_address_type(svc, pods, by_type.get(kind, []), nodes, kind, limit, memo)
        for kind in wanted_types
    ]
    memo.finish(svc)
    for plan in plans:
        for eps in (*plan.create, *plan.update):
            annotations = eps["metadata"].setdefault("annotations", {})
            if trigger_time is not None:
                annotations[LAST_CHANGE_TRIGGER_TIME] = rfc3339(trigger_time)
            else:
                annotations.pop(LAST_CHANGE_TRIGGER_TIME, None)
            if not annotations:
                del eps["metadata"]["annotations"]
    return [*plans, stale]
