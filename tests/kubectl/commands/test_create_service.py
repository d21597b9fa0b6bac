"""``kubectl create service clusterip|nodeport|loadbalancer|externalname`` as kubectl 1.35
(``pkg/cmd/create/create_service.go`` at v0.35.7) builds, prints and reports errors: the
object of ``createService`` (labels and selector ``app: NAME``, ports named after ``--tcp``
with ``:`` as ``-``, ``status: loadBalancer: {}``, no ``creationTimestamp: null`` since
apimachinery 0.34), the checks of cobra, ``Complete`` and ``Validate`` in that order, and the
server's errors wrapped as ``failed to create <Type> service: <server message>``."""

from __future__ import annotations

import json

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    return KubectlSession(new_cluster())


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_cluster_ip_dry_run_yaml(session):
    assert run(session, "create service clusterip web --tcp=80:8080 --dry-run=client -o yaml") == (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  labels:\n"
        "    app: web\n"
        "  name: web\n"
        "spec:\n"
        "  ports:\n"
        "  - name: 80-8080\n"
        "    port: 80\n"
        "    protocol: TCP\n"
        "    targetPort: 8080\n"
        "  selector:\n"
        "    app: web\n"
        "  type: ClusterIP\n"
        "status:\n"
        "  loadBalancer: {}\n",
        "",
        0,
    )


def test_node_port_dry_run_json_keeps_go_struct_order(session):
    stdout, _, _ = run(
        session,
        "create service nodeport web --tcp=80:8080,443 --node-port=30080 --dry-run=client -o json",
    )
    assert stdout == (
        "{\n"
        '    "kind": "Service",\n'
        '    "apiVersion": "v1",\n'
        '    "metadata": {\n'
        '        "name": "web",\n'
        '        "labels": {\n'
        '            "app": "web"\n'
        "        }\n"
        "    },\n"
        '    "spec": {\n'
        '        "ports": [\n'
        "            {\n"
        '                "name": "80-8080",\n'
        '                "protocol": "TCP",\n'
        '                "port": 80,\n'
        '                "targetPort": 8080,\n'
        '                "nodePort": 30080\n'
        "            },\n"
        "            {\n"
        '                "name": "443",\n'
        '                "protocol": "TCP",\n'
        '                "port": 443,\n'
        '                "targetPort": 443,\n'
        '                "nodePort": 30080\n'
        "            }\n"
        "        ],\n"
        '        "selector": {\n'
        '            "app": "web"\n'
        "        },\n"
        '        "type": "NodePort"\n'
        "    },\n"
        '    "status": {\n'
        '        "loadBalancer": {}\n'
        "    }\n"
        "}\n"
    )


def test_load_balancer_with_a_named_target_and_a_namespace(session):
    stdout, _, _ = run(
        session,
        "create service loadbalancer lb --tcp=443:https -n kube-system --dry-run=client -o yaml",
    )
    assert stdout == (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  labels:\n"
        "    app: lb\n"
        "  name: lb\n"
        "  namespace: kube-system\n"
        "spec:\n"
        "  ports:\n"
        "  - name: 443-https\n"
        "    port: 443\n"
        "    protocol: TCP\n"
        "    targetPort: https\n"
        "  selector:\n"
        "    app: lb\n"
        "  type: LoadBalancer\n"
        "status:\n"
        "  loadBalancer: {}\n"
    )


def test_external_name_still_gets_a_selector(session):
    stdout, _, _ = run(
        session,
        "create service externalname ext --external-name=db.example.com --dry-run=client -o yaml",
    )
    assert stdout == (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  labels:\n"
        "    app: ext\n"
        "  name: ext\n"
        "spec:\n"
        "  externalName: db.example.com\n"
        "  selector:\n"
        "    app: ext\n"
        "  type: ExternalName\n"
        "status:\n"
        "  loadBalancer: {}\n"
    )


def test_headless_needs_no_port(session):
    stdout, _, _ = run(
        session, "create service clusterip db --clusterip=None --dry-run=client -o yaml"
    )
    assert stdout == (
        "apiVersion: v1\n"
        "kind: Service\n"
        "metadata:\n"
        "  labels:\n"
        "    app: db\n"
        "  name: db\n"
        "spec:\n"
        "  clusterIP: None\n"
        "  selector:\n"
        "    app: db\n"
        "  type: ClusterIP\n"
        "status:\n"
        "  loadBalancer: {}\n"
    )
    assert run(session, "create service clusterip db --clusterip=None")[0] == (
        "service/db created\n"
    )
    assert session.run("get svc db").stdout.splitlines()[1].split() == [
        "db",
        "ClusterIP",
        "None",
        "<none>",
        "<none>",
        "0s",
    ]


def test_what_each_mode_prints_and_what_the_server_stores(session):
    assert run(session, "create service nodeport web --tcp=80:8080 --dry-run=client")[0] == (
        "service/web created (dry run)\n"
    )
    assert run(session, "create svc nodeport web --tcp=80:8080 --dry-run=server")[0] == (
        "service/web created (server dry run)\n"
    )
    assert session.run("get svc web").stderr == (
        'Error from server (NotFound): services "web" not found\n'
    )
    assert run(session, "create service nodeport web --tcp=80:8080 --node-port=30080")[0] == (
        "service/web created\n"
    )
    stored = json.loads(session.run("get svc web -o json").stdout)
    assert stored["metadata"]["labels"] == {"app": "web"}
    assert stored["spec"]["ports"] == [
        {"name": "80-8080", "nodePort": 30080, "port": 80, "protocol": "TCP", "targetPort": 8080}
    ]
    assert stored["spec"]["externalTrafficPolicy"] == "Cluster"
    assert stored["status"] == {"loadBalancer": {}}
    assert run(session, "create service clusterip api --tcp=443 -o name")[0] == "service/api\n"


def test_client_side_errors(session):
    for command, error in (
        ("create service clusterip web", "at least one tcp port specifier must be provided"),
        ("create service loadbalancer web", "at least one tcp port specifier must be provided"),
        ("create service externalname web", 'required flag(s) "external-name" not set'),
        (
            "create service externalname web --external-name=Bad_Name",
            "invalid service external name Bad_Name",
        ),
        (
            "create service clusterip web --tcp=abc",
            'strconv.ParseUint: parsing "abc": invalid syntax',
        ),
        (
            "create service clusterip web --tcp=70000",
            'strconv.ParseUint: parsing "70000": value out of range',
        ),
        ("create service clusterip web --tcp=80:0", "must be between 1 and 65535, inclusive"),
        (
            "create service clusterip web --tcp=80:",
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-),"
            "must contain at least one letter (a-z)",
        ),
        (
            "create service clusterip web --tcp=80:web--api-",
            "must not contain consecutive hyphens,must not begin or end with a hyphen",
        ),
        (
            "create service clusterip web --tcp=80 --dry-run=bogus",
            'Invalid dry-run value (bogus). Must be "none", "server", or "client".',
        ),
    ):
        assert run(session, command) == ("", f"error: {error}\n", 1), command


def test_exactly_one_name(session):
    for command, count in (
        ("create service clusterip --tcp=80", 0),
        ("create service nodeport a b --tcp=80", 2),
    ):
        verb = " ".join(command.split()[:3])
        assert run(session, command)[1] == (
            f"error: exactly one NAME is required, got {count}\n"
            f"See 'kubectl {verb} -h' for help and examples\n"
        )


def test_server_errors_are_wrapped_with_the_type(session):
    assert run(session, "create service nodeport web --tcp=80 --node-port=80")[1] == (
        'error: failed to create NodePort service: Service "web" is invalid: spec.ports[0].'
        "nodePort: Invalid value: 80: provided port is not in the valid range. The range of"
        " valid ports is 30000-32767\n"
    )
    assert run(session, "create service nodeport web --tcp=80 --node-port=30080")[2] == 0
    assert run(session, "create service nodeport web2 --tcp=80 --node-port=30080")[1] == (
        'error: failed to create NodePort service: Service "web2" is invalid: spec.ports[0].'
        "nodePort: Invalid value: 30080: provided port is already allocated\n"
    )
    assert run(session, "create service clusterip web --tcp=80")[1] == (
        'error: failed to create ClusterIP service: services "web" already exists\n'
    )
    # Several causes: the server's own message, an aggregate in brackets.
    assert run(session, "create service clusterip 1web --tcp=0")[1] == (
        'error: failed to create ClusterIP service: Service "1web" is invalid: [metadata.name:'
        ' Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric'
        " characters or '-', start with an alphabetic character, and end with an alphanumeric"
        " character (e.g. 'my-name',  or 'abc-123', regex used for validation is"
        " '[a-z]([-a-z0-9]*[a-z0-9])?'), spec.ports[0].port: Invalid value: 0: must be between"
        " 1 and 65535, inclusive, spec.ports[0].targetPort: Invalid value: 0: must be between 1"
        " and 65535, inclusive]\n"
    )


def test_a_duplicate_port_is_shown_as_the_internal_struct(session):
    assert run(session, "create service clusterip two --tcp=443 --tcp=443")[1] == (
        'error: failed to create ClusterIP service: Service "two" is invalid: [spec.ports[1].'
        'name: Duplicate value: "443", spec.ports[1]: Duplicate value: {"Name":"",'
        '"Protocol":"TCP","AppProtocol":null,"Port":443,"TargetPort":0,"NodePort":0}]\n'
    )


def test_the_group_command_alone_prints_its_help(session):
    stdout, stderr, code = run(session, "create service")
    assert (stdout, code) == ("", 1)
    assert stderr == (
        "Create a service using a specified subcommand.\n"
        "\n"
        "Aliases:\n"
        "service, svc\n"
        "\n"
        "Available Commands:\n"
        "  clusterip      Create a ClusterIP service\n"
        "  externalname   Create an ExternalName service\n"
        "  loadbalancer   Create a LoadBalancer service\n"
        "  nodeport       Create a NodePort service\n"
        "\n"
        "Usage:\n"
        "  kubectl create service [flags] [options]\n"
        "\n"
        'Use "kubectl create service <command> --help" for more information about a given'
        " command.\n"
        'Use "kubectl options" for a list of global command-line options (applies to all'
        " commands).\n"
    )
    assert run(session, "create svc headless web")[1] == (
        'error: unknown command "headless web"\n'
        "See 'kubectl create service -h' for help and examples\n"
    )
