"""EndpointSlice (discovery.k8s.io/v1): where the pods behind a Service can be reached, as
the endpointslice controller writes it (``controllers/endpointslice.py``) or a user does for
a Service without a selector.

Defaults (``SetDefaults_EndpointPort``): a port's name ``""`` and protocol TCP. The strategy
gives a new slice generation 1 and counts a change of its endpoints, ports or labels as a new
generation. ``endpoints`` and ``ports`` are lists without ``omitempty`` that etcd's protobuf
round trip turns from empty into nil, so an empty slice reads back as ``endpoints: null``.
Validation (``ValidateEndpointSlice``) covers the address type (required, one of IPv4, IPv6,
FQDN, unchangeable), the addresses of each endpoint (at least one, at most 100, of the
slice's type), at most 1000 endpoints, hostnames, node names, zone hints, and the ports
(names, duplicates, protocol, appProtocol)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any

from k8sgame.engine.api.meta import OBJECT_META, validate_labels
from k8sgame.engine.api.names import (
    dns1123_label,
    dns1123_subdomain,
    label_value,
    qualified_name,
)
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import BOOL, INT32, STRING, STRING_LIST, STRING_MAP, ListOf, Struct
from k8sgame.engine.errors import FieldError, duplicate, invalid, not_supported, required
from k8sgame.engine.kinds.event import OBJECT_REFERENCE

ADDRESS_TYPES = ("FQDN", "IPv4", "IPv6")
PROTOCOLS = ("SCTP", "TCP", "UDP")
MAX_ADDRESSES = 100
MAX_PORTS = 20000
MAX_ENDPOINTS = 1000
MAX_ZONE_HINTS = 8
MAX_NODE_HINTS = 8

# Labels the endpointslice controller and kube-proxy read (k8s.io/api discovery/v1).
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"

ENDPOINT_PORT = Struct(
    "EndpointPort",
    {"name": STRING, "protocol": STRING, "port": INT32, "appProtocol": STRING},
    # core/v1 has an EndpointPort of its own (Endpoints'), with its own explain text.
    docs="EndpointPort(discovery/v1)",
)
FOR_ZONE = Struct("ForZone", {"name": STRING})
FOR_NODE = Struct("ForNode", {"name": STRING})
ENDPOINT = Struct(
    "Endpoint",
    {
        "addresses": STRING_LIST,
        "conditions": Struct(
            "EndpointConditions", {"ready": BOOL, "serving": BOOL, "terminating": BOOL}
        ),
        "hostname": STRING,
        "targetRef": OBJECT_REFERENCE,
        "deprecatedTopology": STRING_MAP,
        "nodeName": STRING,
        "zone": STRING,
        "hints": Struct(
            "EndpointHints", {"forZones": ListOf(FOR_ZONE), "forNodes": ListOf(FOR_NODE)}
        ),
    },
)
ENDPOINT_SLICE = Struct(
    "EndpointSlice",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "addressType": STRING,
        "endpoints": ListOf(ENDPOINT),
        "ports": ListOf(ENDPOINT_PORT),
    },
)

# Go's net.IP predicates, for ValidateEndpointIP.
_LINK_LOCAL_MULTICAST = (
    ipaddress.ip_network("224.0.0.0/24"),
    ipaddress.ip_network("ff02::/16"),
)


def default_endpoint_slice(eps: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_EndpointPort``: every port has a name (maybe empty) and a protocol."""
    for port in eps.get("ports") or []:
        if isinstance(port, dict):
            port.setdefault("name", "")
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def _nil_empty_lists(eps: dict[str, Any]) -> None:
    # Empty ``endpoints``/``ports`` come back from storage as nil: JSON ``null``.
    for field in ("endpoints", "ports"):
        if not eps.get(field):
            eps[field] = None


def prepare_endpoint_slice(eps: dict[str, Any], ctx: AdmissionContext) -> None:
    """The strategy's PrepareForCreate (generation 1 comes with ``generation_fields``)."""
    _nil_empty_lists(eps)


def prepare_endpoint_slice_update(new: dict[str, Any], old: dict[str, Any]) -> None:
    """PrepareForUpdate: a label change alone is a new generation too (the store counts the
    other fields' changes)."""
    _nil_empty_lists(new)
    md, old_md = new.get("metadata") or {}, old.get("metadata") or {}
    same_content = all(new.get(f) == old.get(f) for f in ("addressType", "endpoints", "ports"))
    if same_content and md.get("labels") != old_md.get("labels") and "generation" in md:
        md["generation"] = int(md["generation"]) + 1


@lru_cache(maxsize=8192)
def parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address ``text`` spells, or None. Cached: the same pod IPs come back on every
    sync of every Service that selects them."""
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


@lru_cache(maxsize=8192)
def endpoint_ip_problems(address: str) -> tuple[str, ...]:
    """``ValidateEndpointIP``: addresses nothing can be sent to from a pod."""
    ip = parse_ip(address)
    if ip is None:
        return ("must be a valid IP address",)
    problems = []
    if ip.is_unspecified:
        problems.append(f"may not be unspecified ({address})")
    if ip.is_loopback:
        problems.append("may not be in the loopback range (127.0.0.0/8, ::1/128)")
    if ip.is_link_local and not ip.is_multicast:
        problems.append("may not be in the link-local range (169.254.0.0/16, fe80::/10)")
    if any(ip in net for net in _LINK_LOCAL_MULTICAST if net.version == ip.version):
        problems.append("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)")
    return tuple(problems)


def _address_problems(address: Any, address_type: str) -> list[str] | tuple[str, ...]:
    """The checks of one address of an IPv4, IPv6 or FQDN slice (other types are refused on
    their own and their addresses are not looked at)."""
    text = str(address)
    if address_type == "FQDN":
        return dns1123_subdomain(text)
    if address_type not in ("IPv4", "IPv6"):
        return ()
    ip = parse_ip(text)
    if ip is None:
        return ("must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",)
    if (ip.version == 4) != (address_type == "IPv4"):
        return (f"must be a valid {address_type} address",)
    return endpoint_ip_problems(text)


def too_many(path: str, count: int, limit: int) -> FieldError:
    """``field.TooMany``."""
    noun = "item" if limit == 1 else "items"
    return FieldError("TooMany", path, count, f"must have at most {limit} {noun}")


def _validate_hints(hints: dict[str, Any], path: str, errors: list[FieldError]) -> None:
    for field, limit in (("forZones", MAX_ZONE_HINTS), ("forNodes", MAX_NODE_HINTS)):
        entries = hints.get(field) or []
        if len(entries) > limit:
            errors.append(too_many(f"{path}.{field}", len(entries), limit))
            continue
        seen: set[str] = set()
        for index, entry in enumerate(entries):
            name = str((entry or {}).get("name") or "")
            name_path = f"{path}.{field}[{index}].name"
            if name in seen:
                errors.append(duplicate(name_path, name))
            seen.add(name)
            check = label_value if field == "forZones" else dns1123_subdomain
            errors.extend(invalid(name_path, name, msg) for msg in check(name))


def _validate_endpoints(eps: dict[str, Any], errors: list[FieldError]) -> None:
    endpoints = eps.get("endpoints") or []
    if len(endpoints) > MAX_ENDPOINTS:
        errors.append(too_many("endpoints", len(endpoints), MAX_ENDPOINTS))
        return
    address_type = str(eps.get("addressType") or "")
    for index, endpoint in enumerate(endpoints):
        path = f"endpoints[{index}]"
        addresses = endpoint.get("addresses") or []
        if not addresses:
            errors.append(required(f"{path}.addresses", "must contain at least 1 address"))
        elif len(addresses) > MAX_ADDRESSES:
            errors.append(too_many(f"{path}.addresses", len(addresses), MAX_ADDRESSES))
        for number, address in enumerate(addresses):
            errors.extend(
                invalid(f"{path}.addresses[{number}]", address, msg)
                for msg in _address_problems(address, address_type)
            )
        if endpoint.get("nodeName") is not None:
            node = str(endpoint["nodeName"])
            errors.extend(invalid(f"{path}.nodeName", node, m) for m in dns1123_subdomain(node))
        topology = endpoint.get("deprecatedTopology") or {}
        if topology:
            errors.extend(validate_labels(topology, f"{path}.deprecatedTopology"))
        if endpoint.get("hostname") is not None:
            host = str(endpoint["hostname"])
            errors.extend(invalid(f"{path}.hostname", host, m) for m in dns1123_label(host))
        if endpoint.get("hints") is not None:
            _validate_hints(endpoint["hints"] or {}, f"{path}.hints", errors)


def _validate_ports(eps: dict[str, Any], errors: list[FieldError]) -> None:
    ports = eps.get("ports") or []
    if len(ports) > MAX_PORTS:
        errors.append(too_many("ports", len(ports), MAX_PORTS))
        return
    names: set[str] = set()
    for index, port in enumerate(ports):
        path = f"ports[{index}]"
        name = str(port.get("name") or "")
        if name:
            errors.extend(invalid(f"{path}.name", name, msg) for msg in dns1123_label(name))
        if name in names:
            errors.append(duplicate(f"{path}.name", name))
        names.add(name)
        protocol = port.get("protocol")
        if not protocol:
            errors.append(required(f"{path}.protocol"))
        elif protocol not in PROTOCOLS:
            errors.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
        if port.get("appProtocol") is not None:
            app = str(port["appProtocol"])
            errors.extend(invalid(f"{path}.appProtocol", app, m) for m in qualified_name(app))


def validate_endpoint_slice(eps: dict[str, Any]) -> list[FieldError]:
    """``ValidateEndpointSlice`` (the metadata is checked by the store)."""
    errors: list[FieldError] = []
    address_type = eps.get("addressType")
    if not address_type:
        errors.append(required("addressType"))
    elif address_type not in ADDRESS_TYPES:
        errors.append(not_supported("addressType", address_type, ADDRESS_TYPES))
    _validate_endpoints(eps, errors)
    _validate_ports(eps, errors)
    return errors


def validate_endpoint_slice_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateEndpointSliceUpdate``: the address type is fixed once set."""
    errors = validate_endpoint_slice(new)
    if new.get("addressType") != old.get("addressType"):
        errors.append(invalid("addressType", new.get("addressType") or "", "field is immutable"))
    return errors


ENDPOINT_SLICE_KIND = KindInfo(
    kind="EndpointSlice",
    group="discovery.k8s.io",
    version="v1",
    plural="endpointslices",
    namespaced=True,
    schema=ENDPOINT_SLICE,
    defaulter=default_endpoint_slice,
    prepare_create=prepare_endpoint_slice,
    prepare_update=prepare_endpoint_slice_update,
    validator=validate_endpoint_slice,
    update_validator=validate_endpoint_slice_update,
    status_subresource=False,
    generation_fields=("addressType", "endpoints", "ports"),
)
