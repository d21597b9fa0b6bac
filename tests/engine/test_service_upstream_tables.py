"""Upstream's Service defaulting and validation tables, replayed through the simulated API
server the way a user's manifests reach it (``cluster.api.create`` / ``update`` /
``update_status``).

Each row comes from a named case of kubernetes/kubernetes:

* ``pkg/apis/core/v1/defaults_test.go`` (TestSetDefaultService*),
* ``pkg/apis/core/validation/validation_test.go`` (TestValidateServiceCreate,
  TestValidateServiceExternalTrafficPolicy, TestValidateServiceUpdate,
  TestValidateLoadBalancerStatus),
* the REST storage (``pkg/registry/core/service/storage/alloc.go`` and the strategy's
  ``patchAllocatedValues`` / ``NormalizeClusterIPs`` / ``dropTypeDependentFields``), which
  runs before validation.

Upstream's validation tests call ``ValidateService`` on an object nothing has defaulted or
allocated; through the API server the same manifest is defaulted first and allocated next,
so a row says what a user sees: a field the test leaves empty may be defaulted (the row then
expects the default), and an allocator error (a node port out of range, an IP family this
IPv4 single-stack cluster lacks) comes instead of the validation errors. Addresses the tests
take from ``10.0.0.0/16`` or ``1.2.3.0/24`` are moved into this cluster's ``10.96.0.0/16``
where the case needs them allocated ("adapted" in the comment)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError

# -- the messages ------------------------------------------------------------------------------

IP_MSG = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"
CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
PORT_MSG = "must be between 1 and 65535, inclusive"
NODE_PORT_RANGE_MSG = (
    "provided port is not in the valid range. The range of valid ports is 30000-32767"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
    "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
DNS1123_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
DNS1123_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
NAME_PART_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
ONLY_LB = "may only be used when `type` is 'LoadBalancer'"
SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges"
ANNOTATION_PATH = f"metadata.annotations[{SOURCE_RANGES}]"
NOT_DUAL = (
    'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not configured '
    "for dual-stack services"
)


def no_v6(index: int) -> str:
    return f'spec.ipFamilies[{index}]: Invalid value: "IPv6": not configured on this cluster'


def bad_ip(path: str, value: str) -> str:
    return f'{path}: Invalid value: "{value}": {IP_MSG}'


# -- the manifests ------------------------------------------------------------------------------

DROP = object()  # a field the case removes from the base Service


def port(name: str, number: int, protocol: str = "TCP", **extra: Any) -> dict[str, Any]:
    return {"name": name, "protocol": protocol, "port": number, "targetPort": number, **extra}


BASE_PORT = port("p", 8675)


def svc(
    *,
    name: str = "valid",
    labels: dict[str, str] | None = None,
    annotations: dict[str, str] | None = None,
    add_ports: tuple[dict[str, Any], ...] = (),
    **spec: Any,
) -> dict[str, Any]:
    """``makeValidService`` (validation_test.go) with the case's tweaks: a ClusterIP Service
    ``valid`` selecting ``key: val``, one port ``p`` 8675/TCP."""
    body: dict[str, Any] = {
        "selector": {"key": "val"},
        "sessionAffinity": "None",
        "type": "ClusterIP",
        "ports": [dict(BASE_PORT)],
        "internalTrafficPolicy": "Cluster",
    }
    for key, value in spec.items():
        if value is DROP:
            body.pop(key, None)
        else:
            body[key] = value
    if add_ports:
        body["ports"] = [*body.get("ports", []), *add_ports]
    metadata: dict[str, Any] = {"name": name, "labels": labels or {}}
    metadata["annotations"] = annotations or {}
    return {"apiVersion": "v1", "kind": "Service", "metadata": metadata, "spec": body}


def lb(**spec: Any) -> dict[str, Any]:
    """A LoadBalancer the way the tests write one."""
    spec.setdefault("externalTrafficPolicy", "Cluster")
    spec.setdefault("allocateLoadBalancerNodePorts", True)
    return svc(type="LoadBalancer", **spec)


# -- the outcomes -------------------------------------------------------------------------------

ABSENT = object()  # the field is not in the stored spec


def node_port(value: Any) -> bool:
    return isinstance(value, int) and 30000 <= value <= 32767


def service_ip(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("10.96.")


@dataclass(frozen=True)
class Ok:
    """Stored; these parts of ``spec`` (values or predicates; ``ABSENT`` for a field left
    out) and, when given, of ``status``."""

    spec: dict[str, Any] = field(default_factory=dict)
    status: dict[str, Any] | None = None


@dataclass(frozen=True)
class Invalid:
    """``The Service "<name>" is invalid: ...`` with these lines; ``causes`` when the status
    carries more causes than the message prints (a repeated error prints once)."""

    lines: tuple[str, ...]
    causes: int | None = None


@dataclass(frozen=True)
class Refused:
    """Another error: its reason and whole message."""

    reason: str
    message: str


Outcome = Ok | Invalid | Refused


def invalid(*lines: str, causes: int | None = None) -> Invalid:
    return Invalid(lines, causes)


def matches(expected: Any, actual: Any) -> bool:
    if callable(expected) and not isinstance(expected, type):
        return bool(expected(actual))
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return False
        for key, want in expected.items():
            if want is ABSENT:
                if key in actual:
                    return False
            elif key not in actual or not matches(want, actual[key]):
                return False
        return True
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(matches(w, a) for w, a in zip(expected, actual, strict=True))
        )
    return bool(expected == actual)


def check(outcome: Outcome, write: Callable[[], dict[str, Any]], name: str) -> None:
    if isinstance(outcome, Ok):
        stored = write()
        assert matches(outcome.spec, stored["spec"]), stored["spec"]
        if outcome.status is not None:
            assert matches(outcome.status, stored.get("status") or {}), stored.get("status")
        return
    with pytest.raises(ApiError) as caught:
        write()
    error = caught.value
    if isinstance(outcome, Refused):
        assert (error.reason, error.message) == (outcome.reason, outcome.message)
        return
    detail = outcome.lines[0] if len(outcome.lines) == 1 else f"[{', '.join(outcome.lines)}]"
    assert error.reason == "Invalid"
    assert error.message == f'The Service "{name}" is invalid: {detail}'
    if outcome.causes is not None:
        assert len(error.causes) == outcome.causes


# -- create -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Create:
    id: str
    manifest: dict[str, Any]
    outcome: Outcome
    before: tuple[dict[str, Any], ...] = ()  # Services created first


D = "defaults_test.go "
V = "validation_test.go TestValidateServiceCreate: "
E = "validation_test.go TestValidateServiceExternalTrafficPolicy: "
A = "storage alloc.go "

CREATE: list[Create] = [
    # -- defaults_test.go -----------------------------------------------------------------------
    # TestSetDefaultService: affinity None without a config, type ClusterIP.
    Create(
        D + "TestSetDefaultService",
        svc(sessionAffinity=DROP, type=DROP),
        Ok(
            {
                "sessionAffinity": "None",
                "sessionAffinityConfig": ABSENT,
                "type": "ClusterIP",
                "externalTrafficPolicy": ABSENT,
            }
        ),
    ),
    # TestSetDefaultServiceSessionAffinityConfig
    *(
        Create(
            D + "TestSetDefaultServiceSessionAffinityConfig: " + case,
            svc(sessionAffinity="ClientIP", sessionAffinityConfig=config),
            Ok({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 10800}}}),
        )
        for case, config in (
            ("SessionAffinityConfig is empty", DROP),
            ("ClientIP is empty", {}),
            ("TimeoutSeconds is empty", {"clientIP": {}}),
        )
    ),
    # TestSetDefaultServiceTargetPort
    Create(
        D + "TestSetDefaultServiceTargetPort: defaulted",
        svc(ports=[{"port": 1234}]),
        Ok({"ports": [{"port": 1234, "protocol": "TCP", "targetPort": 1234}]}),
    ),
    Create(
        D + "TestSetDefaultServiceTargetPort: unchanged",
        svc(ports=[{"port": 1234, "targetPort": 5678}]),
        Ok({"ports": [{"port": 1234, "protocol": "TCP", "targetPort": 5678}]}),
    ),
    # TestSetDefaultServicePort
    Create(
        D + "TestSetDefaultServicePort: unchanged if set",
        svc(
            ports=[
                {"name": "a", "protocol": "UDP", "port": 9376, "targetPort": "p"},
                {"name": "b", "protocol": "UDP", "port": 8675, "targetPort": 309},
            ]
        ),
        Ok(
            {
                "ports": [
                    {"protocol": "UDP", "port": 9376, "targetPort": "p"},
                    {"protocol": "UDP", "port": 8675, "targetPort": 309},
                ]
            }
        ),
    ),
    Create(
        D + "TestSetDefaultServicePort: defaulted",
        svc(
            ports=[
                {"name": "a", "protocol": "", "port": 9376, "targetPort": ""},
                {"name": "b", "protocol": "", "port": 8675, "targetPort": 0},
            ]
        ),
        Ok(
            {
                "ports": [
                    {"protocol": "TCP", "port": 9376, "targetPort": 9376},
                    {"protocol": "TCP", "port": 8675, "targetPort": 8675},
                ]
            }
        ),
    ),
    # TestSetDefaultServiceExternalTraffic
    Create(
        D + "TestSetDefaultServiceExternalTraffic: no type",
        svc(type=DROP),
        Ok({"externalTrafficPolicy": ABSENT}),
    ),
    Create(
        D + "TestSetDefaultServiceExternalTraffic: NodePort",
        svc(type="NodePort"),
        Ok({"externalTrafficPolicy": "Cluster"}),
    ),
    Create(
        D + "TestSetDefaultServiceExternalTraffic: LoadBalancer",
        svc(type="LoadBalancer"),
        Ok({"externalTrafficPolicy": "Cluster"}),
    ),
    Create(
        D + "TestSetDefaultServiceExternalTraffic: ClusterIP with externalIPs",
        svc(externalIPs=["1.2.3.4"]),
        Ok({"externalTrafficPolicy": "Cluster"}),
    ),
    Create(
        D + "TestSetDefaultServiceExternalTraffic: ClusterIP",
        svc(),
        Ok({"externalTrafficPolicy": ABSENT}),
    ),
    Create(
        D + "TestSetDefaultServiceExternalTraffic: ExternalName",
        svc(type="ExternalName", externalName="db.example.com", internalTrafficPolicy=DROP),
        Ok({"externalTrafficPolicy": ABSENT}),
    ),
    # TestSetDefaultServiceInternalTrafficPolicy
    Create(
        D + "TestSetDefaultServiceInternalTrafficPolicy: must set default internalTrafficPolicy",
        svc(internalTrafficPolicy=DROP),
        Ok({"internalTrafficPolicy": "Cluster"}),
    ),
    Create(
        D + "TestSetDefaultServiceInternalTrafficPolicy: must not set default "
        "internalTrafficPolicy when it's cluster",
        svc(internalTrafficPolicy="Cluster"),
        Ok({"internalTrafficPolicy": "Cluster"}),
    ),
    Create(
        D + "TestSetDefaultServiceInternalTrafficPolicy: must not set default "
        "internalTrafficPolicy when type is ExternalName",
        svc(type="ExternalName", externalName="db.example.com", internalTrafficPolicy=DROP),
        Ok({"internalTrafficPolicy": ABSENT}),
    ),
    Create(
        D + "TestSetDefaultServiceInternalTrafficPolicy: must not set default "
        "internalTrafficPolicy when it's local",
        svc(internalTrafficPolicy="Local"),
        Ok({"internalTrafficPolicy": "Local"}),
    ),
    # SetDefaults_Service: allocateLoadBalancerNodePorts (true unless given) for LoadBalancer.
    Create(
        D + "SetDefaults_Service: allocateLoadBalancerNodePorts unset",
        svc(type="LoadBalancer"),
        Ok({"allocateLoadBalancerNodePorts": True, "ports": [{"nodePort": node_port}]}),
    ),
    Create(
        D + "SetDefaults_Service: allocateLoadBalancerNodePorts false",
        svc(type="LoadBalancer", allocateLoadBalancerNodePorts=False),
        Ok({"allocateLoadBalancerNodePorts": False, "ports": [{"nodePort": ABSENT}]}),
    ),
    Create(
        D + "SetDefaults_Service: allocateLoadBalancerNodePorts not for ClusterIP",
        svc(),
        Ok({"allocateLoadBalancerNodePorts": ABSENT}),
    ),
    # -- TestValidateServiceCreate: metadata --------------------------------------------------
    Create(
        V + "missing name",
        svc(name=""),
        invalid("metadata.name: Required value: name or generateName is required"),
    ),
    Create(
        V + "invalid name",
        svc(name="-123"),
        invalid(f'metadata.name: Invalid value: "-123": {DNS1035_MSG}'),
    ),
    Create(
        V + "too long name",
        svc(name="a" * 64),
        invalid(f'metadata.name: Invalid value: "{"a" * 64}": must be no more than 63 characters'),
    ),
    Create(
        V + "invalid label",
        svc(labels={"NoUppercaseOrSpecialCharsLike=Equals": "bar"}),
        invalid(
            f'metadata.labels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": {NAME_PART_MSG}'
        ),
    ),
    Create(
        V + "invalid annotation",
        svc(annotations={"NoSpecialCharsLike=Equals": "bar"}),
        invalid(
            f'metadata.annotations: Invalid value: "NoSpecialCharsLike=Equals": {NAME_PART_MSG}'
        ),
    ),
    Create(
        V + "topology annotations are mismatched",
        svc(
            annotations={
                "service.kubernetes.io/topology-aware-hints": "original",
                "service.kubernetes.io/topology-mode": "different",
            }
        ),
        invalid(
            "metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "
            '"different": must match annotations[service.kubernetes.io/topology-aware-hints] '
            "when both are specified"
        ),
    ),
    # -- selector, affinity, type (defaulted through the API) -------------------------------
    Create(V + "nil selector", svc(selector=DROP), Ok({"selector": ABSENT})),
    Create(
        V + "invalid selector",
        svc(selector={"key": "val", "NoSpecialCharsLike=Equals": "bar"}),
        invalid(f'spec.selector: Invalid value: "NoSpecialCharsLike=Equals": {NAME_PART_MSG}'),
    ),
    # Validation requires these; SetDefaults_Service fills them first.
    Create(
        V + "missing session affinity", svc(sessionAffinity=""), Ok({"sessionAffinity": "None"})
    ),
    Create(V + "missing type", svc(type=""), Ok({"type": "ClusterIP"})),
    Create(
        V + "sessionAffinityConfig can't be set when session affinity is None",
        lb(sessionAffinityConfig={"clientIP": {"timeoutSeconds": 90}}),
        Ok({"sessionAffinityConfig": ABSENT}),
    ),
    Create(
        V + "invalid timeoutSeconds field",
        svc(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": -1}}),
        invalid(
            "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: -1: must be "
            "greater than 0 and less than 86400"
        ),
    ),
    # -- ports --------------------------------------------------------------------------------
    Create(V + "missing ports", svc(ports=[]), invalid("spec.ports: Required value")),
    Create(
        V + "missing ports but headless",
        svc(ports=[], clusterIP="None", clusterIPs=["None"]),
        Ok({"clusterIPs": ["None"], "ports": ABSENT}),
    ),
    Create(V + "empty port[0] name", svc(ports=[{**BASE_PORT, "name": ""}]), Ok()),
    Create(
        V + "empty port[1] name",
        svc(add_ports=(port("", 12345),)),
        invalid("spec.ports[1].name: Required value"),
    ),
    Create(
        V + "empty multi-port port[0] name",
        svc(ports=[{**BASE_PORT, "name": ""}, port("p", 12345)]),
        invalid("spec.ports[0].name: Required value"),
    ),
    Create(
        V + "invalid port name",
        svc(ports=[{**BASE_PORT, "name": "INVALID"}]),
        invalid(f'spec.ports[0].name: Invalid value: "INVALID": {DNS1123_LABEL_MSG}'),
    ),
    Create(
        V + "dup port name",
        svc(add_ports=(port("p", 12345),)),
        invalid('spec.ports[1].name: Duplicate value: "p"'),
    ),
    Create(
        V + "missing protocol",
        svc(ports=[{**BASE_PORT, "protocol": ""}]),
        Ok({"ports": [{"protocol": "TCP"}]}),
    ),
    Create(
        V + "invalid protocol",
        svc(ports=[{**BASE_PORT, "protocol": "INVALID"}]),
        invalid(
            'spec.ports[0].protocol: Unsupported value: "INVALID": supported values: "SCTP", '
            '"TCP", "UDP"'
        ),
    ),
    Create(
        V + "missing port",
        svc(ports=[{**BASE_PORT, "port": 0}]),
        invalid(f"spec.ports[0].port: Invalid value: 0: {PORT_MSG}"),
    ),
    Create(
        V + "invalid port",
        svc(ports=[{**BASE_PORT, "port": 65536}]),
        invalid(f"spec.ports[0].port: Invalid value: 65536: {PORT_MSG}"),
    ),
    Create(
        V + "invalid TargetPort int",
        svc(ports=[{**BASE_PORT, "targetPort": 65536}]),
        invalid(f"spec.ports[0].targetPort: Invalid value: 65536: {PORT_MSG}"),
    ),
    Create(V + "valid 2", svc(ports=[{**BASE_PORT, "protocol": "UDP", "targetPort": 12345}]), Ok()),
    Create(V + "valid 3", svc(ports=[{**BASE_PORT, "targetPort": "http"}]), Ok()),
    Create(
        V + "invalid duplicate ports (with same protocol)",
        svc(add_ports=(port("q", 12345), {**port("r", 12345), "targetPort": 80})),
        invalid(
            'spec.ports[2]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,'
            '"Port":12345,"TargetPort":0,"NodePort":0}'
        ),
    ),
    Create(
        V + "valid duplicate ports (with different protocols)",
        svc(add_ports=(port("q", 12345), port("r", 12345, "UDP"), port("s", 12345, "SCTP"))),
        Ok(),
    ),
    Create(V + "valid port headless", svc(clusterIP="None", clusterIPs=["None"]), Ok()),
    # "in the v1 API, targetPorts on headless services were tolerated"
    Create(
        V + "invalid port headless 1",
        svc(ports=[{**BASE_PORT, "port": 11722, "targetPort": 11721}], clusterIP="None"),
        Ok(),
    ),
    Create(
        V + "invalid port headless 2",
        svc(ports=[{**BASE_PORT, "port": 11722, "targetPort": "target"}], clusterIP="None"),
        Ok(),
    ),
    Create(
        V + "valid appProtocol",
        svc(ports=[{"port": 12345, "targetPort": 12345, "appProtocol": "HTTP"}]),
        Ok(),
    ),
    Create(
        V + "valid custom appProtocol",
        svc(ports=[{"port": 12345, "targetPort": 12345, "appProtocol": "example.com/protocol"}]),
        Ok(),
    ),
    Create(
        V + "invalid appProtocol",
        svc(
            ports=[
                {
                    "port": 12345,
                    "targetPort": 12345,
                    "appProtocol": "example.com/protocol_with{invalid}[characters]",
                }
            ]
        ),
        invalid(
            "spec.ports[0].appProtocol: Invalid value: "
            f'"example.com/protocol_with{{invalid}}[characters]": {NAME_PART_MSG}'
        ),
    ),
    # -- external IPs ---------------------------------------------------------------------------
    Create(
        V + "invalid publicIPs localhost",
        svc(externalTrafficPolicy="Cluster", externalIPs=["127.0.0.1"]),
        invalid(
            'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range '
            "(127.0.0.0/8, ::1/128)"
        ),
    ),
    Create(
        V + "invalid publicIPs unspecified",
        svc(externalTrafficPolicy="Cluster", externalIPs=["0.0.0.0"]),
        invalid('spec.externalIPs[0]: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)'),
    ),
    Create(
        V + "invalid publicIPs host",
        svc(externalTrafficPolicy="Cluster", externalIPs=["myhost.mydomain"]),
        invalid(bad_ip("spec.externalIPs[0]", "myhost.mydomain")),
    ),
    Create(
        V + "valid publicIPs",
        svc(externalTrafficPolicy="Cluster", externalIPs=["1.2.3.4"]),
        Ok({"externalIPs": ["1.2.3.4"], "externalTrafficPolicy": "Cluster"}),
    ),
    # -- types and node ports -------------------------------------------------------------------
    Create(V + "valid 1", svc(), Ok({"clusterIP": service_ip, "ports": [{"nodePort": ABSENT}]})),
    Create(
        V + "valid cluster ip - none",
        svc(clusterIP="None", clusterIPs=["None"]),
        Ok({"clusterIP": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}),
    ),
    Create(V + "valid cluster ip - empty", svc(ports=[{**BASE_PORT, "targetPort": "http"}]), Ok()),
    Create(
        V + "valid type - loadbalancer",
        lb(),
        Ok({"ports": [{"nodePort": node_port}], "allocateLoadBalancerNodePorts": True}),
    ),
    Create(
        V + "valid type - loadbalancer with allocateLoadBalancerNodePorts=false",
        lb(allocateLoadBalancerNodePorts=False),
        Ok({"ports": [{"nodePort": ABSENT}]}),
    ),
    Create(
        V + "invalid type - missing AllocateLoadBalancerNodePorts for loadbalancer type",
        lb(allocateLoadBalancerNodePorts=DROP),
        Ok({"allocateLoadBalancerNodePorts": True}),
    ),
    Create(
        V + "valid load balancer protocol UDP 1",
        lb(ports=[{**BASE_PORT, "protocol": "UDP"}]),
        Ok({"ports": [{"protocol": "UDP", "nodePort": node_port}]}),
    ),
    Create(
        V + "load balancer with mix protocol",
        lb(add_ports=(port("q", 12345, "UDP"),)),
        Ok({"ports": [{"nodePort": node_port}, {"nodePort": node_port}]}),
    ),
    Create(V + "valid type loadbalancer 2 ports", lb(add_ports=(port("q", 12345),)), Ok()),
    Create(V + "valid port type=LoadBalancer", lb(add_ports=(port("kubelet", 10250),)), Ok()),
    Create(
        V + "valid type - nodeport",
        svc(type="NodePort", externalTrafficPolicy="Cluster"),
        Ok({"ports": [{"nodePort": node_port}]}),
    ),
    Create(
        V + "valid type=NodePort service without NodePort",
        svc(type="NodePort", add_ports=(port("q", 12345),)),
        Ok({"ports": [{"nodePort": node_port}, {"nodePort": node_port}]}),
    ),
    Create(V + "valid cluster service without NodePort", svc(add_ports=(port("q", 12345),)), Ok()),
    Create(
        V + "invalid cluster service with NodePort",
        svc(add_ports=(port("q", 12345, nodePort=12345),)),
        invalid("spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
    ),
    # The allocator takes asked-for node ports before validation: 1 and 12345 are out of range.
    Create(
        V + "valid type loadbalancer with NodePort",
        lb(add_ports=(port("q", 12345, nodePort=12345),)),
        invalid(f"spec.ports[1].nodePort: Invalid value: 12345: {NODE_PORT_RANGE_MSG}"),
    ),
    Create(
        V + "valid type=NodePort service with NodePort",
        svc(type="NodePort", add_ports=(port("q", 12345, nodePort=12345),)),
        invalid(f"spec.ports[1].nodePort: Invalid value: 12345: {NODE_PORT_RANGE_MSG}"),
    ),
    Create(
        V + "valid type=NodePort service with NodePort (adapted: 30345)",
        svc(type="NodePort", add_ports=(port("q", 12345, nodePort=30345),)),
        Ok({"ports": [{"nodePort": node_port}, {"nodePort": 30345}]}),
    ),
    Create(
        V + "duplicate nodeports",
        svc(type="NodePort", add_ports=(port("q", 1, nodePort=1), port("r", 2, nodePort=1))),
        invalid(f"spec.ports[1].nodePort: Invalid value: 1: {NODE_PORT_RANGE_MSG}"),
    ),
    Create(
        V + "duplicate nodeports (adapted: 30001)",
        svc(
            type="NodePort", add_ports=(port("q", 1, nodePort=30001), port("r", 2, nodePort=30001))
        ),
        invalid("spec.ports[2].nodePort: Invalid value: 30001: provided port is already allocated"),
    ),
    # Valid for validation, but the port allocator ignores protocols: ports 1, 2, 3 differ.
    Create(
        V + "duplicate nodeports (different protocols) (adapted: 30001)",
        svc(
            type="NodePort",
            add_ports=(
                port("q", 1, nodePort=30001),
                port("r", 2, "UDP", nodePort=30001),
                port("s", 3, "SCTP", nodePort=30001),
            ),
        ),
        invalid("spec.ports[2].nodePort: Invalid value: 30001: provided port is already allocated"),
    ),
    Create(
        V + "invalid public service with duplicate NodePort",
        svc(type="NodePort", add_ports=(port("p1", 1, nodePort=1), port("p2", 2, nodePort=1))),
        invalid(f"spec.ports[1].nodePort: Invalid value: 1: {NODE_PORT_RANGE_MSG}"),
    ),
    Create(
        V + "invalid node port with clusterIP None",
        svc(
            type="NodePort",
            add_ports=(port("q", 1, nodePort=1),),
            clusterIP="None",
            clusterIPs=["None"],
        ),
        invalid(f"spec.ports[1].nodePort: Invalid value: 1: {NODE_PORT_RANGE_MSG}"),
    ),
    Create(
        V + "invalid node port with clusterIP None (adapted: 30001)",
        svc(type="NodePort", add_ports=(port("q", 1, nodePort=30001),), clusterIP="None"),
        invalid(
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort "
            "services"
        ),
    ),
    Create(
        V + "LoadBalancer type cannot have None ClusterIP",
        lb(clusterIP="None", clusterIPs=["None"]),
        invalid(
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for "
            "LoadBalancer services"
        ),
    ),
    Create(
        V + "Use AllocateLoadBalancerNodePorts when type is not LoadBalancer",
        svc(allocateLoadBalancerNodePorts=True),
        invalid(f"spec.allocateLoadBalancerNodePorts: Forbidden: {ONLY_LB}"),
    ),
    # -- loadBalancerSourceRanges (field and annotation) -------------------------------------
    Create(
        V + "valid LoadBalancer source range annotation",
        lb(annotations={SOURCE_RANGES: "1.2.3.0/24,  5.6.0.0/16"}),
        Ok(),
    ),
    Create(
        V + "valid empty LoadBalancer source range annotation",
        lb(annotations={SOURCE_RANGES: ""}),
        Ok(),
    ),
    Create(
        V + "valid whitespace-only LoadBalancer source range annotation",
        lb(annotations={SOURCE_RANGES: "  "}),
        Ok(),
    ),
    Create(
        V + "invalid LoadBalancer source range annotation (hostname)",
        lb(annotations={SOURCE_RANGES: "foo.bar"}),
        invalid(f'{ANNOTATION_PATH}: Invalid value: "foo.bar": {CIDR_MSG}'),
    ),
    Create(
        V + "invalid LoadBalancer source range annotation (invalid CIDR)",
        lb(annotations={SOURCE_RANGES: "1.2.3.4/33"}),
        invalid(f'{ANNOTATION_PATH}: Invalid value: "1.2.3.4/33": {CIDR_MSG}'),
    ),
    Create(
        V + "invalid LoadBalancer source range annotation for non LoadBalancer type service",
        svc(annotations={SOURCE_RANGES: "1.2.3.0/24"}),
        invalid(f"{ANNOTATION_PATH}: Forbidden: {ONLY_LB}"),
    ),
    Create(
        V + "invalid empty-but-set LoadBalancer source range annotation for non LoadBalancer "
        "type service",
        svc(annotations={SOURCE_RANGES: ""}),
        invalid(f"{ANNOTATION_PATH}: Forbidden: {ONLY_LB}"),
    ),
    Create(
        V + "valid LoadBalancer source range",
        lb(loadBalancerSourceRanges=["1.2.3.0/24", "5.6.0.0/16"]),
        Ok({"loadBalancerSourceRanges": ["1.2.3.0/24", "5.6.0.0/16"]}),
    ),
    Create(
        V + "valid LoadBalancer source range with whitespace",
        lb(loadBalancerSourceRanges=["1.2.3.0/24  ", " 5.6.0.0/16"]),
        Ok(),
    ),
    Create(
        V + "invalid empty LoadBalancer source range",
        lb(loadBalancerSourceRanges=["   "]),
        invalid(f'spec.LoadBalancerSourceRanges[0]: Invalid value: "": {CIDR_MSG}'),
    ),
    Create(
        V + "invalid LoadBalancer source range (hostname)",
        lb(loadBalancerSourceRanges=["foo.bar"]),
        invalid(f'spec.LoadBalancerSourceRanges[0]: Invalid value: "foo.bar": {CIDR_MSG}'),
    ),
    Create(
        V + "invalid LoadBalancer source range (invalid CIDR)",
        lb(loadBalancerSourceRanges=["1.2.3.4/33"]),
        invalid(f'spec.LoadBalancerSourceRanges[0]: Invalid value: "1.2.3.4/33": {CIDR_MSG}'),
    ),
    Create(
        V + "invalid source range for non LoadBalancer type service",
        svc(loadBalancerSourceRanges=["1.2.3.0/24", "5.6.0.0/16"]),
        invalid(f"spec.LoadBalancerSourceRanges: Forbidden: {ONLY_LB}"),
    ),
    Create(
        V + "invalid source range annotation ignored with valid source range field",
        lb(
            annotations={SOURCE_RANGES: "foo.bar"},
            loadBalancerSourceRanges=["1.2.3.0/24", "5.6.0.0/16"],
        ),
        Ok(),
    ),
    # -- loadBalancerClass ----------------------------------------------------------------------
    Create(
        V + "valid LoadBalancerClass when type is LoadBalancer",
        lb(loadBalancerClass="test.com/test-load-balancer-class"),
        Ok({"loadBalancerClass": "test.com/test-load-balancer-class"}),
    ),
    Create(
        V + "invalid LoadBalancerClass",
        lb(loadBalancerClass="Bad/LoadBalancerClass"),
        invalid(
            'spec.loadBalancerClass: Invalid value: "Bad/LoadBalancerClass": prefix part '
            + DNS1123_SUBDOMAIN_MSG
        ),
    ),
    Create(
        V + "invalid: set LoadBalancerClass when type is not LoadBalancer",
        svc(loadBalancerClass="test.com/test-load-balancer-class"),
        invalid(f"spec.loadBalancerClass: Forbidden: {ONLY_LB}"),
    ),
    # -- ExternalName ----------------------------------------------------------------------------
    Create(
        V + "valid ExternalName",
        svc(type="ExternalName", externalName="foo.bar.example.com"),
        Ok({"clusterIP": ABSENT, "clusterIPs": ABSENT, "ipFamilies": ABSENT}),
    ),
    Create(
        V + "valid ExternalName (trailing dot)",
        svc(type="ExternalName", externalName="foo.bar.example.com."),
        Ok({"externalName": "foo.bar.example.com."}),
    ),
    Create(
        V + "invalid ExternalName clusterIP (valid IP)",
        svc(
            type="ExternalName",
            clusterIP="1.2.3.4",
            clusterIPs=["1.2.3.4"],
            externalName="foo.bar.example.com",
        ),
        invalid("spec.clusterIPs: Forbidden: may not be set for ExternalName services"),
    ),
    Create(
        V + "invalid ExternalName clusterIP (None)",
        svc(type="ExternalName", clusterIP="None", externalName="foo.bar.example.com"),
        invalid("spec.clusterIPs: Forbidden: may not be set for ExternalName services"),
    ),
    Create(
        V + "invalid ExternalName (not a DNS name)",
        svc(type="ExternalName", externalName="-123"),
        invalid(f'spec.externalName: Invalid value: "-123": {DNS1123_SUBDOMAIN_MSG}'),
    ),
    # -- traffic policies -----------------------------------------------------------------------
    Create(
        V + "invalid externalTraffic field",
        lb(externalTrafficPolicy="invalid"),
        invalid(
            'spec.externalTrafficPolicy: Unsupported value: "invalid": supported values: '
            '"Cluster", "Local"'
        ),
    ),
    Create(
        V + "nil internalTraffic field when feature gate is on",
        svc(internalTrafficPolicy=DROP),
        Ok({"internalTrafficPolicy": "Cluster"}),
    ),
    Create(
        V + "internalTrafficPolicy field nil when type is ExternalName",
        svc(type="ExternalName", externalName="foo.bar.com", internalTrafficPolicy=DROP),
        Ok({"internalTrafficPolicy": ABSENT}),
    ),
    Create(
        V + "internalTrafficPolicy field is set when type is ExternalName",
        svc(type="ExternalName", externalName="foo.bar.com"),
        Ok({"internalTrafficPolicy": "Cluster"}),
    ),
    Create(
        V + "invalid internalTraffic field",
        svc(internalTrafficPolicy="invalid"),
        invalid(
            'spec.internalTrafficPolicy: Unsupported value: "invalid": supported values: '
            '"Cluster", "Local"'
        ),
    ),
    Create(
        V + "internalTrafficPolicy field set to Local",
        svc(internalTrafficPolicy="Local"),
        Ok({"internalTrafficPolicy": "Local"}),
    ),
    # alloc.go allocHealthCheckNodePort: a refused health check port is an internal error.
    Create(
        V + "negative healthCheckNodePort field (-1)",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=-1),
        Refused(
            "InternalError",
            "Internal error occurred: failed to allocate requested HealthCheck NodePort -1: "
            + NODE_PORT_RANGE_MSG,
        ),
    ),
    Create(
        V + "negative healthCheckNodePort field (31100)",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=31100),
        Ok({"healthCheckNodePort": 31100}),
    ),
    Create(
        V + "valid: trafficDistribution field set to PreferClose",
        svc(trafficDistribution="PreferClose"),
        Ok({"trafficDistribution": "PreferClose"}),
    ),
    # -- ipFamilies / ipFamilyPolicy on this IPv4 single-stack cluster ------------------------
    Create(
        V + "invalid, service with invalid ipFamilies",
        svc(ipFamilies=["not-a-valid-ip-family"]),
        invalid(
            'spec.ipFamilies[0]: Unsupported value: "not-a-valid-ip-family": supported values: '
            '"IPv4", "IPv6"'
        ),
    ),
    Create(
        V + "invalid, service with invalid ipFamilies (2nd)",
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4", "not-a-valid-ip-family"]),
        invalid(
            'spec.ipFamilies[1]: Unsupported value: "not-a-valid-ip-family": supported values: '
            '"IPv4", "IPv6"'
        ),
    ),
    Create(
        V + "IPFamilyPolicy(singleStack) is set for two families",
        svc(ipFamilyPolicy="SingleStack", ipFamilies=["IPv4", "IPv6"]),
        invalid(
            "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
            "'PreferDualStack' when multiple IP families are specified"
        ),
    ),
    Create(
        V + "valid, IPFamilyPolicy(preferDualStack) is set for two families",
        svc(ipFamilyPolicy="PreferDualStack", ipFamilies=["IPv4", "IPv6"]),
        invalid(no_v6(1)),
    ),
    Create(
        V + "invalid, service with 2+ ipFamilies",
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4", "IPv6", "IPv4"]),
        invalid('spec.ipFamilies[2]: Duplicate value: "IPv4"'),
    ),
    Create(
        V + "invalid, service with same ip families",
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv6", "IPv6"]),
        invalid('spec.ipFamilies[1]: Duplicate value: "IPv6"'),
    ),
    Create(V + "valid, nil service ipFamilies", svc(), Ok({"ipFamilies": ["IPv4"]})),
    Create(
        V + "valid, service with valid ipFamilies (v4)",
        svc(ipFamilies=["IPv4"]),
        Ok({"ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}),
    ),
    Create(
        V + "valid, service with valid ipFamilies (v6)",
        svc(ipFamilies=["IPv6"]),
        invalid(no_v6(0)),
    ),
    Create(
        V + "valid, service with valid ipFamilies(v4,v6)",
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4", "IPv6"]),
        invalid(NOT_DUAL, no_v6(1)),
    ),
    Create(
        V + "valid, service with valid ipFamilies(v6,v4)",
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv6", "IPv4"]),
        invalid(NOT_DUAL, no_v6(0)),
    ),
    Create(
        V + "valid, service preferred dual stack with single family",
        svc(ipFamilyPolicy="PreferDualStack", ipFamilies=["IPv6"]),
        invalid(no_v6(0)),
    ),
    Create(V + "valid, dual stack", svc(ipFamilyPolicy="RequireDualStack"), invalid(NOT_DUAL)),
    Create(
        V + "valid,  multi ipfamilies (4,6)",
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4", "IPv6"]),
        invalid(NOT_DUAL, no_v6(1)),
    ),
    Create(
        V + "valid, headless-no-selector + multi family + gate off",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="None",
            clusterIPs=["None"],
            ipFamilies=["IPv4", "IPv6"],
            selector=DROP,
        ),
        Ok({"ipFamilies": ["IPv4", "IPv6"], "ipFamilyPolicy": "RequireDualStack"}),
    ),
    # -- clusterIP / clusterIPs -----------------------------------------------------------------
    Create(
        V + "invalid cluster ip",
        svc(clusterIP="invalid", clusterIPs=["invalid"]),
        invalid(bad_ip("spec.clusterIPs[0]", "invalid")),
    ),
    Create(
        V + "invalid, garbage ips",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="garbage-ip",
            clusterIPs=["garbage-ip", "garbage-second-ip"],
        ),
        invalid(
            bad_ip("spec.clusterIPs[0]", "garbage-ip"),
            bad_ip("spec.clusterIPs[1]", "garbage-second-ip"),
        ),
    ),
    Create(
        V + "invalid, garbage first ip",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="garbage-ip",
            clusterIPs=["garbage-ip", "2001::1"],
        ),
        invalid(bad_ip("spec.clusterIPs[0]", "garbage-ip")),
    ),
    Create(
        V + "invalid, garbage second ip",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="2001::1",
            clusterIPs=["2001::1", "garbage-ip"],
        ),
        invalid(bad_ip("spec.clusterIPs[1]", "garbage-ip")),
    ),
    Create(
        V + "invalid, NONE + IP",
        svc(ipFamilyPolicy="RequireDualStack", clusterIP="None", clusterIPs=["None", "2001::1"]),
        invalid(
            'spec.clusterIPs: Invalid value: ["None","2001::1"]: \'None\' must be the first and '
            "only value"
        ),
    ),
    Create(
        V + "invalid, IP + NONE",
        svc(ipFamilyPolicy="RequireDualStack", clusterIP="2001::1", clusterIPs=["2001::1", "None"]),
        invalid(bad_ip("spec.clusterIPs[1]", "None")),
    ),
    Create(
        V + "invalid, EMPTY STRING + IP",
        svc(ipFamilyPolicy="RequireDualStack", clusterIP="", clusterIPs=["", "2001::1"]),
        invalid(
            'spec.clusterIPs: Invalid value: ["","2001::1"]: must be empty when `clusterIP` is '
            "not specified",
            bad_ip("spec.clusterIPs[0]", ""),
        ),
    ),
    Create(
        V + "invalid, IP + EMPTY STRING",
        svc(ipFamilyPolicy="RequireDualStack", clusterIP="2001::1", clusterIPs=["2001::1", ""]),
        invalid(bad_ip("spec.clusterIPs[1]", "")),
    ),
    Create(
        V + "invalid, same ip family (v6)",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="2001::1",
            clusterIPs=["2001::1", "2001::4"],
            ipFamilies=["IPv4", "IPv6"],
        ),
        invalid(
            'spec.clusterIPs: Invalid value: ["2001::1","2001::4"]: may specify no more than one '
            "IP for each IP family",
            'spec.clusterIPs[0]: Invalid value: "2001::1": expected an IPv4 value as indicated '
            "by `ipFamilies[0]`",
        ),
    ),
    Create(
        V + "invalid, same ip family (v4)",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="10.0.0.1",
            clusterIPs=["10.0.0.1", "10.0.0.10"],
            ipFamilies=["IPv4", "IPv6"],
        ),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.0.0.1","10.0.0.10"]: may specify no more than '
            "one IP for each IP family",
            'spec.clusterIPs[1]: Invalid value: "10.0.0.10": expected an IPv6 value as indicated '
            "by `ipFamilies[1]`",
        ),
    ),
    Create(
        V + "invalid, more than two ips",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="10.0.0.1",
            clusterIPs=["10.0.0.1", "2001::1", "10.0.0.10"],
            ipFamilies=["IPv4", "IPv6"],
        ),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.0.0.1","2001::1","10.0.0.10"]: may only hold '
            "up to 2 values"
        ),
    ),
    Create(
        V + " multi ip, dualstack not set (request for downgrade)",
        svc(
            ipFamilyPolicy="SingleStack",
            clusterIP="10.0.0.1",
            clusterIPs=["10.0.0.1", "2001::1"],
            ipFamilies=["IPv4", "IPv6"],
        ),
        invalid(
            "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
            "'PreferDualStack' when multiple cluster IPs are specified",
            "spec.ipFamilyPolicy: Invalid value: \"SingleStack\": must be 'RequireDualStack' or "
            "'PreferDualStack' when multiple IP families are specified",
        ),
    ),
    *(
        Create(
            V + case,
            svc(
                ipFamilyPolicy=policy,
                clusterIP="10.0.0.1",
                clusterIPs=["10.0.0.1", "2001::1"],
                ipFamilies=["IPv4"],
            ),
            invalid(
                'spec.clusterIPs[1]: Invalid value: ["10.0.0.1","2001::1"]: IPv6 is not '
                "configured on this cluster"
            ),
        )
        for case, policy in (
            ("valid, multi ip, single ipfamilies preferDualStack", "PreferDualStack"),
            (
                "valid, multi ip, single ipfamilies (must match when provided) + requireDualStack",
                "RequireDualStack",
            ),
        )
    ),
    Create(
        V + "invalid, families don't match (v4=>v6)",
        svc(clusterIP="10.0.0.1", clusterIPs=["10.0.0.1"], ipFamilies=["IPv6"]),
        invalid(
            'spec.clusterIPs[0]: Invalid value: "10.0.0.1": expected an IPv6 value as indicated '
            "by `ipFamilies[0]`"
        ),
    ),
    Create(
        V + "invalid, families don't match (v6=>v4)",
        svc(clusterIP="2001::1", clusterIPs=["2001::1"], ipFamilies=["IPv4"]),
        invalid(
            'spec.clusterIPs[0]: Invalid value: "2001::1": expected an IPv4 value as indicated '
            "by `ipFamilies[0]`"
        ),
    ),
    Create(V + "valid. no field set", svc(), Ok({"ipFamilyPolicy": "SingleStack"})),
    # 10.0.0.1 is outside this cluster's service range (MetaAllocator: ErrMismatchedNetwork).
    Create(
        V + "valid, single ip",
        svc(ipFamilyPolicy="SingleStack", clusterIP="10.0.0.1", clusterIPs=["10.0.0.1"]),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.0.0.1"]: failed to allocate IP 10.0.0.1: the '
            "provided network does not match the current range"
        ),
    ),
    Create(
        V + "valid, single ip (adapted: 10.96.0.5)",
        svc(ipFamilyPolicy="SingleStack", clusterIP="10.96.0.5", clusterIPs=["10.96.0.5"]),
        Ok({"clusterIP": "10.96.0.5", "clusterIPs": ["10.96.0.5"], "ipFamilies": ["IPv4"]}),
    ),
    Create(
        V + "valid, single family",
        svc(ipFamilyPolicy="SingleStack", ipFamilies=["IPv6"]),
        invalid(no_v6(0)),
    ),
    Create(
        V + "valid, single ip + single family",
        svc(
            ipFamilyPolicy="SingleStack",
            clusterIP="2001::1",
            clusterIPs=["2001::1"],
            ipFamilies=["IPv6"],
        ),
        invalid(no_v6(0)),
    ),
    Create(
        V + "valid, single ip + single family (dual stack requested)",
        svc(
            ipFamilyPolicy="PreferDualStack",
            clusterIP="2001::1",
            clusterIPs=["2001::1"],
            ipFamilies=["IPv6"],
        ),
        invalid(no_v6(0)),
    ),
    Create(
        V + "valid, single ip, multi ipfamilies",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="10.0.0.1",
            clusterIPs=["10.0.0.1"],
            ipFamilies=["IPv4", "IPv6"],
        ),
        invalid(NOT_DUAL, no_v6(1)),
    ),
    Create(
        V + "valid, multi ips, multi ipfamilies (4,6)",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="10.0.0.1",
            clusterIPs=["10.0.0.1", "2001::1"],
            ipFamilies=["IPv4", "IPv6"],
        ),
        invalid(NOT_DUAL, no_v6(1)),
    ),
    Create(
        V + "valid, multi ips (6,4)",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="2001::1",
            clusterIPs=["2001::1", "10.0.0.1"],
        ),
        invalid(
            'spec.clusterIPs[0]: Invalid value: ["2001::1","10.0.0.1"]: IPv6 is not configured '
            "on this cluster"
        ),
    ),
    Create(
        V + "valid, multi ips (4,6)",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="10.0.0.1",
            clusterIPs=["10.0.0.1", "2001::1"],
        ),
        invalid(
            'spec.clusterIPs[1]: Invalid value: ["10.0.0.1","2001::1"]: IPv6 is not configured '
            "on this cluster"
        ),
    ),
    Create(
        V + "invalid cluster ip != clusterIP in multi ip service",
        svc(
            ipFamilyPolicy="RequireDualStack",
            clusterIP="10.0.0.10",
            clusterIPs=["10.0.0.1", "2001::1"],
        ),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.0.0.1","2001::1"]: first value must match '
            "`clusterIP`"
        ),
    ),
    Create(
        V + "invalid cluster ip != clusterIP in single ip service",
        svc(clusterIP="10.0.0.10", clusterIPs=["10.0.0.1"]),
        invalid('spec.clusterIPs: Invalid value: ["10.0.0.1"]: first value must match `clusterIP`'),
    ),
    # -- TestValidateServiceExternalTrafficPolicy ---------------------------------------------
    Create(
        E + "valid loadBalancer service with externalTrafficPolicy and healthCheckNodePort set",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=34567),
        Refused(
            "InternalError",
            "Internal error occurred: failed to allocate requested HealthCheck NodePort 34567: "
            + NODE_PORT_RANGE_MSG,
        ),
    ),
    Create(
        E + "valid loadBalancer service with externalTrafficPolicy and healthCheckNodePort set "
        "(adapted: 31567)",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=31567),
        Ok({"healthCheckNodePort": 31567, "ports": [{"nodePort": node_port}]}),
    ),
    Create(
        E + "valid nodePort service with externalTrafficPolicy set",
        svc(type="NodePort", externalTrafficPolicy="Local"),
        Ok({"externalTrafficPolicy": "Local", "healthCheckNodePort": ABSENT}),
    ),
    Create(
        E + "valid clusterIP service with none of externalTrafficPolicy and healthCheckNodePort "
        "set",
        svc(),
        Ok({"externalTrafficPolicy": ABSENT, "healthCheckNodePort": ABSENT}),
    ),
    Create(
        E + "cannot set healthCheckNodePort field on loadBalancer service with "
        "externalTrafficPolicy!=Local",
        lb(healthCheckNodePort=34567),
        invalid(
            "spec.healthCheckNodePort: Invalid value: 34567: may only be set when `type` is "
            "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
        ),
    ),
    Create(
        E + "cannot set healthCheckNodePort field on nodePort service",
        svc(type="NodePort", externalTrafficPolicy="Local", healthCheckNodePort=34567),
        invalid(
            "spec.healthCheckNodePort: Invalid value: 34567: may only be set when `type` is "
            "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
        ),
    ),
    Create(
        E + "cannot set externalTrafficPolicy or healthCheckNodePort fields on clusterIP service",
        svc(externalTrafficPolicy="Local", healthCheckNodePort=34567),
        invalid(
            'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
            "externally-accessible services",
            "spec.healthCheckNodePort: Invalid value: 34567: may only be set when `type` is "
            "'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ),
    ),
    Create(
        E + "cannot set externalTrafficPolicy field on ExternalName service",
        svc(type="ExternalName", externalName="foo.bar.com", externalTrafficPolicy="Local"),
        invalid(
            'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
            "externally-accessible services"
        ),
    ),
    Create(
        E + "externalTrafficPolicy is required on NodePort service",
        svc(type="NodePort"),
        Ok({"externalTrafficPolicy": "Cluster"}),
    ),
    Create(
        E + "externalTrafficPolicy is required on LoadBalancer service",
        svc(type="LoadBalancer"),
        Ok({"externalTrafficPolicy": "Cluster"}),
    ),
    # Defaulting gives the policy; the address itself is what is wrong.
    Create(
        E + "externalTrafficPolicy is required on ClusterIP service with externalIPs",
        svc(externalIPs=["1.2.3,4"]),
        invalid(bad_ip("spec.externalIPs[0]", "1.2.3,4")),
    ),
    # -- the REST storage's allocations (before validation) ------------------------------------
    Create(
        A + "initNodePorts: service ports of one number share a node port",
        svc(type="NodePort", ports=[port("dns-tcp", 53), port("dns-udp", 53, "UDP")]),
        Ok({"ports": [{"nodePort": node_port}, {"nodePort": node_port}]}),
    ),
    Create(
        A + "initNodePorts: findRequestedNodePort gives the asked port to its twin",
        svc(
            type="NodePort",
            ports=[port("dns-tcp", 53), port("dns-udp", 53, "UDP", nodePort=30053)],
        ),
        Ok({"ports": [{"nodePort": 30053}, {"nodePort": 30053}]}),
    ),
    Create(
        A + "initNodePorts: a node port another Service holds",
        svc(name="second", type="NodePort", ports=[port("p", 80, nodePort=30080)]),
        invalid("spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"),
        before=(svc(name="first", type="NodePort", ports=[port("p", 80, nodePort=30080)]),),
    ),
    Create(
        A + "initNodePorts: allocateLoadBalancerNodePorts=false still takes the asked port",
        lb(allocateLoadBalancerNodePorts=False, add_ports=(port("q", 81, nodePort=80),)),
        invalid(f"spec.ports[1].nodePort: Invalid value: 80: {NODE_PORT_RANGE_MSG}"),
    ),
    Create(
        A + "initNodePorts: allocateLoadBalancerNodePorts=false keeps an asked port",
        lb(allocateLoadBalancerNodePorts=False, add_ports=(port("q", 81, nodePort=30081),)),
        Ok({"ports": [{"nodePort": ABSENT}, {"nodePort": 30081}]}),
    ),
    Create(
        A + "allocHealthCheckNodePort: a port another Service holds",
        svc(
            name="second",
            type="LoadBalancer",
            externalTrafficPolicy="Local",
            healthCheckNodePort=30080,
        ),
        Refused(
            "InternalError",
            "Internal error occurred: failed to allocate requested HealthCheck NodePort 30080: "
            "provided port is already allocated",
        ),
        before=(svc(name="first", type="NodePort", ports=[port("p", 80, nodePort=30080)]),),
    ),
    Create(
        A + "allocHealthCheckNodePort: allocated when not asked for",
        svc(type="LoadBalancer", externalTrafficPolicy="Local"),
        Ok({"healthCheckNodePort": node_port, "ports": [{"nodePort": node_port}]}),
    ),
    Create(
        A + "allocIPs: an address another Service holds (the kubernetes Service's)",
        svc(clusterIP="10.96.0.1"),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: '
            "provided IP is already allocated"
        ),
    ),
    Create(
        A + "allocIPs: the network address (ipallocator.ErrNotInRange)",
        svc(clusterIP="10.96.0.0"),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.96.0.0"]: failed to allocate IP 10.96.0.0: the '
            "provided IP (10.96.0.0) is not in the valid range. The range of valid IPs is "
            "10.96.0.0/16"
        ),
    ),
    Create(
        A + "NormalizeClusterIPs: clusterIPs without clusterIP",
        svc(clusterIPs=["10.96.0.5"]),
        invalid(
            'spec.clusterIPs: Invalid value: ["10.96.0.5"]: must be empty when `clusterIP` is not '
            "specified"
        ),
    ),
    Create(
        A + "initIPFamilyFields: an IPv6 address on an IPv4 cluster",
        svc(clusterIP="fd00::5"),
        invalid(
            'spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not configured on this cluster'
        ),
    ),
    Create(
        A + "initIPFamilyFields: headless and selectorless defaults to RequireDualStack",
        svc(clusterIP="None", selector=DROP),
        Ok({"ipFamilyPolicy": "RequireDualStack", "ipFamilies": ["IPv4", "IPv6"]}),
    ),
    Create(
        A + "initIPFamilyFields: headless and selectorless, SingleStack asked",
        svc(clusterIP="None", selector=DROP, ipFamilyPolicy="SingleStack"),
        Ok({"ipFamilyPolicy": "SingleStack", "ipFamilies": ["IPv4"]}),
    ),
    Create(
        A + "initIPFamilyFields: PreferDualStack stays single on one stack",
        svc(ipFamilyPolicy="PreferDualStack"),
        Ok({"ipFamilyPolicy": "PreferDualStack", "ipFamilies": ["IPv4"]}),
    ),
]


@pytest.mark.parametrize("case", CREATE, ids=[c.id for c in CREATE])
def test_create(case: Create) -> None:
    cluster = new_cluster()
    for manifest in case.before:
        cluster.api.create(copy.deepcopy(manifest))
    name = case.manifest["metadata"]["name"]
    check(case.outcome, lambda: cluster.api.create(copy.deepcopy(case.manifest)), name)


# -- update -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Update:
    id: str
    old: dict[str, Any]
    new: dict[str, Any]
    outcome: Outcome


U = "validation_test.go TestValidateServiceUpdate: "
S = "storage "
# The address the old Service is created with (adapted from the tests' 1.2.3.4).
IP, OTHER_IP = "10.96.1.4", "10.96.1.5"


def fixed(**spec: Any) -> dict[str, Any]:
    """The base Service with a known address."""
    spec.setdefault("clusterIP", IP)
    return svc(**spec)


def changed(ips: list[str]) -> str:
    return f"spec.clusterIPs[0]: Invalid value: {_json(ips)}: may not change once set"


def _json(ips: list[str]) -> str:
    return "[" + ",".join(f'"{ip}"' for ip in ips) + "]"


OLD_LB_CLASS = dict(loadBalancerClass="test.com/test-old")

UPDATE: list[Update] = [
    Update(U + "no change", fixed(), fixed(), Ok({"clusterIP": IP})),
    Update(U + "change label valid", fixed(), svc(labels={"key": "other-value"}), Ok()),
    Update(
        U + "change cluster IP",
        fixed(),
        svc(clusterIP=OTHER_IP, clusterIPs=[OTHER_IP]),
        invalid(changed([OTHER_IP])),
    ),
    # patchAllocatedValues: an update without the address keeps it.
    Update(
        U + "remove cluster IP",
        fixed(),
        svc(),
        Ok({"clusterIP": IP, "clusterIPs": [IP]}),
    ),
    Update(
        U + "change affinity",
        fixed(),
        svc(sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 90}}),
        Ok({"sessionAffinityConfig": {"clientIP": {"timeoutSeconds": 90}}}),
    ),
    Update(
        U + "remove affinity", fixed(), svc(sessionAffinity=""), Ok({"sessionAffinity": "None"})
    ),
    Update(
        U + "change type",
        fixed(),
        lb(),
        Ok({"clusterIP": IP, "type": "LoadBalancer", "ports": [{"nodePort": node_port}]}),
    ),
    Update(U + "remove type", fixed(), svc(type=""), Ok({"type": "ClusterIP"})),
    Update(
        U + "change type -> nodeport",
        fixed(),
        svc(type="NodePort", externalTrafficPolicy="Cluster"),
        Ok({"ports": [{"nodePort": node_port}]}),
    ),
    Update(
        U + "add loadBalancerSourceRanges",
        lb(),
        lb(loadBalancerSourceRanges=["10.0.0.0/8"]),
        Ok({"loadBalancerSourceRanges": ["10.0.0.0/8"]}),
    ),
    Update(
        U + "update loadBalancerSourceRanges",
        lb(loadBalancerSourceRanges=["10.0.0.0/8"]),
        lb(loadBalancerSourceRanges=["10.100.0.0/16"]),
        Ok({"loadBalancerSourceRanges": ["10.100.0.0/16"]}),
    ),
    # The old Service here has an address (the test's had none): its change is refused too.
    Update(
        U + "LoadBalancer type cannot have None ClusterIP",
        fixed(),
        lb(clusterIP="None", clusterIPs=["None"]),
        invalid(
            changed(["None"]),
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for "
            "LoadBalancer services",
        ),
    ),
    Update(
        U + "`None` ClusterIP can NOT be changed",
        svc(clusterIP="None"),
        svc(clusterIP=IP, clusterIPs=[IP]),
        invalid(changed([IP])),
    ),
    Update(
        U + "`None` ClusterIP can NOT be removed",
        svc(clusterIP="None"),
        svc(),
        Ok({"clusterIP": "None", "clusterIPs": ["None"]}),
    ),
    Update(
        U + "ClusterIP can NOT be changed to None",
        fixed(),
        svc(clusterIP="None", clusterIPs=["None"]),
        invalid(changed(["None"])),
    ),
    Update(
        U + "Service with ClusterIP type cannot change its set ClusterIP when changing type to "
        "NodePort",
        fixed(),
        svc(type="NodePort", externalTrafficPolicy="Cluster", clusterIP=OTHER_IP),
        invalid(changed([OTHER_IP])),
    ),
    Update(
        U + "Service with ClusterIP type cannot change its ClusterIP when changing type to "
        "LoadBalancer",
        fixed(),
        lb(clusterIP=OTHER_IP),
        invalid(changed([OTHER_IP])),
    ),
    Update(
        U + "Service with LoadBalancer type can change its AllocateLoadBalancerNodePorts from "
        "true to false",
        lb(),
        lb(allocateLoadBalancerNodePorts=False),
        Ok({"allocateLoadBalancerNodePorts": False, "ports": [{"nodePort": node_port}]}),
    ),
    Update(
        U + "Service with LoadBalancer type can change its AllocateLoadBalancerNodePorts from "
        "false to true",
        lb(allocateLoadBalancerNodePorts=False),
        lb(),
        Ok({"allocateLoadBalancerNodePorts": True, "ports": [{"nodePort": node_port}]}),
    ),
    Update(
        U + "Service with NodePort type cannot change its set ClusterIP",
        fixed(type="NodePort"),
        svc(type="NodePort", externalTrafficPolicy="Cluster", clusterIP=OTHER_IP),
        invalid(changed([OTHER_IP])),
    ),
    Update(
        U + "Service with LoadBalancer type cannot change its set ClusterIP when changing type "
        "to ClusterIP",
        fixed(type="LoadBalancer"),
        svc(clusterIP=OTHER_IP),
        invalid(changed([OTHER_IP])),
    ),
    Update(
        U + "Service with ExternalName type can change its set ClusterIP when changing type to "
        "ClusterIP",
        svc(type="ExternalName", externalName="db.example.com"),
        svc(clusterIP=OTHER_IP, clusterIPs=[OTHER_IP]),
        Ok({"clusterIP": OTHER_IP, "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack"}),
    ),
    # Adapted: the old node port must be allocatable (30001, not 1).
    Update(
        U + "invalid node port with clusterIP None",
        fixed(type="NodePort", add_ports=(port("q", 1, nodePort=30001),)),
        svc(type="NodePort", add_ports=(port("q", 1, nodePort=30001),), clusterIP="None"),
        invalid(
            changed(["None"]),
            "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort "
            "services",
        ),
    ),
    Update(
        U + "convert from ExternalName",
        svc(type="ExternalName", externalName="db.example.com"),
        svc(),
        Ok({"clusterIP": service_ip, "ipFamilies": ["IPv4"]}),
    ),
    # dropTypeDependentFields clears the address fields the update left as they were.
    Update(
        U + "invalid: convert to ExternalName",
        fixed(ipFamilyPolicy="SingleStack", ipFamilies=["IPv4"]),
        fixed(
            type="ExternalName",
            externalName="foo",
            clusterIPs=[IP],
            ipFamilyPolicy="SingleStack",
            ipFamilies=["IPv4"],
        ),
        Ok(
            {
                "clusterIP": ABSENT,
                "clusterIPs": ABSENT,
                "ipFamilies": ABSENT,
                "ipFamilyPolicy": ABSENT,
                "internalTrafficPolicy": "Cluster",
            }
        ),
    ),
    Update(
        U + "valid: convert to ExternalName",
        fixed(),
        svc(type="ExternalName", externalName="foo"),
        Ok({"clusterIP": ABSENT, "externalName": "foo"}),
    ),
    Update(U + "same ServiceIPFamily", fixed(ipFamilies=["IPv4"]), svc(ipFamilies=["IPv4"]), Ok()),
    Update(
        U + "same ServiceIPFamily, change IPFamilyPolicy to singleStack",
        fixed(ipFamilies=["IPv4"]),
        svc(ipFamilyPolicy="SingleStack", ipFamilies=["IPv4"]),
        Ok({"ipFamilyPolicy": "SingleStack"}),
    ),
    Update(
        U + "same ServiceIPFamily, change IPFamilyPolicy singleStack => requireDualStack",
        fixed(ipFamilyPolicy="SingleStack", ipFamilies=["IPv4"]),
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4"]),
        invalid(NOT_DUAL),
    ),
    Update(
        U + "add a new ServiceIPFamily",
        fixed(ipFamilies=["IPv4"]),
        svc(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4", "IPv6"]),
        invalid(NOT_DUAL, no_v6(1)),
    ),
    Update(
        U + "ExternalName while changing Service IPFamily",
        svc(type="ExternalName", externalName="somename"),
        svc(type="ExternalName", externalName="somename"),
        Ok(),
    ),
    Update(U + "setting ipfamily from nil to v4", fixed(), svc(ipFamilies=["IPv4"]), Ok()),
    Update(
        U + "setting ipfamily from nil to v6",
        fixed(),
        svc(ipFamilies=["IPv6"]),
        invalid(
            f'spec.clusterIPs[0]: Invalid value: "{IP}": expected an IPv6 value as indicated by '
            "`ipFamilies[0]`"
        ),
    ),
    Update(
        U + "change primary ServiceIPFamily",
        fixed(ipFamilies=["IPv4"]),
        fixed(ipFamilies=["IPv6"]),
        invalid(
            f'spec.clusterIPs[0]: Invalid value: "{IP}": expected an IPv6 value as indicated by '
            "`ipFamilies[0]`"
        ),
    ),
    Update(
        U + "valid: upgrade to dual stack with preferDualStack",
        fixed(ipFamilyPolicy="SingleStack", ipFamilies=["IPv4"]),
        fixed(ipFamilyPolicy="PreferDualStack", ipFamilies=["IPv4"]),
        Ok({"ipFamilyPolicy": "PreferDualStack", "ipFamilies": ["IPv4"]}),
    ),
    Update(
        U + "valid: upgrade to dual stack, no specific secondary ip",
        fixed(ipFamilyPolicy="SingleStack", ipFamilies=["IPv4"]),
        fixed(ipFamilyPolicy="RequireDualStack", ipFamilies=["IPv4", "IPv6"]),
        invalid(NOT_DUAL, no_v6(1)),
    ),
    Update(
        U + "update to valid app protocol",
        fixed(ports=[port("a", 443, targetPort=3000)]),
        svc(ports=[port("a", 443, targetPort=3000, appProtocol="https")]),
        Ok({"ports": [{"appProtocol": "https"}]}),
    ),
    Update(
        U + "update to invalid app protocol",
        fixed(ports=[port("a", 443, targetPort=3000)]),
        svc(ports=[port("a", 443, targetPort=3000, appProtocol="~https")]),
        invalid(f'spec.ports[0].appProtocol: Invalid value: "~https": {NAME_PART_MSG}'),
    ),
    Update(
        U + "Set AllocateLoadBalancerNodePorts when type is not LoadBalancer",
        fixed(),
        svc(allocateLoadBalancerNodePorts=True),
        invalid(f"spec.allocateLoadBalancerNodePorts: Forbidden: {ONLY_LB}"),
    ),
    Update(
        U + "update LoadBalancer type of service without change LoadBalancerClass",
        lb(**OLD_LB_CLASS),
        lb(**OLD_LB_CLASS),
        Ok({"loadBalancerClass": "test.com/test-old"}),
    ),
    Update(
        U + "invalid: change LoadBalancerClass when update service",
        lb(**OLD_LB_CLASS),
        lb(loadBalancerClass="test.com/test-new"),
        invalid(
            'spec.loadBalancerClass: Invalid value: "test.com/test-new": may not change once set'
        ),
    ),
    Update(
        U + "invalid: unset LoadBalancerClass when update service",
        lb(**OLD_LB_CLASS),
        lb(),
        invalid("spec.loadBalancerClass: Invalid value: null: may not change once set"),
    ),
    Update(
        U + "invalid: set LoadBalancerClass when update service",
        lb(),
        lb(loadBalancerClass="test.com/test-new"),
        invalid(
            'spec.loadBalancerClass: Invalid value: "test.com/test-new": may not change once set'
        ),
    ),
    Update(
        U + "update to LoadBalancer type of service with valid LoadBalancerClass",
        fixed(),
        lb(loadBalancerClass="test.com/test-load-balancer-class"),
        Ok({"loadBalancerClass": "test.com/test-load-balancer-class"}),
    ),
    Update(
        U + "update to LoadBalancer type of service without LoadBalancerClass",
        fixed(),
        lb(),
        Ok({"loadBalancerClass": ABSENT}),
    ),
    # Checked by the update's rules and again by ValidateService: two causes, one line.
    Update(
        U + "invalid: set invalid LoadBalancerClass when update service to LoadBalancer",
        fixed(),
        lb(loadBalancerClass="Bad/LoadBalancerclass"),
        invalid(
            'spec.loadBalancerClass: Invalid value: "Bad/LoadBalancerclass": prefix part '
            + DNS1123_SUBDOMAIN_MSG,
            causes=2,
        ),
    ),
    Update(
        U + "invalid: set LoadBalancerClass when update service to non LoadBalancer type of "
        "service (ClusterIP)",
        fixed(),
        svc(loadBalancerClass="test.com/test-load-balancer-class"),
        invalid(f"spec.loadBalancerClass: Forbidden: {ONLY_LB}", causes=2),
    ),
    Update(
        U + "invalid: set LoadBalancerClass when update service to non LoadBalancer type of "
        "service (ExternalName)",
        svc(type="ExternalName", externalName="foo.bar.com"),
        svc(
            type="ExternalName",
            externalName="foo.bar.com",
            loadBalancerClass="test.com/test-load-balancer-class",
        ),
        invalid(f"spec.loadBalancerClass: Forbidden: {ONLY_LB}", causes=2),
    ),
    Update(
        U + "invalid: set LoadBalancerClass when update service to non LoadBalancer type of "
        "service (NodePort)",
        fixed(type="NodePort"),
        svc(type="NodePort", loadBalancerClass="test.com/test-load-balancer-class"),
        invalid(f"spec.loadBalancerClass: Forbidden: {ONLY_LB}", causes=2),
    ),
    # dropTypeDependentFields: a class the update left as it was goes with the type.
    Update(
        U + "invalid: set LoadBalancerClass when update from LoadBalancer service to non "
        "LoadBalancer type of service (ClusterIP)",
        lb(loadBalancerClass="test.com/test-load-balancer-class"),
        svc(loadBalancerClass="test.com/test-load-balancer-class"),
        Ok({"loadBalancerClass": ABSENT, "allocateLoadBalancerNodePorts": ABSENT}),
    ),
    Update(
        U + "invalid: set LoadBalancerClass when update from LoadBalancer service to non "
        "LoadBalancer type of service (ExternalName)",
        lb(loadBalancerClass="test.com/test-load-balancer-class"),
        svc(type="ExternalName", loadBalancerClass="test.com/test-load-balancer-class"),
        invalid("spec.externalName: Required value"),
    ),
    Update(
        U + "invalid: set LoadBalancerClass when update from LoadBalancer service to non "
        "LoadBalancer type of service (NodePort)",
        lb(loadBalancerClass="test.com/test-load-balancer-class"),
        svc(
            type="NodePort",
            externalTrafficPolicy="Cluster",
            loadBalancerClass="test.com/test-load-balancer-class",
        ),
        Ok({"loadBalancerClass": ABSENT, "ports": [{"nodePort": node_port}]}),
    ),
    Update(
        U + "update internalTrafficPolicy from Cluster to Local",
        fixed(),
        svc(internalTrafficPolicy="Local"),
        Ok({"internalTrafficPolicy": "Local"}),
    ),
    Update(
        U + "update internalTrafficPolicy from Local to Cluster",
        fixed(internalTrafficPolicy="Local"),
        svc(),
        Ok({"internalTrafficPolicy": "Cluster"}),
    ),
    Update(
        U + "topology annotations are mismatched",
        fixed(),
        svc(
            annotations={
                "service.kubernetes.io/topology-aware-hints": "original",
                "service.kubernetes.io/topology-mode": "different",
            }
        ),
        invalid(
            "metadata.annotations[service.kubernetes.io/topology-mode]: Invalid value: "
            '"different": must match annotations[service.kubernetes.io/topology-aware-hints] '
            "when both are specified"
        ),
    ),
    # -- the storage's update hooks -----------------------------------------------------------
    Update(
        S + "patchAllocatedValues: node ports kept by port name",
        svc(type="NodePort", ports=[port("p", 80, nodePort=30080)]),
        svc(type="NodePort", ports=[port("p", 80)]),
        Ok({"ports": [{"nodePort": 30080}]}),
    ),
    Update(
        S + "patchAllocatedValues: the health check port is kept",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=31500),
        lb(externalTrafficPolicy="Local"),
        Ok({"healthCheckNodePort": 31500}),
    ),
    Update(
        S + "validateServiceExternalTrafficFieldsUpdate: healthCheckNodePort is immutable",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=31500),
        lb(externalTrafficPolicy="Local", healthCheckNodePort=31501),
        invalid("spec.healthCheckNodePort: Forbidden: field is immutable"),
    ),
    Update(
        S + "updateHealthCheckNodePort: Cluster to Local allocates one",
        lb(),
        lb(externalTrafficPolicy="Local"),
        Ok({"healthCheckNodePort": node_port}),
    ),
    Update(
        S + "dropTypeDependentFields: Local to Cluster drops the health check port",
        lb(externalTrafficPolicy="Local", healthCheckNodePort=31500),
        lb(externalTrafficPolicy="Cluster", healthCheckNodePort=31500),
        Ok({"healthCheckNodePort": ABSENT}),
    ),
    Update(
        S + "dropTypeDependentFields: NodePort to ClusterIP drops node ports and the policy",
        svc(type="NodePort", ports=[port("p", 80, nodePort=30080)]),
        svc(ports=[port("p", 80, nodePort=30080)], externalTrafficPolicy="Cluster"),
        Ok({"ports": [{"nodePort": ABSENT}], "externalTrafficPolicy": ABSENT}),
    ),
    Update(
        S + "dropTypeDependentFields: a new node port is not dropped",
        svc(type="NodePort", ports=[port("p", 80, nodePort=30080)]),
        svc(ports=[port("p", 80, nodePort=30081)]),
        invalid("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"),
    ),
    Update(
        S + "updateNodePorts: a new node port is taken",
        svc(type="NodePort", ports=[port("p", 80, nodePort=30080)]),
        svc(type="NodePort", ports=[port("p", 80, nodePort=32000)]),
        Ok({"ports": [{"nodePort": 32000}]}),
    ),
]


@pytest.mark.parametrize("case", UPDATE, ids=[c.id for c in UPDATE])
def test_update(case: Update) -> None:
    cluster = new_cluster()
    stored = cluster.api.create(copy.deepcopy(case.old))
    new = copy.deepcopy(case.new)
    new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
    check(case.outcome, lambda: cluster.api.update(new), new["metadata"]["name"])


def test_update_refuses_a_node_port_another_service_holds() -> None:
    """alloc.go ``updateNodePorts``: a node port new to the Service is allocated, with the
    allocator's error when another Service holds it."""
    cluster = new_cluster()
    cluster.api.create(svc(name="other", type="NodePort", ports=[port("p", 80, nodePort=30090)]))
    stored = cluster.api.create(svc(type="NodePort", ports=[port("p", 80, nodePort=30080)]))
    new = svc(type="NodePort", ports=[port("p", 80, nodePort=30090)])
    new["metadata"]["resourceVersion"] = stored["metadata"]["resourceVersion"]
    check(
        invalid("spec.ports[0].nodePort: Invalid value: 30090: provided port is already allocated"),
        lambda: cluster.api.update(new),
        "valid",
    )


def test_a_type_change_away_from_load_balancer_clears_its_address() -> None:
    """strategy ``dropTypeDependentFields``: the load-balancer status goes with the type."""
    cluster = new_cluster()
    cluster.api.create(lb())
    current = cluster.api.get("Service", "valid", "default")
    current = copy.deepcopy(current)
    current["status"] = {"loadBalancer": {"ingress": [{"ip": "172.18.255.200"}]}}
    written = cluster.api.update_status(current)
    assert written["status"]["loadBalancer"]["ingress"] == [
        {"ip": "172.18.255.200", "ipMode": "VIP"}
    ]
    back = svc()
    back["metadata"]["resourceVersion"] = written["metadata"]["resourceVersion"]
    assert cluster.api.update(back)["status"] == {"loadBalancer": {}}


# -- status -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    id: str
    manifest: dict[str, Any]
    ingress: list[dict[str, Any]]
    outcome: Outcome


L = "validation_test.go TestValidateLoadBalancerStatus: "
M = "defaults_test.go TestSetDefaultServiceLoadbalancerIPMode: "

STATUS: list[Status] = [
    Status(
        L + "type is not LB",
        svc(),
        [{"ip": "1.2.3.4"}],
        invalid(
            "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is "
            "'LoadBalancer'"
        ),
    ),
    Status(
        L + "valid vip ipMode",
        lb(),
        [{"ip": "1.2.3.4", "ipMode": "VIP"}],
        Ok(status={"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "VIP"}]}}),
    ),
    Status(
        L + "valid proxy ipMode",
        lb(),
        [{"ip": "1.2.3.4", "ipMode": "Proxy"}],
        Ok(status={"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "Proxy"}]}}),
    ),
    Status(
        L + "invalid ipMode",
        lb(),
        [{"ip": "1.2.3.4", "ipMode": "dummy"}],
        invalid(
            'status.loadBalancer.ingress[0].ipMode: Unsupported value: "dummy": supported '
            'values: "Proxy", "VIP"'
        ),
    ),
    # Validation requires the mode; the status defaulting gives VIP first.
    Status(
        L + "missing ipMode with LoadbalancerIPMode enabled",
        lb(),
        [{"ip": "1.2.3.4"}],
        Ok(status={"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "VIP"}]}}),
    ),
    Status(
        L + "missing ip with ipMode present",
        lb(),
        [{"ipMode": "Proxy"}],
        invalid(
            "status.loadBalancer.ingress[0].ipMode: Forbidden: may not be specified when `ip` is "
            "not set"
        ),
    ),
    Status(
        M + "Set IP but bot set IPMode with LoadbalancerIPMode enabled",
        lb(),
        [{"ip": "1.2.3.4"}],
        Ok(status={"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "VIP"}]}}),
    ),
    Status(
        M + "Both IP and IPMode are set with LoadbalancerIPMode enabled",
        lb(),
        [{"ip": "1.2.3.4", "ipMode": "Proxy"}],
        Ok(status={"loadBalancer": {"ingress": [{"ip": "1.2.3.4", "ipMode": "Proxy"}]}}),
    ),
    # ValidateLoadBalancerStatus's address checks (no upstream table row).
    Status(
        "validation.go ValidateLoadBalancerStatus: ip",
        lb(),
        [{"ip": "not-an-ip"}],
        invalid(bad_ip("status.loadBalancer.ingress[0].ip", "not-an-ip")),
    ),
    Status(
        "validation.go ValidateLoadBalancerStatus: hostname",
        lb(),
        [{"hostname": "1.2.3.4"}],
        invalid(
            'status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS '
            "name, not an IP address"
        ),
    ),
]


@pytest.mark.parametrize("case", STATUS, ids=[c.id for c in STATUS])
def test_status(case: Status) -> None:
    cluster = new_cluster()
    cluster.api.create(copy.deepcopy(case.manifest))
    current = copy.deepcopy(cluster.api.get("Service", "valid", "default"))
    current["status"] = {"loadBalancer": {"ingress": copy.deepcopy(case.ingress)}}
    check(case.outcome, lambda: cluster.api.update_status(current), "valid")


def test_table_sizes() -> None:
    """The tables keep their coverage: every defaulting case, 60+ validation cases."""
    defaults = [c for c in CREATE if c.id.startswith(D)] + [s for s in STATUS if s.id.startswith(M)]
    validation = [c for c in CREATE if c.id.startswith((V, E))] + [
        *(u for u in UPDATE if u.id.startswith(U)),
        *(s for s in STATUS if s.id.startswith(L)),
    ]
    assert len(defaults) >= 20
    assert len(validation) >= 60
