"""CoreDNS's kubernetes plugin over the store (engine/network/dns.py)."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import cluster_ip, deployment, namespace, pod_ips, service

from k8sgame.engine.network.client import NOERROR, NXDOMAIN, Record, Reply
from k8sgame.engine.network.dns import CLUSTER_DNS, UPSTREAM_DNS
from k8sgame.engine.network.resolver import reverse_name


@pytest.fixture(scope="module")
def cluster():
    cluster = new_cluster(seed=3)
    cluster.create(namespace("other"))
    cluster.create(deployment("web", replicas=2))
    cluster.create(service("web"))
    cluster.create(deployment("api", replicas=1, namespace="other"))
    cluster.create(service("api", namespace="other", port_name="http"))
    # A headless Service over two ready pods and one that never becomes ready.
    cluster.create(deployment("peers", replicas=2))
    cluster.create(service("peers", clusterIP="None"))
    cluster.create(
        deployment(
            "lazy",
            replicas=1,
            env={"READY_AFTER": "1h"},
            readiness={"httpGet": {"path": "/ready", "port": 8080}},
        )
    )
    cluster.create(service("lazy", clusterIP="None"))
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db"},
            "spec": {
                "serviceName": "db",
                "replicas": 2,
                "selector": {"matchLabels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {"containers": [{"name": "db", "image": "k8sgame/demo-web"}]},
                },
            },
        }
    )
    cluster.create(service("db", clusterIP="None"))
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "ext"},
            "spec": {"type": "ExternalName", "externalName": "example.com"},
        }
    )
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "alias"},
            "spec": {"type": "ExternalName", "externalName": "api.other.svc.cluster.local"},
        }
    )
    cluster.run_for(40)
    return cluster


def ask(cluster, name, qtype="A"):
    return cluster.network.dns.ask(CLUSTER_DNS, name, qtype)


def addresses(reply):
    return sorted(r.value for r in reply.answers if r.type == "A")


def test_a_service_name_is_its_cluster_ip(cluster):
    ip = cluster_ip(cluster, "web")
    reply = ask(cluster, "web.default.svc.cluster.local")
    assert reply == Reply(NOERROR, (Record("web.default.svc.cluster.local", "A", ip),))
    # Case and a final dot do not matter; the name is answered as asked.
    assert addresses(ask(cluster, "WEB.default.svc.cluster.local.")) == [ip]
    assert addresses(ask(cluster, "api.other.svc.cluster.local")) == [
        cluster_ip(cluster, "api", "other")
    ]


def test_an_ipv4_cluster_has_no_aaaa_records(cluster):
    assert ask(cluster, "web.default.svc.cluster.local", "AAAA") == Reply(NOERROR)


def test_unknown_names_are_nxdomain_and_an_existing_namespace_is_nodata(cluster):
    for name in (
        "nosuch.default.svc.cluster.local",
        "web.nosuch.svc.cluster.local",
        "web.svc.cluster.local",
        "web.default.cluster.local",
        "a.b.c.web.default.svc.cluster.local",
    ):
        assert ask(cluster, name).rcode == NXDOMAIN, name
    assert ask(cluster, "default.svc.cluster.local") == Reply(NOERROR)
    assert ask(cluster, "svc.cluster.local") == Reply(NOERROR)


def test_a_headless_service_answers_its_ready_endpoints(cluster):
    reply = ask(cluster, "peers.default.svc.cluster.local")
    assert addresses(reply) == sorted(pod_ips(cluster, "peers").values())
    assert {r.name for r in reply.answers} == {"peers.default.svc.cluster.local"}
    # No ready endpoint at all: the plugin finds nothing, which is NXDOMAIN.
    assert ask(cluster, "lazy.default.svc.cluster.local").rcode == NXDOMAIN


def test_stateful_set_pods_have_names_under_their_headless_service(cluster):
    ips = pod_ips(cluster, "db")
    for pod in ("db-0", "db-1"):
        reply = ask(cluster, f"{pod}.db.default.svc.cluster.local")
        assert addresses(reply) == [ips[pod]]
    assert ask(cluster, "db-7.db.default.svc.cluster.local").rcode == NXDOMAIN
    # Endpoints without a hostname answer to their dashed address.
    ip = next(iter(pod_ips(cluster, "peers").values()))
    dashed = ip.replace(".", "-")
    assert addresses(ask(cluster, f"{dashed}.peers.default.svc.cluster.local")) == [ip]


def test_named_port_names_select_the_service(cluster):
    ip = cluster_ip(cluster, "api", "other")
    assert addresses(ask(cluster, "_http._tcp.api.other.svc.cluster.local")) == [ip]
    assert ask(cluster, "_grpc._tcp.api.other.svc.cluster.local").rcode == NXDOMAIN


def test_external_name_is_a_cname_followed_inside_the_cluster(cluster):
    assert ask(cluster, "ext.default.svc.cluster.local") == Reply(
        NOERROR, (Record("ext.default.svc.cluster.local", "CNAME", "example.com"),)
    )
    reply = ask(cluster, "alias.default.svc.cluster.local")
    assert reply.answers == (
        Record("alias.default.svc.cluster.local", "CNAME", "api.other.svc.cluster.local"),
        Record("api.other.svc.cluster.local", "A", cluster_ip(cluster, "api", "other")),
    )


def test_pod_names_spell_any_address_in_an_existing_namespace(cluster):
    assert addresses(ask(cluster, "10-244-1-7.default.pod.cluster.local")) == ["10.244.1.7"]
    assert ask(cluster, "10-244-1-7.nosuch.pod.cluster.local").rcode == NXDOMAIN
    assert ask(cluster, "web.default.pod.cluster.local").rcode == NXDOMAIN


def test_reverse_lookups_name_services_and_endpoints(cluster):
    ip = cluster_ip(cluster, "web")
    reply = ask(cluster, reverse_name(ip), "PTR")
    assert reply.answers == (Record(reverse_name(ip), "PTR", "web.default.svc.cluster.local"),)
    db0 = pod_ips(cluster, "db")["db-0"]
    reply = ask(cluster, reverse_name(db0), "PTR")
    assert [r.value for r in reply.answers] == ["db-0.db.default.svc.cluster.local"]
    # Any other address falls through to the upstream.
    assert ask(cluster, reverse_name("10.9.9.9"), "PTR") == Reply(NXDOMAIN, authoritative=False)


def test_names_outside_the_cluster_go_to_the_offline_upstream(cluster):
    for name in ("example.com", "kubernetes.default", "web.default.svc"):
        assert ask(cluster, name) == Reply(NXDOMAIN, authoritative=False)
    assert cluster.network.dns.ask(UPSTREAM_DNS, "web.default.svc.cluster.local", "A").rcode == (
        NXDOMAIN
    )
    assert cluster.network.dns.ask("8.8.8.8", "example.com", "A") is None
