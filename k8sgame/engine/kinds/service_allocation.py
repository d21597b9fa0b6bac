"""The Service REST storage's allocations (``pkg/registry/core/service/storage/alloc.go``):
cluster IPs from the service CIDR and node ports from the node-port range, taken before
validation runs (``BeginCreate``/``BeginUpdate``), so a taken or out-of-range value is the
error the player sees.

The cluster is single-stack IPv4 like kind: service CIDR ``10.96.0.0/16``, node ports
``30000-32767`` (``--service-node-port-range``). Dynamic choices start at a seeded random
place in the upper part of each range and leave the lower part for values asked for
(KEP-3070 for IPs: ``min(max(16, size/16), 256)`` addresses; KEP-3668 for ports:
``min(max(16, size/32), 128)`` ports). What is taken is read from the stored Services, so
nothing needs releasing when a write fails."""

from __future__ import annotations

import ipaddress
from typing import Any

from k8sgame.engine.api.registry import AdmissionContext
from k8sgame.engine.errors import (
    ApiError,
    FieldError,
    duplicate,
    invalid,
    invalid_object,
    not_supported,
    required,
)

SERVICE_CIDR = ipaddress.IPv4Network("10.96.0.0/16")
NODE_PORT_RANGE = (30000, 32767)
NODE_PORT_RANGE_TEXT = f"{NODE_PORT_RANGE[0]}-{NODE_PORT_RANGE[1]}"
IP_FAMILY = "IPv4"
# The first address goes to the ``kubernetes`` Service, the tenth to kube-dns (kubeadm, kind).
API_SERVER_SERVICE_IP = "10.96.0.1"
DNS_SERVICE_IP = "10.96.0.10"

_HOSTS = SERVICE_CIDR.num_addresses - 2  # without the network and broadcast addresses
_IP_OFFSET = min(max(16, _HOSTS // 16), 256)
_PORTS = NODE_PORT_RANGE[1] - NODE_PORT_RANGE[0]
_PORT_OFFSET = min(max(16, _PORTS // 32), 128)

NOT_IN_RANGE = (
    "provided port is not in the valid range. The range of valid ports is " + NODE_PORT_RANGE_TEXT
)
ALREADY_ALLOCATED_PORT = "provided port is already allocated"
ALREADY_ALLOCATED_IP = "provided IP is already allocated"
MISMATCHED_NETWORK = "the provided network does not match the current range"
IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
IP_FAMILIES = ("IPv4", "IPv6")
SINGLE_STACK, PREFER_DUAL_STACK, REQUIRE_DUAL_STACK = (
    "SingleStack",
    "PreferDualStack",
    "RequireDualStack",
)
IP_FAMILY_POLICIES = (PREFER_DUAL_STACK, REQUIRE_DUAL_STACK, SINGLE_STACK)
EXTERNAL_NAME, NODE_PORT, LOAD_BALANCER = "ExternalName", "NodePort", "LoadBalancer"
NONE = "None"


def _ip(text: Any) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(str(text))
    except ValueError:
        return None


def _is_v6(text: str) -> bool:
    address = _ip(text)
    return address is not None and address.version == 6


def _family_of(text: str) -> str:
    """alloc.go ``familyOf``."""
    address = _ip(text)
    if address is None:
        return "unknown"
    return "IPv6" if address.version == 6 else "IPv4"


def _headless(spec: dict[str, Any]) -> bool:
    """validation ``isHeadlessService``: exactly ``clusterIPs: [None]``."""
    return list(spec.get("clusterIPs") or []) == [NONE]


def cluster_ip_errors(spec: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceClusterIPsRelatedFields``: run by the allocator before it allocates
    (``initIPFamilyFields``) and again by validation."""
    errors: list[FieldError] = []
    if spec.get("type") == EXTERNAL_NAME:
        return errors
    cluster_ip = str(spec.get("clusterIP") or "")
    ips = [str(ip) for ip in spec.get("clusterIPs") or []]
    if cluster_ip:
        if not ips:
            errors.append(required("spec.clusterIPs"))
        elif ips[0] != cluster_ip:
            errors.append(invalid("spec.clusterIPs", ips, "first value must match `clusterIP`"))
    elif ips:
        errors.append(
            invalid("spec.clusterIPs", ips, "must be empty when `clusterIP` is not specified")
        )
    families = [str(f) for f in spec.get("ipFamilies") or []]
    seen: set[str] = set()
    for index, family in enumerate(families):
        if family not in IP_FAMILIES:
            errors.append(not_supported(f"spec.ipFamilies[{index}]", family, IP_FAMILIES))
        if family in seen:
            errors.append(duplicate(f"spec.ipFamilies[{index}]", family))
        seen.add(family)
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errors.append(not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    bad_ips = False
    for index, ip in enumerate(ips):
        if index == 0 and ip == NONE:
            if len(ips) > 1:
                bad_ips = True
                errors.append(
                    invalid("spec.clusterIPs", ips, "'None' must be the first and only value")
                )
            continue
        if _ip(ip) is None:
            bad_ips = True
            errors.append(invalid(f"spec.clusterIPs[{index}]", ip, IP_MSG))
    if len(ips) > 2:
        errors.append(invalid("spec.clusterIPs", ips, "may only hold up to 2 values"))
    if bad_ips:
        return errors
    if len(ips) > 1 and len({_family_of(ip) for ip in ips}) < 2:
        errors.append(
            invalid("spec.clusterIPs", ips, "may specify no more than one IP for each IP family")
        )
    if not _headless(spec) and ips and families:
        for index, ip in enumerate(ips[: len(families)]):
            if families[index] == "IPv4" and _is_v6(ip):
                message = f"expected an IPv4 value as indicated by `ipFamilies[{index}]`"
                errors.append(invalid(f"spec.clusterIPs[{index}]", ip, message))
            if families[index] == "IPv6" and not _is_v6(ip):
                message = f"expected an IPv6 value as indicated by `ipFamilies[{index}]`"
                errors.append(invalid(f"spec.clusterIPs[{index}]", ip, message))
    return errors


def needs_cluster_ip(spec: dict[str, Any]) -> bool:
    """A Service that gets an address allocated (not ExternalName, not headless)."""
    return spec.get("type") != EXTERNAL_NAME and spec.get("clusterIP") != NONE


def needs_node_ports(spec: dict[str, Any]) -> bool:
    """``shouldAllocateNodePorts``: NodePort, and LoadBalancer unless
    ``allocateLoadBalancerNodePorts`` is false."""
    kind = spec.get("type")
    if kind == NODE_PORT:
        return True
    return kind == LOAD_BALANCER and spec.get("allocateLoadBalancerNodePorts") is not False


def needs_health_check(spec: dict[str, Any]) -> bool:
    """``NeedsHealthCheck``: a LoadBalancer that keeps traffic on the node it arrives at."""
    return spec.get("type") == LOAD_BALANCER and spec.get("externalTrafficPolicy") == "Local"


def _has_node_ports(spec: dict[str, Any]) -> bool:
    """storage ``needsNodePort``: the types that may hold node ports."""
    return spec.get("type") in (NODE_PORT, LOAD_BALANCER)


def _externally_accessible(spec: dict[str, Any]) -> bool:
    kind = spec.get("type")
    return kind in (LOAD_BALANCER, NODE_PORT) or (
        kind == "ClusterIP" and bool(spec.get("externalIPs"))
    )


def _taken(store: Any, exclude: tuple[str, str] | None) -> tuple[set[str], set[int]]:
    """The cluster IPs and node ports every other stored Service holds."""
    ips: set[str] = set()
    ports: set[int] = set()
    for svc in store.iter("Service"):
        md = svc["metadata"]
        if exclude is not None and (md.get("namespace"), md.get("name")) == exclude:
            continue
        spec = svc.get("spec") or {}
        ips.update(ip for ip in spec.get("clusterIPs") or [] if ip != NONE)
        ports.update(_node_ports(spec))
        if spec.get("healthCheckNodePort"):
            ports.add(int(spec["healthCheckNodePort"]))
    return ips, ports


def _node_ports(spec: dict[str, Any]) -> list[int]:
    """``collectServiceNodePorts``."""
    return [int(p["nodePort"]) for p in spec.get("ports") or [] if p.get("nodePort")]


def _pick(rng: Any, low: int, high: int, offset: int, free: Any) -> int | None:
    """``allocateNextService``: a random start in the upper band, scanning upward with
    wrap-around; the lower band only when the upper one is full."""
    start = rng.randint(low + offset, high)
    for value in (*range(start, high + 1), *range(low + offset, start)):
        if free(value):
            return value
    for value in range(low, low + offset):
        if free(value):
            return value
    return None


def _fail(svc: dict[str, Any], errors: list[FieldError]) -> ApiError:
    return invalid_object("Service", "", svc["metadata"].get("name", ""), errors)


def _internal(message: str) -> ApiError:
    """``errors.NewInternalError``."""
    return ApiError("InternalError", f"Internal error occurred: {message}", 500)


# -- REST storage: the fields an update may leave out -----------------------------------------


def _same(old_spec: dict[str, Any], spec: dict[str, Any], field: str) -> bool:
    return (old_spec.get(field) or None) == (spec.get(field) or None)


def _patch_allocated_values(spec: dict[str, Any], old_spec: dict[str, Any]) -> None:
    """storage ``patchAllocatedValues``: an update that leaves out what was allocated keeps
    it (a manifest applied again has no clusterIP or nodePort)."""
    if old_spec.get("type") != EXTERNAL_NAME and spec.get("type") != EXTERNAL_NAME:
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
    if _has_node_ports(old_spec) and _has_node_ports(spec):
        # A node port the update gives to one of its ports is not patched into another.
        used = set(_node_ports(old_spec)) & set(_node_ports(spec))
        by_name = {str(p.get("name") or ""): p.get("nodePort") for p in old_spec.get("ports") or []}
        for port in spec.get("ports") or []:
            if not port.get("nodePort"):
                kept = by_name.get(str(port.get("name") or ""))
                if kept and int(kept) not in used:
                    port["nodePort"] = kept
    if needs_health_check(old_spec) and needs_health_check(spec):
        if not spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort")


def _normalize_cluster_ips(spec: dict[str, Any], old_spec: dict[str, Any] | None) -> None:
    """strategy ``NormalizeClusterIPs``: keep ``clusterIP`` and ``clusterIPs`` in step when a
    client set only one of them."""
    cluster_ip = spec.get("clusterIP") or ""
    ips = list(spec.get("clusterIPs") or [])
    if old_spec is None:
        if cluster_ip and not ips:
            spec["clusterIPs"] = [cluster_ip]
        return
    old_ips = list(old_spec.get("clusterIPs") or [])
    if old_ips and not ips and (old_spec.get("clusterIP") or "") == cluster_ip:
        spec["clusterIPs"] = ips = old_ips
    old_ip = old_spec.get("clusterIP") or ""
    if old_ip != cluster_ip:
        if old_ip and not cluster_ip:
            if ips == old_ips:
                spec.pop("clusterIPs", None)
            return
        if ips == old_ips:
            spec["clusterIPs"] = [cluster_ip]


def _drop_type_dependent(svc: dict[str, Any], spec: dict[str, Any], old: dict[str, Any]) -> None:
    """strategy ``dropTypeDependentFields``: a type change clears what the new type cannot
    have, when the update left those fields as they were."""
    if old.get("type") != EXTERNAL_NAME and spec.get("type") == EXTERNAL_NAME:
        if _same(old, spec, "clusterIPs"):
            spec.pop("clusterIP", None)
            spec.pop("clusterIPs", None)
        if _same(old, spec, "ipFamilies"):
            spec.pop("ipFamilies", None)
        if _same(old, spec, "ipFamilyPolicy"):
            spec.pop("ipFamilyPolicy", None)
    if _has_node_ports(old) and not _has_node_ports(spec):
        if set(_node_ports(spec)) <= set(_node_ports(old)):
            for port in spec.get("ports") or []:
                port.pop("nodePort", None)
    if needs_health_check(old) and not needs_health_check(spec):
        if old.get("healthCheckNodePort") == spec.get("healthCheckNodePort"):
            spec.pop("healthCheckNodePort", None)
    was_balancer = old.get("type") == LOAD_BALANCER
    if was_balancer and spec.get("type") != LOAD_BALANCER:
        allocate = spec.get("allocateLoadBalancerNodePorts")
        if allocate is not None and allocate == old.get("allocateLoadBalancerNodePorts"):
            spec.pop("allocateLoadBalancerNodePorts", None)
        if _same(old, spec, "loadBalancerClass"):
            spec.pop("loadBalancerClass", None)
    if _externally_accessible(old) and not _externally_accessible(spec):
        if _same(old, spec, "externalTrafficPolicy"):
            spec.pop("externalTrafficPolicy", None)
    if was_balancer and spec.get("type") != LOAD_BALANCER:
        # The load balancer's address goes with the type (a status field the user changes).
        svc.setdefault("status", {})["loadBalancer"] = {}


# -- initIPFamilyFields -------------------------------------------------------------------------


def _matching_prefer_dual_stack(spec: dict[str, Any], old: dict[str, Any] | None) -> bool:
    """``isMatchingPreferDualStackClusterIPFields``: nothing to redo on such an update."""
    if old is None or spec.get("ipFamilyPolicy") is None:
        return False
    if old.get("type") != spec.get("type") or spec.get("type") == EXTERNAL_NAME:
        return False
    if spec.get("ipFamilyPolicy") != PREFER_DUAL_STACK:
        return False
    if old.get("ipFamilyPolicy") not in (None, PREFER_DUAL_STACK):
        return False
    return _same(old, spec, "clusterIPs") and _same(old, spec, "ipFamilies")


def _init_ip_family_fields(
    svc: dict[str, Any], spec: dict[str, Any], old: dict[str, Any] | None
) -> None:
    """alloc.go ``initIPFamilyFields`` on this single-stack IPv4 cluster: the policy and
    families a Service gets, and the errors for those it cannot have here."""
    if spec.get("type") == EXTERNAL_NAME or _matching_prefer_dual_stack(spec, old):
        return
    headless_selectorless = spec.get("clusterIP") == NONE and not spec.get("selector")
    if spec.get("ipFamilyPolicy") is None:
        if old is not None and old.get("ipFamilyPolicy") is not None:
            spec["ipFamilyPolicy"] = old["ipFamilyPolicy"]
        elif headless_selectorless:
            spec["ipFamilyPolicy"] = REQUIRE_DUAL_STACK
        else:
            spec["ipFamilyPolicy"] = SINGLE_STACK
    problems = cluster_ip_errors(spec)
    if problems:
        raise _fail(svc, problems)
    policy = spec["ipFamilyPolicy"]
    ips = list(spec.get("clusterIPs") or [])
    families = list(spec.get("ipFamilies") or [])
    found: list[FieldError] = []
    if old is not None:
        old_ips = list(old.get("clusterIPs") or [])
        old_families = list(old.get("ipFamilies") or [])
        if policy == SINGLE_STACK:
            if ips == old_ips and len(ips) > 1:
                spec["clusterIPs"] = ips = ips[:1]
            if families == old_families and len(families) > 1:
                families = families[:1]
        else:
            if ips and len(ips) < len(old_ips):
                message = "must be 'SingleStack' to release the secondary cluster IP"
                found.append(invalid("spec.ipFamilyPolicy", policy, message))
            if families and len(families) < len(old_families):
                message = "must be 'SingleStack' to release the secondary IP family"
                found.append(invalid("spec.ipFamilyPolicy", policy, message))
    if policy == SINGLE_STACK:
        ending = "when multiple {} are specified"
        if len(ips) == 2:
            message = "must be 'RequireDualStack' or 'PreferDualStack' " + ending.format(
                "cluster IPs"
            )
            found.append(invalid("spec.ipFamilyPolicy", policy, message))
        if len(families) == 2:
            message = "must be 'RequireDualStack' or 'PreferDualStack' " + ending.format(
                "IP families"
            )
            found.append(invalid("spec.ipFamilyPolicy", policy, message))
    for index, ip in enumerate(ips):
        if ip == NONE:
            break
        family = _family_of(ip)
        if index >= len(families):
            if family != IP_FAMILY:
                message = f"{family} is not configured on this cluster"
                found.append(invalid(f"spec.clusterIPs[{index}]", ips, message))
            else:
                families.append(family)
    if found:
        raise _fail(svc, found)
    if headless_selectorless:
        # Upstream's special case: allowed to ask for both families even on one stack.
        families = families or [IP_FAMILY]
        if len(families) < 2 and policy != SINGLE_STACK:
            families.append("IPv6" if families[0] == "IPv4" else "IPv4")
        spec["ipFamilies"] = families
        return
    if policy == REQUIRE_DUAL_STACK:
        message = "this cluster is not configured for dual-stack services"
        found.append(invalid("spec.ipFamilyPolicy", policy, message))
    for index, family in enumerate(families):
        if family != IP_FAMILY:
            found.append(
                invalid(f"spec.ipFamilies[{index}]", family, "not configured on this cluster")
            )
    if found:
        raise _fail(svc, found)
    spec["ipFamilies"] = families or [IP_FAMILY]


# -- allocations ------------------------------------------------------------------------------


def _allocate_cluster_ip(
    svc: dict[str, Any], spec: dict[str, Any], taken_ips: set[str], ctx: AdmissionContext
) -> None:
    """``allocClusterIPs`` (one family): the address asked for, or a free one."""
    asked = list(spec.get("clusterIPs") or [])
    if asked and asked[0] == NONE:
        return
    if asked:
        wanted = asked[0]
        address = _ip(wanted)
        if address is None or address.version != 4:
            return  # refused by initIPFamilyFields already
        if address not in SERVICE_CIDR:
            problem = MISMATCHED_NETWORK
        elif address in (SERVICE_CIDR.network_address, SERVICE_CIDR.broadcast_address):
            # ipallocator.ErrNotInRange: outside the first..last usable address.
            problem = (
                f"the provided IP ({wanted}) is not in the valid range. "
                f"The range of valid IPs is {SERVICE_CIDR}"
            )
        elif wanted in taken_ips:
            problem = ALREADY_ALLOCATED_IP
        else:
            problem = ""
        if problem:
            message = f"failed to allocate IP {wanted}: {problem}"
            raise _fail(svc, [invalid("spec.clusterIPs", asked, message)])
        chosen = wanted
    else:
        base = int(SERVICE_CIDR.network_address)
        index = _pick(
            ctx.rng,
            1,
            _HOSTS,
            _IP_OFFSET,
            lambda i: str(ipaddress.IPv4Address(base + i)) not in taken_ips,
        )
        if index is None:
            raise _internal("failed to allocate a serviceIP: range is full")
        chosen = str(ipaddress.IPv4Address(base + index))
    spec["clusterIP"] = chosen
    spec["clusterIPs"] = [chosen]


class _PortOperation:
    """portallocator's ``PortAllocationOperation``: what this write takes, on top of what
    the other Services hold."""

    def __init__(self, taken: set[int], ctx: AdmissionContext) -> None:
        self.taken = set(taken)
        self.ctx = ctx

    def problem(self, port: int) -> str:
        """``Allocate``'s error for ``port``, or "" once it is taken by this write."""
        if not NODE_PORT_RANGE[0] <= port <= NODE_PORT_RANGE[1]:
            return NOT_IN_RANGE
        if port in self.taken:
            return ALREADY_ALLOCATED_PORT
        self.taken.add(port)
        return ""

    def next(self) -> int | None:
        chosen = _pick(
            self.ctx.rng,
            NODE_PORT_RANGE[0],
            NODE_PORT_RANGE[1],
            _PORT_OFFSET,
            lambda p: p not in self.taken,
        )
        if chosen is not None:
            self.taken.add(chosen)
        return chosen


def _port_error(svc: dict[str, Any], index: int, port: int, problem: str) -> ApiError:
    return _fail(svc, [invalid(f"spec.ports[{index}].nodePort", port, problem)])


def _init_node_ports(svc: dict[str, Any], spec: dict[str, Any], op: _PortOperation) -> None:
    """alloc.go ``initNodePorts``: ports asked for are always taken; others only when the
    type allocates them. Service ports of the same number share one node port."""
    ports = spec.get("ports") or []
    allocate = needs_node_ports(spec)
    by_number: dict[int, int] = {}
    for index, port in enumerate(ports):
        asked = int(port.get("nodePort") or 0)
        if not asked and not allocate:
            continue
        number = int(port.get("port") or 0)
        shared = by_number.get(number, 0)
        if not shared:
            # findRequestedNodePort: the first node port asked for by a port of this number.
            requested = next(
                (
                    int(p["nodePort"])
                    for p in ports
                    if int(p.get("port") or 0) == number and p.get("nodePort")
                ),
                0,
            )
            if requested:
                problem = op.problem(requested)
                if problem:
                    raise _port_error(svc, index, requested, problem)
                chosen = requested
            else:
                found = op.next()
                if found is None:
                    raise _internal("failed to allocate a nodePort: range is full")
                chosen = found
            port["nodePort"] = chosen
            by_number[number] = chosen
        elif asked != shared:
            if not asked:
                port["nodePort"] = shared
            else:
                problem = op.problem(asked)
                if problem:
                    raise _port_error(svc, index, asked, problem)


def _update_node_ports(
    svc: dict[str, Any], spec: dict[str, Any], old: dict[str, Any], op: _PortOperation
) -> None:
    """alloc.go ``updateNodePorts``: node ports the Service held stay its own; new ones are
    taken, missing ones allocated."""
    held = _node_ports(old)
    op.taken.update(held)  # still allocated until the write succeeds
    if old.get("healthCheckNodePort"):
        op.taken.add(int(old["healthCheckNodePort"]))
    new_pairs: list[tuple[str, int]] = []
    taken_here: set[int] = set()
    allocate = needs_node_ports(spec)
    for index, port in enumerate(spec.get("ports") or []):
        asked = int(port.get("nodePort") or 0)
        if not asked and not allocate:
            continue
        if asked:
            if asked not in held and asked not in taken_here:
                problem = op.problem(asked)
                if problem:
                    raise _port_error(svc, index, asked, problem)
                taken_here.add(asked)
        else:
            chosen = op.next()
            if chosen is None:
                raise _internal("failed to allocate a nodePort: range is full")
            port["nodePort"] = asked = chosen
        pair = (str(port.get("protocol") or ""), asked)
        if pair in new_pairs:
            # A plain error, not a Status: the API server sends it as it is.
            raise ApiError("", f"duplicate nodePort: {{{pair[0]} {pair[1]}}}", 500)
        new_pairs.append(pair)


def _allocate_health_check_port(spec: dict[str, Any], op: _PortOperation) -> None:
    """alloc.go ``allocHealthCheckNodePort``; its errors are internal errors."""
    wanted = int(spec.get("healthCheckNodePort") or 0)
    if wanted:
        problem = op.problem(wanted)
        if problem:
            raise _internal(
                f"failed to allocate requested HealthCheck NodePort {wanted}: {problem}"
            )
        return
    chosen = op.next()
    if chosen is None:
        raise _internal("failed to allocate a HealthCheck NodePort 0: range is full")
    spec["healthCheckNodePort"] = chosen


def allocate_service(
    svc: dict[str, Any], old: dict[str, Any] | None, ctx: AdmissionContext
) -> None:
    """``beginCreate``/``beginUpdate``: give a Service being written its cluster IP, IP
    families and node ports, or refuse it with the allocator's error."""
    spec = svc.setdefault("spec", {})
    old_spec = None if old is None else (old.get("spec") or {})
    if old_spec is not None:
        _patch_allocated_values(spec, old_spec)
    _normalize_cluster_ips(spec, old_spec)
    if old_spec is not None:
        _drop_type_dependent(svc, spec, old_spec)
    if spec.get("type") == EXTERNAL_NAME:
        return
    _init_ip_family_fields(svc, spec, old_spec)
    md = svc.get("metadata") or {}
    # On an update, the Service's own addresses are not someone else's.
    myself = (str(md.get("namespace") or ""), str(md.get("name") or ""))
    taken_ips, taken_ports = _taken(ctx.store, myself if old is not None else None)
    if old_spec is None or old_spec.get("type") == EXTERNAL_NAME:
        _allocate_cluster_ip(svc, spec, taken_ips, ctx)
    # Otherwise the address stays (validation refuses a changed one).
    op = _PortOperation(taken_ports, ctx)
    if old_spec is None:
        if _has_node_ports(spec):
            _init_node_ports(svc, spec, op)
        if needs_health_check(spec):
            _allocate_health_check_port(spec, op)
        return
    if _has_node_ports(spec):
        _update_node_ports(svc, spec, old_spec, op)
    if not needs_health_check(old_spec) and needs_health_check(spec):
        _allocate_health_check_port(spec, op)
