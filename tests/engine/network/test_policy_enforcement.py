"""NetworkPolicy in the traffic path: Calico enforces it (a denied packet is dropped, the
client times out), Flannel does not; egress rules hold DNS too."""

import pytest
from cluster_helpers import new_cluster
from hypothesis import given, settings
from hypothesis import strategies as st
from network_helpers import client_pod, deployment, service

from k8sgame.engine.network.client import OPEN
from k8sgame.engine.network.policy import pod_endpoint
from k8sgame.engine.network.setup import NetworkSetup

DENY_INGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "default-deny", "namespace": "default"},
    "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
}
ALLOW_CLIENT = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "allow-client", "namespace": "default"},
    "spec": {
        "podSelector": {"matchLabels": {"app": "web"}},
        "ingress": [{"from": [{"podSelector": {"matchLabels": {"role": "client"}}}]}],
    },
}
DENY_EGRESS = {
    "apiVersion": "networking.k8s.io/v1",
    "kind": "NetworkPolicy",
    "metadata": {"name": "deny-egress", "namespace": "default"},
    "spec": {"podSelector": {"matchLabels": {"role": "client"}}, "policyTypes": ["Egress"]},
}


def build(plugin):
    cluster = new_cluster(seed=4, network=NetworkSetup(plugin=plugin))
    client = client_pod()
    client["metadata"]["labels"] = {"role": "client"}
    for manifest in (deployment("web", 2), service("web"), client, client_pod("other")):
        cluster.create(manifest)
    cluster.run_for(30)
    return cluster


def wget(cluster, pod, url="http://web/"):
    result = cluster.exec(pod, ["wget", "-qO-", "-T", "2", url])
    return result.exit_code, result.output


@pytest.mark.parametrize("plugin", ["calico", "flannel"])
def test_default_deny_drops_traffic_only_on_an_enforcing_plugin(plugin):
    cluster = build(plugin)
    assert wget(cluster, "client")[0] == 0
    cluster.create(DENY_INGRESS)
    code, output = wget(cluster, "client")
    if plugin == "flannel":
        assert code == 0
    else:
        assert (code, output) == (1, "wget: download timed out\n")
    cluster.create(ALLOW_CLIENT)
    assert wget(cluster, "client")[0] == 0
    assert wget(cluster, "other")[0] == (0 if plugin == "flannel" else 1)


def test_default_deny_egress_also_stops_dns():
    cluster = build("calico")
    cluster.create(DENY_EGRESS)
    code, output = wget(cluster, "client")
    assert code == 1
    assert output == "wget: bad address 'web'\n"
    # The other pod is not selected: it still resolves and connects.
    assert wget(cluster, "other")[0] == 0


LABELS = st.sampled_from([{}, {"app": "web"}, {"role": "client"}])


def policy(index, selected, allowed_from, types):
    spec = {"podSelector": {"matchLabels": selected}, "policyTypes": types}
    if "Ingress" in types:
        spec["ingress"] = [{"from": [{"podSelector": {"matchLabels": allowed_from}}]}]
    if "Egress" in types:
        spec["egress"] = [{"to": [{"podSelector": {"matchLabels": allowed_from}}]}]
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": f"p{index}", "namespace": "default"},
        "spec": spec,
    }


@pytest.fixture(scope="module")
def calico():
    return build("calico")


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            LABELS, LABELS, st.sampled_from([["Ingress"], ["Egress"], ["Ingress", "Egress"]])
        ),
        max_size=3,
    ),
    st.sampled_from(["client", "other"]),
)
def test_no_connection_crosses_a_policy_that_denies_it(calico, policies, client):
    for old in calico.api.list("NetworkPolicy", "default"):
        calico.api.delete("NetworkPolicy", old["metadata"]["name"], "default")
    for index, (selected, allowed_from, types) in enumerate(policies):
        calico.api.create(policy(index, selected, allowed_from, types))
    source = calico.network.for_pod(calico.get("Pod", client))
    index = calico.network.policies()
    src = calico.network.endpoint_of(source.source)
    for pod in calico.api.list("Pod", "default"):
        if not pod["metadata"]["name"].startswith("web-"):
            continue
        ip = pod["status"]["podIP"]
        connection = source.connect(ip, 8080, calico.now)
        allowed = index.evaluate(src, pod_endpoint(pod, {}), 8080).allowed
        assert (connection.state == OPEN) == allowed


def test_curl_gives_up_on_a_name_whose_queries_are_dropped():
    cluster = build("calico")
    cluster.create(DENY_EGRESS)
    cluster.create(client_pod("curler", image="nginx"))  # busybox has no curl
    cluster.run_for(20)
    pod = cluster.get("Pod", "curler")
    pod["metadata"]["labels"] = {"role": "client"}
    cluster.api.update(pod)
    start = cluster.now
    result = cluster.exec("curler", ["curl", "-sS", "-m", "10", "http://web/"])
    assert result.exit_code == 28
    assert result.output == "curl: (28) Resolving timed out after 10001 milliseconds\n"
    assert cluster.now - start == pytest.approx(10.001)
    # Without a limit the resolver gives up first (two 5 s tries): curl's (6).
    result = cluster.exec("curler", ["curl", "-sS", "http://web/"])
    assert (result.exit_code, result.output) == (6, "curl: (6) Could not resolve host: web\n")


def test_a_node_port_is_no_way_around_the_policies():
    cluster = build("calico")
    web = cluster.get("Service", "web")
    web["spec"]["type"] = "NodePort"
    cluster.api.update(web)
    cluster.run_for(1)
    node_port = cluster.get("Service", "web")["spec"]["ports"][0]["nodePort"]
    pods = [
        p for p in cluster.api.list("Pod", "default") if p["metadata"]["name"].startswith("web-")
    ]
    hosts = {p["status"]["hostIP"] for p in pods}
    # The client pod's egress policy holds for a node port too (checked before the SNAT).
    cluster.create(DENY_EGRESS)
    for host in hosts:
        code, _ = wget(cluster, "client", f"http://{host}:{node_port}/")
        assert code == 1
    cluster.api.delete("NetworkPolicy", "deny-egress", "default")
    # From outside, a default-deny ingress policy holds on the very node the pod runs on
    # (the masquerade happens after Calico's check there).
    cluster.create(DENY_INGRESS)
    for host in sorted(hosts):
        result = cluster.run_outside(f"curl -sS -m 3 http://{host}:{node_port}/")
        assert result.exit_code == 28, host
