"""Ingress and IngressClass in the API server: ``ValidateIngressCreate`` /
``ValidateIngressUpdate`` and ``ValidateIngressClass`` with upstream's field paths and
messages (cases after ``pkg/apis/networking/validation/validation_test.go``), the strategy
(empty status, generation, the deprecated-annotation warning) and the DefaultIngressClass
admission plugin."""

from __future__ import annotations

import copy

import pytest
from store_helpers import bare_store

from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.ingress import parses_as_ip, wildcard_subdomain_problems

SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
    "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
WILDCARD_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
    "alphanumeric character (e.g. '*.example.com', regex used for validation is "
    "'\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
)
DNS1035_MSG = (
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
    "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
    "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
)
PATH0 = "spec.rules[0].http.paths[0]"
SERVICE = {"service": {"name": "defaultbackend", "port": {"number": 80}}}
RESOURCE = {"resource": {"apiGroup": "example.com", "kind": "foo", "name": "bar"}}


def ingress(name="foo", spec=None, **metadata):
    """The base Ingress of upstream's TestValidateIngress: a default backend and one rule
    for foo.bar.com with an ImplementationSpecific path."""
    if spec is None:
        spec = {
            "defaultBackend": copy.deepcopy(SERVICE),
            "rules": [
                {
                    "host": "foo.bar.com",
                    "http": {
                        "paths": [
                            {
                                "path": "/foo",
                                "pathType": "ImplementationSpecific",
                                "backend": copy.deepcopy(SERVICE),
                            }
                        ]
                    },
                }
            ],
        }
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, **metadata},
        "spec": spec,
    }


def ingress_class(name="nginx", controller="k8s.io/ingress-nginx", default=False, **spec):
    md: dict = {"name": name}
    if default:
        md["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "true"}
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": md,
        "spec": {"controller": controller, **spec},
    }


def errors_of(api, manifest):
    with pytest.raises(ApiError) as caught:
        api.create(manifest)
    return [str(cause) for cause in caught.value.causes] or [caught.value.message]


def tweaked(change):
    manifest = ingress()
    change(manifest["spec"])
    return manifest


def path0(spec):
    return spec["rules"][0]["http"]["paths"][0]


@pytest.fixture
def api():
    return bare_store()


def test_the_base_ingress_is_stored_with_an_empty_status_and_generation_one(api):
    created = api.create(ingress())
    assert created["status"] == {"loadBalancer": {}}
    assert created["metadata"]["generation"] == 1
    assert "ingressClassName" not in created["spec"]
    # A status given on create is dropped (status subresource).
    manifest = ingress("lb")
    manifest["status"] = {"loadBalancer": {"ingress": [{"ip": "127.0.0.1"}]}}
    assert api.create(manifest)["status"] == {"loadBalancer": {}}


def _set(field, value):
    def change(spec):
        path0(spec)[field] = value

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        # "empty path (implementation specific)" and "valid path" pass.
        (_set("path", ""), []),
        (_set("path", "/valid"), []),
        (
            _set("pathType", "foo"),
            [
                f'{PATH0}.pathType: Unsupported value: "foo": supported values: "Exact", '
                '"ImplementationSpecific", "Prefix"'
            ],
        ),
        (
            lambda spec: path0(spec).update(path="", pathType="Prefix"),
            [f'{PATH0}.path: Invalid value: "": must be an absolute path'],
        ),
        (
            lambda spec: spec["rules"][0]["http"].update(paths=[]),
            ["spec.rules[0].http.paths: Required value"],
        ),
        (
            lambda spec: spec["rules"][0].update(host="foobar:80"),
            [f'spec.rules[0].host: Invalid value: "foobar:80": {SUBDOMAIN_MSG}'],
        ),
        (
            lambda spec: spec["rules"][0].update(host="127.0.0.1"),
            [
                'spec.rules[0].host: Invalid value: "127.0.0.1": must be a DNS name, not an IP address'
            ],
        ),
        (lambda spec: spec["rules"][0].update(host="*.bar.com"), []),
        (
            lambda spec: spec["rules"][0].update(host="foo.*.bar.com"),
            [f'spec.rules[0].host: Invalid value: "foo.*.bar.com": {WILDCARD_MSG}'],
        ),
        (
            lambda spec: spec["rules"][0].update(host="*"),
            [f'spec.rules[0].host: Invalid value: "*": {WILDCARD_MSG}'],
        ),
        (
            lambda spec: path0(spec)["backend"].update(RESOURCE),
            [f'{PATH0}.backend: Invalid value: "": cannot set both resource and service backends'],
        ),
        (
            lambda spec: spec.update(defaultBackend={**SERVICE, **RESOURCE}),
            [
                'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends'
            ],
        ),
        (lambda spec: spec.update(defaultBackend=copy.deepcopy(RESOURCE)), []),
        (
            lambda spec: spec.update(defaultBackend={}),
            ['spec.defaultBackend: Invalid value: "": resource or service backend is required'],
        ),
    ],
)
def test_validate_ingress_cases(api, change, expected):
    manifest = tweaked(change)
    if expected:
        assert errors_of(api, manifest) == expected
    else:
        api.create(manifest)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/a//b", ["must not contain '//'"]),
        ("/a/./b", ["must not contain '/./'"]),
        ("/a/../b", ["must not contain '/../'"]),
        ("/a%2fb", ["must not contain '%2f'"]),
        ("/a%2Fb", ["must not contain '%2F'"]),
        ("/a/..", ["cannot end with '/..'"]),
        ("/a/.", ["cannot end with '/.'"]),
        ("a//b/..", ["must be an absolute path", "must not contain '//'", "cannot end with '/..'"]),
    ],
)
def test_exact_and_prefix_paths_refuse_dot_segments_and_encoded_slashes(api, path, expected):
    for path_type in ("Exact", "Prefix"):
        manifest = tweaked(
            lambda spec, kind=path_type: path0(spec).update(path=path, pathType=kind)
        )
        assert errors_of(api, manifest) == [
            f'{PATH0}.path: Invalid value: "{path}": {msg}' for msg in expected
        ]
    # ImplementationSpecific only needs the leading slash.
    manifest = tweaked(lambda spec: path0(spec).update(path=path))
    if path.startswith("/"):
        api.create(manifest)


def test_a_missing_path_type_is_the_only_error_of_its_path(api):
    def change(spec):
        del path0(spec)["pathType"]
        path0(spec).update(path="relative", backend={})

    assert errors_of(api, tweaked(change)) == [
        f"{PATH0}.pathType: Required value: pathType must be specified"
    ]


def test_service_backend_name_and_port(api):
    def backend(service):
        return tweaked(lambda spec: spec.update(defaultBackend={"service": service}))

    assert errors_of(api, backend({"port": {"number": 80}})) == [
        "spec.defaultBackend.service.name: Required value"
    ]
    assert errors_of(api, backend({"name": "Web", "port": {"number": 80}})) == [
        f'spec.defaultBackend.service.name: Invalid value: "Web": {DNS1035_MSG}'
    ]
    assert errors_of(api, backend({"name": "web", "port": {}})) == [
        "spec.defaultBackend: Required value: port name or number is required"
    ]
    assert errors_of(api, backend({"name": "web"})) == [
        "spec.defaultBackend: Required value: port name or number is required"
    ]
    assert errors_of(api, backend({"name": "web", "port": {"name": "http", "number": 80}})) == [
        'spec.defaultBackend: Invalid value: "": cannot set both port name & port number'
    ]
    assert errors_of(api, backend({"name": "web", "port": {"number": 70000}})) == [
        "spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and "
        "65535, inclusive"
    ]
    assert errors_of(api, backend({"name": "web", "port": {"name": "HTTP--"}})) == [
        'spec.defaultBackend.service.port.name: Invalid value: "HTTP--": must contain only '
        "alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        'spec.defaultBackend.service.port.name: Invalid value: "HTTP--": must contain at least '
        "one letter (a-z)",
        'spec.defaultBackend.service.port.name: Invalid value: "HTTP--": must not contain '
        "consecutive hyphens",
        'spec.defaultBackend.service.port.name: Invalid value: "HTTP--": must not begin or end '
        "with a hyphen",
    ]


def test_resource_backend_reference(api):
    resource = {"apiGroup": "", "kind": "..", "name": "a/b%"}
    manifest = tweaked(lambda spec: spec.update(defaultBackend={"resource": resource}))
    assert errors_of(api, manifest) == [
        f'spec.defaultBackend.resource.apiGroup: Invalid value: "": {SUBDOMAIN_MSG}',
        "spec.defaultBackend.resource.kind: Invalid value: \"..\": may not be '..'",
        "spec.defaultBackend.resource.name: Invalid value: \"a/b%\": may not contain '/'",
        "spec.defaultBackend.resource.name: Invalid value: \"a/b%\": may not contain '%'",
    ]
    manifest = tweaked(lambda spec: spec.update(defaultBackend={"resource": {}}))
    assert errors_of(api, manifest) == [
        "spec.defaultBackend.resource.kind: Required value",
        "spec.defaultBackend.resource.name: Required value",
    ]


def test_rules_or_default_backend_and_the_order_of_errors(api):
    assert errors_of(api, ingress(spec={})) == [
        "spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"
    ]
    assert errors_of(api, ingress(spec={"rules": []})) == [
        "spec: Invalid value: []: either `defaultBackend` or `rules` must be specified"
    ]
    messy = {
        "ingressClassName": "Nginx",
        "tls": [{"hosts": ["*.bar.com", "Bad"], "secretName": "invalid name"}],
        "rules": [{"host": "*.foo.com", "http": {"paths": [{"path": "foo", "pathType": "Exact"}]}}],
        "defaultBackend": {"service": {"name": "web"}},
    }
    assert errors_of(api, ingress(spec=messy)) == [
        "spec.defaultBackend: Required value: port name or number is required",
        f'{PATH0}.path: Invalid value: "foo": must be an absolute path',
        f'{PATH0}.backend: Invalid value: "": resource or service backend is required',
        f'spec.tls[0].hosts[1]: Invalid value: "Bad": {SUBDOMAIN_MSG}',
        f'spec.tls[0].secretName: Invalid value: "invalid name": {SUBDOMAIN_MSG}',
        f'spec.ingressClassName: Invalid value: "Nginx": {SUBDOMAIN_MSG}',
    ]
    # A rule without http routes nothing but is valid.
    api.create(ingress("hostonly", spec={"rules": [{"host": "foo.bar.com"}]}))


def test_class_name_and_annotation_must_agree_on_create(api):
    annotation = {"kubernetes.io/ingress.class": "foo"}
    mismatch = ingress("both", annotations=annotation)
    mismatch["spec"]["ingressClassName"] = "bar"
    assert errors_of(api, mismatch) == [
        'annotations.kubernetes.io/ingress.class: Invalid value: "foo": must match '
        "`ingressClassName` when both are specified"
    ]
    agree = ingress("agree", annotations={"kubernetes.io/ingress.class": "bar"})
    agree["spec"]["ingressClassName"] = "bar"
    api.create(agree)
    assert api.take_warnings() == []
    # The annotation alone is accepted, with the strategy's warning.
    api.create(ingress("old-style", annotations=annotation))
    assert api.take_warnings() == [
        'annotation "kubernetes.io/ingress.class" is deprecated, please use '
        "'spec.ingressClassName' instead"
    ]


def test_an_update_keeps_what_the_stored_ingress_got_away_with(api):
    stored = api.create(ingress())
    # On update the class annotation may disagree (ValidateIngressUpdate does not check).
    stored["metadata"]["annotations"] = {"kubernetes.io/ingress.class": "foo"}
    stored["spec"]["ingressClassName"] = "bar"
    updated = api.update(stored)
    assert updated["metadata"]["generation"] == 2
    # A metadata-only change keeps the generation.
    updated["metadata"]["labels"] = {"a": "b"}
    assert api.update(updated)["metadata"]["generation"] == 2
    # A bad secret name is refused on create and on an update that introduces it...
    updated = api.get("Ingress", "foo", "default")
    updated["spec"]["tls"] = [{"secretName": "invalid name"}]
    with pytest.raises(ApiError):
        api.update(updated)


def test_an_invalid_secret_or_wildcard_rule_already_stored_stays_updatable(api):
    """``allowInvalidSecretName`` and ``allowInvalidWildcardHostRule``: the store cannot hold
    such an Ingress from a create, so the stored object is written directly, as one left
    behind by an older API server would be."""
    legacy = api.create(ingress("legacy"))
    stored = api.store.peek("Ingress", "legacy", "default")
    stored["spec"]["tls"] = [{"secretName": "invalid name"}]
    stored["spec"]["rules"][0] = {
        "host": "*.foo.com",
        "http": {"paths": [{"path": "foo", "pathType": "Exact", "backend": SERVICE}]},
    }
    legacy = api.get("Ingress", "legacy", "default")
    legacy["spec"]["tls"].append({"secretName": "also invalid"})
    legacy["spec"]["rules"][0]["http"]["paths"][0]["path"] = "bar"
    assert api.update(legacy)["spec"]["tls"][1] == {"secretName": "also invalid"}


def test_default_ingress_class_admission(api):
    # Without a default class nothing is set.
    assert "ingressClassName" not in api.create(ingress("first"))["spec"]
    api.create(ingress_class("plain"))
    api.create(ingress_class("nginx", default=True))
    assert api.create(ingress("second"))["spec"]["ingressClassName"] == "nginx"
    # A class name or the legacy annotation given: left alone.
    named = ingress("named")
    named["spec"]["ingressClassName"] = "plain"
    assert api.create(named)["spec"]["ingressClassName"] == "plain"
    legacy = ingress("legacy", annotations={"kubernetes.io/ingress.class": "plain"})
    assert "ingressClassName" not in api.create(legacy)["spec"]
    api.take_warnings()
    # Several defaults: the newest wins; on equal creation times the first name.
    api.clock.run_until_time(api.clock.now + 10)
    api.create(ingress_class("traefik", "traefik.io/ingress-controller", default=True))
    assert api.create(ingress("third"))["spec"]["ingressClassName"] == "traefik"
    api.create(ingress_class("alpha", "example.com/alpha", default=True))
    assert api.create(ingress("fourth"))["spec"]["ingressClassName"] == "alpha"
    # Only "true" marks a default.
    api.clock.run_until_time(api.clock.now + 10)
    not_default = ingress_class("maybe")
    not_default["metadata"]["annotations"] = {"ingressclass.kubernetes.io/is-default-class": "True"}
    api.create(not_default)
    assert api.create(ingress("fifth"))["spec"]["ingressClassName"] == "alpha"
    # The plugin acts on create only: an update clearing the name keeps it cleared.
    fifth = api.get("Ingress", "fifth", "default")
    del fifth["spec"]["ingressClassName"]
    assert "ingressClassName" not in api.update(fifth)["spec"]


def test_ingress_class_defaults_and_validation(api):
    params = {"kind": "IngressParameters", "name": "external-lb", "apiGroup": "k8s.example.com"}
    created = api.create(ingress_class("external", "example.com/ingress", parameters=params))
    assert created["spec"]["parameters"]["scope"] == "Cluster"
    assert created["metadata"]["generation"] == 1
    assert "status" not in created
    assert errors_of(api, ingress_class("a", "")) == ["spec.controller: Required value"]
    assert errors_of(api, ingress_class("b", "nginx")) == [
        'spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as '
        '"acme.io/foo")'
    ]
    assert errors_of(api, ingress_class("c", "Example.com/a b")) == [
        f'spec.controller: Invalid value: "Example.com": {SUBDOMAIN_MSG}',
        'spec.controller: Invalid value: "a b": Invalid path (regex used for validation is '
        "'[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
    ]
    assert errors_of(api, ingress_class("d", "example.com/" + "x" * 240)) == [
        "spec.controller: Too long: must have at most 250 bytes"
    ]
    namespaced = {"kind": "P", "name": "p", "scope": "Namespace"}
    assert errors_of(api, ingress_class("e", parameters=namespaced)) == [
        "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"
    ]
    clustered = {"kind": "P", "name": "p", "scope": "Cluster", "namespace": "default"}
    assert errors_of(api, ingress_class("f", parameters=clustered)) == [
        "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"
    ]
    odd = {"kind": "", "name": "", "scope": "Global"}
    assert errors_of(api, ingress_class("g", parameters=odd)) == [
        "spec.parameters.kind: Required value",
        "spec.parameters.name: Required value",
        'spec.parameters.scope: Unsupported value: "Global": supported values: "Cluster", '
        '"Namespace"',
    ]
    api.create(ingress_class("h", parameters={**namespaced, "namespace": "ingress"}))


def test_ingress_class_controller_is_immutable(api):
    stored = api.create(ingress_class())
    stored["spec"]["controller"] = "example.com/other"
    with pytest.raises(ApiError) as caught:
        api.update(stored)
    assert [str(c) for c in caught.value.causes] == [
        'spec.controller: Invalid value: "example.com/other": field is immutable'
    ]
    stored = api.get("IngressClass", "nginx")
    stored["spec"]["parameters"] = {"kind": "P", "name": "p"}
    assert api.update(stored)["metadata"]["generation"] == 2


def test_host_helpers():
    assert parses_as_ip("010.001.0.1") and parses_as_ip("::1") and parses_as_ip("fe80::1")
    assert not parses_as_ip("1.2.3") and not parses_as_ip("256.1.1.1")
    assert not parses_as_ip("foo.bar")
    assert wildcard_subdomain_problems("*.a.b") == []
    assert wildcard_subdomain_problems("*." + "a" * 252) == ["must be no more than 253 characters"]
