"""Endpoints (v1): the older, single-object list of a Service's pod addresses, still written
by the endpoints controller (``controllers/endpoints.py``) and by the API server for the
``kubernetes`` Service, but deprecated since v1.33 in favour of EndpointSlices: every
request for it comes back with a deprecation warning, which kubectl prints.

Defaults (``SetDefaults_Endpoints``): a port's protocol TCP. Validation
(``ValidateEndpoints``): each subset needs ``addresses`` or ``notReadyAddresses``; each
address a usable IP (and a DNS label hostname); each port a name when there are several, a
number in range and a protocol."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1123_label, dns1123_subdomain
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import INT32, STRING, ListOf, Struct
from k8sgame.engine.errors import FieldError, invalid, not_supported, required
from k8sgame.engine.kinds.endpoint_slice import PROTOCOLS, endpoint_ip_problems, parse_ip
from k8sgame.engine.kinds.event import OBJECT_REFERENCE
from k8sgame.engine.kinds.pod.validation import PORT_RANGE_MSG

# apiserver pkg/endpoints/deprecation WarningMessage for core/v1 Endpoints
# (APILifecycleDeprecated 1.33, replacement discovery.k8s.io/v1 EndpointSlice).
DEPRECATION_WARNING = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"

ENDPOINT_ADDRESS = Struct(
    "EndpointAddress",
    {"ip": STRING, "hostname": STRING, "nodeName": STRING, "targetRef": OBJECT_REFERENCE},
)
ENDPOINT_PORT = Struct(
    "EndpointPort", {"name": STRING, "port": INT32, "protocol": STRING, "appProtocol": STRING}
)
ENDPOINTS = Struct(
    "Endpoints",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "subsets": ListOf(
            Struct(
                "EndpointSubset",
                {
                    "addresses": ListOf(ENDPOINT_ADDRESS),
                    "notReadyAddresses": ListOf(ENDPOINT_ADDRESS),
                    "ports": ListOf(ENDPOINT_PORT),
                },
            )
        ),
    },
)

IP_EXAMPLE_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def default_endpoints(ep: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_Endpoints``: a port without a protocol is TCP."""
    for subset in ep.get("subsets") or []:
        for port in (subset or {}).get("ports") or []:
            if isinstance(port, dict) and not port.get("protocol"):
                port["protocol"] = "TCP"


def _validate_address(address: dict[str, Any], path: str, errors: list[FieldError]) -> None:
    """``validateEndpointAddress``: the IP first; the special ranges only once the rest is
    well-formed."""
    found: list[FieldError] = []
    ip = str(address.get("ip") or "")
    if parse_ip(ip) is None:
        found.append(invalid(f"{path}.ip", ip, IP_EXAMPLE_MSG))
    hostname = str(address.get("hostname") or "")
    if hostname:
        found.extend(invalid(f"{path}.hostname", hostname, m) for m in dns1123_label(hostname))
    if address.get("nodeName") is not None:
        node = str(address["nodeName"])
        found.extend(invalid(f"{path}.nodeName", node, m) for m in dns1123_subdomain(node))
    if not found:
        found.extend(invalid(f"{path}.ip", ip, m) for m in endpoint_ip_problems(ip))
    errors.extend(found)


def _validate_port(
    port: dict[str, Any], require_name: bool, path: str, errors: list[FieldError]
) -> None:
    name = str(port.get("name") or "")
    if require_name and not name:
        errors.append(required(f"{path}.name"))
    elif name:
        errors.extend(invalid(f"{path}.name", name, msg) for msg in dns1123_label(name))
    number = port.get("port")
    if not isinstance(number, int) or not 1 <= number <= 65535:
        errors.append(invalid(f"{path}.port", number or 0, PORT_RANGE_MSG))
    protocol = port.get("protocol")
    if not protocol:
        errors.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errors.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))


def validate_endpoints(ep: dict[str, Any]) -> list[FieldError]:
    """``ValidateEndpoints`` (the metadata is checked by the store)."""
    errors: list[FieldError] = []
    for index, subset in enumerate(ep.get("subsets") or []):
        path = f"subsets[{index}]"
        subset = subset or {}
        ready, not_ready = subset.get("addresses") or [], subset.get("notReadyAddresses") or []
        if not ready and not not_ready:
            errors.append(required(path, "must specify `addresses` or `notReadyAddresses`"))
        for number, address in enumerate(ready):
            _validate_address(address or {}, f"{path}.addresses[{number}]", errors)
        for number, address in enumerate(not_ready):
            _validate_address(address or {}, f"{path}.notReadyAddresses[{number}]", errors)
        ports = subset.get("ports") or []
        for number, port in enumerate(ports):
            _validate_port(port or {}, len(ports) > 1, f"{path}.ports[{number}]", errors)
    return errors


def validate_endpoints_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateEndpointsUpdate``: as on create (a node name change of a known address is
    not checked)."""
    return validate_endpoints(new)


ENDPOINTS_KIND = KindInfo(
    kind="Endpoints",
    group="",
    version="v1",
    plural="endpoints",
    namespaced=True,
    schema=ENDPOINTS,
    short_names=("ep",),
    defaulter=default_endpoints,
    validator=validate_endpoints,
    update_validator=validate_endpoints_update,
    status_subresource=False,
    generation_fields=(),
    deprecation_warning=DEPRECATION_WARNING,
)
