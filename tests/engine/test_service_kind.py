"""Services in the API server: SetDefaults_Service, the REST storage's allocations (before
validation, with their exact errors) and ValidateService."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from store_helpers import bare_store

from k8sgame.engine.errors import ApiError


def service(name="web", **spec):
    spec.setdefault("selector", {"app": name})
    spec.setdefault("ports", [{"port": 80, "targetPort": 8080}])
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec}


def errors_of(store, manifest):
    with pytest.raises(ApiError) as caught:
        store.create(manifest)
    return [str(cause) for cause in caught.value.causes] or [caught.value.message]


def test_defaults_by_type():
    store = bare_store()
    plain = store.create(service())["spec"]
    assert plain["type"] == "ClusterIP"
    assert plain["sessionAffinity"] == "None"
    assert plain["internalTrafficPolicy"] == "Cluster"
    assert "externalTrafficPolicy" not in plain
    assert plain["ipFamilies"] == ["IPv4"] and plain["ipFamilyPolicy"] == "SingleStack"
    assert plain["clusterIPs"] == [plain["clusterIP"]]
    assert ipaddress.IPv4Address(plain["clusterIP"]) in ipaddress.IPv4Network("10.96.1.0/16", False)
    assert plain["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 8080}]
    node_port = store.create(service("np", type="NodePort"))["spec"]
    assert node_port["externalTrafficPolicy"] == "Cluster"
    assert 30086 <= node_port["ports"][0]["nodePort"] <= 32767
    balanced = store.create(service("lb", type="LoadBalancer"))
    assert balanced["spec"]["allocateLoadBalancerNodePorts"] is True
    assert balanced["status"] == {"loadBalancer": {}}
    external = store.create(
        service("ext", type="ExternalName", externalName="db.example.com", ports=[])
    )["spec"]
    assert external == {
        "externalName": "db.example.com",
        "selector": {"app": "ext"},
        "sessionAffinity": "None",
        "type": "ExternalName",
    }
    headless = store.create(service("h", clusterIP="None"))["spec"]
    assert headless["clusterIPs"] == ["None"] and headless["ipFamilies"] == ["IPv4"]
    # A headless Service without a selector asks for both families, even on one stack.
    bare = service("peers", clusterIP="None")
    del bare["spec"]["selector"]
    peers = store.create(bare)["spec"]
    assert peers["ipFamilyPolicy"] == "RequireDualStack"
    assert peers["ipFamilies"] == ["IPv4", "IPv6"]
    sticky = store.create(service("sticky", sessionAffinity="ClientIP"))["spec"]
    assert sticky["sessionAffinityConfig"] == {"clientIP": {"timeoutSeconds": 10800}}


def test_allocation_errors_come_before_validation():
    store = bare_store()
    store.create(service("first", type="NodePort", ports=[{"port": 80, "nodePort": 30080}]))
    store.create(service("kubernetes", clusterIP="10.96.0.1"))
    assert errors_of(
        store, service("low", type="NodePort", ports=[{"port": 80, "nodePort": 80}])
    ) == [
        "spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. "
        "The range of valid ports is 30000-32767"
    ]
    assert errors_of(
        store, service("again", type="NodePort", ports=[{"port": 80, "nodePort": 30080}])
    ) == ["spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"]
    assert errors_of(store, service("api", clusterIP="10.96.0.1")) == [
        'spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: '
        "provided IP is already allocated"
    ]
    assert errors_of(store, service("away", clusterIP="10.0.0.5")) == [
        'spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: '
        "the provided network does not match the current range"
    ]


def test_validation_messages():
    store = bare_store()
    assert errors_of(store, service(ports=[])) == ["spec.ports: Required value"]
    assert errors_of(store, service(ports=[{"port": 80, "nodePort": 30001}])) == [
        "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"
    ]
    assert errors_of(store, service(type="Balanced")) == [
        'spec.type: Unsupported value: "Balanced": supported values: "ClusterIP", '
        '"ExternalName", "LoadBalancer", "NodePort"'
    ]
    assert errors_of(store, service(ports=[{"port": 80}, {"port": 443}])) == [
        "spec.ports[0].name: Required value",
        "spec.ports[1].name: Required value",
    ]
    # targetPort takes the port's value first, so it is out of range too.
    assert errors_of(store, service(ports=[{"port": 0}])) == [
        "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
    ]
    assert errors_of(store, service(type="NodePort", clusterIP="None")) == [
        "spec.clusterIPs[0]: Invalid value: \"None\": may not be set to 'None' for NodePort services"
    ]
    assert errors_of(store, service(type="ExternalName", ports=[])) == [
        "spec.externalName: Required value"
    ]
    assert errors_of(store, service(externalTrafficPolicy="Local")) == [
        'spec.externalTrafficPolicy: Invalid value: "Local": may only be set for '
        "externally-accessible services"
    ]
    assert errors_of(store, {**service("1web")}) == [
        'metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case '
        "alphanumeric characters or '-', start with an alphabetic character, and end with an "
        "alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
        "'[a-z]([-a-z0-9]*[a-z0-9])?')"
    ]


def test_updates_keep_what_was_allocated_and_the_address_is_fixed():
    store = bare_store()
    created = store.create(service(type="NodePort"))
    again = service(type="NodePort")
    again["metadata"]["resourceVersion"] = created["metadata"]["resourceVersion"]
    kept = store.update(again)["spec"]
    assert kept["clusterIP"] == created["spec"]["clusterIP"]
    assert kept["ports"][0]["nodePort"] == created["spec"]["ports"][0]["nodePort"]
    moved = store.get("Service", "web", "default")
    moved["spec"]["clusterIP"] = moved["spec"]["clusterIPs"][0] = "10.96.0.99"
    with pytest.raises(ApiError) as caught:
        store.update(moved)
    assert [str(c) for c in caught.value.causes] == [
        'spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set'
    ]
    # Back to ClusterIP: the node port goes, the address stays.
    plain = store.get("Service", "web", "default")
    plain["spec"]["type"] = "ClusterIP"
    changed = store.update(plain)["spec"]
    assert "nodePort" not in changed["ports"][0]
    assert "externalTrafficPolicy" not in changed
    assert changed["clusterIP"] == created["spec"]["clusterIP"]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]), min_size=1, max_size=30),
    st.integers(0, 10_000),
)
def test_no_cluster_ip_or_node_port_is_handed_out_twice(types, seed):
    store = bare_store(seed)
    for index, kind in enumerate(types):
        store.create(service(f"s{index}", type=kind))
    services = store.list("Service")
    ips = [s["spec"]["clusterIP"] for s in services]
    ports = [p["nodePort"] for s in services for p in s["spec"]["ports"] if p.get("nodePort")]
    assert len(ips) == len(set(ips))
    assert len(ports) == len(set(ports))
    assert all(30000 <= p <= 32767 for p in ports)


def test_addresses_families_and_health_check_ports():
    store = bare_store()
    assert errors_of(store, service(clusterIP="abc")) == [
        'spec.clusterIPs[0]: Invalid value: "abc": must be a valid IP address, '
        "(e.g. 10.9.8.7 or 2001:db8::ffff)"
    ]
    assert errors_of(store, service(clusterIP="10.96.0.20", clusterIPs=["10.96.0.21"])) == [
        'spec.clusterIPs: Invalid value: ["10.96.0.21"]: first value must match `clusterIP`'
    ]
    assert errors_of(store, service(ipFamilyPolicy="RequireDualStack")) == [
        'spec.ipFamilyPolicy: Invalid value: "RequireDualStack": this cluster is not '
        "configured for dual-stack services"
    ]
    assert errors_of(store, service(ipFamilies=["IPv6"])) == [
        'spec.ipFamilies[0]: Invalid value: "IPv6": not configured on this cluster'
    ]
    assert errors_of(
        store,
        service(
            sessionAffinity="ClientIP",
            sessionAffinityConfig={"clientIP": {"timeoutSeconds": 999999}},
        ),
    ) == [
        "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 999999: "
        "must be greater than 0 and less than 86400"
    ]
    assert errors_of(
        store,
        service(
            type="NodePort",
            ports=[
                {"name": "a", "port": 80, "nodePort": 30500},
                {"name": "b", "port": 81, "nodePort": 30500},
            ],
        ),
    ) == ["spec.ports[1].nodePort: Invalid value: 30500: provided port is already allocated"]
    assert errors_of(store, service(type="NodePort", healthCheckNodePort=30999)) == [
        "spec.healthCheckNodePort: Invalid value: 30999: may only be set when `type` is "
        "'LoadBalancer' and `externalTrafficPolicy` is 'Local'"
    ]
    local = store.create(service("local", type="LoadBalancer", externalTrafficPolicy="Local"))
    health = local["spec"]["healthCheckNodePort"]
    assert 30086 <= health <= 32767
    assert health != local["spec"]["ports"][0]["nodePort"]


def test_an_ipv6_address_is_refused_on_this_ipv4_cluster():
    store = bare_store()
    assert errors_of(store, service(clusterIP="fd00::5")) == [
        'spec.clusterIPs[0]: Invalid value: ["fd00::5"]: IPv6 is not configured on this cluster'
    ]
