"""``kubectl get``/``describe`` of EndpointSlices and Endpoints as kubectl 1.35 prints them
(``printEndpointSlice``, ``printEndpoints``, ``describeEndpointSliceV1``,
``describeEndpoints``), and the deprecation warning every Endpoints request carries
(/tmp/research/services.md §3c, §3d, §3f). Pods are pinned to node-1, whose pod CIDR is
10.244.1.0/24, so their IPs are known: 10.244.1.2 onwards in creation order."""

from __future__ import annotations

from cluster_helpers import new_cluster

from k8sgame.engine.apiserver.bootstrap import publish_kubernetes_endpoints
from k8sgame.engine.apiserver.identity import API_SERVER
from k8sgame.kubectl.session import KubectlSession

WARNING = "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n"
NEVER_READY = {"tcpSocket": {"port": 9999}, "periodSeconds": 1}


def web_pod(name, labels=None, probe=None, namespace="default"):
    container = {"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}
    if probe is not None:
        container["readinessProbe"] = probe
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace, "labels": labels or {"app": "web"}},
        "spec": {"nodeName": "node-1", "containers": [container]},
    }


def service(name, app, namespace="default", **spec):
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"selector": {"app": app}, "ports": [{"port": 80}], **spec},
    }


def table(*rows):
    """What kubectl's tabwriter prints: each column as wide as its widest cell, 3 spaces
    between columns, nothing after the last."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "".join(
        "   ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False))
        + "   "
        + row[-1]
        + "\n"
        for row in rows
    )


def slice_name(cluster, service_name, namespace="default"):
    [found] = [
        eps["metadata"]["name"]
        for eps in cluster.api.list("EndpointSlice", namespace)
        if eps["metadata"]["labels"].get("kubernetes.io/service-name") == service_name
    ]
    return found


def test_get_shows_addresses_placeholders_and_not_ready_pods():
    cluster = new_cluster()
    # Away from default, where the kubernetes Service's endpoints live.
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    session = KubectlSession(cluster, namespace="shop")
    cluster.create(service("web", "web", "shop"))
    cluster.create(service("empty", "nothing", "shop"))
    cluster.create(service("warming", "warming", "shop"))
    for index in range(4):
        cluster.create(web_pod(f"web-{index}", namespace="shop"))
    cluster.create(
        web_pod("warming-0", labels={"app": "warming"}, probe=NEVER_READY, namespace="shop")
    )
    cluster.run_for(20)
    names = {svc: slice_name(cluster, svc, "shop") for svc in ("web", "empty", "warming")}
    result = session.run("get endpointslices")
    assert (result.stdout, result.stderr) == (
        table(
            ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
            *sorted(
                [
                    [names["empty"], "IPv4", "<unset>", "<unset>", "20s"],
                    # Not-ready addresses are listed too.
                    [names["warming"], "IPv4", "80", "10.244.1.6", "20s"],
                    [
                        names["web"],
                        "IPv4",
                        "80",
                        "10.244.1.2,10.244.1.3,10.244.1.4 + 1 more...",
                        "20s",
                    ],
                ]
            ),
        ),
        "",
    )
    result = session.run("get ep")
    assert result.stdout == table(
        ["NAME", "ENDPOINTS", "AGE"],
        ["empty", "<none>", "20s"],
        # Only not-ready addresses: an empty cell.
        ["warming", "", "20s"],
        ["web", "10.244.1.2:80,10.244.1.3:80,10.244.1.4:80 + 1 more...", "20s"],
    )
    assert result.stderr == WARNING


def test_the_warning_is_printed_once_per_command_and_only_for_endpoints():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(service("web", "web"))
    cluster.run_for(5)
    for command in ("get ep", "get ep web -o yaml", "describe ep web", "get endpoints,pods"):
        result = session.run(command)
        assert (result.exit_code, result.stderr) == (0, WARNING), command
    missing = session.run("get ep nosuch")
    assert (
        missing.stderr == WARNING + 'Error from server (NotFound): endpoints "nosuch" not found\n'
    )
    for command in ("get endpointslices", "describe endpointslices", "get svc", "get all"):
        assert "Warning" not in session.run(command).stderr, command
    # What another caller of the same client left behind is not printed by the next command.
    cluster.api.list("Endpoints", "default")
    assert session.run("get pods").stderr == "No resources found in default namespace.\n"


def test_describe_endpoint_slice_and_endpoints():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(service("web", "web"))
    cluster.create(web_pod("web-0"))
    cluster.create(web_pod("web-1", probe=NEVER_READY))
    cluster.run_for(20)
    name = slice_name(cluster, "web")
    stamp = cluster.get("Endpoints", "web")["metadata"]["annotations"][
        "endpoints.kubernetes.io/last-change-trigger-time"
    ]
    assert session.run(f"describe endpointslice {name}").stdout == (
        f"Name:         {name}\n"
        "Namespace:    default\n"
        "Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io\n"
        "              kubernetes.io/service-name=web\n"
        f"Annotations:  endpoints.kubernetes.io/last-change-trigger-time: {stamp}\n"
        "AddressType:  IPv4\n"
        "Ports:\n"
        "  Name     Port  Protocol\n"
        "  ----     ----  --------\n"
        "  <unset>  80    TCP\n"
        "Endpoints:\n"
        "  - Addresses:  10.244.1.2\n"
        "    Conditions:\n"
        "      Ready:    true\n"
        "    Hostname:   <unset>\n"
        "    TargetRef:  Pod/web-0\n"
        "    NodeName:   node-1\n"
        "    Zone:       <unset>\n"
        "  - Addresses:  10.244.1.3\n"
        "    Conditions:\n"
        "      Ready:    false\n"
        "    Hostname:   <unset>\n"
        "    TargetRef:  Pod/web-1\n"
        "    NodeName:   node-1\n"
        "    Zone:       <unset>\n"
        "Events:         <none>\n"
    )
    result = session.run("describe ep web")
    assert result.stdout == (
        "Name:         web\n"
        "Namespace:    default\n"
        "Labels:       endpoints.kubernetes.io/managed-by=endpoint-controller\n"
        f"Annotations:  endpoints.kubernetes.io/last-change-trigger-time: {stamp}\n"
        "Subsets:\n"
        "  Addresses:          10.244.1.2\n"
        "  NotReadyAddresses:  10.244.1.3\n"
        "  Ports:\n"
        "    Name     Port  Protocol\n"
        "    ----     ----  --------\n"
        "    <unset>  80    TCP\n"
        "\n"
        "Events:  <none>\n"
    )
    assert result.stderr == WARNING


def test_describe_a_placeholder_slice_and_empty_endpoints():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(service("empty", "nothing"))
    name = slice_name(cluster, "empty")
    stamp = cluster.get("EndpointSlice", name)["metadata"]["annotations"][
        "endpoints.kubernetes.io/last-change-trigger-time"
    ]
    assert session.run(f"describe endpointslice {name}").stdout == (
        f"Name:         {name}\n"
        "Namespace:    default\n"
        "Labels:       endpointslice.kubernetes.io/managed-by=endpointslice-controller.k8s.io\n"
        "              kubernetes.io/service-name=empty\n"
        f"Annotations:  endpoints.kubernetes.io/last-change-trigger-time: {stamp}\n"
        "AddressType:  IPv4\n"
        "Ports: <unset>\n"
        "Endpoints: <none>\n"
        "Events:  <none>\n"
    )
    assert session.run("describe ep empty").stdout == (
        "Name:         empty\n"
        "Namespace:    default\n"
        "Labels:       endpoints.kubernetes.io/managed-by=endpoint-controller\n"
        f"Annotations:  endpoints.kubernetes.io/last-change-trigger-time: {stamp}\n"
        "Subsets:\n"
        "Events:  <none>\n"
    )


def test_the_kubernetes_endpoints_in_kubectl():
    cluster = new_cluster()
    publish_kubernetes_endpoints(cluster.client(API_SERVER))
    cluster.settle()
    session = KubectlSession(cluster)
    assert session.run("get endpointslices").stdout == (
        "NAME         ADDRESSTYPE   PORTS   ENDPOINTS      AGE\n"
        "kubernetes   IPv4          6443    192.168.49.2   0s\n"
    )
    result = session.run("get ep")
    assert (result.stdout, result.stderr) == (
        "NAME         ENDPOINTS           AGE\nkubernetes   192.168.49.2:6443   0s\n",
        WARNING,
    )


def test_creating_endpoints_by_hand_for_a_selectorless_service():
    cluster = new_cluster()
    session = KubectlSession(cluster, files=lambda path: [(path, MANUAL)])
    db = service("db", "db")
    del db["spec"]["selector"]
    cluster.create(db)
    result = session.run("apply -f ep.yaml")
    assert (result.stdout, result.stderr) == ("endpoints/db created\n", WARNING)
    cluster.run_for(5)
    # No controller touches the Endpoints of a Service without a selector.
    assert session.run("get ep db").stdout == table(
        ["NAME", "ENDPOINTS", "AGE"], ["db", "10.0.0.5:5432,10.0.0.6:5432", "5s"]
    )


MANUAL = """\
apiVersion: v1
kind: Endpoints
metadata:
  name: db
subsets:
- addresses:
  - ip: 10.0.0.5
  - ip: 10.0.0.6
  ports:
  - port: 5432
"""


def test_the_warning_comes_before_the_table():
    """client-go prints a warning header as the answer arrives, before kubectl prints it."""
    session = KubectlSession(new_cluster())
    pieces = list(session.run("get ep").pieces())
    assert pieces[0] == (
        "stderr",
        "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n",
    )
    assert pieces[1][0] == "stdout" and pieces[1][1].startswith("NAME ")
