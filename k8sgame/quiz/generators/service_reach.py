"""Where a Service answers from: one pod of the demo web app behind a Service of type
ClusterIP, NodePort or LoadBalancer (on a cluster with a MetalLB pool, or with nothing to
hand out addresses), or a headless one; the question lists GETs from three places — a pod in
the cluster, a node (``ssh node-1``), the player's machine outside the cluster — to the
Service's cluster IP, its DNS name, a node's address and node port, or its load-balancer
address, and asks which ones answer 200.

The engine decides every option: ``engine/network/probe.probe`` follows the request from
that place with that place's resolver files (the pod's, the node's, the machine's), through
kube-proxy and MetalLB to the pod, trying every endpoint kube-proxy could pick. An option is
right when the only outcome is ``200``. The explanation names the outcome the engine got and
the rule behind it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import yaml

from k8sgame.content.text import Text
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.host_shell import node_files, workstation_files
from k8sgame.engine.network.dns import CLUSTER_DOMAIN
from k8sgame.engine.network.fabric import PodLink
from k8sgame.engine.network.metallb import Pool
from k8sgame.engine.network.pod_files import pod_files
from k8sgame.engine.network.probe import (
    REFUSED_OUTCOME,
    TIMEOUT,
    UNRESOLVED,
    parse_target,
    probe,
)
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, node, pod_manifest, text
from k8sgame.quiz.generators.net_cluster import (
    EMPTY,
    WEB_PORT,
    bullets,
    client_pod,
    compose,
    kubectl_output,
    pods_ready,
    run_until_up,
    web_container,
)
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

NAME = "service-type-reach"
CONCEPTS = ("services", "kube-proxy", "metallb")
# The variants: a Service type, and "balancer" / "pending" for LoadBalancer with and
# without MetalLB's pool.
STYLES = ("ClusterIP", "NodePort", "pending", "balancer", "headless")
SERVICE_NAMES = ("web", "shop", "api")
SERVICE_PORTS = (80, 8000)
NODE_PORTS = (30080, 30100, 31000, 31380, 32000)
POOL = Pool("first-pool", ("192.168.49.200-192.168.49.210",))
NODES = ("node-1", "node-2")
CLIENT = "client"
POD, NODE, OUTSIDE = "pod", "node", "outside"
OPTION_COUNT = 6
MOST_RIGHT = 3
SUMMARY = {
    "ClusterIP": "summary_clusterip",
    "NodePort": "summary_nodeport",
    "pending": "summary_pending",
    "balancer": "summary_balancer",
    "headless": "summary_headless",
}
OUTCOME_WORDS = {
    "200": "outcome_200",
    TIMEOUT: "outcome_timeout",
    REFUSED_OUTCOME: "outcome_refused",
    UNRESOLVED: "outcome_unresolved",
}

# Where a request starts and what it is sent to: (place, address kind). Each style offers
# the pairs that teach something about it; the first is always among the options.
CANDIDATES = {
    "ClusterIP": (
        (OUTSIDE, "cluster_ip"),
        (POD, "cluster_ip"),
        (POD, "name"),
        (NODE, "cluster_ip"),
        (NODE, "fqdn"),
        (OUTSIDE, "fqdn"),
        (OUTSIDE, "node_port_1"),
        (OUTSIDE, "node_port_2"),
        (POD, "node_port_1"),
    ),
    "NodePort": (
        (OUTSIDE, "node_port_2"),
        (OUTSIDE, "node_port_1"),
        (POD, "cluster_ip"),
        (POD, "name"),
        (NODE, "cluster_ip"),
        (NODE, "fqdn"),
        (NODE, "node_port_2"),
        (OUTSIDE, "cluster_ip"),
        (OUTSIDE, "fqdn"),
        (POD, "node_port_1"),
    ),
    "balancer": (
        (OUTSIDE, "balancer"),
        (POD, "balancer"),
        (NODE, "balancer"),
        (OUTSIDE, "node_port_1"),
        (POD, "name"),
        (NODE, "fqdn"),
        (OUTSIDE, "cluster_ip"),
        (OUTSIDE, "fqdn"),
        (NODE, "cluster_ip"),
    ),
    "headless": (
        (POD, "name_port"),
        (POD, "name_target"),
        (POD, "fqdn_target"),
        (POD, "fqdn_port"),
        (NODE, "fqdn_target"),
        (OUTSIDE, "name_target"),
    ),
}
CANDIDATES["pending"] = CANDIDATES["NodePort"]


@dataclass(frozen=True)
class ReachVariant:
    """The Service: its name, style, port and node port (offered for every style; only
    NodePort and LoadBalancer Services open it)."""

    name: str
    style: str
    port: int
    node_port: int

    @property
    def service_type(self) -> str:
        """The type ``kubectl get svc`` shows (a headless Service is a ClusterIP one)."""
        if self.style in ("pending", "balancer"):
            return "LoadBalancer"
        return "ClusterIP" if self.style == "headless" else self.style

    @property
    def server(self) -> str:
        """The web pod's name."""
        return f"{self.name}-1"

    @property
    def opens_node_port(self) -> bool:
        return self.style in ("NodePort", "pending", "balancer")


def variant(seed: int) -> ReachVariant:
    """The Service asked about for ``seed``."""
    rng = random.Random(seed)
    return ReachVariant(
        rng.choice(SERVICE_NAMES),
        rng.choice(STYLES),
        rng.choice(SERVICE_PORTS),
        rng.choice(NODE_PORTS),
    )


def service_manifest(v: ReachVariant) -> dict[str, Any]:
    port: dict[str, Any] = {"port": v.port, "targetPort": WEB_PORT}
    spec: dict[str, Any] = {}
    if v.style == "headless":
        spec["clusterIP"] = "None"
    else:
        spec["type"] = v.service_type
    if v.opens_node_port:
        port["nodePort"] = v.node_port
    spec.update({"selector": {"app": v.name}, "ports": [port]})
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": v.name, "namespace": NAMESPACE},
        "spec": spec,
    }


def _balancer_address(cluster: Cluster, v: ReachVariant) -> str:
    """The address MetalLB wrote into the Service's status, or ""."""
    status = (cluster.api.peek("Service", v.name, NAMESPACE) or {}).get("status") or {}
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    return str(ingress[0].get("ip") or "") if ingress else ""


def build(v: ReachVariant, seed: int) -> Cluster:
    """Two workers, the web pod (a bare pod: a Deployment would only add controller work),
    the Service and a client pod, run until the pods are ready (and MetalLB has given out
    its address)."""
    setup = NetworkSetup(pools=(POOL,)) if v.style == "balancer" else None
    workers = [node(name, cpu="4", memory="8Gi") for name in NODES]
    cluster = fresh_cluster(seed, workers, network=setup)
    cluster.api.create(pod_manifest(v.server, [web_container()], labels={"app": v.name}))
    cluster.api.create(service_manifest(v))
    cluster.api.create(client_pod(CLIENT, NAMESPACE))
    ready = pods_ready(cluster, [(v.server, NAMESPACE), (CLIENT, NAMESPACE)])

    def up() -> bool:
        return ready() and (v.style != "balancer" or bool(_balancer_address(cluster, v)))

    run_until_up(cluster, up, f"Service {v.name}")
    return cluster


@dataclass(frozen=True)
class Request:
    """One option: a GET of ``url`` from ``place`` (``kind`` says what the address is),
    with every outcome the engine found for it."""

    place: str
    kind: str
    url: str
    outcomes: frozenset[str]

    @property
    def answers(self) -> bool:
        return self.outcomes == {"200"}


def _url(host: str, port: int) -> str:
    return f"http://{host}/" if port == 80 else f"http://{host}:{port}/"


def urls(cluster: Cluster, v: ReachVariant) -> dict[str, str]:
    """The URL of each kind of address the variant's requests may be sent to."""
    fqdn = f"{v.name}.{NAMESPACE}.svc.{CLUSTER_DOMAIN}"
    first, second = (cluster.network.node_address(name) or "" for name in NODES)
    cluster_ip = str(cluster.get("Service", v.name, NAMESPACE)["spec"]["clusterIP"])
    found = {
        "cluster_ip": _url(cluster_ip, v.port),
        "name": _url(v.name, v.port),
        "fqdn": _url(fqdn, v.port),
        "node_port_1": _url(first, v.node_port),
        "node_port_2": _url(second, v.node_port),
        "name_port": _url(v.name, v.port),
        "name_target": _url(v.name, WEB_PORT),
        "fqdn_port": _url(fqdn, v.port),
        "fqdn_target": _url(fqdn, WEB_PORT),
    }
    balancer = _balancer_address(cluster, v)
    if balancer:
        found["balancer"] = _url(balancer, v.port)
    return found


def places(cluster: Cluster) -> dict[str, tuple[PodLink, dict[str, str]]]:
    """Each place's view of the network and its resolver files: the client pod, node-1
    and the player's machine."""
    client = cluster.get("Pod", CLIENT, NAMESPACE)
    address = cluster.network.node_address(NODES[0]) or ""
    return {
        POD: (cluster.network.for_pod(client), pod_files(client, str(client["status"]["podIP"]))),
        NODE: (cluster.network.for_node(NODES[0]), node_files(NODES[0], address)),
        OUTSIDE: (cluster.network.outside(), workstation_files(cluster.workstation_hosts)),
    }


def requests(cluster: Cluster, v: ReachVariant) -> list[Request]:
    """Every candidate request of the variant's style, probed by the engine."""
    where, addresses = places(cluster), urls(cluster, v)
    found = []
    for place, kind in CANDIDATES[v.style]:
        target = parse_target(addresses[kind])
        if target is None:
            raise MeasureError(f"not a URL: {addresses[kind]}")
        link, files = where[place]
        outcomes = probe(link, files, target, cluster.now)
        found.append(Request(place, kind, addresses[kind], outcomes))
    return found


def choose(rng: random.Random, candidates: list[Request]) -> list[Request]:
    """Up to OPTION_COUNT requests, the style's first one among them, with one to three
    that answer and at least one that does not, in a shuffled order."""
    first, rest = candidates[0], candidates[1:]
    rights = [r for r in rest if r.answers]
    wrongs = [r for r in rest if not r.answers]
    chosen = [first]
    wanted_right = max(0, rng.randint(1, MOST_RIGHT) - first.answers)
    chosen += rng.sample(rights, min(wanted_right, len(rights)))
    room = OPTION_COUNT - len(chosen)
    chosen += rng.sample(wrongs, min(room, len(wrongs)))
    if not any(r.answers for r in chosen) or all(r.answers for r in chosen):
        raise MeasureError("the requests do not mix answering and failing ones")
    rng.shuffle(chosen)
    return chosen


def option_text(request: Request) -> Text:
    return text(f"generated.service_reach.place_{request.place}", url=request.url)


# (what the address is, the single outcome) -> the rule that explains it.
_GROUPS = {
    "fqdn": "name",
    "node_port_1": "node_port",
    "node_port_2": "node_port",
    "fqdn_port": "name_port",
    "fqdn_target": "name_target",
}
REASONS = {
    ("cluster_ip", "200"): "reason_cluster_ip",
    ("cluster_ip", TIMEOUT): "reason_cluster_ip_outside",
    ("name", "200"): "reason_name",
    ("node_port", "200"): "reason_node_port",
    ("node_port", REFUSED_OUTCOME): "reason_no_node_port",
    ("balancer", "200"): "reason_balancer",
    ("name_port", REFUSED_OUTCOME): "reason_headless_port",
    ("name_target", "200"): "reason_headless_target",
}


def reason_key(request: Request) -> str:
    """The message that explains the engine's outcome for ``request``, or ``reason_other``
    when the outcome is not one the rules above expect."""
    if len(request.outcomes) != 1:
        return "reason_other"
    (outcome,) = request.outcomes
    if outcome == UNRESOLVED:
        return "reason_unresolved" if request.place != POD else "reason_other"
    key = REASONS.get((_GROUPS.get(request.kind, request.kind), outcome), "reason_other")
    if key == "reason_cluster_ip_outside" and request.place != OUTSIDE:
        return "reason_other"
    return key


def outcome_text(request: Request) -> Text:
    if len(request.outcomes) == 1:
        (outcome,) = request.outcomes
        if outcome in OUTCOME_WORDS:
            return text(f"generated.service_reach.{OUTCOME_WORDS[outcome]}")
    shown = ", ".join(sorted(request.outcomes))
    return text("generated.service_reach.outcome_other", outcome=shown)


def explain_line(v: ReachVariant, request: Request) -> Text:
    reason = text(
        f"generated.service_reach.{reason_key(request)}",
        port=v.port,
        target=WEB_PORT,
        node_port=v.node_port,
        type=v.service_type,
    )
    parts = {"option": option_text(request), "outcome": outcome_text(request), "reason": reason}
    return compose("generated.service_reach.line", parts)


def _balancer_sentence(v: ReachVariant) -> Text:
    if v.style == "balancer":
        return text("generated.service_reach.balancer_pool", pool=POOL.addresses[0])
    if v.style == "pending":
        return text("generated.service_reach.balancer_none")
    return EMPTY


def get_service_table(cluster: Cluster, name: str) -> str:
    """``kubectl get svc NAME`` as the player would see it."""
    return kubectl_output(cluster, f"get svc {name}")


@generator(NAME, CONCEPTS)
def service_type_reach(seed: int) -> Question:
    v = variant(seed)
    cluster = build(v, seed)
    chosen = choose(random.Random(f"{NAME}:{seed}"), requests(cluster, v))
    nodes = [cluster.network.node_address(name) or "" for name in NODES]
    prompt = compose(
        "generated.service_reach.prompt",
        {"balancer": _balancer_sentence(v)},
        name=v.name,
        pod=v.server,
        target=WEB_PORT,
        spec=yaml.safe_dump(service_manifest(v), sort_keys=False).rstrip(),
        listing=get_service_table(cluster, v.name),
        node1=nodes[0],
        node2=nodes[1],
    )
    summary = text(
        f"generated.service_reach.{SUMMARY[v.style]}",
        node_port=v.node_port,
        address=_balancer_address(cluster, v),
    )
    lines = bullets(explain_line(v, request) for request in chosen)
    balancing = v.style in ("pending", "balancer")
    return Question(
        id=f"{NAME}-{seed}",
        kind="multiple",
        prompt=prompt,
        explanation=compose(
            "generated.service_reach.explanation", {"summary": summary, "lines": lines}
        ),
        concepts=CONCEPTS if balancing else CONCEPTS[:2],
        difficulty={"headless": 4, "pending": 3, "balancer": 3}.get(v.style, 2),
        options=tuple(Option(option_text(r), r.answers) for r in chosen),
        generator=NAME,
        seed=seed,
    )
