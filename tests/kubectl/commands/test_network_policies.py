"""``kubectl get``/``describe`` of NetworkPolicies as kubectl 1.35 prints them
(``printNetworkPolicy``: NAME, POD-SELECTOR, AGE; ``describeNetworkPolicy`` with
``printNetworkPolicySpecIngressFrom``/``printNetworkPolicySpecEgressTo``), and the API
server's errors as ``apply -f`` shows them."""

from __future__ import annotations

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.kubectl.kinds.network_policy import go_time_string
from k8sgame.kubectl.session import KubectlSession


def network_policy(name, spec, namespace="default", labels=None, annotations=None):
    metadata = {"name": name, "namespace": namespace}
    if labels:
        metadata["labels"] = labels
    if annotations:
        metadata["annotations"] = annotations
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata,
        "spec": spec,
    }


API_ALLOW = {
    "podSelector": {
        "matchLabels": {"app": "api"},
        "matchExpressions": [{"key": "tier", "operator": "In", "values": ["web", "backend"]}],
    },
    "ingress": [
        {
            "from": [
                {"podSelector": {"matchLabels": {"role": "frontend"}}},
                {"namespaceSelector": {"matchLabels": {"team": "x"}}, "podSelector": {}},
                {"namespaceSelector": {}},
                {
                    "ipBlock": {
                        "cidr": "172.17.0.0/16",
                        "except": ["172.17.1.0/24", "172.17.2.0/24"],
                    }
                },
            ],
            "ports": [
                {"port": 6379},
                {"port": "metrics", "protocol": "UDP"},
                {"port": 32000, "endPort": 32768},
                {"protocol": "SCTP"},
            ],
        },
        {},
    ],
    "egress": [
        {"to": [{"ipBlock": {"cidr": "10.0.0.0/24"}}], "ports": [{"port": 53, "protocol": "UDP"}]}
    ],
}


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.create(network_policy("api-allow", API_ALLOW, labels={"team": "a", "app": "api"}))
    cluster.create(
        network_policy("default-deny", {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]})
    )
    cluster.create(
        network_policy(
            "egress-only",
            {
                "podSelector": {"matchLabels": {"app": "job"}},
                "egress": [{}],
                "policyTypes": ["Egress"],
            },
            namespace="kube-system",
            annotations={"owner": "ops"},
        )
    )
    cluster.run_for(90)
    return KubectlSession(cluster)


def test_get_columns(session):
    assert session.run("get netpol").stdout == (
        "NAME           POD-SELECTOR                    AGE\n"
        "api-allow      app=api,tier in (backend,web)   90s\n"
        "default-deny   <none>                          90s\n"
    )
    assert session.run("get networkpolicies -A").stdout == (
        "NAMESPACE     NAME           POD-SELECTOR                    AGE\n"
        "default       api-allow      app=api,tier in (backend,web)   90s\n"
        "default       default-deny   <none>                          90s\n"
        "kube-system   egress-only    app=job                         90s\n"
    )
    assert session.run("get networkpolicy.networking.k8s.io default-deny -o name").stdout == (
        "networkpolicy.networking.k8s.io/default-deny\n"
    )
    assert session.run("get netpol egress-only -n kube-system --show-labels").stdout == (
        "NAME          POD-SELECTOR   AGE   LABELS\negress-only   app=job        90s   <none>\n"
    )


def test_describe_rules_of_both_directions(session):
    # "Except: " keeps its space when the block has no exceptions (strings.Join of nothing).
    assert session.run("describe netpol api-allow").stdout == (
        "Name:         api-allow\n"
        "Namespace:    default\n"
        "Created on:   2026-01-05 09:00:00 +0000 UTC\n"
        "Labels:       app=api\n"
        "              team=a\n"
        "Annotations:  <none>\n"
        "Spec:\n"
        "  PodSelector:     app=api,tier in (backend,web)\n"
        "  Allowing ingress traffic:\n"
        "    To Port: 6379/TCP\n"
        "    To Port: metrics/UDP\n"
        "    To Port Range: 32000-32768/TCP\n"
        "    To Port: <nil>/SCTP\n"
        "    From:\n"
        "      PodSelector: role=frontend\n"
        "    From:\n"
        "      NamespaceSelector: team=x\n"
        "      PodSelector: <none>\n"
        "    From:\n"
        "      NamespaceSelector: <none>\n"
        "    From:\n"
        "      IPBlock:\n"
        "        CIDR: 172.17.0.0/16\n"
        "        Except: 172.17.1.0/24, 172.17.2.0/24\n"
        "    ----------\n"
        "    To Port: <any> (traffic allowed to all ports)\n"
        "    From: <any> (traffic not restricted by source)\n"
        "  Allowing egress traffic:\n"
        "    To Port: 53/UDP\n"
        "    To:\n"
        "      IPBlock:\n"
        "        CIDR: 10.0.0.0/24\n"
        "        Except: \n"
        "  Policy Types: Ingress, Egress\n"
    )


def test_describe_a_default_deny_and_an_egress_only_policy(session):
    assert session.run("describe networkpolicy default-deny").stdout == (
        "Name:         default-deny\n"
        "Namespace:    default\n"
        "Created on:   2026-01-05 09:00:00 +0000 UTC\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Spec:\n"
        "  PodSelector:     <none> (Allowing the specific traffic to all pods in this namespace)\n"
        "  Allowing ingress traffic:\n"
        "    <none> (Selected pods are isolated for ingress connectivity)\n"
        "  Allowing egress traffic:\n"
        "    <none> (Selected pods are isolated for egress connectivity)\n"
        "  Policy Types: Ingress, Egress\n"
    )
    assert session.run("describe netpol -n kube-system").stdout == (
        "Name:         egress-only\n"
        "Namespace:    kube-system\n"
        "Created on:   2026-01-05 09:00:00 +0000 UTC\n"
        "Labels:       <none>\n"
        "Annotations:  owner: ops\n"
        "Spec:\n"
        "  PodSelector:     app=job\n"
        "  Not affecting ingress traffic\n"
        "  Allowing egress traffic:\n"
        "    To Port: <any> (traffic allowed to all ports)\n"
        "    To: <any> (traffic not restricted by destination)\n"
        "  Policy Types: Egress\n"
    )


def test_describe_several_policies_are_separated_by_blank_lines(session):
    text = session.run("describe netpol").stdout
    assert text.count("Name:  ") == 2
    assert "  Policy Types: Ingress, Egress\n\n\nName:         default-deny\n" in text


def test_go_time_string():
    assert go_time_string("2026-03-01T18:04:05Z") == "2026-03-01 18:04:05 +0000 UTC"
    assert go_time_string(None) == "0001-01-01 00:00:00 +0000 UTC"


def test_apply_creates_and_reports_the_api_servers_errors():
    files: dict[str, str] = {}
    session = KubectlSession(new_cluster(), files=lambda path: [(path, files[path])])
    files["np.yaml"] = yaml.safe_dump(
        network_policy(
            "db",
            {
                "podSelector": {"matchLabels": {"app": "db"}},
                "ingress": [{"from": [{}, {"ipBlock": {"cidr": "10.0.0.1"}}]}],
            },
        )
    )
    result = session.run("apply -f np.yaml")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "",
        'The NetworkPolicy "db" is invalid: \n'
        "* spec.ingress[0].from[0]: Required value: must specify a peer\n"
        '* spec.ingress[0].from[1].ipBlock.cidr: Invalid value: "10.0.0.1": must be a valid '
        "CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)\n",
        1,
    )
    files["np.yaml"] = yaml.safe_dump(network_policy("db", {"podSelector": {}}))
    assert session.run("apply -f np.yaml").stdout == "networkpolicy.networking.k8s.io/db created\n"
    assert session.run("apply -f np.yaml").stdout == (
        "networkpolicy.networking.k8s.io/db unchanged\n"
    )
