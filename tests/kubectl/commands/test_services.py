"""``kubectl get svc`` and ``describe service`` as kubectl 1.35 prints them (``printService``,
``describeService`` and ``formatEndpointSlices`` of kubectl v0.35.7), and the API server's
Service errors as ``kubectl apply -f`` prints them.

Every expected text is derived from the upstream code cited in /tmp/research/services.md
(§2a, §3a, §3b, §3e): tabwriter padding 3 for tables and 2 for describe, ``<none>``,
``<pending>`` and ``None`` cells, ``80:30080/TCP`` ports. The cluster IPs are fixed in the
manifests (the lower, static part of 10.96.0.0/16) so the texts do not depend on the seeded
allocator. A describe whose ``Endpoints:`` line reads EndpointSlices uses slices the test
writes itself (no pod matches the selectors, so the endpointslice controller, when there is
one, adds at most an empty placeholder slice, which changes nothing)."""

from __future__ import annotations

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.engine.kinds import builtin_registry
from k8sgame.kubectl.kinds.service import external_ip, format_endpoint_slices
from k8sgame.kubectl.session import KubectlSession

SLICES_SERVED = builtin_registry().get("EndpointSlice") is not None
needs_slices = pytest.mark.skipif(not SLICES_SERVED, reason="EndpointSlice is not served")


def service(name, spec, **metadata):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default", **metadata},
        "spec": spec,
    }


def endpoint(ip, ready=True):
    return {
        "addresses": [ip],
        "conditions": {"ready": ready, "serving": ready, "terminating": False},
        "nodeName": "node-1",
    }


def endpoint_slice(name, service_name, ports, endpoints):
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": name,
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": service_name},
        },
        "addressType": "IPv4",
        "ports": ports,
        "endpoints": endpoints,
    }


SERVICES = [
    service(
        "web",
        {
            "clusterIP": "10.96.0.50",
            "selector": {"app": "web"},
            "ports": [{"port": 80, "targetPort": 8080}],
        },
        labels={"app": "web"},
    ),
    service(
        "np",
        {
            "type": "NodePort",
            "clusterIP": "10.96.0.51",
            "selector": {"app": "web", "tier": "fe"},
            "ports": [{"port": 80, "nodePort": 30080}],
        },
    ),
    service(
        "lb",
        {
            "type": "LoadBalancer",
            "clusterIP": "10.96.0.52",
            "selector": {"app": "web"},
            "ports": [
                {"name": "http", "port": 80, "targetPort": "http", "nodePort": 30081},
                {"name": "https", "port": 443, "nodePort": 30443},
            ],
        },
    ),
    service(
        "db",
        {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]},
    ),
    service("ext", {"type": "ExternalName", "externalName": "db.example.com"}),
    # No selector: nothing writes slices for it, so its endpoints are <none>.
    service(
        "pub",
        {
            "clusterIP": "10.96.0.53",
            "externalIPs": ["203.0.113.7", "203.0.113.8"],
            "ports": [{"port": 53, "protocol": "UDP"}],
        },
    ),
]


@pytest.fixture(scope="module")
def session():
    cluster = new_cluster()
    for obj in SERVICES:
        cluster.api.create(obj)
    cluster.run_for(90)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_get_shows_each_type_as_print_service_does(session):
    assert run(session, "get svc") == (
        "NAME         TYPE           CLUSTER-IP   EXTERNAL-IP               PORT(S)                      AGE\n"
        "db           ClusterIP      None         <none>                    5432/TCP                     90s\n"
        "ext          ExternalName   <none>       db.example.com            <none>                       90s\n"
        "kubernetes   ClusterIP      10.96.0.1    <none>                    443/TCP                      90s\n"
        "lb           LoadBalancer   10.96.0.52   <pending>                 80:30081/TCP,443:30443/TCP   90s\n"
        "np           NodePort       10.96.0.51   <none>                    80:30080/TCP                 90s\n"
        "pub          ClusterIP      10.96.0.53   203.0.113.7,203.0.113.8   53/UDP                       90s\n"
        "web          ClusterIP      10.96.0.50   <none>                    80/TCP                       90s\n"
    )


def test_get_wide_adds_the_selector(session):
    assert run(session, "get services -o wide") == (
        "NAME         TYPE           CLUSTER-IP   EXTERNAL-IP               PORT(S)                      AGE   SELECTOR\n"
        "db           ClusterIP      None         <none>                    5432/TCP                     90s   app=db\n"
        "ext          ExternalName   <none>       db.example.com            <none>                       90s   <none>\n"
        "kubernetes   ClusterIP      10.96.0.1    <none>                    443/TCP                      90s   <none>\n"
        "lb           LoadBalancer   10.96.0.52   <pending>                 80:30081/TCP,443:30443/TCP   90s   app=web\n"
        "np           NodePort       10.96.0.51   <none>                    80:30080/TCP                 90s   app=web,tier=fe\n"
        "pub          ClusterIP      10.96.0.53   203.0.113.7,203.0.113.8   53/UDP                       90s   <none>\n"
        "web          ClusterIP      10.96.0.50   <none>                    80/TCP                       90s   app=web\n"
    )


def test_get_one_by_short_name_and_kind_slash_name(session):
    expected = (
        "NAME   TYPE       CLUSTER-IP   EXTERNAL-IP   PORT(S)        AGE\n"
        "np     NodePort   10.96.0.51   <none>        80:30080/TCP   90s\n"
    )
    assert run(session, "get svc np") == expected
    assert run(session, "get service/np") == expected
    assert run(session, "get svc np -o name") == "service/np\n"


def test_a_load_balancer_address_is_cut_to_16_characters_unless_wide():
    svc = {
        "spec": {"type": "LoadBalancer", "externalIPs": ["198.51.100.9"]},
        "status": {
            "loadBalancer": {
                "ingress": [
                    {"hostname": "a1b2c3.elb.example.com"},
                    {"ip": "172.18.0.5", "hostname": "ignored"},
                ]
            }
        },
    }
    # The ingress set is sorted; external IPs come after it, never cut.
    assert external_ip(svc, wide=True) == "172.18.0.5,a1b2c3.elb.example.com,198.51.100.9"
    assert external_ip(svc, wide=False) == "172.18.0.5,a1...,198.51.100.9"
    assert external_ip({"spec": {"type": "LoadBalancer"}}, wide=False) == "<pending>"
    assert external_ip({"spec": {"type": "Weird"}}, wide=False) == "<unknown>"


def test_describe_external_name_has_no_family_policy_and_an_empty_ip(session):
    assert run(session, "describe svc ext") == (
        "Name:              ext\n"
        "Namespace:         default\n"
        "Labels:            <none>\n"
        "Annotations:       <none>\n"
        "Selector:          <none>\n"
        "Type:              ExternalName\n"
        "IP Families:       <none>\n"
        "IP:                \n"
        "IPs:               <none>\n"
        "External Name:     db.example.com\n"
        "Session Affinity:  None\n"
        "Events:            <none>\n"
    )


def test_describe_without_endpoint_slices_says_none(session):
    assert run(session, "describe service pub") == (
        "Name:                     pub\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 <none>\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.0.53\n"
        "IPs:                      10.96.0.53\n"
        "External IPs:             203.0.113.7,203.0.113.8\n"
        "Port:                     <unset>  53/UDP\n"
        "TargetPort:               53/UDP\n"
        "Endpoints:                <none>\n"
        "Session Affinity:         None\n"
        # A ClusterIP Service with external IPs is externally accessible: ETP defaulted.
        "External Traffic Policy:  Cluster\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


@pytest.fixture(scope="module")
def sliced(session):
    """Slices for web (five endpoints, one not ready), np (a placeholder: no ports, no
    endpoints), lb (one slice per port name) and the headless db (no ports: bare IPs)."""
    api = session.cluster.api
    if SLICES_SERVED:
        web = [endpoint(f"10.244.1.{i}", ready=i != 3) for i in range(1, 6)]
        port = [{"name": "", "port": 8080, "protocol": "TCP"}]
        api.create(endpoint_slice("web-x7k2p", "web", port, web))
        api.create(endpoint_slice("np-9cz4m", "np", [], []))
        api.create(
            endpoint_slice(
                "lb-http1",
                "lb",
                [{"name": "http", "port": 8080, "protocol": "TCP"}],
                [endpoint("10.244.2.7")],
            )
        )
        api.create(
            endpoint_slice(
                "lb-https",
                "lb",
                [{"name": "https", "port": 8443, "protocol": "TCP"}],
                [endpoint("10.244.2.7"), endpoint("10.244.2.8", ready=False)],
            )
        )
        api.create(endpoint_slice("db-4bq2z", "db", [], [endpoint("10.244.3.4")]))
    return session


@needs_slices
def test_describe_cluster_ip_lists_three_ready_endpoints_then_more(sliced):
    # Upstream counts "more" before it skips the unready 10.244.1.3: three shown, one more.
    assert run(sliced, "describe svc web") == (
        "Name:                     web\n"
        "Namespace:                default\n"
        "Labels:                   app=web\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.0.50\n"
        "IPs:                      10.96.0.50\n"
        "Port:                     <unset>  80/TCP\n"
        "TargetPort:               8080/TCP\n"
        "Endpoints:                10.244.1.1:8080,10.244.1.2:8080,10.244.1.4:8080 + 1 more...\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


@needs_slices
def test_describe_node_port_with_only_a_placeholder_slice_has_a_blank_endpoints_line(sliced):
    assert run(sliced, "describe svc np") == (
        "Name:                     np\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web,tier=fe\n"
        "Type:                     NodePort\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.0.51\n"
        "IPs:                      10.96.0.51\n"
        "Port:                     <unset>  80/TCP\n"
        "TargetPort:               80/TCP\n"
        "NodePort:                 <unset>  30080/TCP\n"
        "Endpoints:                \n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Cluster\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


@needs_slices
def test_describe_load_balancer_matches_slice_ports_by_name(sliced):
    assert run(sliced, "describe svc lb") == (
        "Name:                     lb\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=web\n"
        "Type:                     LoadBalancer\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       10.96.0.52\n"
        "IPs:                      10.96.0.52\n"
        "Port:                     http  80/TCP\n"
        "TargetPort:               http/TCP\n"
        "NodePort:                 http  30081/TCP\n"
        "Endpoints:                10.244.2.7:8080\n"
        "Port:                     https  443/TCP\n"
        "TargetPort:               443/TCP\n"
        "NodePort:                 https  30443/TCP\n"
        "Endpoints:                10.244.2.7:8443\n"
        "Session Affinity:         None\n"
        "External Traffic Policy:  Cluster\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


@needs_slices
def test_describe_headless_shows_none_and_bare_addresses(sliced):
    assert run(sliced, "describe svc db") == (
        "Name:                     db\n"
        "Namespace:                default\n"
        "Labels:                   <none>\n"
        "Annotations:              <none>\n"
        "Selector:                 app=db\n"
        "Type:                     ClusterIP\n"
        "IP Family Policy:         SingleStack\n"
        "IP Families:              IPv4\n"
        "IP:                       None\n"
        "IPs:                      None\n"
        "Port:                     <unset>  5432/TCP\n"
        "TargetPort:               5432/TCP\n"
        "Endpoints:                10.244.3.4\n"
        "Session Affinity:         None\n"
        "Internal Traffic Policy:  Cluster\n"
        "Events:                   <none>\n"
    )


def test_format_endpoint_slices_rules():
    ready, unready = endpoint("10.0.0.1"), endpoint("10.0.0.2", ready=False)
    no_condition = {"addresses": ["10.0.0.3"], "conditions": {}}
    ports = [{"name": "web", "port": 80}]
    assert format_endpoint_slices([], "web") == "<none>"
    # Slices, but nothing ready (or no port of that name): an empty cell.
    assert format_endpoint_slices([{"ports": ports, "endpoints": [unready]}], "web") == ""
    assert format_endpoint_slices([{"ports": ports, "endpoints": [ready]}], "other") == ""
    # A missing ready condition counts as ready; IPv6 is bracketed (net.JoinHostPort).
    v6 = {"addresses": ["fd00::5"]}
    assert (
        format_endpoint_slices([{"ports": ports, "endpoints": [ready, no_condition, v6]}], "web")
        == "10.0.0.1:80,10.0.0.3:80,[fd00::5]:80"
    )
    many = [endpoint(f"10.0.1.{i}") for i in range(6)]
    assert format_endpoint_slices([{"ports": [], "endpoints": many}], "") == (
        "10.0.1.0,10.0.1.1,10.0.1.2 + 3 more..."
    )


# --- the API server's Service errors, as kubectl apply -f prints them ---------------------


@pytest.fixture
def applying():
    files: dict[str, str] = {}
    session = KubectlSession(new_cluster(), files=lambda path: [(path, files[path])])

    def apply(obj):
        files["svc.yaml"] = yaml.safe_dump(obj)
        result = session.run("apply -f svc.yaml")
        return result.stdout, result.stderr, result.exit_code

    return apply


def test_node_port_outside_the_range(applying):
    spec = {"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]}
    assert applying(service("web", spec)) == (
        "",
        'The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 80: provided port'
        " is not in the valid range. The range of valid ports is 30000-32767\n",
        1,
    )


def test_node_port_already_allocated(applying):
    spec = {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]}
    assert applying(service("web", spec))[0] == "service/web created\n"
    assert applying(service("web2", spec)) == (
        "",
        'The Service "web2" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided'
        " port is already allocated\n",
        1,
    )


def test_cluster_ip_already_allocated(applying):
    spec = {"clusterIP": "10.96.0.1", "ports": [{"port": 80}]}
    assert applying(service("web", spec)) == (
        "",
        'The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to'
        " allocate IP 10.96.0.1: provided IP is already allocated\n",
        1,
    )


def test_cluster_ip_outside_the_service_cidr(applying):
    spec = {"clusterIP": "10.0.0.5", "ports": [{"port": 80}]}
    assert applying(service("web", spec))[1] == (
        'The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to'
        " allocate IP 10.0.0.5: the provided network does not match the current range\n"
    )


def test_node_ports_on_a_cluster_ip_service_list_one_cause_a_line(applying):
    ports = [
        {"name": "a", "port": 80, "nodePort": 30001},
        {"name": "b", "port": 81, "nodePort": 30002},
    ]
    assert applying(service("web", {"type": "ClusterIP", "ports": ports}))[1] == (
        'The Service "web" is invalid: \n'
        "* spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n"
        "* spec.ports[1].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'\n"
    )
    one = {"type": "ClusterIP", "ports": ports[:1]}
    assert applying(service("web", one))[1] == (
        'The Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when'
        " `type` is 'ClusterIP'\n"
    )


def test_missing_ports_and_a_bad_type(applying):
    assert applying(service("web", {"selector": {"app": "web"}}))[1] == (
        'The Service "web" is invalid: spec.ports: Required value\n'
    )
    assert applying(service("web", {"type": "Foo", "ports": [{"port": 80}]}))[1] == (
        'The Service "web" is invalid: spec.type: Unsupported value: "Foo": supported values:'
        ' "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"\n'
    )


def test_a_service_name_must_be_a_dns_1035_label(applying):
    assert applying(service("1web", {"ports": [{"port": 80}]}))[1] == (
        'The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label'
        " must consist of lower case alphanumeric characters or '-', start with an alphabetic"
        " character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123',"
        " regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\n"
    )
