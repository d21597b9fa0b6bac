"""Service (v1): a stable virtual address in front of the pods a selector matches.

Defaults (``SetDefaults_Service``): type ClusterIP, sessionAffinity None (ClientIP gets a
10800 s timeout), each port's protocol TCP and targetPort = port, externalTrafficPolicy
Cluster for NodePort and LoadBalancer, internalTrafficPolicy Cluster for every type but
ExternalName, allocateLoadBalancerNodePorts true for LoadBalancer. The REST storage then
allocates addresses and ports (``service_allocation``) before the strategy clears the status
and validation runs (``ValidateService``), as upstream orders them: an allocation error is
reported instead of validation errors."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META, validate_labels
from k8sgame.engine.api.names import (
    dns1035_label,
    dns1123_label,
    dns1123_subdomain,
    qualified_name,
)
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    ANY,
    BOOL,
    INT32,
    INT_OR_STRING,
    STRING,
    STRING_LIST,
    STRING_MAP,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import (
    FieldError,
    GoStruct,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)
from k8sgame.engine.kinds.endpoint_slice import endpoint_ip_problems, parse_ip
from k8sgame.engine.kinds.pod.validation import PORT_RANGE_MSG, port_name_problems
from k8sgame.engine.kinds.service_allocation import (
    IP_MSG,
    SINGLE_STACK,
    allocate_service,
    cluster_ip_errors,
    needs_health_check,
)
from k8sgame.engine.network.policy import parse_cidr

CLUSTER_IP, NODE_PORT, LOAD_BALANCER, EXTERNAL_NAME = (
    "ClusterIP",
    "NodePort",
    "LoadBalancer",
    "ExternalName",
)
SERVICE_TYPES = (CLUSTER_IP, EXTERNAL_NAME, LOAD_BALANCER, NODE_PORT)
PROTOCOLS = ("SCTP", "TCP", "UDP")
TRAFFIC_POLICIES = ("Cluster", "Local")
SESSION_AFFINITIES = ("ClientIP", "None")
# core/v1 DefaultClientIPServiceAffinitySeconds and MaxClientIPServiceAffinitySeconds
CLIENT_IP_TIMEOUT_SECONDS = 10800
MAX_TIMEOUT = 86400
HEADLESS = "None"
# validateServiceTrafficDistribution: PreferClose, and the PreferSame* values (GA in 1.35).
TRAFFIC_DISTRIBUTIONS = ("PreferClose", "PreferSameNode", "PreferSameZone")
IP_MODES = ("Proxy", "VIP")  # supportedLoadBalancerIPMode, sorted
CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
OMIT_EMPTY = (
    "ports",
    "selector",
    "clusterIP",
    "clusterIPs",
    "externalIPs",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "externalName",
    "ipFamilies",
)
SOURCE_RANGES_ANNOTATION = "service.beta.kubernetes.io/load-balancer-source-ranges"
TOPOLOGY_MODE = "service.kubernetes.io/topology-mode"
TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints"

SERVICE_PORT = Struct(
    "ServicePort",
    {
        "name": STRING,
        "protocol": STRING,
        "appProtocol": STRING,
        "port": INT32,
        "targetPort": INT_OR_STRING,
        "nodePort": INT32,
    },
)
LOAD_BALANCER_INGRESS = Struct(
    "LoadBalancerIngress",
    {"ip": STRING, "hostname": STRING, "ipMode": STRING, "ports": ListOf(ANY)},
)
SERVICE = Struct(
    "Service",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "ServiceSpec",
            {
                "ports": ListOf(SERVICE_PORT),
                "selector": STRING_MAP,
                "clusterIP": STRING,
                "clusterIPs": STRING_LIST,
                "type": STRING,
                "externalIPs": STRING_LIST,
                "sessionAffinity": STRING,
                "loadBalancerIP": STRING,
                "loadBalancerSourceRanges": STRING_LIST,
                "externalName": STRING,
                "externalTrafficPolicy": STRING,
                "healthCheckNodePort": INT32,
                "publishNotReadyAddresses": BOOL,
                "sessionAffinityConfig": Struct(
                    "SessionAffinityConfig",
                    {"clientIP": Struct("ClientIPConfig", {"timeoutSeconds": INT32})},
                ),
                "ipFamilies": STRING_LIST,
                "ipFamilyPolicy": STRING,
                "allocateLoadBalancerNodePorts": BOOL,
                "loadBalancerClass": STRING,
                "internalTrafficPolicy": STRING,
                "trafficDistribution": STRING,
            },
        ),
        "status": Struct(
            "ServiceStatus",
            {
                "loadBalancer": Struct(
                    "LoadBalancerStatus", {"ingress": ListOf(LOAD_BALANCER_INGRESS)}
                ),
                "conditions": ListOf(ANY),
            },
        ),
    },
)


def externally_accessible(spec: dict[str, Any]) -> bool:
    """``service.ExternallyAccessible``: reachable from outside through node ports, a load
    balancer or external IPs."""
    kind = spec.get("type")
    return kind in (LOAD_BALANCER, NODE_PORT) or (
        kind == CLUSTER_IP and bool(spec.get("externalIPs"))
    )


def is_service_ip_set(svc: dict[str, Any]) -> bool:
    """``IsServiceIPSet``: a cluster IP other than None (not headless, not ExternalName)."""
    ip = (svc.get("spec") or {}).get("clusterIP")
    return bool(ip) and ip != HEADLESS


def is_headless(spec: dict[str, Any]) -> bool:
    return spec.get("clusterIP") == HEADLESS


def default_service(svc: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_Service``."""
    spec = svc.setdefault("spec", {})
    # omitempty: an empty list, map or string is not kept (it reads back as left out).
    for name in OMIT_EMPTY:
        if name in spec and spec[name] in ([], {}, "", None):
            del spec[name]
    if not spec.get("sessionAffinity"):
        spec["sessionAffinity"] = "None"
    if spec["sessionAffinity"] == "None":
        spec.pop("sessionAffinityConfig", None)
    elif spec["sessionAffinity"] == "ClientIP":
        config = spec.setdefault("sessionAffinityConfig", {})
        client = config.setdefault("clientIP", {})
        client.setdefault("timeoutSeconds", CLIENT_IP_TIMEOUT_SECONDS)
    if not spec.get("type"):
        spec["type"] = CLUSTER_IP
    for port in spec.get("ports") or []:
        if not isinstance(port, dict):
            continue
        if not port.get("protocol"):
            port["protocol"] = "TCP"
        if port.get("targetPort") in (None, 0, ""):
            port["targetPort"] = port.get("port")
    if externally_accessible(spec) and not spec.get("externalTrafficPolicy"):
        spec["externalTrafficPolicy"] = "Cluster"
    if spec.get("internalTrafficPolicy") is None and spec["type"] in (
        CLUSTER_IP,
        NODE_PORT,
        LOAD_BALANCER,
    ):
        spec["internalTrafficPolicy"] = "Cluster"
    if spec["type"] == LOAD_BALANCER and spec.get("allocateLoadBalancerNodePorts") is None:
        spec["allocateLoadBalancerNodePorts"] = True
    default_service_status(svc)


def default_service_status(svc: dict[str, Any]) -> None:
    """The part of ``SetDefaults_Service`` about the status (LoadBalancerIPMode, GA in
    1.32): a load balancer's address without a mode is a VIP, whose traffic kube-proxy
    takes itself."""
    if (svc.get("spec") or {}).get("type") != LOAD_BALANCER:
        return
    balancer = (svc.get("status") or {}).get("loadBalancer") or {}
    for ingress in balancer.get("ingress") or []:
        if isinstance(ingress, dict) and ingress.get("ip") and ingress.get("ipMode") is None:
            ingress["ipMode"] = "VIP"


def prepare_service(svc: dict[str, Any], ctx: AdmissionContext) -> None:
    """The strategy's PrepareForCreate: the status starts empty (``loadBalancer: {}``)."""
    svc["status"] = {"loadBalancer": {}}


def _validate_port(
    port: dict[str, Any], index: int, several: bool, names: set[str], errors: list[FieldError]
) -> None:
    """``validateServicePort``."""
    path = f"spec.ports[{index}]"
    name = str(port.get("name") or "")
    if several and not name:
        errors.append(required(f"{path}.name"))
    elif name:
        errors.extend(invalid(f"{path}.name", name, msg) for msg in dns1123_label(name))
        if name in names:
            errors.append(duplicate(f"{path}.name", name))
        else:
            names.add(name)
    number = port.get("port")
    if not isinstance(number, int) or not 1 <= number <= 65535:
        errors.append(invalid(f"{path}.port", number or 0, PORT_RANGE_MSG))
    protocol = port.get("protocol")
    if not protocol:
        errors.append(required(f"{path}.protocol"))
    elif protocol not in PROTOCOLS:
        errors.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    target = port.get("targetPort")
    if isinstance(target, int):
        if not 1 <= target <= 65535:
            errors.append(invalid(f"{path}.targetPort", target, PORT_RANGE_MSG))
    elif isinstance(target, str):
        errors.extend(
            invalid(f"{path}.targetPort", target, msg) for msg in port_name_problems(target)
        )
    app_protocol = port.get("appProtocol")
    if app_protocol is not None:
        errors.extend(
            invalid(f"{path}.appProtocol", app_protocol, msg)
            for msg in qualified_name(str(app_protocol))
        )


def _port_key(port: dict[str, Any]) -> GoStruct:
    """The internal ServicePort with only protocol and port set (how a duplicate prints)."""
    number = port.get("port")
    return GoStruct(
        {
            "Name": "",
            "Protocol": str(port.get("protocol") or ""),
            "AppProtocol": None,
            "Port": number if isinstance(number, int) else 0,
            "TargetPort": 0,
            "NodePort": 0,
        }
    )


def _validate_affinity(spec: dict[str, Any], errors: list[FieldError]) -> None:
    """sessionAffinity and ``validateClientIPAffinityConfig``."""
    affinity = spec.get("sessionAffinity")
    if not affinity:
        errors.append(required("spec.sessionAffinity"))
    elif affinity not in SESSION_AFFINITIES:
        errors.append(not_supported("spec.sessionAffinity", affinity, SESSION_AFFINITIES))
    config = spec.get("sessionAffinityConfig")
    path = "spec.sessionAffinityConfig"
    if affinity == "ClientIP":
        detail = "when session affinity type is ClientIP"
        client = (config or {}).get("clientIP")
        timeout = (client or {}).get("timeoutSeconds")
        if config is None:
            errors.append(required(path, detail))
        elif client is None:
            errors.append(required(f"{path}.clientIP", detail))
        elif timeout is None:
            errors.append(required(f"{path}.clientIP.timeoutSeconds", detail))
        elif not isinstance(timeout, int) or not 0 < timeout <= MAX_TIMEOUT:
            errors.append(
                invalid(
                    f"{path}.clientIP.timeoutSeconds",
                    timeout,
                    f"must be greater than 0 and less than {MAX_TIMEOUT}",
                )
            )
    elif affinity == "None" and config is not None:
        errors.append(forbidden(path, "must not be set when session affinity is None"))


def _validate_source_ranges(
    svc: dict[str, Any], spec: dict[str, Any], errors: list[FieldError]
) -> None:
    """The loadBalancerSourceRanges field, or else its older annotation."""
    only_balancers = "may only be used when `type` is 'LoadBalancer'"
    ranges = spec.get("loadBalancerSourceRanges") or []
    annotations = (svc.get("metadata") or {}).get("annotations") or {}
    if ranges:
        path = "spec.LoadBalancerSourceRanges"  # sic: upstream's path keeps the Go name
        if spec.get("type") != LOAD_BALANCER:
            errors.append(forbidden(path, only_balancers))
        for index, value in enumerate(ranges):
            value = str(value).strip()
            if parse_cidr(value) is None:
                errors.append(invalid(f"{path}[{index}]", value, CIDR_MSG))
    elif SOURCE_RANGES_ANNOTATION in annotations:
        path = f"metadata.annotations[{SOURCE_RANGES_ANNOTATION}]"
        if spec.get("type") != LOAD_BALANCER:
            errors.append(forbidden(path, only_balancers))
        text = str(annotations[SOURCE_RANGES_ANNOTATION]).strip()
        if text:
            for value in text.split(","):
                value = value.strip()
                if parse_cidr(value) is None:
                    errors.append(invalid(path, value, CIDR_MSG))


def _validate_load_balancer_class(
    spec: dict[str, Any], old_spec: dict[str, Any] | None
) -> list[FieldError]:
    """``validateLoadBalancerClassField``: fixed while the Service stays a LoadBalancer."""
    errors: list[FieldError] = []
    value = spec.get("loadBalancerClass")
    balancer = spec.get("type") == LOAD_BALANCER
    if old_spec is not None and old_spec.get("type") == LOAD_BALANCER and balancer:
        if old_spec.get("loadBalancerClass") != value:
            errors.append(invalid("spec.loadBalancerClass", value, "may not change once set"))
    if balancer:
        if value is not None:
            errors.extend(
                invalid("spec.loadBalancerClass", value, msg) for msg in qualified_name(str(value))
            )
    elif value is not None:
        errors.append(
            forbidden("spec.loadBalancerClass", "may only be used when `type` is 'LoadBalancer'")
        )
    return errors


def _validate_traffic_policies(spec: dict[str, Any], errors: list[FieldError]) -> None:
    """``validateServiceExternalTrafficPolicy``, ``validateServiceInternalTrafficFieldsValue``
    and ``validateServiceTrafficDistribution``."""
    policy = spec.get("externalTrafficPolicy")
    if not externally_accessible(spec):
        if policy:
            errors.append(
                invalid(
                    "spec.externalTrafficPolicy",
                    policy,
                    "may only be set for externally-accessible services",
                )
            )
    elif not policy:
        errors.append(required("spec.externalTrafficPolicy"))
    elif policy not in TRAFFIC_POLICIES:
        errors.append(not_supported("spec.externalTrafficPolicy", policy, TRAFFIC_POLICIES))
    health = spec.get("healthCheckNodePort")
    if not needs_health_check(spec):
        if health:
            errors.append(
                invalid(
                    "spec.healthCheckNodePort",
                    health,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` "
                    "is 'Local'",
                )
            )
    elif not health:
        errors.append(required("spec.healthCheckNodePort"))
    elif not isinstance(health, int) or not 1 <= health <= 65535:
        errors.append(invalid("spec.healthCheckNodePort", health, PORT_RANGE_MSG))
    internal = spec.get("internalTrafficPolicy")
    if internal is None:
        # Not required of ExternalName Services, for historical reasons.
        if spec.get("type") in (NODE_PORT, LOAD_BALANCER, CLUSTER_IP):
            errors.append(required("spec.internalTrafficPolicy"))
    elif internal not in TRAFFIC_POLICIES:
        errors.append(not_supported("spec.internalTrafficPolicy", internal, TRAFFIC_POLICIES))
    distribution = spec.get("trafficDistribution")
    if distribution is not None and distribution not in TRAFFIC_DISTRIBUTIONS:
        errors.append(
            not_supported("spec.trafficDistribution", distribution, TRAFFIC_DISTRIBUTIONS)
        )


def validate_service(svc: dict[str, Any]) -> list[FieldError]:
    """``ValidateService`` (the metadata is checked by the store), in upstream's order."""
    spec = svc.get("spec") or {}
    errors: list[FieldError] = []
    annotations = (svc.get("metadata") or {}).get("annotations") or {}
    if TOPOLOGY_MODE in annotations and TOPOLOGY_HINTS in annotations:
        mode = annotations[TOPOLOGY_MODE]
        if mode != annotations[TOPOLOGY_HINTS]:
            errors.append(
                invalid(
                    f"metadata.annotations[{TOPOLOGY_MODE}]",
                    mode,
                    f"must match annotations[{TOPOLOGY_HINTS}] when both are specified",
                )
            )
    kind = spec.get("type")
    headless = list(spec.get("clusterIPs") or []) == [HEADLESS]
    ports = [p if isinstance(p, dict) else {} for p in spec.get("ports") or []]
    if not ports and not headless and kind != EXTERNAL_NAME:
        errors.append(required("spec.ports"))
    if kind in (LOAD_BALANCER, NODE_PORT) and headless:
        errors.append(
            invalid("spec.clusterIPs[0]", HEADLESS, f"may not be set to 'None' for {kind} services")
        )
    elif kind == EXTERNAL_NAME:
        for field in ("clusterIPs", "ipFamilies"):
            if spec.get(field):
                errors.append(
                    forbidden(f"spec.{field}", "may not be set for ExternalName services")
                )
        if spec.get("ipFamilyPolicy") is not None:
            errors.append(
                forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services")
            )
        # The value (a CNAME) may end with a dot, fully qualified.
        name = str(spec.get("externalName") or "").removesuffix(".")
        if name:
            errors.extend(
                invalid("spec.externalName", name, msg) for msg in dns1123_subdomain(name)
            )
        else:
            errors.append(required("spec.externalName"))
    names: set[str] = set()
    for index, port in enumerate(ports):
        _validate_port(port, index, len(ports) > 1, names, errors)
    if spec.get("selector") is not None:
        errors.extend(validate_labels(spec.get("selector") or {}, "spec.selector"))
    _validate_affinity(spec, errors)
    errors.extend(cluster_ip_errors(spec))
    for index, ip in enumerate(spec.get("externalIPs") or []):
        path = f"spec.externalIPs[{index}]"
        if parse_ip(str(ip)) is None:
            errors.append(invalid(path, ip, IP_MSG))
        else:
            errors.extend(invalid(path, ip, msg) for msg in endpoint_ip_problems(str(ip)))
    if not kind:
        errors.append(required("spec.type"))
    elif kind not in SERVICE_TYPES:
        errors.append(not_supported("spec.type", kind, SERVICE_TYPES))
    if kind == CLUSTER_IP:
        for index, port in enumerate(ports):
            if port.get("nodePort"):
                errors.append(
                    forbidden(
                        f"spec.ports[{index}].nodePort",
                        "may not be used when `type` is 'ClusterIP'",
                    )
                )
    node_ports: set[tuple[str, int]] = set()
    for index, port in enumerate(ports):
        if not port.get("nodePort"):
            continue
        key = (str(port.get("protocol") or ""), int(port["nodePort"]))
        if key in node_ports:
            errors.append(duplicate(f"spec.ports[{index}].nodePort", port["nodePort"]))
        node_ports.add(key)
    seen: set[tuple[str, int]] = set()
    for index, port in enumerate(ports):
        struct = _port_key(port)
        pair = (struct["Protocol"], struct["Port"])
        if pair in seen:
            errors.append(duplicate(f"spec.ports[{index}]", struct))
        seen.add(pair)
    _validate_source_ranges(svc, spec, errors)
    allocate = spec.get("allocateLoadBalancerNodePorts")
    if allocate is not None and kind != LOAD_BALANCER:
        errors.append(
            forbidden(
                "spec.allocateLoadBalancerNodePorts",
                "may only be used when `type` is 'LoadBalancer'",
            )
        )
    if kind == LOAD_BALANCER and allocate is None:
        errors.append(required("allocateLoadBalancerNodePorts"))  # sic: no spec. prefix
    errors.extend(_validate_load_balancer_class(spec, None))
    _validate_traffic_policies(spec, errors)
    return errors


def _validate_upgrade_downgrade(spec: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``validateUpgradeDowngradeClusterIPs`` and ``validateUpgradeDowngradeIPFamilies``."""
    errors: list[FieldError] = []
    if EXTERNAL_NAME in (spec.get("type"), old.get("type")):
        return errors
    ips, old_ips = list(spec.get("clusterIPs") or []), list(old.get("clusterIPs") or [])
    headless, was_headless = ips == [HEADLESS], old_ips == [HEADLESS]
    policy = spec.get("ipFamilyPolicy")
    if not (headless and was_headless):
        if len(old_ips) == len(ips):
            for index, ip in enumerate(old_ips):
                if ip != ips[index]:
                    errors.append(
                        invalid(f"spec.clusterIPs[{index}]", ips, "may not change once set")
                    )
        elif len(old_ips) > len(ips):
            if not ips:
                errors.append(
                    invalid("spec.clusterIPs[0]", ips, "primary clusterIP can not be unset")
                )
            elif old_ips[0] != ips[0]:
                errors.append(invalid("spec.clusterIPs[0]", ips, "may not change once set"))
            if len(ips) == 1 and policy != SINGLE_STACK:
                message = "must be set to 'SingleStack' when releasing the secondary clusterIP"
                errors.append(invalid("spec.ipFamilyPolicy", policy, message))
        elif old_ips and ips[0] != old_ips[0]:
            errors.append(invalid("spec.clusterIPs[0]", ips, "may not change once set"))
    if headless != was_headless or headless:
        return errors
    families = list(spec.get("ipFamilies") or [])
    old_families = list(old.get("ipFamilies") or [])
    if len(old_families) == len(families):
        for index, family in enumerate(old_families):
            if family != families[index]:
                errors.append(invalid("spec.ipFamilies[0]", families, "may not change once set"))
    elif len(old_families) > len(families):
        if not ips:
            errors.append(
                invalid("spec.ipFamilies[0]", families, "primary ipFamily can not be unset")
            )
        if families and families[0] != old_families[0]:
            errors.append(invalid("spec.ipFamilies[0]", ips, "may not change once set"))
        if len(families) == 1 and policy != SINGLE_STACK:
            message = "must be set to 'SingleStack' when releasing the secondary ipFamily"
            errors.append(invalid("spec.ipFamilyPolicy", policy, message))
    elif old_families and families and families[0] != old_families[0]:
        errors.append(invalid("spec.ipFamilies[0]", ips, "may not change once set"))
    return errors


def validate_service_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceUpdate``: the update's own rules, then ``ValidateService``."""
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errors = _validate_upgrade_downgrade(spec, old_spec)
    errors.extend(_validate_load_balancer_class(spec, old_spec))
    if needs_health_check(old_spec) and needs_health_check(spec):
        if spec.get("healthCheckNodePort") != old_spec.get("healthCheckNodePort"):
            errors.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
    return errors + validate_service(new)


def validate_service_status(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceStatusUpdate``: ``ValidateLoadBalancerStatus`` (LoadBalancerIPMode on,
    AllowServiceLBStatusOnNonLB off)."""
    errors: list[FieldError] = []
    spec = new.get("spec") or {}
    balancer = (new.get("status") or {}).get("loadBalancer") or {}
    ingresses = balancer.get("ingress") or []
    path = "status.loadBalancer.ingress"
    if spec.get("type") != LOAD_BALANCER and ingresses:
        errors.append(forbidden(path, "may only be used when `spec.type` is 'LoadBalancer'"))
        return errors
    for index, ingress in enumerate(ingresses):
        ingress = ingress if isinstance(ingress, dict) else {}
        item = f"{path}[{index}]"
        ip = str(ingress.get("ip") or "")
        mode = ingress.get("ipMode")
        if ip and parse_ip(ip) is None:
            errors.append(invalid(f"{item}.ip", ip, IP_MSG))
        if mode is None:
            if ip:
                errors.append(required(f"{item}.ipMode", "must be specified when `ip` is set"))
        elif not ip:
            errors.append(forbidden(f"{item}.ipMode", "may not be specified when `ip` is not set"))
        elif mode not in IP_MODES:
            errors.append(not_supported(f"{item}.ipMode", mode, IP_MODES))
        hostname = str(ingress.get("hostname") or "")
        if hostname:
            errors.extend(
                invalid(f"{item}.hostname", hostname, msg) for msg in dns1123_subdomain(hostname)
            )
            if parse_ip(hostname) is not None:
                errors.append(
                    invalid(f"{item}.hostname", hostname, "must be a DNS name, not an IP address")
                )
    return errors


SERVICE_KIND = KindInfo(
    kind="Service",
    group="",
    version="v1",
    plural="services",
    namespaced=True,
    schema=SERVICE,
    short_names=("svc",),
    name_validator=dns1035_label,
    defaulter=default_service,
    status_defaulter=default_service_status,
    # The status strategy puts back only the spec: annotations ride along (MetalLB sets
    # its pool annotation in the same status write).
    status_writes_annotations=True,
    allocate=allocate_service,
    prepare_create=prepare_service,
    validator=validate_service,
    update_validator=validate_service_update,
    status_validator=validate_service_status,
    categories=("all",),
    generation_fields=(),
)
