"""Traffic from a node and from outside the cluster: node ports, load-balancer addresses
(MetalLB's pool), externalTrafficPolicy, and the prompt's ``curl`` and ``ssh`` lines."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import client_pod, cluster_ip, deployment, pod_ips, service

from k8sgame.engine.network.metallb import Pool, announcing_node
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.host_prompt import run_host_line
from k8sgame.kubectl.session import KubectlSession

POOL = NetworkSetup(pools=(Pool("first-pool", ("192.168.49.200-192.168.49.201",)),))
NODE_1, NODE_2 = "192.168.49.3", "192.168.49.4"


def started(cluster, *manifests, seconds=30):
    for manifest in manifests:
        cluster.create(manifest)
    cluster.run_for(seconds)
    return cluster


def events(cluster, name):
    found = cluster.api.list("Event", "default")
    return [
        (e["type"], e["reason"], e["message"], e["source"].get("component"))
        for e in found
        if e["involvedObject"]["name"] == name and e["involvedObject"]["kind"] == "Service"
    ]


def balancer_ip(cluster, name):
    ingress = cluster.get("Service", name)["status"]["loadBalancer"].get("ingress") or []
    return [i["ip"] for i in ingress]


@pytest.fixture(scope="module")
def cluster():
    return started(
        new_cluster(seed=3, network=POOL),
        deployment("web", replicas=2),
        service("web", type="LoadBalancer"),
        service("np", type="NodePort", selector={"app": "web"}, ports=[np_port()]),
        deployment("one", replicas=1),
        service(
            "local", type="LoadBalancer", selector={"app": "one"}, externalTrafficPolicy="Local"
        ),
        client_pod(),
    )


def np_port():
    return {"port": 80, "targetPort": 8080, "nodePort": 30080}


def outside(cluster, line):
    result = run_host_line(cluster, line, "en")
    return result.exit_code, result.stdout


def test_a_load_balancer_without_a_provider_stays_pending():
    cluster = started(
        new_cluster(seed=1), deployment("web", 1), service("web", type="LoadBalancer")
    )
    table = KubectlSession(cluster).run("get svc web").stdout
    assert "<pending>" in table.splitlines()[1]
    assert cluster.get("Service", "web")["status"] == {"loadBalancer": {}}


def test_metallb_gives_the_lowest_free_address_with_its_event_and_annotation(cluster):
    assert balancer_ip(cluster, "web") == ["192.168.49.200"]
    svc = cluster.get("Service", "web")
    # The API server defaults the mode of an address MetalLB writes without one.
    assert svc["status"]["loadBalancer"]["ingress"] == [{"ip": "192.168.49.200", "ipMode": "VIP"}]
    assert svc["metadata"]["annotations"]["metallb.io/ip-allocated-from-pool"] == "first-pool"
    assert events(cluster, "web") == [
        ("Normal", "IPAllocated", 'Assigned IP ["192.168.49.200"]', "metallb-controller")
    ]
    row = KubectlSession(cluster).run("get svc web").stdout.splitlines()[1].split()
    assert row[:4] == ["web", "LoadBalancer", cluster_ip(cluster, "web"), "192.168.49.200"]


def test_an_exhausted_pool_fails_until_an_address_comes_free():
    cluster = started(
        new_cluster(seed=2, network=POOL),
        deployment("web", 1),
        *(service(name, type="LoadBalancer", selector={"app": "web"}) for name in "abc"),
    )
    assert [balancer_ip(cluster, n) for n in "abc"] == [
        ["192.168.49.200"],
        ["192.168.49.201"],
        [],
    ]
    assert events(cluster, "c")[-1] == (
        "Warning",
        "AllocationFailed",
        'Failed to allocate IP for "default/c": no available IPs',
        "metallb-controller",
    )
    cluster.api.delete("Service", "a", "default")
    cluster.run_for(1)
    assert balancer_ip(cluster, "c") == ["192.168.49.200"]


def test_an_address_outside_the_pool_is_refused_in_metallbs_words():
    cluster = started(
        new_cluster(seed=2, network=POOL),
        deployment("web", 1),
        service("web", type="LoadBalancer", loadBalancerIP="10.0.0.5"),
    )
    assert balancer_ip(cluster, "web") == []
    assert events(cluster, "web")[-1][1:3] == (
        "AllocationFailed",
        'Failed to allocate IP for "default/web": ["10.0.0.5"] is not allowed in config',
    )


def test_a_service_that_stops_being_a_load_balancer_gives_its_address_back(cluster):
    fresh = started(
        new_cluster(seed=4, network=POOL), deployment("web", 1), service("web", type="LoadBalancer")
    )
    svc = fresh.get("Service", "web")
    svc["spec"]["type"] = "ClusterIP"
    for port in svc["spec"]["ports"]:
        port.pop("nodePort", None)
    fresh.api.update(svc)
    fresh.run_for(1)
    svc = fresh.get("Service", "web")
    assert svc["status"] == {"loadBalancer": {}}
    assert "metallb.io/ip-allocated-from-pool" not in (svc["metadata"].get("annotations") or {})


def test_the_outside_reaches_a_load_balancer_address_and_a_node_port(cluster):
    code, body = outside(cluster, "curl -s -o /dev/null -w '%{http_code}' http://192.168.49.200/")
    assert (code, body) == (0, "200")
    for node in (NODE_1, NODE_2, "192.168.49.2"):
        code, body = outside(
            cluster, f"curl -s -o /dev/null -w '%{{http_code}}' http://{node}:30080/"
        )
        assert (code, body) == (0, "200"), node


def test_the_outside_cannot_reach_cluster_ips_pods_or_cluster_names(cluster):
    ip = cluster_ip(cluster, "web")
    start = cluster.now
    code, text = outside(cluster, f"curl -sS --max-time 3 http://{ip}/")
    assert code == 28
    assert text == "curl: (28) Connection timed out after 3001 milliseconds\n"
    assert cluster.now - start == pytest.approx(3.001)
    pod = next(iter(pod_ips(cluster, "web").values()))
    assert outside(cluster, f"curl -sS --max-time 2 http://{pod}:8080/")[0] == 28
    code, text = outside(cluster, "curl -sS http://web.default.svc.cluster.local/")
    assert (code, text) == (6, "curl: (6) Could not resolve host: web.default.svc.cluster.local\n")


def test_a_closed_node_port_is_refused_and_an_empty_address_has_no_route(cluster):
    code, text = outside(cluster, f"curl -sS http://{NODE_1}:31999/")
    assert code == 7
    assert text.startswith(f"curl: (7) Failed to connect to {NODE_1} port 31999 after 0 ms")
    code, text = outside(cluster, "curl -sS http://192.168.49.77/")
    assert code == 7
    assert "after 3000 ms" in text


def test_external_traffic_policy_local_matters_only_from_outside(cluster):
    (pod_node,) = {
        p["spec"]["nodeName"]
        for p in cluster.api.list("Pod", "default")
        if p["metadata"]["name"].startswith("one-")
    }
    other = "node-2" if pod_node == "node-1" else "node-1"
    svc = cluster.get("Service", "local")
    node_port = svc["spec"]["ports"][0]["nodePort"]
    other_ip = NODE_1 if other == "node-1" else NODE_2
    # MetalLB announces the address only from the node with the endpoint.
    assert announcing_node(cluster.api, svc, balancer_ip(cluster, "local")[0]) == pod_node
    code, _ = outside(
        cluster,
        f"curl -s -o /dev/null -w '%{{http_code}}' http://{balancer_ip(cluster, 'local')[0]}/",
    )
    assert code == 0
    # From outside, the node without an endpoint drops the packet: a time-out.
    code, text = outside(cluster, f"curl -sS --max-time 2 http://{other_ip}:{node_port}/")
    assert (code, text) == (28, "curl: (28) Connection timed out after 2001 milliseconds\n")
    # From a pod or the node itself it is short-circuited to the endpoint.
    exec_result = cluster.exec(
        "client", ["wget", "-qO-", "-T", "2", f"http://{other_ip}:{node_port}/"]
    )
    assert exec_result.exit_code == 0
    line = f"ssh {other} curl -s -o /dev/null -w '%{{http_code}}' http://{other_ip}:{node_port}/"
    result = run_host_line(cluster, line, "en")
    assert (result.exit_code, result.stdout) == (0, "200")


def test_a_node_reaches_cluster_ips_but_not_cluster_names(cluster):
    ip = cluster_ip(cluster, "web")
    result = run_host_line(
        cluster, f"ssh node-1 curl -s -o /dev/null -w '%{{http_code}}' http://{ip}/", "en"
    )
    assert (result.exit_code, result.stdout) == (0, "200")
    result = run_host_line(cluster, "ssh node-1 curl -sS http://web/", "en")
    assert (result.exit_code, result.stdout) == (6, "curl: (6) Could not resolve host: web\n")


def test_ssh_to_an_unknown_node_fails_as_openssh_does(cluster):
    result = run_host_line(cluster, "ssh node-9 hostname", "en")
    assert result.exit_code == 255
    assert result.stderr == "ssh: Could not resolve hostname node-9: Name or service not known\n"
    result = run_host_line(cluster, "ssh node-1", "en")
    assert result.exit_code == 1


def test_a_node_port_answers_on_the_nodes_own_localhost(cluster):
    result = run_host_line(
        cluster, "ssh node-1 curl -s -o /dev/null -w '%{http_code}' http://localhost:30080/", "en"
    )
    assert (result.exit_code, result.stdout) == (0, "200")
    result = run_host_line(cluster, "ssh node-1 curl -sS http://127.0.0.1:30999/", "en")
    assert result.exit_code == 7


@pytest.mark.parametrize(
    ("annotations", "spec", "message"),
    [
        (
            {"metallb.io/loadBalancerIPs": "192.168.49.201"},
            {"loadBalancerIP": "192.168.49.201"},
            "service can not have both metallb.io/loadBalancerIPs and svc.Spec.LoadBalancerIP",
        ),
        ({"metallb.io/loadBalancerIPs": "shop"}, {}, 'invalid metallb.io/loadBalancerIPs: "shop"'),
        (
            {},
            {"loadBalancerIP": "192.168.49.200"},
            'can\'t change sharing key for "default/b", address also in use by default/a',
        ),
    ],
)
def test_metallb_refuses_a_request_in_its_own_words(annotations, spec, message):
    cluster = new_cluster(seed=2, network=POOL)
    cluster.create(deployment("web", 1))
    cluster.create(service("a", type="LoadBalancer", selector={"app": "web"}))
    cluster.run_for(1)
    wanted = service("b", type="LoadBalancer", selector={"app": "web"}, **spec)
    wanted["metadata"]["annotations"] = annotations
    cluster.create(wanted)
    cluster.run_for(1)
    assert balancer_ip(cluster, "b") == []
    assert events(cluster, "b")[-1][1:3] == (
        "AllocationFailed",
        f'Failed to allocate IP for "default/b": {message}',
    )


def test_the_older_metallb_annotation_is_still_honoured():
    cluster = new_cluster(seed=2, network=POOL)
    svc = service("b", type="LoadBalancer")
    svc["metadata"]["annotations"] = {"metallb.universe.tf/loadBalancerIPs": "192.168.49.201"}
    cluster.create(svc)
    cluster.run_for(1)
    assert balancer_ip(cluster, "b") == ["192.168.49.201"]


def test_the_prompt_is_a_terminal_for_curl():
    cluster = started(new_cluster(seed=3), deployment("web", 1, image="nginx"))
    cluster.create(
        service(
            "web",
            target=80,
            type="NodePort",
            ports=[{"port": 80, "targetPort": 80, "nodePort": 30080}],
        )
    )
    cluster.run_for(5)
    # No progress meter when the body goes to the terminal; nginx's own 404 page.
    result = cluster.run_outside(f"curl http://{NODE_1}:30080/nope")
    # (nginx ends its lines with CRLF; a terminal shows them as plain lines.)
    assert result.output == (
        "<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
        "<center><h1>404 Not Found</h1></center>\n<hr><center>nginx/1.29.3</center>\n"
        "</body>\n</html>\n"
    )
    # Into a pipe, the meter shows on the terminal as it ends up after redrawing itself.
    result = cluster.run_outside(f"curl http://{NODE_1}:30080/nope | head -1")
    lines = result.output.splitlines()
    assert lines[0].startswith("  % Total")
    assert lines[2].startswith("100   153  100   153")
    assert "\r" not in result.output
    assert lines[3] == "<html>"


def test_an_address_freed_by_a_type_change_goes_to_a_waiting_service():
    cluster = started(
        new_cluster(seed=2, network=POOL),
        deployment("web", 1),
        *(service(name, type="LoadBalancer", selector={"app": "web"}) for name in "abc"),
    )
    assert balancer_ip(cluster, "c") == []
    svc = cluster.get("Service", "a")
    svc["spec"]["type"] = "ClusterIP"
    for port in svc["spec"]["ports"]:
        port.pop("nodePort", None)
    cluster.api.update(svc)
    cluster.run_for(1)
    assert balancer_ip(cluster, "c") == ["192.168.49.200"]
