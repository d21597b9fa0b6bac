"""``kubectl get``/``describe`` for Ingress and IngressClass as kubectl 1.35 prints them:
``printIngress`` and ``printIngressClass`` (``pkg/printers/internalversion/printers.go``),
``describeIngressV1``/``describeBackendV1`` and ``describeIngressClassV1`` of kubectl
v0.35.7 (``pkg/describe/describe.go``).

The texts follow that code: CLASS ``<none>`` without a class name, HOSTS cut after three
(``+ N more...`` counts every rule, host-less ones too), ADDRESS from the load balancer
status cut to 16 characters unless ``-o wide``, PORTS ``80`` or ``80, 443``; in describe
each Service backend is followed by the ready endpoints of the Service port it names (three
at most, "more" counted before an unready endpoint is skipped, as ``formatEndpointSlices``
does), ``<none>`` without EndpointSlices, or the error of reading the Service. The Services
have no selector, so the EndpointSlices are the ones the test writes."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.kinds.ingress import format_hosts, load_balancer_text, service_backend_text
from k8sgame.kubectl.kinds.ingress_class import parameters_text
from k8sgame.kubectl.session import KubectlSession


def service(name, ports):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"ports": ports},
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


def endpoint(ip, ready=True):
    return {"addresses": [ip], "conditions": {"ready": ready}}


def backend(name, port):
    return {
        "service": {
            "name": name,
            "port": {"number": port} if isinstance(port, int) else {"name": port},
        }
    }


def path(value, path_type, to):
    return {"path": value, "pathType": path_type, "backend": to}


def ingress(name, spec, **metadata):
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": "default", **metadata},
        "spec": spec,
    }


def ingress_class(name, spec, **metadata):
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": name, **metadata},
        "spec": spec,
    }


SITE = {
    "defaultBackend": backend("web", "admin"),
    "tls": [{"hosts": ["foo.com"], "secretName": "foo-tls"}, {"hosts": ["bar.com", "*.bar.com"]}],
    "rules": [
        {
            "host": "foo.com",
            "http": {
                "paths": [
                    path("/", "Prefix", backend("web", 80)),
                    path("/api", "Exact", backend("api", 8080)),
                    path("/gone", "Prefix", backend("gone", "http")),
                ]
            },
        },
        {
            "host": "bar.com",
            "http": {
                "paths": [
                    path(
                        "/static",
                        "ImplementationSpecific",
                        {
                            "resource": {
                                "apiGroup": "k8s.example.com",
                                "kind": "StorageBucket",
                                "name": "static-assets",
                            }
                        },
                    ),
                    path(
                        "/icons",
                        "ImplementationSpecific",
                        {"resource": {"kind": "ConfigMap", "name": "icons"}},
                    ),
                ]
            },
        },
        {"http": {"paths": [path("/", "Prefix", backend("web", "http"))]}},
    ],
}


@pytest.fixture(scope="module")
def session():
    cluster = new_cluster()
    api = cluster.api
    api.create(
        service(
            "web",
            [{"name": "http", "port": 80, "targetPort": 8080}, {"name": "admin", "port": 9000}],
        )
    )
    api.create(service("api", [{"port": 8080}]))
    web = [endpoint(f"10.244.1.{n}", ready=n != 3) for n in range(1, 6)]
    api.create(
        endpoint_slice("web-http", "web", [{"name": "http", "port": 8080, "protocol": "TCP"}], web)
    )
    api.create(
        endpoint_slice(
            "web-admin",
            "web",
            [{"name": "admin", "port": 9000, "protocol": "TCP"}],
            [endpoint("10.244.1.1")],
        )
    )
    api.create(
        ingress_class(
            "nginx",
            {
                "controller": "k8s.io/ingress-nginx",
                "parameters": {
                    "apiGroup": "k8s.example.com",
                    "kind": "IngressParameters",
                    "name": "external-lb",
                },
            },
            annotations={"ingressclass.kubernetes.io/is-default-class": "true"},
            labels={"app.kubernetes.io/name": "ingress-nginx"},
        )
    )
    api.create(
        ingress_class(
            "plain",
            {
                "controller": "example.com/plain",
                "parameters": {
                    "kind": "ConfigMap",
                    "name": "plain-settings",
                    "scope": "Namespace",
                    "namespace": "ingress",
                },
            },
        )
    )
    api.create(ingress_class("bare", {"controller": "example.com/bare"}))
    # No ingressClassName: the default class (nginx) is written in.
    api.create(
        ingress(
            "site",
            SITE,
            labels={"app": "site"},
            annotations={"nginx.ingress.kubernetes.io/rewrite-target": "/"},
        )
    )
    api.create(
        ingress("catchall", {"ingressClassName": "plain", "defaultBackend": backend("api", 8080)})
    )
    hosts = ["a.example.com", "b.example.com", "", "c.example.com", "d.example.com"]
    api.create(
        ingress("hosts", {"ingressClassName": "bare", "rules": [{"host": h} for h in hosts]})
    )
    hosts = ["a.example.com", "", "b.example.com", "c.example.com"]
    api.create(
        ingress("three", {"ingressClassName": "bare", "rules": [{"host": h} for h in hosts]})
    )
    stored = api.get("Ingress", "hosts", "default")
    stored["status"] = {
        "loadBalancer": {
            "ingress": [
                {"ip": "203.0.113.10"},
                {"hostname": "lb.example.com"},
                {"ip": "203.0.113.10"},
            ]
        }
    }
    api.update_status(stored)
    cluster.run_for(30)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    assert result.exit_code == 0, result.stderr
    return result.stdout


def test_get_ingresses(session):
    assert run(session, "get ingress") == (
        "NAME       CLASS   HOSTS                                                   ADDRESS            PORTS     AGE\n"
        "catchall   plain   *                                                                          80        30s\n"
        "hosts      bare    a.example.com,b.example.com,c.example.com + 2 more...   203.0.113.10,...   80        30s\n"
        "site       nginx   foo.com,bar.com                                                            80, 443   30s\n"
        "three      bare    a.example.com,b.example.com,c.example.com                                  80        30s\n"
    )


def test_get_wide_only_stops_cutting_the_address(session):
    assert run(session, "get ing -o wide") == (
        "NAME       CLASS   HOSTS                                                   ADDRESS                       PORTS     AGE\n"
        "catchall   plain   *                                                                                     80        30s\n"
        "hosts      bare    a.example.com,b.example.com,c.example.com + 2 more...   203.0.113.10,lb.example.com   80        30s\n"
        "site       nginx   foo.com,bar.com                                                                       80, 443   30s\n"
        "three      bare    a.example.com,b.example.com,c.example.com                                             80        30s\n"
    )


def test_get_one_ingress_by_short_name_and_its_name_output(session):
    assert run(session, "get ing catchall") == (
        "NAME       CLASS   HOSTS   ADDRESS   PORTS   AGE\n"
        "catchall   plain   *                 80      30s\n"
    )
    assert run(session, "get ingresses.networking.k8s.io/site -o name") == (
        "ingress.networking.k8s.io/site\n"
    )


def test_get_ingress_classes(session):
    assert run(session, "get ingressclasses") == (
        "NAME    CONTROLLER             PARAMETERS                                      AGE\n"
        "bare    example.com/bare       <none>                                          30s\n"
        "nginx   k8s.io/ingress-nginx   IngressParameters.k8s.example.com/external-lb   30s\n"
        "plain   example.com/plain      ConfigMap/plain-settings                        30s\n"
    )


def test_describe_ingress_with_every_kind_of_backend(session):
    assert run(session, "describe ingress site") == (
        "Name:             site\n"
        "Labels:           app=site\n"
        "Namespace:        default\n"
        "Address:          \n"
        "Ingress Class:    nginx\n"
        "Default backend:  web:admin (10.244.1.1:9000)\n"
        "TLS:\n"
        "  foo-tls terminates foo.com\n"
        "  SNI routes bar.com,*.bar.com\n"
        "Rules:\n"
        "  Host        Path  Backends\n"
        "  ----        ----  --------\n"
        "  foo.com     \n"
        "              /       web:80 (10.244.1.1:8080,10.244.1.2:8080,10.244.1.4:8080 + 1 more...)\n"
        "              /api    api:8080 (<none>)\n"
        '              /gone   gone:http (<error: services "gone" not found>)\n'
        "  bar.com     \n"
        "              /static   APIGroup: k8s.example.com, Kind: StorageBucket, Name: static-assets\n"
        "              /icons    APIGroup: <none>, Kind: ConfigMap, Name: icons\n"
        "  *           \n"
        "              /   web:http (10.244.1.1:8080,10.244.1.2:8080,10.244.1.4:8080 + 1 more...)\n"
        "Annotations:  nginx.ingress.kubernetes.io/rewrite-target: /\n"
        "Events:       <none>\n"
    )


def test_describe_ingress_without_rules_shows_the_default_backend_row(session):
    assert run(session, "describe ing catchall") == (
        "Name:             catchall\n"
        "Labels:           <none>\n"
        "Namespace:        default\n"
        "Address:          \n"
        "Ingress Class:    plain\n"
        "Default backend:  api:8080 (<none>)\n"
        "Rules:\n"
        "  Host        Path  Backends\n"
        "  ----        ----  --------\n"
        "  *           *     api:8080 (<none>)\n"
        "Annotations:  <none>\n"
        "Events:       <none>\n"
    )
    # Rules without http count as none; the address is never cut in describe.
    assert run(session, "describe ing hosts").splitlines()[3:11] == [
        "Address:          203.0.113.10,lb.example.com",
        "Ingress Class:    bare",
        "Default backend:  <default>",
        "Rules:",
        "  Host        Path  Backends",
        "  ----        ----  --------",
        "  *           *     <default>",
        "Annotations:  <none>",
    ]


def test_describe_ingress_classes(session):
    assert run(session, "describe ingressclass nginx") == (
        "Name:         nginx\n"
        "Labels:       app.kubernetes.io/name=ingress-nginx\n"
        "Annotations:  ingressclass.kubernetes.io/is-default-class: true\n"
        "Controller:   k8s.io/ingress-nginx\n"
        "Parameters:\n"
        "  APIGroup:  k8s.example.com\n"
        "  Kind:      IngressParameters\n"
        "  Name:      external-lb\n"
        "Events:      <none>\n"
    )
    # Scope and namespace of the parameters are not shown.
    assert run(session, "describe ingressclass plain") == (
        "Name:         plain\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Controller:   example.com/plain\n"
        "Parameters:\n"
        "  Kind:  ConfigMap\n"
        "  Name:  plain-settings\n"
        "Events:  <none>\n"
    )
    assert run(session, "describe ingressclass bare") == (
        "Name:         bare\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Controller:   example.com/bare\n"
        "Events:       <none>\n"
    )


def test_an_ingress_with_no_ready_endpoints_shows_empty_parentheses():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web", "namespace": "default"},
            "spec": {"selector": {"app": "nothing"}, "ports": [{"port": 80}]},
        }
    )
    cluster.api.create(ingress("web", {"defaultBackend": backend("web", 80)}))
    cluster.run_for(5)
    # The endpointslice controller's placeholder slice has no ports and no endpoints.
    assert "Default backend:  web:80 ()\n" in run(session, "describe ingress web")


def test_cell_helpers():
    assert format_hosts(None) == "*"
    assert format_hosts([{}, {"host": ""}]) == "*"
    rules = [{"host": h} for h in ("a", "b", "c", "", "d")]
    assert format_hosts(rules) == "a,b,c + 2 more..."
    assert load_balancer_text(
        {"status": {"loadBalancer": {"ingress": [{"hostname": "a" * 20}]}}}, False
    ) == ("a" * 13 + "...")
    assert load_balancer_text({}, False) == ""
    assert service_backend_text({"name": "web", "port": {"number": 80, "name": "http"}}) == "web:80"
    assert service_backend_text({"name": "web", "port": {}}) == "web:"
    assert parameters_text(None) == "<none>"
    assert parameters_text({"apiGroup": "", "kind": "K", "name": "n"}) == "K./n"
