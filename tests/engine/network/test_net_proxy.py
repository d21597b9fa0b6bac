"""kube-proxy's endpoint categories and verdicts (engine/network/proxy.py)."""

from k8sgame.engine.network.proxy import ProxyEndpoint, categorize


def ep(ip, local=False, ready=True, serving=None, terminating=False, zones=(), nodes=()):
    serving = ready if serving is None else serving
    return ProxyEndpoint(
        ip, 8080, local, ready, serving, terminating, frozenset(zones), frozenset(nodes)
    )


CLUSTER = {"type": "ClusterIP", "internalTrafficPolicy": "Cluster"}
LOCAL = {"type": "ClusterIP", "internalTrafficPolicy": "Local"}


def ips(endpoints):
    return sorted(e.ip for e in endpoints)


def test_ready_endpoints_are_used_and_not_ready_ones_are_not():
    cluster, local, has_any = categorize(
        [ep("10.0.0.1"), ep("10.0.0.2", ready=False)], CLUSTER, "n1", ""
    )
    assert (ips(cluster), local, has_any) == (["10.0.0.1"], [], True)
    cluster, _, has_any = categorize([ep("10.0.0.2", ready=False)], CLUSTER, "n1", "")
    assert (cluster, has_any) == ([], False)


def test_serving_terminating_endpoints_are_the_fallback():
    draining = ep("10.0.0.3", ready=False, serving=True, terminating=True)
    cluster, _, has_any = categorize([draining, ep("10.0.0.4", ready=False)], CLUSTER, "n1", "")
    assert (ips(cluster), has_any) == (["10.0.0.3"], True)
    cluster, _, _ = categorize([draining, ep("10.0.0.5")], CLUSTER, "n1", "")
    assert ips(cluster) == ["10.0.0.5"]


def test_internal_traffic_policy_local_keeps_this_nodes_endpoints():
    endpoints = [ep("10.0.0.1", local=True), ep("10.0.0.2")]
    _, local, has_any = categorize(endpoints, LOCAL, "n1", "")
    assert (ips(local), has_any) == (["10.0.0.1"], True)
    _, local, has_any = categorize([ep("10.0.0.2")], LOCAL, "n1", "")
    assert (local, has_any) == ([], True)  # endpoints elsewhere: the proxier DROPs


def test_hints_narrow_the_choice_only_when_every_ready_endpoint_has_one():
    hinted = [ep("10.0.0.1", nodes=["n1"]), ep("10.0.0.2", nodes=["n2"])]
    assert ips(categorize(hinted, CLUSTER, "n1", "")[0]) == ["10.0.0.1"]
    assert ips(categorize(hinted, CLUSTER, "n3", "")[0]) == ["10.0.0.1", "10.0.0.2"]
    zoned = [ep("10.0.0.1", zones=["a"]), ep("10.0.0.2", zones=["b"]), ep("10.0.0.3")]
    assert ips(categorize(zoned, CLUSTER, "n1", "a")[0]) == ["10.0.0.1", "10.0.0.2", "10.0.0.3"]
    assert ips(categorize(zoned[:2], CLUSTER, "n1", "a")[0]) == ["10.0.0.1"]
