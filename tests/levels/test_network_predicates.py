"""The ``reachable`` and ``resolves`` goal predicates, decided by the network box."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import client_pod, cluster_ip, deployment, service

from k8sgame.engine.network.metallb import Pool
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.levels.predicates import Scene, evaluate


@pytest.fixture(scope="module")
def scene():
    setup = NetworkSetup(
        pools=(Pool("p", ("192.168.49.200/32",)),), outside_hosts={"shop.example": "192.168.49.200"}
    )
    cluster = new_cluster(seed=9, network=setup)
    for manifest in (
        deployment("web", replicas=2),
        service("web", type="LoadBalancer"),
        # Two Deployments behind one Service; one listens on the wrong port.
        deployment("half", replicas=1),
        deployment("wrong", replicas=1, env={"PORT": "9090"}),
        service("half", selector={"tier": "half"}),
        client_pod(),
    ):
        if manifest["kind"] == "Deployment" and manifest["metadata"]["name"] in ("half", "wrong"):
            manifest["spec"]["template"]["metadata"]["labels"]["tier"] = "half"
        cluster.create(manifest)
    cluster.run_for(30)
    return Scene(cluster, "default", 0.0, 0.0)


def check(scene, name, params):
    return evaluate({name: params}, scene)


def test_reachable_from_a_pod_by_service_name(scene):
    outcome = check(
        scene, "reachable", {"from": {"pod": "client"}, "url": "http://web/", "expect": 200}
    )
    assert outcome.ok
    outcome = check(
        scene, "reachable", {"from": {"pod": "client"}, "url": "http://web:81/", "expect": 200}
    )
    assert not outcome.ok
    assert dict(outcome.reason.fields)["got"] == "timeout"


def test_every_endpoint_is_tried(scene):
    params = {"from": {"pod": "client"}, "url": "http://half/", "expect": 200}
    outcome = check(scene, "reachable", params)
    assert not outcome.ok
    assert dict(outcome.reason.fields)["got"] == "200, refused"


def test_reachable_from_outside_through_the_load_balancer_and_hosts_file(scene):
    params = {"from": {"outside": True}, "url": "http://shop.example/", "expect": 200}
    assert check(scene, "reachable", params).ok
    params["url"] = f"http://{cluster_ip(scene.cluster, 'web')}/"
    params["expect"] = "timeout"
    assert check(scene, "reachable", params).ok


def test_resolves_depends_on_the_place(scene):
    assert check(scene, "resolves", {"from": {"pod": "client"}, "name": "web"}).ok
    assert check(
        scene,
        "resolves",
        {"from": {"node": "node-1"}, "name": "web.default.svc.cluster.local", "expect": False},
    ).ok
    assert not check(scene, "resolves", {"from": {"outside": True}, "name": "web"}).ok


def test_a_probe_leaves_no_trace(scene):
    before = scene.cluster.network.connections
    state = scene.cluster.dump_state()
    check(scene, "reachable", {"from": {"pod": "client"}, "url": "http://web/", "expect": 200})
    assert scene.cluster.network.connections == before
    assert scene.cluster.dump_state() == state


def test_the_place_is_named_in_the_players_language(scene):
    outcome = check(
        scene, "reachable", {"from": {"outside": True}, "url": "http://web/", "expect": 200}
    )
    assert outcome.reason.render("en").startswith("from your machine (outside the cluster), GET")
    assert outcome.reason.render("ko").startswith("내 컴퓨터(클러스터 밖)에서 GET")
    missing = check(scene, "resolves", {"from": {"pod": "ghost"}, "name": "web"})
    assert missing.reason.render("ko").startswith("파드 ghost")


def test_a_status_written_with_a_leading_zero_is_the_same_status(scene):
    params = {"from": {"pod": "client"}, "url": "http://web/", "expect": "0200"}
    assert check(scene, "reachable", params).ok
