"""NetworkPolicies in the API server: SetDefaults_NetworkPolicy(Port), the stored shape, the
generation, and ValidateNetworkPolicy's field paths and messages (the cases of upstream's
TestValidateNetworkPolicy, applied through the store)."""

from __future__ import annotations

import copy

import pytest
from store_helpers import bare_store

from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.network_policy import (
    validate_network_policy,
    validate_network_policy_update,
)

IPV4_BLOCK = {"cidr": "192.168.0.0/16", "except": ["192.168.3.0/24", "192.168.4.0/24"]}
IPV6_BLOCK = {"cidr": "fd00:192:168::/48", "except": ["fd00:192:168:3::/64", "fd00:192:168:4::/64"]}
INVALID_KEY = {"NoUppercaseOrSpecialCharsLike=Equals": "b"}
INVALID_KEY_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
    "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"


def policy(name="foo", **spec):
    """upstream's makeValidNetworkPolicy with the spec fields given."""
    spec.setdefault("podSelector", {"matchLabels": {"a": "b"}})
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name},
        "spec": spec,
    }


def ingress_from(*peers, ports=None):
    rule = {"from": list(peers)}
    if ports is not None:
        rule["ports"] = ports
    return [rule]


def egress_to(*peers, ports=None):
    rule = {"to": list(peers)}
    if ports is not None:
        rule["ports"] = ports
    return [rule]


def port(number=None, protocol=None, end=None):
    found = {}
    if protocol is not None:
        found["protocol"] = protocol
    if number is not None:
        found["port"] = number
    if end is not None:
        found["endPort"] = end
    return found


def errors_of(store, manifest):
    with pytest.raises(ApiError) as caught:
        store.create(manifest)
    return [str(cause) for cause in caught.value.causes] or [caught.value.message]


# -- defaults and the stored shape ---------------------------------------------------------


def test_defaults_policy_types_and_port_protocols():
    store = bare_store()
    plain = store.create(policy("plain", ingress=[{"ports": [{"port": 80}, {"port": "dns"}]}]))
    assert plain["spec"] == {
        "podSelector": {"matchLabels": {"a": "b"}},
        "ingress": [
            {"ports": [{"protocol": "TCP", "port": 80}, {"protocol": "TCP", "port": "dns"}]}
        ],
        "policyTypes": ["Ingress"],
    }
    both = store.create(policy("both", egress=[{"ports": [{"protocol": "UDP", "port": 53}]}]))
    assert both["spec"]["policyTypes"] == ["Ingress", "Egress"]
    assert both["spec"]["egress"] == [{"ports": [{"protocol": "UDP", "port": 53}]}]
    # Given policyTypes are kept as they are, even without rules for them.
    egress_only = store.create(policy("out", policyTypes=["Egress"]))
    assert egress_only["spec"]["policyTypes"] == ["Egress"]
    # An empty egress list is no egress rule: the default is Ingress alone.
    empty = store.create(policy("empty", egress=[]))
    assert empty["spec"]["policyTypes"] == ["Ingress"]


def test_an_omitted_spec_becomes_a_default_deny_of_ingress():
    store = bare_store()
    created = store.create(
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "x"}}
    )
    # podSelector has no omitempty: an absent one reads back as {}.
    assert created["spec"] == {"podSelector": {}, "policyTypes": ["Ingress"]}
    assert created["metadata"]["generation"] == 1
    assert "status" not in created


def test_empty_lists_and_maps_are_not_stored_but_an_empty_rule_is():
    store = bare_store()
    created = store.create(
        policy(
            "allow-all",
            podSelector={"matchLabels": {}, "matchExpressions": []},
            ingress=[{"from": [], "ports": []}],
            egress=[{"to": [{"ipBlock": {"cidr": "10.0.0.0/8", "except": []}}]}],
        )
    )
    assert created["spec"] == {
        "podSelector": {},
        "ingress": [{}],
        "egress": [{"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}],
        "policyTypes": ["Ingress", "Egress"],
    }
    # The Go structs' field order, whatever order the manifest had.
    assert list(created["spec"]) == ["podSelector", "ingress", "egress", "policyTypes"]


def test_a_spec_change_is_a_new_generation_a_label_change_is_not():
    store = bare_store()
    store.create(policy("web", ingress=[{}]))
    current = store.get("NetworkPolicy", "web", "default")
    current["metadata"]["labels"] = {"team": "a"}
    assert store.update(current)["metadata"]["generation"] == 1
    current = store.get("NetworkPolicy", "web", "default")
    current["spec"]["ingress"] = [{"ports": [{"port": 8080}]}]
    assert store.update(current)["metadata"]["generation"] == 2


def test_an_explicit_empty_protocol_is_not_defaulted():
    store = bare_store()
    assert errors_of(store, policy(ingress=[{"ports": [{"protocol": "", "port": 80}]}])) == [
        'spec.ingress[0].ports[0].protocol: Unsupported value: "": supported values: "TCP", '
        '"UDP", "SCTP"'
    ]


# -- TestValidateNetworkPolicy: success cases -----------------------------------------------

SUCCESS = [
    policy(ingress=[{}]),
    policy(ingress=[{"ports": [{}]}]),
    policy(
        ingress=[
            {
                "ports": [
                    port(80),
                    port(protocol="TCP"),
                    port(443, "TCP"),
                    port("dns", "UDP"),
                    port(7777, "SCTP"),
                ]
            }
        ]
    ),
    policy(ingress=ingress_from({"podSelector": {"matchLabels": {"c": "d"}}})),
    policy(ingress=ingress_from({"namespaceSelector": {"matchLabels": {"c": "d"}}})),
    policy(
        ingress=ingress_from(
            {
                "podSelector": {"matchLabels": {"e": "f"}},
                "namespaceSelector": {"matchLabels": {"c": "d"}},
            }
        )
    ),
    policy(
        egress=egress_to({"namespaceSelector": {"matchLabels": {"c": "d"}}}),
        ingress=ingress_from({"ipBlock": IPV4_BLOCK}),
    ),
    policy(ingress=ingress_from({"ipBlock": IPV4_BLOCK})),
    policy(egress=egress_to({"ipBlock": IPV4_BLOCK}), policyTypes=["Egress"]),
    policy(egress=egress_to({"ipBlock": IPV4_BLOCK}), policyTypes=["Ingress", "Egress"]),
    policy(egress=[{"ports": [port(80), port(protocol="TCP"), port("dns", "UDP")]}]),
    policy(ingress=ingress_from({"ipBlock": IPV6_BLOCK})),
    policy(egress=egress_to({"ipBlock": IPV6_BLOCK}), policyTypes=["Egress"]),
    policy(egress=[{"ports": [port(32000, end=32768), port("dns", "UDP")]}]),
    policy(
        egress=egress_to(
            {"namespaceSelector": {"matchLabels": {"c": "d"}}},
            ports=[port(30000, end=32768), port(32000, end=32768)],
        ),
        ingress=ingress_from(
            {"podSelector": {"matchLabels": {"e": "f"}}}, ports=[port(32768, "TCP", 32768)]
        ),
    ),
    # Not in upstream's table, accepted all the same: Go's sloppy CIDR parser reads host bits
    # and leading zeros (StrictIPCIDRValidation is off), and duplicated policyTypes are not
    # checked.
    policy(
        ingress=ingress_from({"ipBlock": {"cidr": "192.168.1.5/24", "except": ["192.168.1.7/32"]}})
    ),
    policy(ingress=ingress_from({"ipBlock": {"cidr": "010.0.0.0/08"}})),
    policy(policyTypes=["Ingress", "Ingress"]),
    policy(
        podSelector={
            "matchExpressions": [
                {"key": "tier", "operator": "In", "values": ["web", "api"]},
                {"key": "canary", "operator": "DoesNotExist"},
            ]
        }
    ),
]


@pytest.mark.parametrize("manifest", SUCCESS, ids=range(len(SUCCESS)))
def test_upstream_success_cases(manifest):
    bare_store().create(copy.deepcopy(manifest))


# -- TestValidateNetworkPolicy: error cases, with their messages ---------------------------

ERRORS = {
    "namespaceSelector and ipBlock": (
        policy(
            ingress=ingress_from(
                {"namespaceSelector": {"matchLabels": {"c": "d"}}, "ipBlock": IPV4_BLOCK}
            )
        ),
        ["spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer"],
    ),
    "podSelector and ipBlock": (
        policy(
            egress=egress_to({"podSelector": {"matchLabels": {"c": "d"}}, "ipBlock": IPV4_BLOCK})
        ),
        ["spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"],
    ),
    "missing from and to type": (
        policy(ingress=ingress_from({}), egress=egress_to({})),
        [
            "spec.ingress[0].from[0]: Required value: must specify a peer",
            "spec.egress[0].to[0]: Required value: must specify a peer",
        ],
    ),
    "invalid spec.podSelector": (
        policy(podSelector={"matchLabels": INVALID_KEY}),
        [
            'spec.podSelector.matchLabels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": '
            + INVALID_KEY_MSG
        ],
    ),
    "invalid ingress.ports.protocol": (
        policy(ingress=[{"ports": [port(80, "ICMP")]}]),
        [
            'spec.ingress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: '
            '"TCP", "UDP", "SCTP"'
        ],
    ),
    "invalid ingress.ports.port (int)": (
        policy(ingress=[{"ports": [port(123456789, "TCP")]}]),
        [
            "spec.ingress[0].ports[0].port: Invalid value: 123456789: must be between 1 and "
            "65535, inclusive"
        ],
    ),
    "invalid ingress.ports.port (str)": (
        policy(ingress=[{"ports": [port("!@#$", "TCP")]}]),
        [
            'spec.ingress[0].ports[0].port: Invalid value: "!@#$": must contain only '
            "alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            'spec.ingress[0].ports[0].port: Invalid value: "!@#$": must contain at least one '
            "letter (a-z)",
        ],
    ),
    "invalid ingress.from.podSelector": (
        policy(ingress=ingress_from({"podSelector": {"matchLabels": INVALID_KEY}})),
        [
            "spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: "
            '"NoUppercaseOrSpecialCharsLike=Equals": ' + INVALID_KEY_MSG
        ],
    ),
    "invalid egress.to.podSelector": (
        policy(egress=egress_to({"podSelector": {"matchLabels": INVALID_KEY}})),
        [
            "spec.egress[0].to[0].podSelector.matchLabels: Invalid value: "
            '"NoUppercaseOrSpecialCharsLike=Equals": ' + INVALID_KEY_MSG
        ],
    ),
    "invalid egress.ports.protocol": (
        policy(egress=[{"ports": [port(80, "ICMP")]}]),
        [
            'spec.egress[0].ports[0].protocol: Unsupported value: "ICMP": supported values: '
            '"TCP", "UDP", "SCTP"'
        ],
    ),
    "invalid egress.ports.port (int)": (
        policy(egress=[{"ports": [port(123456789, "TCP")]}]),
        [
            "spec.egress[0].ports[0].port: Invalid value: 123456789: must be between 1 and "
            "65535, inclusive"
        ],
    ),
    "invalid ingress.from.namespaceSelector": (
        policy(ingress=ingress_from({"namespaceSelector": {"matchLabels": INVALID_KEY}})),
        [
            "spec.ingress[0].from[0].namespaceSelector.matchLabels: Invalid value: "
            '"NoUppercaseOrSpecialCharsLike=Equals": ' + INVALID_KEY_MSG
        ],
    ),
    "missing cidr field": (
        policy(ingress=ingress_from({"ipBlock": {"except": ["192.168.3.0/24"]}})),
        ["spec.ingress[0].from[0].ipBlock.cidr: Required value"],
    ),
    "invalid cidr format": (
        policy(ingress=ingress_from({"ipBlock": {**IPV4_BLOCK, "cidr": "192.168.5.6"}})),
        [f'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "192.168.5.6": {CIDR_MSG}'],
    ),
    "invalid ipv6 cidr format": (
        policy(ingress=ingress_from({"ipBlock": {**IPV6_BLOCK, "cidr": "fd00:192:168::"}})),
        [f'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "fd00:192:168::": {CIDR_MSG}'],
    ),
    "except field is an empty string": (
        policy(ingress=ingress_from({"ipBlock": {**IPV4_BLOCK, "except": [""]}})),
        [f'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "": {CIDR_MSG}'],
    ),
    "except field is an space string": (
        policy(ingress=ingress_from({"ipBlock": {**IPV4_BLOCK, "except": [" "]}})),
        [f'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: " ": {CIDR_MSG}'],
    ),
    "except field is an invalid ip": (
        policy(ingress=ingress_from({"ipBlock": {**IPV4_BLOCK, "except": ["300.300.300.300"]}})),
        [
            "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "
            f'"300.300.300.300": {CIDR_MSG}'
        ],
    ),
    "except IP is outside of CIDR range": (
        policy(
            ingress=ingress_from(
                {"ipBlock": {"cidr": "192.168.8.0/24", "except": ["192.168.9.1/32"]}}
            )
        ),
        [
            'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.9.1/32": must '
            "be a strict subset of `cidr`"
        ],
    ),
    "except IP is not strictly within CIDR range": (
        policy(
            ingress=ingress_from(
                {"ipBlock": {"cidr": "192.168.0.0/24", "except": ["192.168.0.0/24"]}}
            )
        ),
        [
            'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "192.168.0.0/24": must '
            "be a strict subset of `cidr`"
        ],
    ),
    "except IPv6 is outside of CIDR range": (
        policy(
            ingress=ingress_from(
                {"ipBlock": {"cidr": "fd00:192:168:1::/64", "except": ["fd00:192:168:2::/64"]}}
            )
        ),
        [
            'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "fd00:192:168:2::/64": '
            "must be a strict subset of `cidr`"
        ],
    ),
    "except of the other family": (
        policy(ingress=ingress_from({"ipBlock": {"cidr": "10.0.0.0/8", "except": ["fd00::/64"]}})),
        [
            'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "fd00::/64": must be a '
            "strict subset of `cidr`"
        ],
    ),
    "invalid policyTypes": (
        policy(egress=egress_to({"ipBlock": IPV4_BLOCK}), policyTypes=["foo", "bar"]),
        [
            'spec.policyTypes[0]: Unsupported value: "foo": supported values: "Ingress", "Egress"',
            'spec.policyTypes[1]: Unsupported value: "bar": supported values: "Ingress", "Egress"',
        ],
    ),
    "too many policyTypes": (
        policy(egress=egress_to({"ipBlock": IPV4_BLOCK}), policyTypes=["foo", "bar", "baz"]),
        [
            'spec.policyTypes: Invalid value: ["foo","bar","baz"]: may not specify more than '
            "two policyTypes"
        ],
    ),
    "multiple ports defined, one port range is invalid": (
        policy(
            egress=egress_to(
                {"namespaceSelector": {"matchLabels": {"c": "d"}}},
                ports=[port(35000, "UDP", 32768), port(32000, end=32768)],
            )
        ),
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 32768: must be greater than or "
            "equal to `port`"
        ],
    ),
    "endPort defined with named/string port": (
        policy(egress=[{"ports": [port("dns", "UDP", 32768), port(32000, end=32768)]}]),
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when "
            "`port` is non-numeric"
        ],
    ),
    "endPort defined without port defined": (
        policy(egress=[{"ports": [port(protocol="TCP", end=32768)]}]),
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 32768: may not be specified when "
            "`port` is not specified"
        ],
    ),
    "multiple invalid port ranges defined": (
        policy(
            egress=[
                {
                    "ports": [
                        port(35000, "UDP", 32768),
                        port(protocol="TCP", end=32768),
                        port("https", "TCP", 32768),
                    ]
                }
            ]
        ),
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 32768: must be greater than or "
            "equal to `port`",
            "spec.egress[0].ports[1].endPort: Invalid value: 32768: may not be specified when "
            "`port` is not specified",
            "spec.egress[0].ports[2].endPort: Invalid value: 32768: may not be specified when "
            "`port` is non-numeric",
        ],
    ),
    "invalid endport range defined": (
        policy(egress=[{"ports": [port(30000, "TCP", 65537)]}]),
        [
            "spec.egress[0].ports[0].endPort: Invalid value: 65537: must be between 1 and "
            "65535, inclusive"
        ],
    ),
    "match expressions": (
        policy(
            podSelector={
                "matchExpressions": [
                    {"key": "a", "operator": "In"},
                    {"key": "b", "operator": "Exists", "values": ["x"]},
                    {"key": "c", "operator": "Equals", "values": ["x"]},
                    {"key": "d", "operator": "NotIn", "values": ["bad value"]},
                ]
            }
        ),
        [
            "spec.podSelector.matchExpressions[0].values: Required value: must be specified "
            "when `operator` is 'In' or 'NotIn'",
            "spec.podSelector.matchExpressions[1].values: Forbidden: may not be specified when "
            "`operator` is 'Exists' or 'DoesNotExist'",
            'spec.podSelector.matchExpressions[2].operator: Invalid value: "Equals": not a '
            "valid selector operator",
            'spec.podSelector.matchExpressions[3].values[0]: Invalid value: "bad value": a '
            "valid label must be an empty string or consist of alphanumeric characters, '-', "
            "'_' or '.', and must start and end with an alphanumeric character (e.g. "
            "'MyValue',  or 'my_value',  or '12345', regex used for validation is "
            "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ],
    ),
}


@pytest.mark.parametrize("case", list(ERRORS))
def test_upstream_error_cases(case):
    manifest, expected = ERRORS[case]
    assert errors_of(bare_store(), copy.deepcopy(manifest)) == expected


def test_the_whole_message_as_the_api_server_words_it():
    with pytest.raises(ApiError) as caught:
        bare_store().create(policy("np", ingress=ingress_from({})))
    assert caught.value.message == (
        'The NetworkPolicy.networking.k8s.io "np" is invalid: '
        "spec.ingress[0].from[0]: Required value: must specify a peer"
    )
    assert caught.value.code == 422


def test_an_update_reports_each_error_once():
    store = bare_store()
    store.create(policy("web", ingress=[{}]))
    current = store.get("NetworkPolicy", "web", "default")
    current["spec"]["ingress"] = [{"ports": [{"port": 0}]}]
    with pytest.raises(ApiError) as caught:
        store.update(current)
    assert [str(c) for c in caught.value.causes] == [
        "spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
    ]


def test_an_update_may_keep_invalid_values_of_the_old_pod_selector():
    """ValidationOptionsForNetworking: an old podSelector that fails validation lets the new
    one keep label values that a create refuses (keys are still checked)."""
    bad = {"matchExpressions": [{"key": "a", "operator": "In", "values": ["bad value"]}]}
    old = policy("web", podSelector=bad)
    assert validate_network_policy_update(copy.deepcopy(old), old) == []
    assert len(validate_network_policy(old)) == 1
    worse = policy("web", podSelector={"matchLabels": INVALID_KEY, **bad})
    assert [str(e) for e in validate_network_policy_update(worse, old)] == [
        'spec.podSelector.matchLabels: Invalid value: "NoUppercaseOrSpecialCharsLike=Equals": '
        + INVALID_KEY_MSG
    ]
