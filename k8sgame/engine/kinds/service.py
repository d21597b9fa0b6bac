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
from k8sgame.engine.api.names import dns1035_label, dns1123_label, dns1123_subdomain
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
from k8sgame.engine.kinds.pod.validation import PORT_RANGE_MSG, port_name_problems
from k8sgame.engine.kinds.service_allocation import allocate_service, cluster_ip_errors

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


def _validate_ports(spec: dict[str, Any], errors: list[FieldError]) -> None:
    ports = spec.get("ports") or []
    names: set[str] = set()
    seen: set[tuple[str, int]] = set()
    for index, port in enumerate(ports):
        path = f"spec.ports[{index}]"
        name = str(port.get("name") or "")
        if len(ports) > 1 and not name:
            errors.append(required(f"{path}.name"))
        elif name:
            errors.extend(invalid(f"{path}.name", name, msg) for msg in dns1123_label(name))
            if name in names:
                errors.append(duplicate(f"{path}.name", name))
            names.add(name)
        number = port.get("port")
        if not isinstance(number, int) or not 1 <= number <= 65535:
            errors.append(invalid(f"{path}.port", number or 0, PORT_RANGE_MSG))
        protocol = port.get("protocol")
        if protocol not in PROTOCOLS:
            errors.append(not_supported(f"{path}.protocol", protocol or "", PROTOCOLS))
        target = port.get("targetPort")
        if isinstance(target, int):
            if not 1 <= target <= 65535:
                errors.append(invalid(f"{path}.targetPort", target, PORT_RANGE_MSG))
        elif isinstance(target, str):
            errors.extend(
                invalid(f"{path}.targetPort", target, msg) for msg in port_name_problems(target)
            )
        if spec.get("type") == CLUSTER_IP and port.get("nodePort"):
            errors.append(
                forbidden(f"{path}.nodePort", "may not be used when `type` is 'ClusterIP'")
            )
        key = (str(protocol), int(number) if isinstance(number, int) else 0)
        if key in seen:
            # The duplicate is reported as the internal ServicePort with only these two set.
            errors.append(
                duplicate(
                    path,
                    GoStruct(
                        {
                            "Name": "",
                            "Protocol": key[0],
                            "AppProtocol": None,
                            "Port": key[1],
                            "TargetPort": 0,
                            "NodePort": 0,
                        }
                    ),
                )
            )
        seen.add(key)


def validate_service(svc: dict[str, Any]) -> list[FieldError]:
    """``ValidateService`` for the fields the simulator models, in upstream's order."""
    spec = svc.get("spec") or {}
    errors: list[FieldError] = []
    kind = spec.get("type")
    headless = is_headless(spec)
    if not spec.get("ports") and not headless and kind != EXTERNAL_NAME:
        errors.append(required("spec.ports"))
    if kind in (LOAD_BALANCER, NODE_PORT) and headless:
        errors.append(
            invalid("spec.clusterIPs[0]", HEADLESS, f"may not be set to 'None' for {kind} services")
        )
    if kind == EXTERNAL_NAME:
        for field in ("clusterIPs", "ipFamilies", "ipFamilyPolicy"):
            if spec.get(field):
                errors.append(
                    forbidden(f"spec.{field}", "may not be set for ExternalName services")
                )
        name = str(spec.get("externalName") or "")
        if not name:
            errors.append(required("spec.externalName"))
        else:
            errors.extend(
                invalid("spec.externalName", name, msg)
                for msg in dns1123_subdomain(name.removesuffix("."))
            )
    errors.extend(cluster_ip_errors(spec))
    _validate_ports(spec, errors)
    selector = spec.get("selector") or {}
    if selector:
        errors.extend(validate_labels(selector, "spec.selector"))
    affinity = spec.get("sessionAffinity")
    if affinity not in SESSION_AFFINITIES:
        errors.append(not_supported("spec.sessionAffinity", affinity or "", SESSION_AFFINITIES))
    timeout = (((spec.get("sessionAffinityConfig") or {}).get("clientIP")) or {}).get(
        "timeoutSeconds"
    )
    if affinity == "ClientIP" and isinstance(timeout, int) and not 0 < timeout <= MAX_TIMEOUT:
        errors.append(
            invalid(
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds",
                timeout,
                f"must be greater than 0 and less than {MAX_TIMEOUT}",
            )
        )
    if kind not in SERVICE_TYPES:
        errors.append(not_supported("spec.type", kind or "", SERVICE_TYPES))
    if kind != LOAD_BALANCER:
        for field, path in (
            ("loadBalancerSourceRanges", "spec.LoadBalancerSourceRanges"),
            ("allocateLoadBalancerNodePorts", "spec.allocateLoadBalancerNodePorts"),
            ("loadBalancerClass", "spec.loadBalancerClass"),
        ):
            if spec.get(field) not in (None, [], ""):
                errors.append(forbidden(path, "may only be used when `type` is 'LoadBalancer'"))
    policy = spec.get("externalTrafficPolicy")
    if policy:
        if not externally_accessible(spec):
            errors.append(
                invalid(
                    "spec.externalTrafficPolicy",
                    policy,
                    "may only be set for externally-accessible services",
                )
            )
        elif policy not in TRAFFIC_POLICIES:
            errors.append(not_supported("spec.externalTrafficPolicy", policy, TRAFFIC_POLICIES))
    health = spec.get("healthCheckNodePort")
    if health and not (kind == LOAD_BALANCER and policy == "Local"):
        errors.append(
            invalid(
                "spec.healthCheckNodePort",
                health,
                "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is "
                "'Local'",
            )
        )
    internal = spec.get("internalTrafficPolicy")
    if internal is not None and internal not in TRAFFIC_POLICIES:
        errors.append(not_supported("spec.internalTrafficPolicy", internal, TRAFFIC_POLICIES))
    return errors


def validate_service_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateServiceUpdate``: the primary cluster IP is fixed once set."""
    errors = validate_service(new)
    old_health = (old.get("spec") or {}).get("healthCheckNodePort")
    new_health = (new.get("spec") or {}).get("healthCheckNodePort")
    if old_health and new_health and old_health != new_health:
        errors.append(forbidden("spec.healthCheckNodePort", "field is immutable"))
    old_ips = (old.get("spec") or {}).get("clusterIPs") or []
    new_ips = (new.get("spec") or {}).get("clusterIPs") or []
    if old_ips and (new.get("spec") or {}).get("type") != EXTERNAL_NAME:
        if not new_ips:
            errors.append(invalid("spec.clusterIPs[0]", [], "primary clusterIP can not be unset"))
        elif new_ips[0] != old_ips[0]:
            errors.append(invalid("spec.clusterIPs[0]", new_ips, "may not change once set"))
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
    allocate=allocate_service,
    prepare_create=prepare_service,
    validator=validate_service,
    update_validator=validate_service_update,
    categories=("all",),
    generation_fields=(),
)
