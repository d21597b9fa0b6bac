"""Where a connection from a pod ends up (engine/network/fabric.py, proxy.py)."""

from collections import Counter

import pytest
from cluster_helpers import new_cluster
from hypothesis import given, settings
from hypothesis import strategies as st
from network_helpers import client_pod, cluster_ip, deployment, pod_ips, service

from k8sgame.engine.network.client import (
    OPEN,
    REFUSED,
    TIMED_OUT,
    UNREACHABLE,
    UNSUPPORTED,
)
from k8sgame.engine.network.slices import service_slices, slice_endpoints


def started(cluster, *manifests, seconds=30):
    for manifest in manifests:
        cluster.create(manifest)
    cluster.run_for(seconds)
    return cluster


def link(cluster, pod="client"):
    return cluster.network.for_pod(cluster.get("Pod", pod))


@pytest.fixture(scope="module")
def cluster():
    return started(
        new_cluster(seed=5),
        deployment("web", replicas=3),
        service("web"),
        deployment(
            "lazy",
            replicas=2,
            env={"READY_AFTER": "1h"},
            readiness={"httpGet": {"path": "/ready", "port": 8080}},
        ),
        service("lazy"),
        service("nothing", selector={"app": "nothing"}),
        client_pod(node="node-1"),
    )


def test_a_service_address_leads_to_its_ready_pods_spread_evenly(cluster):
    net, vip = link(cluster), cluster_ip(cluster, "web")
    web = set(pod_ips(cluster, "web").values())
    landed = Counter()
    for _ in range(60):
        connection = net.connect(vip, 80, cluster.now)
        assert connection.state == OPEN
        ip, port = connection.address.split(":")
        assert ip in web and port == "8080"
        landed[ip] += 1
    assert set(landed) == web and min(landed.values()) >= 10


def test_no_usable_endpoint_is_refused_at_once(cluster):
    net = link(cluster)
    for name in ("lazy", "nothing"):
        connection = net.connect(cluster_ip(cluster, name), 80, cluster.now)
        assert (connection.state, connection.after) == (REFUSED, 0.0)
        assert connection.detail == f"default/{name} has no endpoints"


def test_a_port_the_service_lacks_is_never_answered(cluster):
    connection = link(cluster).connect(cluster_ip(cluster, "web"), 81, cluster.now)
    assert (connection.state, connection.after) == (TIMED_OUT, 127.0)


def test_pod_addresses_are_reached_directly(cluster):
    net = link(cluster)
    ip = next(iter(pod_ips(cluster, "web").values()))
    assert net.connect(ip, 8080, cluster.now).state == OPEN
    assert net.connect(ip, 80, cluster.now).state == REFUSED  # nothing listens: an RST
    # The pod range with no pod at that address: no ARP answer.
    assert (net.connect("10.244.1.250", 80, cluster.now).state,) == (UNREACHABLE,)
    assert net.connect("10.244.1.250", 80, cluster.now).after == 3.0
    # An unused service address and the offline outside: silence.
    assert net.connect("10.96.200.200", 80, cluster.now).state == TIMED_OUT
    assert net.connect("8.8.8.8", 53, cluster.now).state == TIMED_OUT
    # The loopback is the pod itself (a busybox client listens on nothing).
    assert net.connect("127.0.0.1", 8080, cluster.now).state == REFUSED
    web = next(iter(pod_ips(cluster, "web")))
    assert link(cluster, web).connect("127.0.0.1", 8080, cluster.now).state == OPEN


def test_the_api_server_behind_the_kubernetes_service_is_not_modelled_yet(cluster):
    connection = link(cluster).connect("10.96.0.1", 443, cluster.now)
    assert connection.state == UNSUPPORTED
    assert connection.detail == "connections to the API server (192.168.49.2:6443)"


def test_internal_traffic_policy_local_drops_without_an_endpoint_on_the_node():
    cluster = started(
        new_cluster(seed=2),
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "only", "labels": {"app": "only"}},
            "spec": {
                "nodeName": "node-2",
                "containers": [{"name": "app", "image": "k8sgame/demo-web"}],
            },
        },
        service("only", internalTrafficPolicy="Local"),
        client_pod("near", node="node-2"),
        client_pod("far", node="node-1"),
    )
    vip = cluster_ip(cluster, "only")
    assert link(cluster, "near").connect(vip, 80, cluster.now).state == OPEN
    far = link(cluster, "far").connect(vip, 80, cluster.now)
    assert (far.state, far.after) == (TIMED_OUT, 127.0)


def test_client_ip_affinity_keeps_a_client_on_one_pod():
    cluster = started(
        new_cluster(seed=4),
        deployment("sticky", replicas=3),
        service("sticky", sessionAffinity="ClientIP"),
        client_pod(),
    )
    net, vip = link(cluster), cluster_ip(cluster, "sticky")
    assert len({net.connect(vip, 80, cluster.now).address for _ in range(20)}) == 1


def test_a_stopped_container_refuses():
    cluster = started(new_cluster(seed=6), deployment("web", replicas=1), client_pod())
    ip = next(iter(pod_ips(cluster, "web").values()))
    cluster.delete("Deployment", "web")
    cluster.run_for(60)
    assert link(cluster).connect(ip, 8080, cluster.now).state in (REFUSED, UNREACHABLE)


def test_the_same_seed_chooses_the_same_endpoints():
    def choices(seed):
        cluster = started(
            new_cluster(seed=seed), deployment("web", replicas=3), service("web"), client_pod()
        )
        net, vip = link(cluster), cluster_ip(cluster, "web")
        names = {ip: name for name, ip in pod_ips(cluster, "web").items()}
        return [names[net.connect(vip, 80, cluster.now).address.split(":")[0]] for _ in range(12)]

    assert choices(9) == choices(9)


def usable(cluster, name):
    """The addresses the test's own reading of the slices allows: the ready endpoints, or
    when there is none the serving and terminating ones."""
    endpoints = [
        ep for eps in service_slices(cluster.api, "default", name) for ep in slice_endpoints(eps)
    ]
    ready = {ep.addresses[0] for ep in endpoints if ep.ready}
    return ready or {ep.addresses[0] for ep in endpoints if ep.serving and ep.terminating}


@settings(max_examples=25)
@given(
    st.lists(st.booleans(), min_size=1, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),
    st.integers(0, 2**16),
    st.integers(1, 30),
)
def test_a_service_connection_lands_only_on_usable_endpoints(ready, deleting, seed, wait):
    cluster = new_cluster(seed=seed)
    for index, is_ready in enumerate(ready):
        env = [{"name": "IGNORE_SIGTERM", "value": "true"}]
        if not is_ready:
            env.append({"name": "READY_AFTER", "value": "1h"})
        cluster.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": f"web-{index}", "labels": {"app": "web"}},
                "spec": {
                    "containers": [
                        {
                            "name": "app",
                            "image": "k8sgame/demo-web",
                            "env": env,
                            "readinessProbe": {
                                "httpGet": {"path": "/ready", "port": 8080},
                                "periodSeconds": 1,
                            },
                        }
                    ]
                },
            }
        )
    cluster.create(service("web"))
    cluster.create(client_pod())
    cluster.run_for(20)
    for index, gone in enumerate(deleting[: len(ready)]):
        if gone:
            cluster.delete("Pod", f"web-{index}", grace_period=60)
    cluster.run_for(wait)
    net, vip = link(cluster), cluster_ip(cluster, "web")
    allowed = usable(cluster, "web")
    for _ in range(8):
        connection = net.connect(vip, 80, cluster.now)
        if not allowed:
            assert connection.state == REFUSED
            continue
        assert connection.address.split(":")[0] in allowed
