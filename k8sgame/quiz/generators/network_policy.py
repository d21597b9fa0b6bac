"""Which pods get through a NetworkPolicy: two labelled namespaces, a web pod and a few client
pods, and one or two policies on the web pod drawn per seed — a default deny, a peer with only
a podSelector (the policy's own namespace), only a namespaceSelector, both in one peer (AND)
or as two peers (OR), an empty namespaceSelector, sometimes a ports list (8080, the named
port ``http``, or the Service-style 80 that never matches).

The engine decides: on a Calico cluster (the default network setup, which enforces policies)
each client pod opens a TCP connection to the web pod's address on 8080, and the option is
right when the connection is open (a denied one is dropped). The explanation names the
policies that select the web pod and the one that let each client in, as the engine's
policy evaluation (``engine/network/policy``) reports them.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from k8sgame.content.text import Text
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.network.client import OPEN
from k8sgame.engine.network.policy import Endpoint, PolicyIndex, pod_endpoint
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import one_node_cluster, pod_manifest, text
from k8sgame.quiz.generators.net_cluster import (
    WEB_PORT,
    bullets,
    client_pod,
    compose,
    kubectl_output,
    namespace_manifest,
    pods_ready,
    run_until_up,
    web_container,
)
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

NAME = "network-policy-admits"
CONCEPTS = ("network-policy", "labels-selectors", "namespaces")
HOMES = ("shop", "prod", "payments")
OTHERS = ("ops", "monitoring", "tools")
WEB = "web"
SHAPES = ("pods", "namespaces", "and", "or", "any_namespace")
POD_LABELS: tuple[dict[str, str], ...] = ({"role": "client"}, {"app": "api"})
PORT_SHARE = 0.35
PORTS: tuple[int | str, ...] = (8080, "http", 80)
ATTEMPTS = 40


@dataclass(frozen=True)
class Client:
    """A pod that tries to connect to the web pod."""

    name: str
    namespace: str
    labels: Mapping[str, str]


def clients(home: str, other: str) -> tuple[Client, ...]:
    """The pods that try to connect, in both namespaces."""
    return (
        Client("api", home, {"app": "api"}),
        Client("client", home, {"role": "client"}),
        Client("batch", home, {"app": "batch"}),
        Client("client", other, {"role": "client"}),
        Client("api", other, {"app": "api"}),
    )


@dataclass(frozen=True)
class Policy:
    """One NetworkPolicy and what its explanation notes (message key, fields)."""

    manifest: dict[str, Any]
    notes: tuple[tuple[str, dict[str, Any]], ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return str(self.manifest["metadata"]["name"])


def _policy(name: str, namespace: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": {"name": name, "namespace": namespace},
        "spec": spec,
    }


def default_deny(home: str) -> Policy:
    manifest = _policy("default-deny", home, {"podSelector": {}, "policyTypes": ["Ingress"]})
    return Policy(manifest, (("note_deny", {"policy": "default-deny", "namespace": home}),))


def _peers(rng: random.Random, shape: str, other: str) -> list[dict[str, Any]]:
    """The ``from`` list of a rule of that shape."""
    pods = {"podSelector": {"matchLabels": dict(rng.choice(POD_LABELS))}}
    key = rng.choice(("team", "kubernetes.io/metadata.name"))
    namespaces = {"namespaceSelector": {"matchLabels": {key: other}}}
    if shape == "pods":
        return [pods]
    if shape == "namespaces":
        return [namespaces]
    if shape == "and":
        return [{**namespaces, **pods}]
    if shape == "or":
        return [namespaces, pods]
    return [{"namespaceSelector": {}, **pods}]


def allowing(rng: random.Random, name: str, home: str, other: str, shape: str) -> Policy:
    """A policy on the web pod whose one rule has peers of ``shape``, maybe with ports."""
    rule: dict[str, Any] = {"from": _peers(rng, shape, other)}
    shape_fields: dict[str, Any] = {"policy": name, "namespace": home}
    notes: list[tuple[str, dict[str, Any]]] = [(f"note_{shape}", shape_fields)]
    if rng.random() < PORT_SHARE:
        port = rng.choice(PORTS)
        rule["ports"] = [{"protocol": "TCP", "port": port}]
        matches = port in (WEB_PORT, "http")
        key = "note_port_match" if matches else "note_port_miss"
        notes.append((key, {"policy": name, "port": port, "named": port == "http"}))
    spec = {
        "podSelector": {"matchLabels": {"app": WEB}},
        "policyTypes": ["Ingress"],
        "ingress": [rule],
    }
    return Policy(_policy(name, home, spec), tuple(notes))


def draw_policies(rng: random.Random, home: str, other: str) -> list[Policy]:
    """One allowing policy, a default deny with one, or two allowing policies."""
    first, second = rng.sample(SHAPES, 2)
    style = rng.choice(("one", "deny", "two"))
    policies = [allowing(rng, "allow-web", home, other, first)]
    if style == "deny":
        policies.insert(0, default_deny(home))
    elif style == "two":
        policies.append(allowing(rng, "allow-web-extra", home, other, second))
    return policies


@dataclass(frozen=True)
class PolicyVariant:
    """The web pod's namespace (``home``, where the policies are), the other namespace, the
    client pods and the policies."""

    home: str
    other: str
    clients: tuple[Client, ...]
    policies: tuple[Policy, ...]


def _endpoint(c: Client, namespace_labels: Mapping[str, Mapping[str, str]]) -> Endpoint:
    """The client as policy evaluation sees it (its address does not matter to selectors)."""
    return Endpoint("", c.namespace, dict(c.labels), dict(namespace_labels[c.namespace]))


def _mixed(
    policies: list[Policy], variant_clients: tuple[Client, ...], home: str, other: str
) -> bool:
    """Whether some clients get through and some do not, by the policy semantics alone:
    a variant that admits everyone or no one asks nothing worth asking."""
    labels = {ns: {"kubernetes.io/metadata.name": ns, "team": ns} for ns in (home, other)}
    index = PolicyIndex(p.manifest for p in policies)
    web = Endpoint("", home, {"app": WEB}, labels[home])
    allowed = {index.evaluate(_endpoint(c, labels), web, WEB_PORT).allowed for c in variant_clients}
    return allowed == {True, False}


def variant(seed: int) -> PolicyVariant:
    """The namespaces, the clients and policies that admit some clients but not all."""
    rng = random.Random(seed)
    home, other = rng.choice(HOMES), rng.choice(OTHERS)
    found = clients(home, other)
    for _ in range(ATTEMPTS):
        policies = draw_policies(rng, home, other)
        if _mixed(policies, found, home, other):
            return PolicyVariant(home, other, found, tuple(policies))
    raise MeasureError(f"{NAME} seed {seed}: no policies that admit some clients")


def build(v: PolicyVariant, seed: int) -> Cluster:
    """A one-node Calico cluster with the namespaces, the pods running and the policies."""
    cluster = one_node_cluster(seed)
    for name in (v.home, v.other):
        cluster.api.create(namespace_manifest(name, {"team": name}))
    web = pod_manifest(WEB, [web_container()], namespace=v.home, labels={"app": WEB})
    cluster.api.create(web)
    for c in v.clients:
        cluster.api.create(client_pod(c.name, c.namespace, c.labels))
    everyone = [(WEB, v.home), *((c.name, c.namespace) for c in v.clients)]
    run_until_up(cluster, pods_ready(cluster, everyone), "the pods")
    for policy in v.policies:
        cluster.api.create(policy.manifest)
    return cluster


@dataclass(frozen=True)
class Attempt:
    """A client's connection to the web pod: open or not, and the policies that isolate
    the web pod and that let this client in."""

    client: Client
    connected: bool
    isolating: tuple[str, ...]
    allowed_by: tuple[str, ...]


def _namespace_labels(cluster: Cluster, namespace: str) -> dict[str, str]:
    found = cluster.api.peek("Namespace", namespace) or {}
    return dict((found.get("metadata") or {}).get("labels") or {})


def connect_all(cluster: Cluster, v: PolicyVariant) -> list[Attempt]:
    """Each client connects to the web pod's address and port 8080, in the engine."""
    web = cluster.get("Pod", WEB, v.home)
    web_ip = str(web["status"]["podIP"])
    destination = pod_endpoint(web, _namespace_labels(cluster, v.home))
    index = cluster.network.policies()
    found = []
    for c in v.clients:
        link = cluster.network.for_pod(cluster.get("Pod", c.name, c.namespace))
        connected = link.connect(web_ip, WEB_PORT, cluster.now).state == OPEN
        verdict = index.evaluate(cluster.network.endpoint_of(link.source), destination, WEB_PORT)
        if verdict.allowed != connected:
            raise MeasureError(
                f"{c.namespace}/{c.name}: the policy verdict and the network disagree"
            )
        found.append(Attempt(c, connected, verdict.ingress_isolated_by, verdict.ingress_allowed_by))
    return found


def _labels(labels: Mapping[str, str]) -> str:
    return ",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>"


def shown_namespaces(cluster: Cluster, v: PolicyVariant) -> str:
    """``kubectl get ns HOME OTHER --show-labels``: the two namespaces and their labels."""
    return kubectl_output(cluster, f"get ns {v.home} {v.other} --show-labels")


def shown_pods(cluster: Cluster, v: PolicyVariant) -> str:
    """``kubectl get pods -A --show-labels``: the web pod and the clients (the cluster runs
    no other pods) and their labels."""
    return kubectl_output(cluster, "get pods -A --show-labels")


def option_text(c: Client) -> Text:
    return text(
        "generated.netpol.option", name=c.name, namespace=c.namespace, labels=_labels(c.labels)
    )


def _line(attempt: Attempt) -> Text:
    parts = {"client": option_text(attempt.client)}
    if attempt.connected:
        return compose(
            "generated.netpol.line_allowed", parts, policies=", ".join(attempt.allowed_by)
        )
    return compose("generated.netpol.line_denied", parts)


def _note(key: str, fields: dict[str, Any]) -> Text:
    named = text("generated.netpol.named_port") if fields.get("named") else Text("", "")
    shown = {k: v for k, v in fields.items() if k != "named"}
    return compose(f"generated.netpol.{key}", {"named": named}, **shown)


def explanation(v: PolicyVariant, attempts: list[Attempt]) -> Text:
    isolating = sorted({name for a in attempts for name in a.isolating})
    notes = [_note(key, fields) for policy in v.policies for key, fields in policy.notes]
    parts = {"lines": bullets(_line(a) for a in attempts), "notes": bullets(notes)}
    return compose("generated.netpol.explanation", parts, isolating=", ".join(isolating))


@generator(NAME, CONCEPTS)
def network_policy_admits(seed: int) -> Question:
    v = variant(seed)
    cluster = build(v, seed)
    attempts = connect_all(cluster, v)
    policies = "---\n".join(yaml.safe_dump(p.manifest, sort_keys=False) for p in v.policies)
    prompt = text(
        "generated.netpol.prompt",
        namespaces=shown_namespaces(cluster, v),
        pods=shown_pods(cluster, v),
        web_ip=cluster.get("Pod", WEB, v.home)["status"]["podIP"],
        policies=policies.rstrip(),
    )
    return Question(
        id=f"{NAME}-{seed}",
        kind="multiple",
        prompt=prompt,
        explanation=explanation(v, attempts),
        concepts=CONCEPTS,
        difficulty=3 if len(v.policies) == 1 else 4,
        options=tuple(Option(option_text(a.client), a.connected) for a in attempts),
        generator=NAME,
        seed=seed,
    )
