"""``kubectl create ingress`` as kubectl 1.35 builds, prints and refuses it
(``pkg/cmd/create/create_ingress.go`` at v0.35.7): one rule per host with the paths in the
order given, ``Exact`` unless the path ends in ``*`` (then ``Prefix`` without it), ports as
``intstr.Parse`` reads them, TLS entries merged by secret with each host taken once,
``metadata.namespace`` only with ``-n``, ``status: loadBalancer: {}``; ``Validate``'s errors
in its order, the panic of a rule ``buildHTTPIngressPath`` cannot split, and the server's
errors wrapped as ``failed to create ingress: ...``."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.commands.create_ingress import (
    RULE_PATTERN,
    backend_port,
    ingress_rules,
    ingress_tls,
)
from k8sgame.kubectl.session import KubectlSession

RULE_FORMAT = "should be in format host/path=svcname:svcport[,tls[=secret]]"


@pytest.fixture
def session():
    return KubectlSession(new_cluster())


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_the_simple_example_as_yaml(session):
    assert run(
        session,
        'create ingress simple --rule="foo.com/bar=svc1:8080,tls=my-cert" --dry-run=client -o yaml',
    ) == (
        "apiVersion: networking.k8s.io/v1\n"
        "kind: Ingress\n"
        "metadata:\n"
        "  name: simple\n"
        "spec:\n"
        "  rules:\n"
        "  - host: foo.com\n"
        "    http:\n"
        "      paths:\n"
        "      - backend:\n"
        "          service:\n"
        "            name: svc1\n"
        "            port:\n"
        "              number: 8080\n"
        "        path: /bar\n"
        "        pathType: Exact\n"
        "  tls:\n"
        "  - hosts:\n"
        "    - foo.com\n"
        "    secretName: my-cert\n"
        "status:\n"
        "  loadBalancer: {}\n",
        "",
        0,
    )


def test_catch_all_with_a_class_and_a_named_port(session):
    stdout, _, _ = run(
        session,
        'create ingress catch-all --class=otheringress --rule="/path=svc:port" --dry-run=client -o yaml',
    )
    assert stdout == (
        "apiVersion: networking.k8s.io/v1\n"
        "kind: Ingress\n"
        "metadata:\n"
        "  name: catch-all\n"
        "spec:\n"
        "  ingressClassName: otheringress\n"
        "  rules:\n"
        "  - http:\n"
        "      paths:\n"
        "      - backend:\n"
        "          service:\n"
        "            name: svc\n"
        "            port:\n"
        "              name: port\n"
        "        path: /path\n"
        "        pathType: Exact\n"
        "status:\n"
        "  loadBalancer: {}\n"
    )


def test_json_keeps_go_struct_order_and_sorts_annotations(session):
    stdout, _, _ = run(
        session,
        "create ingress ingdefault --class=default --default-backend=defaultsvc:http "
        '--rule="foo.com/*=svc:8080,tls=secret1" --rule="bar.com/admin*=svc2:http,tls=secret1" '
        "--annotation=b=2 --annotation=a=1=x -n team --dry-run=client -o json",
    )
    assert stdout == (
        "{\n"
        '    "kind": "Ingress",\n'
        '    "apiVersion": "networking.k8s.io/v1",\n'
        '    "metadata": {\n'
        '        "name": "ingdefault",\n'
        '        "namespace": "team",\n'
        '        "annotations": {\n'
        '            "a": "1=x",\n'
        '            "b": "2"\n'
        "        }\n"
        "    },\n"
        '    "spec": {\n'
        '        "ingressClassName": "default",\n'
        '        "defaultBackend": {\n'
        '            "service": {\n'
        '                "name": "defaultsvc",\n'
        '                "port": {\n'
        '                    "name": "http"\n'
        "                }\n"
        "            }\n"
        "        },\n"
        '        "tls": [\n'
        "            {\n"
        '                "hosts": [\n'
        '                    "foo.com",\n'
        '                    "bar.com"\n'
        "                ],\n"
        '                "secretName": "secret1"\n'
        "            }\n"
        "        ],\n"
        '        "rules": [\n'
        "            {\n"
        '                "host": "foo.com",\n'
        '                "http": {\n'
        '                    "paths": [\n'
        "                        {\n"
        '                            "path": "/",\n'
        '                            "pathType": "Prefix",\n'
        '                            "backend": {\n'
        '                                "service": {\n'
        '                                    "name": "svc",\n'
        '                                    "port": {\n'
        '                                        "number": 8080\n'
        "                                    }\n"
        "                                }\n"
        "                            }\n"
        "                        }\n"
        "                    ]\n"
        "                }\n"
        "            },\n"
        "            {\n"
        '                "host": "bar.com",\n'
        '                "http": {\n'
        '                    "paths": [\n'
        "                        {\n"
        '                            "path": "/admin",\n'
        '                            "pathType": "Prefix",\n'
        '                            "backend": {\n'
        '                                "service": {\n'
        '                                    "name": "svc2",\n'
        '                                    "port": {\n'
        '                                        "name": "http"\n'
        "                                    }\n"
        "                                }\n"
        "                            }\n"
        "                        }\n"
        "                    ]\n"
        "                }\n"
        "            }\n"
        "        ]\n"
        "    },\n"
        '    "status": {\n'
        '        "loadBalancer": {}\n'
        "    }\n"
        "}\n"
    )


def test_rules_merge_by_host_and_tls_by_secret():
    rules = [
        "foo.com/=svc:https,tls",
        "bar.com/=svc:80,tls",
        "foo.com/x=svc:81,tls=other",
        "/path=svc:port,tls",
        "foo.com/path/subpath*=othersvc:8080",
    ]
    assert ingress_rules(rules) == [
        {
            "host": "foo.com",
            "http": {
                "paths": [
                    {
                        "path": "/",
                        "pathType": "Exact",
                        "backend": {"service": {"name": "svc", "port": {"name": "https"}}},
                    },
                    {
                        "path": "/x",
                        "pathType": "Exact",
                        "backend": {"service": {"name": "svc", "port": {"number": 81}}},
                    },
                    {
                        "path": "/path/subpath",
                        "pathType": "Prefix",
                        "backend": {"service": {"name": "othersvc", "port": {"number": 8080}}},
                    },
                ]
            },
        },
        {
            "host": "bar.com",
            "http": {
                "paths": [
                    {
                        "path": "/",
                        "pathType": "Exact",
                        "backend": {"service": {"name": "svc", "port": {"number": 80}}},
                    }
                ]
            },
        },
        {
            "http": {
                "paths": [
                    {
                        "path": "/path",
                        "pathType": "Exact",
                        "backend": {"service": {"name": "svc", "port": {"name": "port"}}},
                    }
                ]
            }
        },
    ]
    # foo.com and bar.com share the entry without a secret; foo.com's later "tls=other" is
    # skipped (the host is taken), and the host-less rule joins the secret-less entry as an
    # empty host (which the API server then refuses). Only a rule with exactly one comma
    # asks for TLS, whatever follows it.
    assert ingress_tls(rules) == [{"hosts": ["foo.com", "bar.com", ""]}]
    assert ingress_tls(["a.com/=s:1,tls=x,y", "b.com/=s:1,anything"]) == [{"hosts": ["b.com"]}]
    assert ingress_tls(["/=s:1,tls=only-secret", "c.com/=s:1,tls=only-secret"]) == [
        {"hosts": ["c.com"], "secretName": "only-secret"}
    ]


def test_ports_as_intstr_parse_reads_them():
    assert backend_port("8080") == {"number": 8080}
    assert backend_port("08080") == {"number": 8080}
    assert backend_port("0") == {}
    assert backend_port("-1") == {"number": -1}
    assert backend_port("4294967377") == {"number": 81}  # int32 wraps
    assert backend_port("http") == {"name": "http"}
    assert backend_port("") == {}


def test_the_rule_pattern_is_anchored_at_the_start_only():
    for good in ("foo.com/bar=svc:80", "/=s:p", "*.foo.com/a*=s_1:p-1", "foo.com/bar=svc:80junk!"):
        assert RULE_PATTERN.match(good), good
    for bad in (
        "foo.com",
        "foo.com/bar=svc",
        "foo.com/bar=:80",
        "foo:com/bar=svc:80",
        "é.com/=s:1",
    ):
        assert not RULE_PATTERN.match(bad), bad


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (
            "create ingress x --dry-run=client",
            "error: not enough information provided: every ingress has to either specify a "
            "default-backend (which catches all traffic) or a list of rules (which catch "
            "specific paths)\n",
        ),
        (
            "create ingress x --rule=foo.com=svc:80 --rule=bad",
            f"error: rule foo.com=svc:80 is invalid and {RULE_FORMAT}\n",
        ),
        (
            "create ingress x --rule=/=svc:80 --annotation=novalue",
            "error: annotation novalue is invalid and should be in format key=[value]\n",
        ),
        (
            "create ingress x --default-backend=svc",
            "error: default-backend should be in format servicename:serviceport\n",
        ),
        (
            "create ingress x --default-backend=svc:80:90",
            "error: default-backend should be in format servicename:serviceport\n",
        ),
        (
            "create ingress --rule=/=svc:80",
            "error: exactly one NAME is required, got 0\n"
            "See 'kubectl create ingress -h' for help and examples\n",
        ),
        (
            "create ing a b --rule=/=svc:80",
            "error: exactly one NAME is required, got 2\n"
            "See 'kubectl create ingress -h' for help and examples\n",
        ),
    ],
)
def test_client_side_errors(session, command, error):
    assert run(session, command) == ("", error, 1)


def test_a_rule_kubectl_cannot_split_panics(session):
    for rule in ("foo.com/a,b=svc:80", "foo.com/a=b=svc:80"):
        stdout, stderr, code = run(session, f"create ingress x --rule={rule} --dry-run=client")
        assert (stdout, code) == ("", 2)
        assert stderr.startswith("panic: runtime error: index out of range [1] with length 1\n")
    # A second "=" whose piece still holds a ":" does not panic: it becomes the backend.
    stdout, _, _ = run(
        session, "create ingress x --rule=foo.com/a=b:c=svc:80 --dry-run=client -o yaml"
    )
    assert "            name: b\n" in stdout and "              name: c\n" in stdout


def test_create_against_the_server(session):
    assert run(session, "create ingress web --rule=foo.com/=web:80") == (
        "ingress.networking.k8s.io/web created\n",
        "",
        0,
    )
    stored = session.cluster.api.get("Ingress", "web", "default")
    assert stored["spec"]["rules"][0]["http"]["paths"][0]["pathType"] == "Exact"
    assert stored["status"] == {"loadBalancer": {}}
    assert run(session, "create ingress web --rule=foo.com/=web:80") == (
        "",
        'error: failed to create ingress: ingresses.networking.k8s.io "web" already exists\n',
        1,
    )
    assert run(session, "create ing other --rule=/=web:80 --dry-run=server -o name") == (
        "ingress.networking.k8s.io/other\n",
        "",
        0,
    )
    assert run(session, "create ing other --default-backend=web:80 --dry-run") == (
        "ingress.networking.k8s.io/other created (dry run)\n",
        "",
        0,
    )
    assert session.run("get ing other").exit_code == 1


def test_the_server_fills_in_the_default_class_and_refuses_bad_backends(session):
    session.cluster.api.create(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "IngressClass",
            "metadata": {
                "name": "nginx",
                "annotations": {"ingressclass.kubernetes.io/is-default-class": "true"},
            },
            "spec": {"controller": "k8s.io/ingress-nginx"},
        }
    )
    stdout, _, _ = run(session, "create ingress web --rule=/=web:80 -o yaml")
    assert "  ingressClassName: nginx\n" in stdout
    # A client dry run never reaches the admission plugin.
    stdout, _, _ = run(session, "create ingress web2 --rule=/=web:80 --dry-run=client -o yaml")
    assert "ingressClassName" not in stdout
    assert run(session, "create ingress bad --rule=foo.com/a=Web:0") == (
        "",
        'error: failed to create ingress: Ingress.networking.k8s.io "bad" is invalid: '
        '[spec.rules[0].http.paths[0].backend.service.name: Invalid value: "Web": a DNS-1035 '
        "label must consist of lower case alphanumeric characters or '-', start with an "
        "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
        "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?'), "
        "spec.rules[0].http.paths[0].backend: Required value: port name or number is "
        "required]\n",
        1,
    )
    # The deprecated class annotation comes back with the server's warning.
    assert run(
        session,
        "create ingress legacy --rule=/=web:80 --annotation=kubernetes.io/ingress.class=nginx",
    ) == (
        "ingress.networking.k8s.io/legacy created\n",
        'Warning: annotation "kubernetes.io/ingress.class" is deprecated, please use '
        "'spec.ingressClassName' instead\n",
        0,
    )
