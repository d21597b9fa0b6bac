"""NetworkPolicy evaluation (``network/policy.py``): which connections a set of policies
admits, checked on examples of each rule of the API's semantics and, with hypothesis,
against a plain reference reading of the same rules and on the properties every plugin
must have (no policy: everything allowed; policies only add to what an isolated pod may
receive; a default deny leaves only what another policy allows)."""

from __future__ import annotations

import ipaddress

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.labels import from_label_selector
from k8sgame.engine.network.policy import (
    ContainerPort,
    Endpoint,
    PolicyIndex,
    evaluate,
    parse_cidr,
    pod_endpoint,
)

NAMESPACE_LABELS = {
    "prod": {"kubernetes.io/metadata.name": "prod", "team": "a"},
    "dev": {"kubernetes.io/metadata.name": "dev", "team": "b"},
    "ops": {"kubernetes.io/metadata.name": "ops", "team": "a"},
}
WEB_PORTS = (ContainerPort("http", 8080), ContainerPort("dns", 53, "UDP"))


def pod(namespace, ip, ports=(), node_ip="172.18.0.2", **labels):
    return Endpoint(
        ip=ip,
        namespace=namespace,
        labels=labels,
        namespace_labels=NAMESPACE_LABELS[namespace],
        ports=ports,
        node_ip=node_ip,
    )


def netpol(name, namespace="prod", **spec):
    spec.setdefault("podSelector", {})
    return {"metadata": {"name": name, "namespace": namespace}, "spec": spec}


WEB = pod("prod", "10.244.1.10", WEB_PORTS, app="web")
FRONT = pod("prod", "10.244.1.11", app="front")
DEV_FRONT = pod("dev", "10.244.2.11", app="front")
OPS_AGENT = pod("ops", "10.244.3.12", app="agent")
OUTSIDE = Endpoint(ip="203.0.113.9")
DENY_INGRESS = netpol("deny", policyTypes=["Ingress"])


def allowed(policies, source, destination, port=8080, protocol="TCP"):
    return evaluate(policies, source, destination, port, protocol).allowed


# -- examples ---------------------------------------------------------------------------------


def test_no_policy_allows_everything_and_names_nothing():
    verdict = evaluate([], OUTSIDE, WEB, 8080)
    assert (
        verdict.allowed and verdict.ingress_isolated_by == () and verdict.egress_isolated_by == ()
    )
    assert not PolicyIndex()


def test_a_default_deny_isolates_every_pod_of_its_namespace_only():
    verdict = evaluate([DENY_INGRESS], FRONT, WEB, 8080)
    assert not verdict.allowed and not verdict.ingress_allowed and verdict.egress_allowed
    assert verdict.ingress_isolated_by == ("deny",) and verdict.ingress_allowed_by == ()
    assert allowed([DENY_INGRESS], WEB, DEV_FRONT)  # dev is not isolated


def test_an_empty_rule_allows_everything_and_no_rule_nothing():
    everything = netpol("all", podSelector={"matchLabels": {"app": "web"}}, ingress=[{}])
    assert allowed([DENY_INGRESS, everything], OUTSIDE, WEB, 1234, "UDP")
    assert not allowed([DENY_INGRESS, everything], OUTSIDE, FRONT)
    assert evaluate([DENY_INGRESS, everything], OUTSIDE, WEB, 80).ingress_allowed_by == ("all",)


def test_pod_selector_alone_means_the_policys_own_namespace():
    rule = netpol("front", ingress=[{"from": [{"podSelector": {"matchLabels": {"app": "front"}}}]}])
    assert allowed([rule], FRONT, WEB)
    assert not allowed([rule], DEV_FRONT, WEB)
    assert not allowed([rule], OUTSIDE, WEB)


def test_namespace_selector_alone_means_every_pod_there():
    rule = netpol(
        "team-a", ingress=[{"from": [{"namespaceSelector": {"matchLabels": {"team": "a"}}}]}]
    )
    assert allowed([rule], OPS_AGENT, WEB) and allowed([rule], FRONT, WEB)
    assert not allowed([rule], DEV_FRONT, WEB)
    # An empty namespace selector: every pod of the cluster, but nothing outside it.
    anywhere = netpol("pods", ingress=[{"from": [{"namespaceSelector": {}}]}])
    assert allowed([anywhere], DEV_FRONT, WEB) and not allowed([anywhere], OUTSIDE, WEB)


def test_both_selectors_in_one_peer_are_anded_in_two_peers_ored():
    anded = netpol(
        "and",
        ingress=[
            {
                "from": [
                    {
                        "namespaceSelector": {"matchLabels": {"team": "b"}},
                        "podSelector": {"matchLabels": {"app": "front"}},
                    }
                ]
            }
        ],
    )
    assert allowed([anded], DEV_FRONT, WEB)
    assert not allowed([anded], FRONT, WEB)  # the right pod in the wrong namespace
    assert not allowed([anded], pod("dev", "10.244.2.20", app="other"), WEB)
    ored = netpol(
        "or",
        ingress=[
            {
                "from": [
                    {"namespaceSelector": {"matchLabels": {"team": "b"}}},
                    {"podSelector": {"matchLabels": {"app": "front"}}},
                ]
            }
        ],
    )
    assert allowed([ored], DEV_FRONT, WEB) and allowed([ored], FRONT, WEB)
    assert allowed([ored], pod("dev", "10.244.2.20", app="other"), WEB)
    assert not allowed([ored], OPS_AGENT, WEB)


def test_ip_blocks_with_exceptions_match_outside_and_pod_addresses():
    block = netpol(
        "block",
        ingress=[{"from": [{"ipBlock": {"cidr": "10.244.0.0/16", "except": ["10.244.2.0/24"]}}]}],
    )
    assert allowed([block], FRONT, WEB)  # a pod address, matched like Calico does
    assert not allowed([block], DEV_FRONT, WEB)  # inside the exception
    assert not allowed([block], OUTSIDE, WEB)
    outside = netpol("outside", ingress=[{"from": [{"ipBlock": {"cidr": "203.0.113.0/24"}}]}])
    assert allowed([outside], OUTSIDE, WEB)
    assert not allowed([outside], Endpoint(ip="2001:db8::1"), WEB)


def test_ports_numbers_ranges_names_and_protocols():
    def with_ports(*ports):
        return [netpol("ports", ingress=[{"ports": list(ports)}])]

    assert allowed(with_ports({"port": 8080}), FRONT, WEB, 8080)
    assert not allowed(with_ports({"port": 8080}), FRONT, WEB, 8081)
    assert not allowed(with_ports({"port": 8080}), FRONT, WEB, 8080, "UDP")
    ranged = with_ports({"port": 8000, "endPort": 8080, "protocol": "TCP"})
    assert allowed(ranged, FRONT, WEB, 8000) and allowed(ranged, FRONT, WEB, 8080)
    assert not allowed(ranged, FRONT, WEB, 8081) and not allowed(ranged, FRONT, WEB, 7999)
    # A named port is the destination's: "http" is 8080/TCP on WEB and absent on FRONT.
    named = with_ports({"port": "http"})
    assert allowed(named, FRONT, WEB, 8080) and not allowed(named, FRONT, WEB, 80)
    assert not allowed(named, WEB, pod("prod", "10.244.1.30", app="db"), 8080)
    # The name's protocol has to agree: "dns" is UDP.
    assert allowed(with_ports({"port": "dns", "protocol": "UDP"}), FRONT, WEB, 53, "UDP")
    assert not allowed(with_ports({"port": "dns"}), FRONT, WEB, 53, "TCP")
    # No number: every port of the protocol.
    assert allowed(with_ports({"protocol": "SCTP"}), FRONT, WEB, 9, "SCTP")
    assert not allowed(with_ports({"protocol": "SCTP"}), FRONT, WEB, 9, "TCP")


def test_ports_and_peers_of_one_rule_must_both_match():
    rule = netpol(
        "both",
        ingress=[
            {"from": [{"podSelector": {"matchLabels": {"app": "front"}}}], "ports": [{"port": 80}]}
        ],
    )
    assert allowed([rule], FRONT, WEB, 80)
    assert not allowed([rule], FRONT, WEB, 8080)
    assert not allowed([rule], OPS_AGENT, WEB, 80)


def test_egress_needs_the_senders_policies_and_ingress_the_receivers():
    no_egress = netpol(
        "no-egress", podSelector={"matchLabels": {"app": "front"}}, policyTypes=["Egress"]
    )
    verdict = evaluate([no_egress], FRONT, WEB, 8080)
    assert not verdict.allowed and not verdict.egress_allowed and verdict.ingress_allowed
    assert verdict.egress_isolated_by == ("no-egress",)
    # An egress-only policy does not isolate its pods for ingress.
    assert allowed([no_egress], WEB, FRONT)
    dns = netpol(
        "dns",
        podSelector={"matchLabels": {"app": "front"}},
        egress=[{"ports": [{"port": 53, "protocol": "UDP"}]}],
        policyTypes=["Egress"],
    )
    assert allowed([no_egress, dns], FRONT, WEB, 53, "UDP")
    assert evaluate([no_egress, dns], FRONT, WEB, 53, "UDP").egress_allowed_by == ("dns",)
    to_outside = netpol(
        "out",
        podSelector={"matchLabels": {"app": "front"}},
        egress=[{"to": [{"ipBlock": {"cidr": "203.0.113.0/24"}}], "ports": [{"port": "http"}]}],
        policyTypes=["Egress"],
    )
    # A named port never matches a destination that is not a pod.
    assert not allowed([to_outside], FRONT, OUTSIDE, 8080)


def test_policy_types_default_as_the_api_server_sets_them():
    # A policy read without policyTypes: Ingress, plus Egress when it has egress rules.
    only_egress_rules = {
        "metadata": {"name": "raw", "namespace": "prod"},
        "spec": {"podSelector": {}, "egress": [{"to": [{"podSelector": {}}]}]},
    }
    verdict = evaluate([only_egress_rules], FRONT, OUTSIDE, 443)
    assert verdict.egress_isolated_by == ("raw",) and not verdict.allowed
    assert evaluate([only_egress_rules], OUTSIDE, WEB, 80).ingress_isolated_by == ("raw",)


def test_the_pods_own_node_is_always_let_in():
    kubelet = Endpoint(ip="172.18.0.2")
    verdict = evaluate([DENY_INGRESS], kubelet, WEB, 8080)
    assert verdict.allowed and verdict.from_local_node and verdict.ingress_isolated_by == ("deny",)
    assert not allowed([DENY_INGRESS], Endpoint(ip="172.18.0.3"), WEB)


def test_policies_are_named_in_order_and_the_index_is_reused():
    index = PolicyIndex([netpol("b-allow", ingress=[{}]), DENY_INGRESS, netpol("a", ingress=[{}])])
    verdict = index.evaluate(FRONT, WEB, 80)
    assert verdict.ingress_isolated_by == ("a", "b-allow", "deny")
    assert verdict.ingress_allowed_by == ("a", "b-allow")
    assert [p.name for p in index.in_namespace("prod")] == ["a", "b-allow", "deny"]
    assert evaluate(index, FRONT, WEB, 80) == verdict


def test_pod_endpoint_reads_a_stored_pod():
    stored = {
        "metadata": {"name": "web", "namespace": "prod", "labels": {"app": "web"}},
        "spec": {
            "initContainers": [
                {"name": "proxy", "ports": [{"name": "admin", "containerPort": 15000}]}
            ],
            "containers": [
                {
                    "name": "web",
                    "ports": [{"name": "http", "containerPort": 80}, {"containerPort": 81}],
                },
                {"name": "dns", "ports": [{"name": "dns", "containerPort": 53, "protocol": "UDP"}]},
            ],
        },
        "status": {"podIP": "10.244.1.5", "hostIP": "172.18.0.2"},
    }
    endpoint = pod_endpoint(stored, NAMESPACE_LABELS["prod"])
    assert endpoint == Endpoint(
        ip="10.244.1.5",
        namespace="prod",
        labels={"app": "web"},
        namespace_labels=NAMESPACE_LABELS["prod"],
        ports=(
            ContainerPort("http", 80),
            ContainerPort("dns", 53, "UDP"),
            ContainerPort("admin", 15000),
        ),
        node_ip="172.18.0.2",
    )
    assert endpoint.is_pod and not OUTSIDE.is_pod


def test_parse_cidr_reads_what_gos_sloppy_parser_reads():
    assert parse_cidr("10.1.2.3/8") == ipaddress.ip_network("10.0.0.0/8")
    assert parse_cidr("010.001.0.0/016") == ipaddress.ip_network("10.1.0.0/16")
    assert parse_cidr("fd00::1/64") == ipaddress.ip_network("fd00::/64")
    assert parse_cidr("::ffff:10.0.0.0/104") is not None
    for bad in (
        "10.0.0.0",
        "10.0.0.0/33",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0/8",
        "",
        " ",
        "300.0.0.0/8",
        "10.0.0.0/255.0.0.0",
        "fe80::1%eth0/64",
        "fd00::/129",
        "x/8",
    ):
        assert parse_cidr(bad) is None, bad


# -- a plain reading of the rules, to compare with -------------------------------------------


def _selects(selector, labels):
    return from_label_selector(selector).matches(labels)


def _peer_matches(peer, other, namespace):
    if "ipBlock" in peer:
        if other.ip == "":
            return False
        address = ipaddress.ip_address(other.ip)
        cidr = ipaddress.ip_network(peer["ipBlock"]["cidr"], strict=False)
        excepts = [ipaddress.ip_network(e, strict=False) for e in peer["ipBlock"].get("except", [])]
        return address in cidr and not any(address in e for e in excepts)
    if other.namespace is None:
        return False
    if "namespaceSelector" in peer:
        if not _selects(peer["namespaceSelector"], other.namespace_labels):
            return False
    elif other.namespace != namespace:
        return False
    return "podSelector" not in peer or _selects(peer["podSelector"], other.labels)


def _port_matches(rule_port, port, protocol, destination):
    if rule_port.get("protocol", "TCP") != protocol:
        return False
    if "port" not in rule_port:
        return True
    wanted = rule_port["port"]
    if isinstance(wanted, str):
        return ContainerPort(wanted, port, protocol) in destination.ports
    return wanted <= port <= rule_port.get("endPort", wanted)


def reference(policies, source, destination, port, protocol):
    """Allowed or not, read straight from the policies' definitions."""

    def direction_allows(pod, direction, peers_field, other):
        selecting = [
            p
            for p in policies
            if pod.namespace == p["metadata"]["namespace"]
            and direction.capitalize() in p["spec"]["policyTypes"]
            and _selects(p["spec"]["podSelector"], pod.labels)
        ]
        return not selecting or any(
            (
                not rule.get("ports")
                or any(_port_matches(q, port, protocol, destination) for q in rule["ports"])
            )
            and (
                not rule.get(peers_field)
                or any(
                    _peer_matches(peer, other, p["metadata"]["namespace"])
                    for peer in rule[peers_field]
                )
            )
            for p in selecting
            for rule in p["spec"].get(direction, [])
        )

    egress = source.namespace is None or direction_allows(source, "egress", "to", destination)
    local = source.ip == destination.node_ip
    ingress = (
        local
        or destination.namespace is None
        or direction_allows(destination, "ingress", "from", source)
    )
    return egress and ingress


# -- strategies ------------------------------------------------------------------------------

NAMESPACES = sorted(NAMESPACE_LABELS)
APPS = ("web", "db", "front")
label_sets = st.fixed_dictionaries(
    {"app": st.sampled_from(APPS)}, optional={"tier": st.sampled_from(("1", "2"))}
)
pod_ips = st.builds(lambda a, b: f"10.244.{a}.{b}", st.integers(0, 3), st.integers(2, 5))
named_ports = st.lists(
    st.builds(
        ContainerPort,
        st.sampled_from(("http", "metrics")),
        st.sampled_from((80, 8080)),
        st.sampled_from(("TCP", "UDP")),
    ),
    max_size=2,
).map(tuple)
pods = st.builds(
    lambda ns, ip, labels, ports: pod(ns, ip, ports, **labels),
    st.sampled_from(NAMESPACES),
    pod_ips,
    label_sets,
    named_ports,
)
outside = st.sampled_from(("203.0.113.9", "172.18.0.2", "10.244.1.3")).map(
    lambda ip: Endpoint(ip=ip)
)
sources = st.one_of(pods, outside)

selectors = st.one_of(
    st.just({}),
    st.builds(lambda v: {"matchLabels": {"app": v}}, st.sampled_from(APPS)),
    st.builds(
        lambda op, values: {
            "matchExpressions": [{"key": "tier", "operator": op, "values": values}]
        },
        st.sampled_from(("In", "NotIn")),
        st.lists(st.sampled_from(("1", "2")), min_size=1, max_size=2, unique=True),
    ),
    st.builds(
        lambda op: {"matchExpressions": [{"key": "tier", "operator": op}]},
        st.sampled_from(("Exists", "DoesNotExist")),
    ),
)
namespace_selectors = st.one_of(
    st.just({}), st.builds(lambda team: {"matchLabels": {"team": team}}, st.sampled_from("ab"))
)
ip_blocks = st.sampled_from(
    (
        {"cidr": "10.244.0.0/16"},
        {"cidr": "10.244.0.0/16", "except": ["10.244.1.0/24"]},
        {"cidr": "203.0.113.0/24"},
        {"cidr": "0.0.0.0/0", "except": ["10.244.2.0/24", "172.18.0.0/16"]},
    )
)
peers = st.one_of(
    st.builds(lambda s: {"podSelector": s}, selectors),
    st.builds(lambda s: {"namespaceSelector": s}, namespace_selectors),
    st.builds(
        lambda p, n: {"podSelector": p, "namespaceSelector": n}, selectors, namespace_selectors
    ),
    st.builds(lambda b: {"ipBlock": b}, ip_blocks),
)
rule_ports = st.one_of(
    st.just({"protocol": "TCP"}),
    st.builds(
        lambda n, p: {"protocol": p, "port": n},
        st.sampled_from((80, 8080, 53)),
        st.sampled_from(("TCP", "UDP")),
    ),
    st.builds(
        lambda n: {"protocol": "TCP", "port": n, "endPort": n + 100}, st.sampled_from((0, 50, 8000))
    ),
    st.builds(
        lambda name, p: {"protocol": p, "port": name},
        st.sampled_from(("http", "metrics")),
        st.sampled_from(("TCP", "UDP")),
    ),
)


def rules(peers_field):
    return st.fixed_dictionaries(
        {},
        optional={
            peers_field: st.lists(peers, max_size=2),
            "ports": st.lists(rule_ports, max_size=2),
        },
    )


@st.composite
def policies(draw, name=None):
    types = draw(st.sampled_from((["Ingress"], ["Egress"], ["Ingress", "Egress"])))
    spec = {
        "podSelector": draw(selectors),
        "ingress": draw(st.lists(rules("from"), max_size=2)),
        "egress": draw(st.lists(rules("to"), max_size=2)),
        "policyTypes": types,
    }
    return {
        "metadata": {
            "name": name or draw(st.sampled_from(("p1", "p2", "p3", "p4"))),
            "namespace": draw(st.sampled_from(NAMESPACES)),
        },
        "spec": spec,
    }


policy_sets = st.lists(
    policies(), max_size=4, unique_by=lambda p: (p["metadata"]["namespace"], p["metadata"]["name"])
)
ports = st.sampled_from((53, 80, 8080, 8100, 9000))
protocols = st.sampled_from(("TCP", "UDP"))


# -- properties ------------------------------------------------------------------------------


@settings(max_examples=300)
@given(policy_sets, sources, pods, ports, protocols)
def test_the_verdict_agrees_with_the_plain_reading(found, source, destination, port, protocol):
    assert evaluate(found, source, destination, port, protocol).allowed == reference(
        found, source, destination, port, protocol
    )


@given(sources, st.one_of(pods, outside), ports, protocols)
def test_without_policies_everything_is_allowed(source, destination, port, protocol):
    assert evaluate([], source, destination, port, protocol).allowed


@settings(max_examples=300)
@given(policy_sets, policies(name="added"), sources, pods, ports, protocols)
def test_adding_a_policy_never_takes_from_an_isolated_pod(
    found, added, source, destination, port, protocol
):
    """Policies only add allowed traffic: for a pod already isolated in a direction, adding
    a policy never removes a connection that direction allowed."""
    before = evaluate(found, source, destination, port, protocol)
    after = evaluate([*found, added], source, destination, port, protocol)
    if before.ingress_isolated_by and before.ingress_allowed:
        assert after.ingress_allowed
    if before.egress_isolated_by and before.egress_allowed:
        assert after.egress_allowed
    # Both ends already isolated (or the source not a pod): the whole connection stays.
    ends_isolated = bool(before.ingress_isolated_by) and (
        bool(before.egress_isolated_by) or not source.is_pod
    )
    if ends_isolated and before.allowed:
        assert after.allowed
    # And a direction that allowed nothing before may only gain what the new policy allows.
    if after.ingress_allowed and not before.ingress_allowed and not after.from_local_node:
        assert "added" in after.ingress_allowed_by


@settings(max_examples=300)
@given(policy_sets, pods, pods, ports, protocols)
def test_a_default_deny_leaves_only_what_another_policy_allows(
    found, source, destination, port, protocol
):
    deny = netpol("default-deny", namespace=destination.namespace, policyTypes=["Ingress"])
    others = [p for p in found if p["metadata"]["name"] != "default-deny"]
    verdict = evaluate([*others, deny], source, destination, port, protocol)
    assert "default-deny" in verdict.ingress_isolated_by
    assert "default-deny" not in verdict.ingress_allowed_by
    if source.ip != destination.node_ip:
        assert verdict.ingress_allowed == bool(verdict.ingress_allowed_by)
        if not any(p["metadata"]["namespace"] == destination.namespace for p in others):
            assert not verdict.allowed
