"""An Ingress controller's choice of backend (engine/network/ingress_routing.py): host
precedence, path matching by type, precedence among matching paths, the fallback to a
default backend, the order of Ingresses; with hypothesis properties for the path rules."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.network.ingress_routing import (
    IngressRoute,
    ResourceRef,
    host_matches,
    path_matches,
    request_host,
    request_path,
    route,
)

T0 = "2026-01-05T09:00:00Z"


def svc(name, port=80):
    return {
        "service": {
            "name": name,
            "port": {"number": port} if isinstance(port, int) else {"name": port},
        }
    }


def rule(host, *paths):
    body = {"http": {"paths": [{"path": p, "pathType": t, "backend": b} for p, t, b in paths]}}
    return {"host": host, **body} if host else body


def ingress(name, rules=(), default=None, created=T0, namespace="default"):
    spec = {"rules": list(rules)} if rules else {}
    if default is not None:
        spec["defaultBackend"] = default
    return {
        "metadata": {"name": name, "namespace": namespace, "creationTimestamp": created},
        "spec": spec,
    }


def service_of(result):
    return None if result is None else (result.service, result.port)


def test_matching_helpers():
    assert request_host("Foo.Example.COM:8080") == "foo.example.com"
    assert request_host("[::1]:80") == "[::1]"
    assert request_path("/a//b?x=1#frag") == "/a/b"
    assert request_path("") == "/" and request_path("a") == "/a"
    assert host_matches("*.foo.com", "bar.foo.com")
    assert not host_matches("*.foo.com", "baz.bar.foo.com")
    assert not host_matches("*.foo.com", "foo.com")
    assert not host_matches("*.foo.com", ".foo.com")
    assert host_matches("foo.com", "foo.com") and not host_matches("foo.com", "bar.com")
    for path in ("/foo", "/foo/", "/foo/bar"):
        assert path_matches("Prefix", "/foo", path)
        assert path_matches("Prefix", "/foo/", path)
    assert not path_matches("Prefix", "/foo", "/foobar")
    assert path_matches("Prefix", "/", "/anything")
    assert path_matches("Exact", "/foo", "/foo")
    assert not path_matches("Exact", "/foo", "/foo/")
    assert not path_matches("Exact", "/foo", "/Foo")
    # ImplementationSpecific: ingress-nginx's plain prefix location.
    assert path_matches("ImplementationSpecific", "/foo", "/foobar")
    assert path_matches("ImplementationSpecific", "", "/x")


def test_an_exact_host_beats_a_wildcard_which_beats_the_catch_all():
    ingresses = [
        ingress("wild", [rule("*.foo.com", ("/", "Prefix", svc("wild")))]),
        ingress("exact", [rule("bar.foo.com", ("/", "Prefix", svc("exact")))]),
        ingress("any", [rule("", ("/", "Prefix", svc("any")))]),
    ]
    assert service_of(route(ingresses, "bar.foo.com", "/")) == ("exact", 80)
    assert service_of(route(ingresses, "BAZ.foo.com:443", "/x")) == ("wild", 80)
    assert service_of(route(ingresses, "a.b.foo.com", "/")) == ("any", 80)
    assert service_of(route(ingresses, "foo.com", "/")) == ("any", 80)
    found = route(ingresses, "bar.foo.com", "/x")
    assert found == IngressRoute(
        "default", "exact", "exact", 80, None, "bar.foo.com", "/", "Prefix"
    )
    assert not found.from_default_backend


def test_a_host_server_does_not_fall_through_to_other_servers():
    ingresses = [
        ingress("shop", [rule("shop.com", ("/cart", "Prefix", svc("cart")))]),
        ingress("any", [rule("", ("/", "Prefix", svc("any")))]),
    ]
    # shop.com has its own server: a path it lacks is its root's (no default backend: 404).
    assert route(ingresses, "shop.com", "/about") is None
    assert service_of(route(ingresses, "other.com", "/about")) == ("any", 80)


def test_path_precedence():
    ingresses = [
        ingress(
            "app",
            [
                rule(
                    "app.com",
                    ("/", "Prefix", svc("root")),
                    ("/aaa", "Prefix", svc("aaa")),
                    ("/aaa/bbb", "Prefix", svc("bbb")),
                    ("/aaa/bbb", "Exact", svc("bbb-exact")),
                    ("/foo", "Prefix", svc("foo")),
                    ("/foo/", "Prefix", svc("foo-slash")),
                    ("/img", "ImplementationSpecific", svc("img")),
                    ("/img", "Prefix", svc("img-prefix")),
                )
            ],
        )
    ]

    def to(path):
        return route(ingresses, "app.com", path).service

    assert to("/aaa/bbb") == "bbb-exact"
    assert to("/aaa/bbb/") == "bbb"
    assert to("/aaa/bbbxyz") == "aaa"
    assert to("/aaa/ccc") == "aaa"
    assert to("/zzz") == "root"
    # The API's own example: /foo and /foo/ both match /foo; the longer one wins.
    assert to("/foo") == "foo-slash"
    # Prefix over ImplementationSpecific for the same path; only the latter takes /imgx.
    assert to("/img/a.png") == "img-prefix"
    assert to("/imgx") == "img"


def test_default_backends():
    ingresses = [
        ingress(
            "site",
            [rule("site.com", ("/api", "Prefix", svc("api")))],
            default=svc("site-default", "http"),
        ),
        ingress(
            "site2",
            [rule("site.com", ("/v2", "Prefix", svc("v2")))],
            default=svc("ignored"),
            created="2026-01-05T10:00:00Z",
        ),
        ingress(
            "fallback",
            default={
                "resource": {"apiGroup": "k8s.example.com", "kind": "Bucket", "name": "static"}
            },
        ),
    ]
    # A path site.com lacks goes to the default backend of the first Ingress defining site.com.
    found = route(ingresses, "site.com", "/other")
    assert found == IngressRoute(
        "default", "site", "site-default", "http", None, "site.com", None, None
    )
    assert found.from_default_backend
    assert route(ingresses, "site.com", "/v2/x").ingress == "site2"
    # Unknown hosts reach the catch-all server, whose root is the rule-less Ingress's backend.
    other = route(ingresses, "unknown.com", "/")
    assert other.resource == ResourceRef("Bucket", "static", "k8s.example.com")
    assert other.service is None and other.port is None and other.host == ""
    # A rule-less Ingress with a default backend does not set a host server's root.
    assert route([ingresses[2], ingress("x", [rule("x.com")])], "x.com", "/") is None
    assert route([], "any", "/") is None


def test_the_oldest_ingress_wins_and_equal_ages_go_by_name_descending():
    older = ingress(
        "b", [rule("a.com", ("/", "Prefix", svc("older")))], created="2026-01-05T08:00:00Z"
    )
    newer = ingress("a", [rule("a.com", ("/", "Prefix", svc("newer")))])
    assert route([newer, older], "a.com", "/").service == "older"
    first = ingress("alpha", [rule("a.com", ("/", "Prefix", svc("alpha")))])
    second = ingress("beta", [rule("a.com", ("/", "Prefix", svc("beta")))])
    # sortIngressSlice puts the namespace/name that sorts last first.
    assert route([first, second], "a.com", "/").service == "beta"
    third = ingress("alpha", [rule("a.com", ("/", "Prefix", svc("zz")))], namespace="zz")
    assert route([first, second, third], "a.com", "/").service == "zz"


# --- properties --------------------------------------------------------------------------

SEGMENTS = st.lists(st.sampled_from(["a", "b", "ab", "c"]), max_size=3)
PATH_TYPES = st.sampled_from(["Exact", "Prefix", "ImplementationSpecific"])


@st.composite
def rule_paths(draw):
    segments = draw(SEGMENTS)
    path = "/" + "/".join(segments)
    if segments and draw(st.booleans()):
        path += "/"
    return path


@st.composite
def scenes(draw):
    """A few Ingresses for one host (and a catch-all), of random ages, and a request."""
    count = draw(st.integers(1, 4))
    ingresses = []
    for index in range(count):
        paths = draw(st.lists(st.tuples(rule_paths(), PATH_TYPES), min_size=1, max_size=4))
        host = draw(st.sampled_from(["app.com", "", "*.com"]))
        minute = draw(st.integers(0, 3))
        ingresses.append(
            ingress(
                f"ing-{index}",
                [rule(host, *((p, t, svc(f"s{index}-{n}")) for n, (p, t) in enumerate(paths)))],
                created=f"2026-01-05T09:0{minute}:00Z",
            )
        )
    request = draw(rule_paths())
    return ingresses, request


def _candidates(ingresses, host, path):
    """Every path of every rule of the host's server that matches the request."""
    found = []
    for ing in ingresses:
        for r in ing["spec"].get("rules", []):
            if r.get("host", "") != host:
                continue
            for item in r["http"]["paths"]:
                if path_matches(item["pathType"], item["path"], path):
                    found.append(item)
    return found


@settings(max_examples=300, deadline=None)
@given(scenes(), st.randoms(use_true_random=False))
def test_the_chosen_path_matches_and_wins_by_the_rules(scene, rng):
    ingresses, request = scene
    found = route(ingresses, "app.com", request)
    shuffled = list(ingresses)
    rng.shuffle(shuffled)
    # The input order does not matter: the Ingresses are ordered by age and name.
    assert route(shuffled, "app.com", request) == found
    hosts = {r.get("host", "") for ing in ingresses for r in ing["spec"]["rules"]}
    server = next(h for h in ("app.com", "*.com", "") if h in hosts or not h)
    if found is None or found.path is None:
        assert _candidates(ingresses, server, request) == []
        return
    assert found.host == server
    assert path_matches(found.path_type, found.path, request)
    others = _candidates(ingresses, server, request)
    if any(item["pathType"] == "Exact" for item in others):
        assert found.path_type == "Exact"
    else:
        assert len(found.path or "/") == max(len(item["path"] or "/") for item in others)


@settings(max_examples=200, deadline=None)
@given(rule_paths(), st.booleans(), st.integers(0, 5), st.integers(0, 5))
def test_an_exact_path_is_never_beaten_by_a_prefix_of_the_same_path(path, exact_first, m1, m2):
    exact = ingress(
        "exact", [rule("a.com", (path, "Exact", svc("exact")))], created=f"2026-01-05T09:0{m1}:00Z"
    )
    prefix = ingress(
        "prefix",
        [
            rule(
                "a.com",
                (path, "Prefix", svc("prefix")),
                (path.rstrip("/") + "/", "Prefix", svc("slash")),
            )
        ],
        created=f"2026-01-05T09:0{m2}:00Z",
    )
    ingresses = [exact, prefix] if exact_first else [prefix, exact]
    assert route(ingresses, "a.com", path).path_type == "Exact"


@settings(max_examples=200, deadline=None)
@given(st.lists(rule_paths(), min_size=1, max_size=6, unique=True), rule_paths())
def test_the_longest_matching_prefix_wins(paths, request):
    ingresses = [
        ingress("app", [rule("", *((p, "Prefix", svc(f"s{n}")) for n, p in enumerate(paths)))])
    ]
    matching = [p for p in paths if path_matches("Prefix", p, request_path(request))]
    found = route(ingresses, "whatever", request)
    if not matching:
        assert found is None
        return
    longest = max(len(p) for p in matching)
    assert found.path in matching and len(found.path) == longest
    # Among equally long matches, the first listed wins.
    assert found.path == next(p for p in paths if p in matching and len(p) == longest)
