"""The C library's stub resolver (engine/network/resolver.py)."""

from k8sgame.engine.network.client import NOERROR, NXDOMAIN, Record, Reply
from k8sgame.engine.network.resolver import (
    ResolverConfig,
    hosts_address,
    parse_resolv_conf,
    resolve,
    search_order,
)

KUBE = (
    "search default.svc.cluster.local svc.cluster.local cluster.local\n"
    "nameserver 10.96.0.10\n"
    "options ndots:5\n"
)


def test_resolv_conf_is_read_as_res_init_does():
    config = parse_resolv_conf(KUBE)
    assert config == ResolverConfig(
        ("10.96.0.10",), ("default.svc.cluster.local", "svc.cluster.local", "cluster.local"), 5
    )
    text = "domain a.example\nsearch x y\nnameserver 1.1.1.1\noptions ndots:20 timeout:2 attempts:3"
    assert parse_resolv_conf(text) == ResolverConfig(("1.1.1.1",), ("x", "y"), 15, 2.0, 3)
    # No nameserver line: the loopback.
    assert parse_resolv_conf("").nameservers == ("127.0.0.1",)


def test_the_search_list_comes_first_below_ndots_dots():
    config = parse_resolv_conf(KUBE)
    assert search_order("web", config) == [
        "web.default.svc.cluster.local",
        "web.svc.cluster.local",
        "web.cluster.local",
        "web",
    ]
    assert search_order("a.b.c.d.e.f", config)[0] == "a.b.c.d.e.f"
    assert search_order("web.default.svc.cluster.local.", config) == [
        "web.default.svc.cluster.local"
    ]


def test_hosts_file_comes_before_dns():
    hosts = "# comment\n127.0.0.1\tlocalhost\n::1\tlocalhost\n10.244.1.5\tweb-0.web.default.svc.cluster.local\tweb-0\n"
    assert hosts_address(hosts, "LOCALHOST") == "127.0.0.1"
    assert hosts_address(hosts, "web-0") == "10.244.1.5"
    assert hosts_address(hosts, "web-1") is None


def test_resolve_asks_each_candidate_until_an_address():
    asked = []

    def ask(server, name, qtype):
        asked.append(name)
        if name == "web.other.svc.cluster.local":
            return Reply(NOERROR, (Record(name, "A", "10.96.3.4"),))
        return Reply(NXDOMAIN)

    config = parse_resolv_conf(KUBE)
    found = resolve("web.other", config, None, ask)
    assert found.addresses == ("10.96.3.4",)
    assert asked == ["web.other.default.svc.cluster.local", "web.other.svc.cluster.local"]
    assert resolve("10.1.2.3", config, None, ask).addresses == ("10.1.2.3",)
    missing = resolve("nosuch", config, None, ask)
    assert missing.addresses == () and not missing.no_answer and missing.seconds == 0


def test_a_silent_name_server_costs_its_time_outs():
    config = parse_resolv_conf("nameserver 192.0.2.1\nnameserver 192.0.2.2\n")
    found = resolve("web", config, None, lambda server, name, qtype: None)
    # Two attempts over both servers, five seconds each, then EAI_AGAIN.
    assert (found.addresses, found.seconds, found.no_answer) == ((), 20.0, True)

    def second_answers(server, name, qtype):
        return Reply(NOERROR, (Record(name, "A", "10.0.0.1"),)) if server == "192.0.2.2" else None

    assert resolve("web", config, None, second_answers).seconds == 5.0
