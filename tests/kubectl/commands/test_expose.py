"""``kubectl expose`` as kubectl 1.35 (``pkg/cmd/expose/expose.go`` and ``polymorphichelpers``
at v0.35.7) does it: the exposable kinds, the selector, ports, protocols and labels read off
the object, the Service of ``createService`` (no ``type`` unless ``--type``; several ports
named ``port-1``...), ``service/NAME exposed``, and its error texts."""

from __future__ import annotations

import json

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession


def container(name, *ports):
    return {"name": name, "image": "nginx", "ports": list(ports)}


def pod(name, labels, *containers):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": "default", "labels": labels},
        "spec": {"containers": list(containers)},
    }


def replica_set(name, selector, labels):
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name, "namespace": "default", "labels": {"tier": "back"}},
        "spec": {
            "replicas": 0,
            "selector": selector,
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [container("app", {"containerPort": 9000})]},
            },
        },
    }


@pytest.fixture
def files():
    return {}


@pytest.fixture
def session(files):
    session = KubectlSession(new_cluster(), files=lambda path: [(path, files[path])])
    session.run("create deployment web --image=nginx --port=8080")
    return session


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def stored(session, name):
    return json.loads(session.run(f"get svc {name} -o json").stdout)


def test_a_deployment_dry_run_has_no_type_and_no_port_name(session):
    assert run(
        session, "expose deployment web --port=80 --target-port=8080 --dry-run=client -o yaml"
    ) == (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  labels:\n"
        "    app: web\n"
        "  name: web\n"
        "spec:\n"
        "  ports:\n"
        "  - port: 80\n"
        "    protocol: TCP\n"
        "    targetPort: 8080\n"
        "  selector:\n"
        "    app: web\n"
        "status:\n"
        "  loadBalancer: {}\n",
        "",
        0,
    )


def test_every_flag_in_go_struct_order(session):
    stdout, _, _ = run(
        session,
        "expose deploy/web --name=front --port=53 --target-port=dns --protocol=UDP"
        " --type=LoadBalancer --selector=app=web,tier=fe -l team=a --cluster-ip=10.96.0.77"
        " --external-ip=203.0.113.5 --load-balancer-ip=198.51.100.1"
        " --session-affinity=ClientIP -n default --dry-run=client -o json",
    )
    assert json.loads(stdout) == {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": {"name": "front", "namespace": "default", "labels": {"team": "a"}},
        "spec": {
            "ports": [{"protocol": "UDP", "port": 53, "targetPort": "dns"}],
            "selector": {"app": "web", "tier": "fe"},
            "clusterIP": "10.96.0.77",
            "type": "LoadBalancer",
            "externalIPs": ["203.0.113.5"],
            "sessionAffinity": "ClientIP",
            "loadBalancerIP": "198.51.100.1",
        },
        "status": {"loadBalancer": {}},
    }
    # json.loads keeps the order the keys were printed in: ServiceSpec's field order.
    parsed = json.loads(stdout)
    assert list(parsed) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert list(parsed["metadata"]) == ["name", "namespace", "labels"]
    assert list(parsed["spec"]) == [
        "ports",
        "selector",
        "clusterIP",
        "type",
        "externalIPs",
        "sessionAffinity",
        "loadBalancerIP",
    ]


def test_the_port_comes_from_the_container_and_the_server_defaults_the_type(session):
    assert run(session, "expose deployment web") == ("service/web exposed\n", "", 0)
    spec = stored(session, "web")["spec"]
    assert spec["ports"] == [{"port": 8080, "protocol": "TCP", "targetPort": 8080}]
    assert (spec["selector"], spec["type"]) == ({"app": "web"}, "ClusterIP")
    assert run(session, "expose deployment web") == (
        "",
        'Error from server (AlreadyExists): services "web" already exists\n',
        1,
    )
    assert run(session, "expose deployment web --name=web2 --dry-run=server") == (
        "service/web2 exposed (server dry run)\n",
        "",
        0,
    )
    assert run(session, "expose deployment web --name=web3 --dry-run=client")[0] == (
        "service/web3 exposed (dry run)\n"
    )


def test_a_pod_with_several_ports_and_protocols(session):
    session.cluster.api.create(
        pod(
            "dns",
            {"app": "dns"},
            container("a", {"containerPort": 53, "protocol": "UDP"}, {"containerPort": 9153}),
            container("b", {"containerPort": 53, "protocol": "TCP"}, {"containerPort": 8080}),
        )
    )
    stdout, _, _ = run(session, "expose pod dns --dry-run=client -o yaml")
    assert yaml.safe_load(stdout)["spec"]["ports"] == [
        {"name": "port-1-udp", "port": 53, "protocol": "UDP", "targetPort": 53},
        {"name": "port-1-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
        {"name": "port-2", "port": 9153, "protocol": "TCP", "targetPort": 9153},
        {"name": "port-3", "port": 8080, "protocol": "TCP", "targetPort": 8080},
    ]
    # --port names the one port; its protocol still comes from the pod.
    stdout, _, _ = run(session, "expose pod dns --port=9153 -o yaml --dry-run=client")
    assert yaml.safe_load(stdout)["spec"]["ports"] == [
        {"port": 9153, "protocol": "TCP", "targetPort": 9153}
    ]


def test_a_service_is_exposed_with_its_selector_and_ports(session):
    run(session, "expose deployment web --port=80 --target-port=8080")
    assert run(
        session, "expose svc web --port=443 --target-port=8443 --name=web-https --type=NodePort"
    ) == ("service/web-https exposed\n", "", 0)
    spec = stored(session, "web-https")["spec"]
    assert spec["selector"] == {"app": "web"}
    assert spec["type"] == "NodePort"
    assert spec["ports"][0]["targetPort"] == 8443
    assert run(session, "expose service kubernetes --name=api")[1] == (
        "error: couldn't retrieve selectors via --selector flag or introspection: the service"
        " has no pod selector set\n"
    )


def test_replica_sets_and_replication_controllers(session):
    api = session.cluster.api
    api.create(replica_set("plain", {"matchLabels": {"app": "api"}}, {"app": "api"}))
    expressions = {"matchExpressions": [{"key": "app", "operator": "In", "values": ["a", "b"]}]}
    api.create(replica_set("set-based", expressions, {"app": "a"}))
    mixed = {"matchLabels": {"app": "a"}, **expressions}
    api.create(replica_set("mixed", mixed, {"app": "a"}))
    stdout, _, _ = run(session, "expose rs plain --dry-run=client -o yaml")
    exposed = yaml.safe_load(stdout)
    assert exposed["metadata"] == {"labels": {"tier": "back"}, "name": "plain"}
    assert exposed["spec"]["selector"] == {"app": "api"}
    assert run(session, "expose rs set-based")[1] == (
        "error: couldn't retrieve selectors via --selector flag or introspection: invalid"
        " replicaset: no selectors, therefore cannot be exposed\n"
    )
    assert run(session, "expose replicaset/mixed")[1] == (
        "error: couldn't retrieve selectors via --selector flag or introspection: couldn't"
        ' convert expressions - "[{Key:app Operator:In Values:[a b]}]" to map-based selector'
        " format\n"
    )
    api.create(
        {
            "apiVersion": "v1",
            "kind": "ReplicationController",
            "metadata": {"name": "legacy", "namespace": "default"},
            "spec": {
                "replicas": 0,
                "selector": {"app": "legacy"},
                "template": {
                    "metadata": {"labels": {"app": "legacy"}},
                    "spec": {"containers": [container("app", {"containerPort": 80})]},
                },
            },
        }
    )
    assert run(session, "expose rc legacy") == ("service/legacy exposed\n", "", 0)
    assert stored(session, "legacy")["spec"]["selector"] == {"app": "legacy"}


def test_pods_without_labels_or_ports(session):
    api = session.cluster.api
    api.create(pod("bare", {}, container("app")))
    api.create(pod("quiet", {"app": "quiet"}, container("app")))
    assert run(session, "expose pod bare --port=80")[1] == (
        "error: couldn't retrieve selectors via --selector flag or introspection: the pod has no"
        " labels and cannot be exposed\n"
    )
    assert run(session, "expose pod quiet")[1] == (
        "error: couldn't find port via --port flag or introspection\n"
    )
    # A headless Service needs no port.
    assert run(session, "expose pod quiet --cluster-ip=None") == (
        "service/quiet exposed\n",
        "",
        0,
    )
    assert "ports" not in stored(session, "quiet")["spec"]


def test_a_long_name_is_cut_to_63_characters(session):
    name = "a" * 70
    session.cluster.api.create(pod(name, {"app": "long"}, container("app", {"containerPort": 80})))
    stdout, _, _ = run(session, f"expose pod {name} --dry-run=client -o name")
    assert stdout == f"service/{'a' * 63}\n"


def test_kinds_that_cannot_be_exposed_and_missing_objects(session):
    session.run("create configmap settings")
    assert run(session, "expose configmap settings --port=80")[1] == (
        "error: cannot expose a ConfigMap\n"
    )
    session.cluster.api.create(
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "db", "namespace": "default"},
            "spec": {
                "replicas": 0,
                "serviceName": "db",
                "selector": {"matchLabels": {"app": "db"}},
                "template": {
                    "metadata": {"labels": {"app": "db"}},
                    "spec": {"containers": [container("db")]},
                },
            },
        }
    )
    assert run(session, "expose statefulset db --port=5432")[1] == (
        "error: cannot expose a StatefulSet.apps\n"
    )
    assert run(session, "expose deployment nope") == (
        "",
        'Error from server (NotFound): deployments.apps "nope" not found\n',
        1,
    )
    # The objects found are exposed; the errors follow.
    assert run(session, "expose deploy web nope --name=w --dry-run=client") == (
        "service/w exposed (dry run)\n",
        'Error from server (NotFound): deployments.apps "nope" not found\n',
        1,
    )


def test_flag_and_argument_errors(session):
    for command, error in (
        ("expose deploy/web --port=abc", 'strconv.Atoi: parsing "abc": invalid syntax'),
        ("expose deploy/web --session-affinity=Sticky", "unknown session affinity: Sticky"),
        ("expose deploy/web -l a=b,c", "unexpected label spec: c"),
        ("expose deploy/web --selector==web", "unexpected empty label key"),
        ("expose deployment", "resource(s) were provided, but no name was specified"),
    ):
        assert run(session, command) == ("", f"error: {error}\n", 1), command
    assert run(session, "expose")[1] == (
        "error: You must provide one or more resources by argument or filename.\n"
        "Example resource specifications include:\n"
        "   '-f rsrc.yaml'\n"
        "   '--filename=rsrc.json'\n"
        "   '<resource> <name>'\n"
        "   '<resource>'\n"
    )


def test_a_file_is_exposed_as_written(session, files):
    files["api.yaml"] = yaml.safe_dump(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "api", "labels": {"app": "api"}},
            "spec": {
                "selector": {"matchLabels": {"app": "api"}},
                "template": {
                    "metadata": {"labels": {"app": "api"}},
                    "spec": {"containers": [container("api", {"containerPort": 3000})]},
                },
            },
        }
    )
    # The Deployment is not in the cluster: kubectl reads the object from the file.
    assert run(session, "expose -f api.yaml --port=80 --target-port=3000") == (
        "service/api exposed\n",
        "",
        0,
    )
    spec = stored(session, "api")["spec"]
    assert (spec["selector"], spec["ports"][0]["targetPort"]) == ({"app": "api"}, 3000)


def test_a_deployment_file_without_a_selector_cannot_be_exposed(session, files):
    files["bare.yaml"] = yaml.safe_dump(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "bare"},
            "spec": {"template": {"spec": {"containers": [container("c")]}}},
        }
    )
    assert run(session, "expose -f bare.yaml --port=80") == (
        "",
        "error: couldn't retrieve selectors via --selector flag or introspection: invalid"
        " deployment: no selectors, therefore cannot be exposed\n",
        1,
    )


def test_what_the_first_object_filled_in_stays_for_the_next(session):
    # Upstream keeps the selector, port and labels it read on its options: the second
    # Service selects the first Deployment's pods (a kubectl quirk kept on purpose).
    session.run("create deployment api --image=nginx --port=81")
    stdout, _, _ = run(session, "expose deploy web api --dry-run=client -o yaml")
    first, second = (yaml.safe_load(part) for part in stdout.split("---\n"))
    assert (first["metadata"]["name"], second["metadata"]["name"]) == ("web", "api")
    assert second["spec"]["selector"] == {"app": "web"}
    assert second["spec"]["ports"] == [{"port": 8080, "protocol": "TCP", "targetPort": 8080}]


def test_a_malformed_file_gets_kubectl_s_words_not_a_traceback():
    files = {
        "bare.yaml": "apiVersion: v1\nkind: Pod\nmetadata: null\n",
        "labels.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: [1]\n",
        "ports.yaml": (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: x\n  labels: {a: b}\n"
            "spec:\n  containers:\n  - name: c\n    ports: [80]\n"
        ),
    }
    session = KubectlSession(new_cluster(), files=lambda path: [(path, files[path])])
    no_labels = (
        "error: couldn't retrieve selectors via --selector flag or introspection: "
        "the pod has no labels and cannot be exposed\n"
    )
    assert session.run("expose -f bare.yaml").stderr == no_labels
    assert session.run("expose -f labels.yaml").stderr == no_labels
    assert session.run("expose -f ports.yaml").stderr == (
        "error: couldn't find port via --port flag or introspection\n"
    )
