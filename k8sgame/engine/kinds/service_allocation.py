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
from k8sgame.engine.errors import ApiError, FieldError, invalid, invalid_object, not_supported

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
IP_FAMILY_POLICIES = ("PreferDualStack", "RequireDualStack", "SingleStack")


def cluster_ip_errors(spec: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceClusterIPsRelatedFields`` on this single-stack IPv4 cluster: run by
    the allocator before it allocates, and again by validation."""
    errors: list[FieldError] = []
    if spec.get("type") == "ExternalName":
        return errors
    cluster_ip = spec.get("clusterIP") or ""
    ips = spec.get("clusterIPs") or []
    if cluster_ip and ips and ips[0] != cluster_ip:
        errors.append(invalid("spec.clusterIPs", ips, "first value must match `clusterIP`"))
    for index, ip in enumerate(ips):
        if ip == "None" and index == 0:
            continue
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            errors.append(
                invalid(
                    f"spec.clusterIPs[{index}]",
                    ip,
                    "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
                )
            )
            continue
        if address.version == 6:
            # initIPFamilyFields: the family of an address asked for must be served.
            errors.append(
                invalid(f"spec.clusterIPs[{index}]", ips, "IPv6 is not configured on this cluster")
            )
    policy = spec.get("ipFamilyPolicy")
    if policy is not None and policy not in IP_FAMILY_POLICIES:
        errors.append(not_supported("spec.ipFamilyPolicy", policy, IP_FAMILY_POLICIES))
    headless_without_selector = spec.get("clusterIP") == "None" and not spec.get("selector")
    if policy == "RequireDualStack" and not headless_without_selector:
        errors.append(
            invalid(
                "spec.ipFamilyPolicy",
                policy,
                "this cluster is not configured for dual-stack services",
            )
        )
    for index, family in enumerate(spec.get("ipFamilies") or []):
        if family == "IPv4" or (headless_without_selector and family == "IPv6"):
            continue
        if family not in ("IPv4", "IPv6"):
            errors.append(not_supported(f"spec.ipFamilies[{index}]", family, ("IPv4", "IPv6")))
        else:
            errors.append(
                invalid(f"spec.ipFamilies[{index}]", family, "not configured on this cluster")
            )
    return errors


def needs_cluster_ip(spec: dict[str, Any]) -> bool:
    return spec.get("type") != "ExternalName" and spec.get("clusterIP") != "None"


def needs_node_ports(spec: dict[str, Any]) -> bool:
    kind = spec.get("type")
    if kind == "NodePort":
        return True
    return kind == "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") is not False


def _taken(store: Any, exclude: tuple[str, str] | None) -> tuple[set[str], set[int]]:
    """The cluster IPs and node ports every other stored Service holds."""
    ips: set[str] = set()
    ports: set[int] = set()
    for svc in store.iter("Service"):
        md = svc["metadata"]
        if exclude is not None and (md.get("namespace"), md.get("name")) == exclude:
            continue
        spec = svc.get("spec") or {}
        ips.update(ip for ip in spec.get("clusterIPs") or [] if ip != "None")
        ports.update(int(p["nodePort"]) for p in spec.get("ports") or [] if p.get("nodePort"))
        if spec.get("healthCheckNodePort"):
            ports.add(int(spec["healthCheckNodePort"]))
    return ips, ports


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


def _range_full(what: str) -> ApiError:
    return ApiError(
        "InternalError", f"Internal error occurred: failed to allocate a {what}: range is full", 500
    )


def _allocate_cluster_ip(
    svc: dict[str, Any], spec: dict[str, Any], taken_ips: set[str], ctx: AdmissionContext
) -> None:
    asked = list(spec.get("clusterIPs") or ([spec["clusterIP"]] if spec.get("clusterIP") else []))
    if asked:
        wanted = asked[0]
        try:
            address = ipaddress.IPv4Address(wanted)
        except ValueError:
            return  # not an IPv4 address: validation says what is wrong with it
        if address not in SERVICE_CIDR:
            problem = MISMATCHED_NETWORK
        elif address in (SERVICE_CIDR.network_address, SERVICE_CIDR.broadcast_address):
            problem = f"provided IP {wanted} is not in the valid range"
        elif wanted in taken_ips:
            problem = ALREADY_ALLOCATED_IP
        else:
            problem = ""
        if problem:
            raise _fail(
                svc,
                [invalid("spec.clusterIPs", asked, f"failed to allocate IP {wanted}: {problem}")],
            )
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
            raise _range_full("serviceIP")
        chosen = str(ipaddress.IPv4Address(base + index))
    spec["clusterIP"] = chosen
    spec["clusterIPs"] = [chosen]


def _allocate_node_ports(
    svc: dict[str, Any], spec: dict[str, Any], taken_ports: set[int], ctx: AdmissionContext
) -> None:
    ports = spec.get("ports") or []
    mine: dict[int, int] = {}  # one node port for every service port of the same number
    for index, port in enumerate(ports):
        wanted = port.get("nodePort")
        if not wanted:
            continue
        if not NODE_PORT_RANGE[0] <= int(wanted) <= NODE_PORT_RANGE[1]:
            raise _fail(svc, [invalid(f"spec.ports[{index}].nodePort", wanted, NOT_IN_RANGE)])
        number = int(port.get("port") or 0)
        # Another port of this Service with another number holds it too: taken as well.
        clash = any(p == int(wanted) and n != number for n, p in mine.items())
        if int(wanted) in taken_ports or clash:
            raise _fail(
                svc, [invalid(f"spec.ports[{index}].nodePort", wanted, ALREADY_ALLOCATED_PORT)]
            )
        mine[number] = int(wanted)
    for port in ports:
        if port.get("nodePort"):
            continue
        number = int(port.get("port") or 0)
        if number in mine:
            port["nodePort"] = mine[number]
            continue
        used = taken_ports | set(mine.values())
        chosen = _pick(
            ctx.rng,
            NODE_PORT_RANGE[0],
            NODE_PORT_RANGE[1],
            _PORT_OFFSET,
            lambda p, used=used: p not in used,
        )
        if chosen is None:
            raise _range_full("nodePort")
        port["nodePort"] = chosen
        mine[number] = chosen


def _keep_allocated(spec: dict[str, Any], old_spec: dict[str, Any]) -> None:
    """``patchAllocatedValues``: an update that leaves out what was allocated keeps it (a
    manifest applied again has no clusterIP or nodePort)."""
    if needs_cluster_ip(old_spec) and needs_cluster_ip(spec):
        if not spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIP"] = old_spec.get("clusterIP")
            spec["clusterIPs"] = list(old_spec.get("clusterIPs") or [])
        elif spec.get("clusterIP") and not spec.get("clusterIPs"):
            spec["clusterIPs"] = [spec["clusterIP"]]
        for field in ("ipFamilies", "ipFamilyPolicy"):
            if not spec.get(field) and old_spec.get(field):
                spec[field] = old_spec[field]
    if needs_node_ports(old_spec) and needs_node_ports(spec):
        by_name = {
            str(p.get("name") or ""): p.get("nodePort")
            for p in old_spec.get("ports") or []
            if p.get("nodePort")
        }
        for port in spec.get("ports") or []:
            if not port.get("nodePort") and str(port.get("name") or "") in by_name:
                port["nodePort"] = by_name[str(port.get("name") or "")]
    if needs_health_check(old_spec) and needs_health_check(spec):
        if not spec.get("healthCheckNodePort"):
            spec["healthCheckNodePort"] = old_spec.get("healthCheckNodePort")


def _drop_type_dependent(spec: dict[str, Any], old_spec: dict[str, Any]) -> None:
    """``dropTypeDependentFields``: a type change clears what the new type cannot have,
    when the update left those fields as they were."""
    if not needs_cluster_ip(spec) and spec.get("type") == "ExternalName":
        if spec.get("clusterIPs") == old_spec.get("clusterIPs"):
            for field in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy"):
                spec.pop(field, None)
        if spec.get("internalTrafficPolicy") == old_spec.get("internalTrafficPolicy"):
            spec.pop("internalTrafficPolicy", None)
    if not needs_node_ports(spec) and needs_node_ports(old_spec):
        old_ports = [p.get("nodePort") for p in old_spec.get("ports") or []]
        new_ports = [p.get("nodePort") for p in spec.get("ports") or []]
        if any(new_ports) and all(n in old_ports for n in new_ports if n):
            for port in spec.get("ports") or []:
                port.pop("nodePort", None)
    if spec.get("type") not in ("NodePort", "LoadBalancer"):
        if spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy") and not (
            spec.get("externalIPs")
        ):
            spec.pop("externalTrafficPolicy", None)
    if spec.get("type") != "LoadBalancer":
        for field in ("allocateLoadBalancerNodePorts", "loadBalancerClass"):
            if spec.get(field) == old_spec.get(field):
                spec.pop(field, None)
    if not needs_health_check(spec) and spec.get("healthCheckNodePort") == old_spec.get(
        "healthCheckNodePort"
    ):
        spec.pop("healthCheckNodePort", None)


def allocate_service(
    svc: dict[str, Any], old: dict[str, Any] | None, ctx: AdmissionContext
) -> None:
    """Give a Service being created or updated its cluster IP, IP families and node ports."""
    spec = svc.setdefault("spec", {})
    if old is not None:
        old_spec = old.get("spec") or {}
        _keep_allocated(spec, old_spec)
        _drop_type_dependent(spec, old_spec)
    elif spec.get("clusterIP") and not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    if spec.get("type") == "ExternalName":
        return
    problems = cluster_ip_errors(spec)
    if problems:
        raise _fail(svc, problems)
    md = svc.get("metadata") or {}
    # On an update, the Service's own addresses are not someone else's.
    myself = (str(md.get("namespace") or ""), str(md.get("name") or ""))
    taken_ips, taken_ports = _taken(ctx.store, myself if old is not None else None)
    _ip_families(spec)
    if needs_cluster_ip(spec):
        old_ips = ((old or {}).get("spec") or {}).get("clusterIPs")
        # An update that keeps (or changes: validation refuses that) its address allocates
        # nothing.
        if not (old_ips and spec.get("clusterIPs")):
            _allocate_cluster_ip(svc, spec, taken_ips, ctx)
    elif spec.get("clusterIP") == "None":
        spec["clusterIPs"] = ["None"]
    if needs_node_ports(spec):
        _allocate_node_ports(svc, spec, taken_ports, ctx)
    if needs_health_check(spec):
        _allocate_health_check_port(svc, spec, taken_ports, ctx)


def needs_health_check(spec: dict[str, Any]) -> bool:
    """``NeedsHealthCheck``: a LoadBalancer that keeps traffic on the node it arrives at."""
    return spec.get("type") == "LoadBalancer" and spec.get("externalTrafficPolicy") == "Local"


def _allocate_health_check_port(
    svc: dict[str, Any], spec: dict[str, Any], taken_ports: set[int], ctx: AdmissionContext
) -> None:
    wanted = spec.get("healthCheckNodePort")
    used = taken_ports | {int(p["nodePort"]) for p in spec.get("ports") or [] if p.get("nodePort")}
    if wanted:
        if not NODE_PORT_RANGE[0] <= int(wanted) <= NODE_PORT_RANGE[1]:
            raise _fail(svc, [invalid("spec.healthCheckNodePort", wanted, NOT_IN_RANGE)])
        if int(wanted) in used:
            raise _fail(svc, [invalid("spec.healthCheckNodePort", wanted, ALREADY_ALLOCATED_PORT)])
        return
    chosen = _pick(
        ctx.rng, NODE_PORT_RANGE[0], NODE_PORT_RANGE[1], _PORT_OFFSET, lambda p: p not in used
    )
    if chosen is None:
        raise _range_full("nodePort")
    spec["healthCheckNodePort"] = chosen


def _ip_families(spec: dict[str, Any]) -> None:
    """``initIPFamilyFields`` on a single-stack IPv4 cluster. A headless Service without a
    selector asks for both families even here (upstream's special case)."""
    if spec.get("ipFamilyPolicy") is None:
        if spec.get("clusterIP") == "None" and not spec.get("selector"):
            spec["ipFamilyPolicy"] = "RequireDualStack"
        else:
            spec["ipFamilyPolicy"] = "SingleStack"
    if not spec.get("ipFamilies"):
        families = [IP_FAMILY]
        if spec.get("clusterIP") == "None" and spec["ipFamilyPolicy"] != "SingleStack":
            families.append("IPv6")
        spec["ipFamilies"] = families
