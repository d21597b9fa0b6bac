"""The endpointslice and endpoints controllers and their kinds: what a Service's
EndpointSlices and Endpoints hold as its pods come, get ready, fail their probes, terminate
and go (K8S facts: /tmp/research/services.md §5a, §5b; ``k8s.io/endpointslice`` v0.35.7)."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sgame.engine.apiserver.bootstrap import kubernetes_endpoints, publish_kubernetes_endpoints
from k8sgame.engine.apiserver.identity import API_SERVER
from k8sgame.engine.controllers.endpoint_util import is_pod_ready
from k8sgame.engine.controllers.endpointslice_reconciler import reconcile_slices
from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import parse as parse_selector

SLICE_USER = "system:serviceaccount:kube-system:endpointslice-controller"
ENDPOINTS_USER = "system:serviceaccount:kube-system:endpoint-controller"
NEVER_READY = {"tcpSocket": {"port": 9999}, "periodSeconds": 1}


def web_pod(name, node="node-1", labels=None, probe=None, ports=None, **spec):
    container = {"name": "web", "image": "nginx", "ports": ports or [{"containerPort": 80}]}
    if probe is not None:
        container["readinessProbe"] = probe
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {"app": "web"}},
        "spec": {"nodeName": node, "containers": [container], **spec},
    }


def service(name="web", selector=None, ports=None, labels=None, **spec):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {
            "selector": selector if selector is not None else {"app": "web"},
            "ports": ports or [{"port": 80}],
            **spec,
        },
    }


def slices_of(cluster, name="web"):
    selector = parse_selector(f"kubernetes.io/service-name={name}")
    return cluster.api.list("EndpointSlice", "default", selector)


def endpoints_of(cluster, name="web"):
    return cluster.api.get("Endpoints", name, "default")


def test_a_slice_lists_the_ready_pods_of_its_service():
    cluster = new_cluster()
    cluster.create(service(labels={"tier": "front"}))
    for name in ("web-1", "web-2"):
        cluster.create(web_pod(name))
    cluster.run_for(20)
    svc = cluster.get("Service", "web")
    [eps] = slices_of(cluster)
    md = eps["metadata"]
    assert md["generateName"] == "web-" and len(md["name"]) == len("web-") + 5
    assert md["labels"] == {
        "tier": "front",
        "kubernetes.io/service-name": "web",
        "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
    }
    assert md["ownerReferences"] == [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "name": "web",
            "uid": svc["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert "endpoints.kubernetes.io/last-change-trigger-time" in md["annotations"]
    assert eps["addressType"] == "IPv4"
    assert eps["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    pods = {name: cluster.get("Pod", name) for name in ("web-1", "web-2")}
    assert eps["endpoints"] == [
        {
            "addresses": [pod["status"]["podIP"]],
            "conditions": {"ready": True, "serving": True, "terminating": False},
            "nodeName": "node-1",
            "targetRef": {
                "kind": "Pod",
                "namespace": "default",
                "name": name,
                "uid": pod["metadata"]["uid"],
            },
        }
        for name, pod in pods.items()
    ]
    writers = {
        line.rsplit("user=", 1)[1]
        for line in cluster.dump_log().splitlines()
        if " EndpointSlice default/web-" in line
    }
    assert writers == {SLICE_USER}


def test_the_endpoints_object_mirrors_ready_and_not_ready_pods():
    cluster = new_cluster()
    cluster.create(service(labels={"tier": "front"}))
    cluster.create(web_pod("web-1"))
    cluster.create(web_pod("web-2", probe=NEVER_READY))
    cluster.run_for(20)
    ip1, ip2 = (cluster.get("Pod", n)["status"]["podIP"] for n in ("web-1", "web-2"))
    ep = endpoints_of(cluster)
    assert ep["metadata"]["labels"] == {
        "tier": "front",
        "endpoints.kubernetes.io/managed-by": "endpoint-controller",
    }
    assert "endpoints.kubernetes.io/last-change-trigger-time" in ep["metadata"]["annotations"]
    [subset] = ep["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == [ip1]
    assert [a["ip"] for a in subset["notReadyAddresses"]] == [ip2]
    assert subset["addresses"][0]["nodeName"] == "node-1"
    assert subset["addresses"][0]["targetRef"]["name"] == "web-1"
    assert subset["ports"] == [{"port": 80, "protocol": "TCP"}]
    [eps] = slices_of(cluster)
    by_pod = {e["targetRef"]["name"]: e["conditions"] for e in eps["endpoints"]}
    assert by_pod == {
        "web-1": {"ready": True, "serving": True, "terminating": False},
        "web-2": {"ready": False, "serving": False, "terminating": False},
    }
    writers = {
        line.rsplit("user=", 1)[1]
        for line in cluster.dump_log().splitlines()
        if " Endpoints default/web " in line
    }
    assert writers == {ENDPOINTS_USER}


def test_publish_not_ready_addresses_lists_every_pod_as_ready():
    cluster = new_cluster()
    cluster.create(service(publishNotReadyAddresses=True))
    cluster.create(web_pod("web-1", probe=NEVER_READY))
    cluster.run_for(20)
    [eps] = slices_of(cluster)
    assert eps["endpoints"][0]["conditions"] == {
        "ready": True,
        "serving": False,
        "terminating": False,
    }
    [subset] = endpoints_of(cluster)["subsets"]
    assert "notReadyAddresses" not in subset and len(subset["addresses"]) == 1


def test_a_named_target_port_resolves_per_pod_and_skips_pods_without_it():
    cluster = new_cluster()
    cluster.create(service(ports=[{"name": "http", "port": 80, "targetPort": "web"}]))
    cluster.create(web_pod("web-1", ports=[{"containerPort": 8080, "name": "web"}]))
    # Same name but UDP: the Service port is TCP, so this pod does not serve it.
    cluster.create(
        web_pod("web-2", ports=[{"containerPort": 9090, "name": "web", "protocol": "UDP"}])
    )
    cluster.run_for(20)
    by_ports = {
        repr(eps["ports"]): [e["targetRef"]["name"] for e in eps["endpoints"]]
        for eps in slices_of(cluster)
    }
    # Endpoints are grouped by the ports they serve: web-2 serves none of them.
    assert by_ports == {
        repr([{"name": "http", "port": 8080, "protocol": "TCP"}]): ["web-1"],
        "None": ["web-2"],
    }
    [subset] = endpoints_of(cluster)["subsets"]
    assert [a["targetRef"]["name"] for a in subset["addresses"]] == ["web-1"]
    assert subset["ports"] == [{"name": "http", "port": 8080, "protocol": "TCP"}]


def test_a_selector_matching_nothing_leaves_a_placeholder_slice():
    cluster = new_cluster()
    cluster.create(web_pod("web-1"))
    cluster.create(service("empty", selector={"app": "nothing"}))
    cluster.run_for(10)
    [eps] = slices_of(cluster, "empty")
    assert eps["endpoints"] is None and eps["ports"] is None
    assert eps["metadata"]["generateName"] == "empty-"
    assert "subsets" not in endpoints_of(cluster, "empty")
    # A matching pod later fills the placeholder itself (an update, not a new slice).
    cluster.create(web_pod("nothing-1", labels={"app": "nothing"}))
    cluster.run_for(10)
    [filled] = slices_of(cluster, "empty")
    assert filled["metadata"]["name"] == eps["metadata"]["name"]
    assert [e["targetRef"]["name"] for e in filled["endpoints"]] == ["nothing-1"]


def test_services_without_selectors_or_external_names_get_nothing():
    cluster = new_cluster()
    cluster.create(web_pod("web-1"))
    manual = service("manual")
    del manual["spec"]["selector"]
    cluster.create(manual)
    cluster.create(
        service("ext", type="ExternalName", externalName="example.com", ports=[{"port": 80}])
    )
    cluster.run_for(10)
    assert slices_of(cluster, "manual") == slices_of(cluster, "ext") == []
    for name in ("manual", "ext"):
        with pytest.raises(ApiError):
            endpoints_of(cluster, name)


def test_a_terminating_pod_stays_in_the_slice_until_it_is_gone():
    cluster = new_cluster()
    cluster.create(service())
    cluster.create(web_pod("web-1"))
    cluster.run_for(20)
    cluster.api.delete("Pod", "web-1", "default")
    cluster.settle()
    [eps] = slices_of(cluster)
    assert eps["endpoints"][0]["conditions"] == {
        "ready": False,
        "serving": True,
        "terminating": True,
    }
    # The Endpoints object lists terminating pods only with publishNotReadyAddresses.
    assert "subsets" not in endpoints_of(cluster)
    cluster.run_for(40)
    [eps] = slices_of(cluster)
    assert eps["endpoints"] is None


def test_a_pod_whose_labels_stop_matching_leaves():
    cluster = new_cluster()
    cluster.create(service())
    cluster.create(web_pod("web-1"))
    cluster.run_for(20)
    cluster.api.patch("Pod", "web-1", "default", {"metadata": {"labels": {"app": "other"}}})
    cluster.settle()
    [eps] = slices_of(cluster)
    assert eps["endpoints"] is None
    assert "subsets" not in endpoints_of(cluster)


def test_the_hostname_is_set_for_a_pod_naming_the_service_as_subdomain():
    cluster = new_cluster()
    cluster.create(service("db", selector={"app": "web"}, clusterIP="None"))
    cluster.create(web_pod("web-0", hostname="web-0", subdomain="db"))
    cluster.create(web_pod("web-1", hostname="web-1"))
    cluster.run_for(20)
    [eps] = slices_of(cluster, "db")
    assert eps["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    assert {e["targetRef"]["name"]: e.get("hostname") for e in eps["endpoints"]} == {
        "web-0": "web-0",
        "web-1": None,
    }
    addresses = endpoints_of(cluster, "db")["subsets"][0]["addresses"]
    assert [a.get("hostname") for a in addresses] == ["web-0", None]


def test_deleting_the_service_deletes_its_slices_and_endpoints():
    cluster = new_cluster()
    cluster.create(service())
    cluster.create(web_pod("web-1"))
    cluster.run_for(20)
    cluster.delete("Service", "web")
    cluster.settle()
    assert slices_of(cluster) == []
    with pytest.raises(ApiError) as caught:
        endpoints_of(cluster)
    assert caught.value.reason == "NotFound"


def test_a_slice_deleted_by_hand_is_put_back_a_second_later():
    cluster = new_cluster()
    cluster.create(service())
    cluster.create(web_pod("web-1"))
    cluster.run_for(20)
    [eps] = slices_of(cluster)
    cluster.delete("EndpointSlice", eps["metadata"]["name"])
    assert slices_of(cluster) == []
    cluster.run_for(1)
    [back] = slices_of(cluster)
    assert back["metadata"]["name"] != eps["metadata"]["name"]
    assert [e["targetRef"]["name"] for e in back["endpoints"]] == ["web-1"]
    cluster.delete("Endpoints", "web")
    assert endpoints_of(cluster)["subsets"][0]["addresses"][0]["targetRef"]["name"] == "web-1"


def test_a_settled_service_writes_nothing_more():
    cluster = new_cluster()
    cluster.create(service())
    cluster.create(web_pod("web-1"))
    cluster.run_for(20)
    before = len(cluster.dump_log().splitlines())
    cluster.run_for(60)
    after = [
        line
        for line in cluster.dump_log().splitlines()[before:]
        if "EndpointSlice" in line or "Endpoints" in line
    ]
    assert after == []


def test_the_kubernetes_service_endpoints_name_the_api_server():
    cluster = new_cluster()
    api = cluster.client(API_SERVER)
    publish_kubernetes_endpoints(api)  # idempotent: the cluster may have written them
    publish_kubernetes_endpoints(api)
    cluster.settle()
    node_ip = "192.168.49.2"  # the control-plane node's InternalIP
    assert cluster.get("Node", "control-plane")["status"]["addresses"][0]["address"] == node_ip
    eps = cluster.get("EndpointSlice", "kubernetes")
    assert eps["metadata"]["labels"] == {"kubernetes.io/service-name": "kubernetes"}
    assert "ownerReferences" not in eps["metadata"]
    assert eps["endpoints"] == [{"addresses": [node_ip], "conditions": {"ready": True}}]
    assert eps["ports"] == [{"name": "https", "port": 6443, "protocol": "TCP"}]
    ep = cluster.get("Endpoints", "kubernetes")
    assert ep["metadata"]["labels"] == {"endpointslice.kubernetes.io/skip-mirror": "true"}
    assert ep["subsets"] == [
        {
            "addresses": [{"ip": node_ip}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        }
    ]
    # Only one slice for it: the endpointslice controller leaves a selectorless Service alone.
    assert [s["metadata"]["name"] for s in slices_of(cluster, "kubernetes")] == ["kubernetes"]
    assert [m["kind"] for m in kubernetes_endpoints("10.0.0.1")] == ["Endpoints", "EndpointSlice"]


def _fake_pod(index, ready, terminating):
    md = {"name": f"p{index:03d}", "namespace": "default", "uid": f"u{index}", "labels": {}}
    if terminating:
        md["deletionTimestamp"] = "2026-01-05T09:00:00Z"
    return {
        "metadata": md,
        "spec": {"nodeName": "node-1", "containers": [{"name": "c", "ports": []}]},
        "status": {
            "phase": "Running",
            "podIP": f"10.244.{index // 250}.{index % 250 + 2}",
            "conditions": [{"type": "Ready", "status": "True" if ready else "False"}],
        },
    }


def _svc(**spec):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "namespace": "default", "uid": "svc-uid", "labels": {}},
        "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}], **spec},
    }


def _node(name):
    return {"metadata": {"name": name, "labels": {}}}


def test_a_slice_holds_at_most_100_endpoints():
    pods = [_fake_pod(i, True, False) for i in range(150)]
    [plan, stale] = reconcile_slices(_svc(), pods, [], _node, 0.0)
    assert [len(s["endpoints"]) for s in plan.create] == [100, 50]
    assert plan.update == plan.delete == stale.delete == []


@settings(max_examples=40, deadline=None)
@given(
    states=st.lists(st.tuples(st.booleans(), st.booleans()), min_size=0, max_size=12),
    publish=st.booleans(),
)
def test_the_reconciler_never_calls_a_not_ready_pod_ready(states, publish):
    pods = [_fake_pod(i, ready, terminating) for i, (ready, terminating) in enumerate(states)]
    plans = reconcile_slices(_svc(publishNotReadyAddresses=publish), pods, [], _node, None)
    listed = {
        e["targetRef"]["name"]: e["conditions"]
        for plan in plans
        for eps in plan.create
        for e in eps.get("endpoints") or []
    }
    assert len(listed) == len(pods)
    for pod in pods:
        conditions = listed[pod["metadata"]["name"]]
        wanted = publish or (is_pod_ready(pod) and "deletionTimestamp" not in pod["metadata"])
        assert conditions["ready"] is wanted


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["add", "add-unready", "delete", "relabel"]), st.integers(0, 3)),
        min_size=1,
        max_size=6,
    ),
    publish=st.booleans(),
)
def test_a_slice_never_lists_a_not_ready_pod_as_ready(steps, publish):
    """Whatever pods come, fail their probes, lose their labels or terminate, every
    EndpointSlice the controller writes calls an endpoint ready only if its pod is Ready and
    not terminating at that moment, unless the Service publishes not-ready addresses."""
    cluster = new_cluster()
    cluster.create(service(publishNotReadyAddresses=publish))
    broken: list[str] = []

    def check(event):
        if event.type == "DELETED":
            return
        for endpoint in event.obj.get("endpoints") or []:
            if not endpoint["conditions"]["ready"] or publish:
                continue
            pod = cluster.store.peek("Pod", endpoint["targetRef"]["name"], "default")
            if pod is None or not is_pod_ready(pod) or pod["metadata"].get("deletionTimestamp"):
                broken.append(endpoint["targetRef"]["name"])

    cluster.store.watch(check, ("EndpointSlice",))
    for action, index in steps:
        name = f"web-{index}"
        exists = cluster.store.peek("Pod", name, "default") is not None
        if action.startswith("add") and not exists:
            probe = NEVER_READY if action == "add-unready" else None
            cluster.create(web_pod(name, node=f"node-{index % 2 + 1}", probe=probe))
        elif action == "delete" and exists:
            cluster.api.delete("Pod", name, "default")
        elif action == "relabel" and exists:
            cluster.api.patch("Pod", name, "default", {"metadata": {"labels": {"app": "x"}}})
        cluster.run_for(7)
    assert broken == []


def test_endpoint_slice_validation():
    cluster = new_cluster()

    def refused(manifest):
        with pytest.raises(ApiError) as caught:
            cluster.api.create(manifest)
        return [str(c) for c in caught.value.causes]

    base = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice"}
    assert refused({**base, "metadata": {"name": "a"}, "endpoints": []}) == [
        "addressType: Required value"
    ]
    assert refused({**base, "metadata": {"name": "a"}, "addressType": "IP", "endpoints": []}) == [
        'addressType: Unsupported value: "IP": supported values: "FQDN", "IPv4", "IPv6"'
    ]
    assert refused(
        {
            **base,
            "metadata": {"name": "a"},
            "addressType": "IPv4",
            "endpoints": [{"addresses": []}, {"addresses": [f"10.0.0.{i}" for i in range(101)]}],
            "ports": [{"name": "Http", "port": 80}, {"name": "Http", "port": 81}],
        }
    ) == [
        "endpoints[0].addresses: Required value: must contain at least 1 address",
        "endpoints[1].addresses: Too many: 101: must have at most 100 items",
        "ports[0].name: Invalid value: \"Http\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        "ports[1].name: Invalid value: \"Http\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        'ports[1].name: Duplicate value: "Http"',
    ]
    made = cluster.api.create(
        {
            **base,
            "metadata": {"name": "a"},
            "addressType": "IPv4",
            "endpoints": [{"addresses": ["10.0.0.1"]}],
            "ports": [{"port": 80}],
        }
    )
    assert made["ports"] == [{"name": "", "port": 80, "protocol": "TCP"}]
    assert made["metadata"]["generation"] == 1
    made["addressType"] = "IPv6"
    with pytest.raises(ApiError) as caught:
        cluster.api.update(made)
    assert 'addressType: Invalid value: "IPv6": field is immutable' in [
        str(c) for c in caught.value.causes
    ]


def test_endpoints_validation_and_deprecation_warning():
    cluster = new_cluster()
    api = cluster.client(API_SERVER)
    with pytest.raises(ApiError) as caught:
        api.create(
            {
                "apiVersion": "v1",
                "kind": "Endpoints",
                "metadata": {"name": "manual"},
                "subsets": [
                    {"ports": [{"port": 80}]},
                    {"addresses": [{"ip": "127.0.0.1"}], "ports": [{"port": 0}, {"port": 81}]},
                ],
            }
        )
    assert [str(c) for c in caught.value.causes] == [
        "subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`",
        'subsets[1].addresses[0].ip: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
        "subsets[1].ports[0].name: Required value",
        "subsets[1].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "subsets[1].ports[1].name: Required value",
    ]
    warning = "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice"
    assert api.take_warnings() == [warning]
    api.list("Endpoints", "default")
    api.list("Endpoints", "default")
    assert api.take_warnings() == [warning]  # once, however many answers carried it
    api.list("EndpointSlice", "default")
    assert api.take_warnings() == []
