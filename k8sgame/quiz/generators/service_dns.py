"""Which names find a Service from a pod: a Service in one namespace, a client pod in the same
or another namespace, and a handful of names from the short one to the full
``<service>.<namespace>.svc.cluster.local`` (with the usual wrong guesses: the client's
namespace, a missing ``svc``, the labels swapped).

The engine decides: the cluster runs the pod, and each name is looked up as the C library in
the pod would (``engine/network/probe.resolves``: the pod's ``/etc/resolv.conf`` and
``/etc/hosts`` as the kubelet writes them, the search list and ``ndots``, then CoreDNS). A
name is right when it gives the Service's cluster IP. The explanation says which expansion of
each name was found, asking the same DNS for each candidate name the resolver would try.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import yaml

from k8sgame.content.text import Text
from k8sgame.engine.cluster import Cluster
from k8sgame.engine.network.dns import CLUSTER_DOMAIN
from k8sgame.engine.network.pod_files import RESOLV_CONF, pod_files
from k8sgame.engine.network.probe import resolves
from k8sgame.engine.network.resolver import parse_resolv_conf, search_order
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import one_node_cluster, text
from k8sgame.quiz.generators.net_cluster import (
    bullets,
    client_pod,
    compose,
    namespace_manifest,
    pods_ready,
    run_until_up,
)
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

NAME = "service-dns-name"
CONCEPTS = ("service-discovery", "services", "namespaces")
SERVICES = ("web", "api", "db", "cache", "orders")
NAMESPACES = ("default", "shop", "billing", "team-a", "prod")
CLIENT = "client"
SAME_NAMESPACE_SHARE = 0.4
OPTION_COUNT = 6


@dataclass(frozen=True)
class DnsVariant:
    """A Service ``service`` in ``namespace``, a client pod in ``client_namespace``, and the
    names asked about, in the order shown."""

    service: str
    namespace: str
    client_namespace: str
    names: tuple[str, ...]

    @property
    def fqdn(self) -> str:
        return f"{self.service}.{self.namespace}.svc.{CLUSTER_DOMAIN}"


def _sure_names(service: str, namespace: str) -> list[str]:
    """Names always offered: the short one, ``service.namespace`` and the full name."""
    return [service, f"{service}.{namespace}", f"{service}.{namespace}.svc.{CLUSTER_DOMAIN}"]


def _other_names(service: str, namespace: str, client_namespace: str) -> list[str]:
    """Further names, most of them the usual wrong guesses."""
    names = [
        f"{service}.{namespace}.svc",
        f"{service}.{CLUSTER_DOMAIN}",
        f"{namespace}.{service}",
        f"{service}.svc.{CLUSTER_DOMAIN}",
        f"{service}.{namespace}.{CLUSTER_DOMAIN}",
        f"{service}.{namespace}.svc.cluster",
    ]
    if client_namespace != namespace:
        names += [
            f"{service}.{client_namespace}.svc.{CLUSTER_DOMAIN}",
            f"{service}.{client_namespace}",
        ]
    return names


def variant(seed: int) -> DnsVariant:
    """The Service, the namespaces and the names asked about for ``seed``."""
    rng = random.Random(seed)
    service = rng.choice(SERVICES)
    namespace = rng.choice(NAMESPACES)
    client_namespace = namespace
    if rng.random() >= SAME_NAMESPACE_SHARE:
        client_namespace = rng.choice([n for n in NAMESPACES if n != namespace])
    others = _other_names(service, namespace, client_namespace)
    names = _sure_names(service, namespace)
    names += rng.sample(others, OPTION_COUNT - len(names))
    rng.shuffle(names)
    return DnsVariant(service, namespace, client_namespace, tuple(names))


def service_manifest(v: DnsVariant) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": v.service, "namespace": v.namespace},
        "spec": {"selector": {"app": v.service}, "ports": [{"port": 80, "targetPort": 8080}]},
    }


def build(v: DnsVariant, seed: int) -> Cluster:
    """A one-node cluster with the namespaces, the Service and the running client pod.
    CoreDNS answers for a Service with a cluster IP whether or not pods back it, so none
    are started."""
    cluster = one_node_cluster(seed)
    for name in sorted({v.namespace, v.client_namespace} - {"default"}):
        cluster.api.create(namespace_manifest(name))
    cluster.api.create(service_manifest(v))
    cluster.api.create(client_pod(CLIENT, v.client_namespace))
    ready = pods_ready(cluster, [(CLIENT, v.client_namespace)])
    # Nothing needs to listen: looking names up needs only the running pod.
    run_until_up(cluster, ready, "the client pod", warm_up=0.0)
    return cluster


@dataclass(frozen=True)
class Lookup:
    """What one name gave in the pod: its addresses, the names the resolver asks in turn,
    and the first of them the cluster DNS knows ("" for none)."""

    name: str
    addresses: tuple[str, ...]
    tried: tuple[str, ...]
    found_as: str


def look_up(cluster: Cluster, v: DnsVariant) -> tuple[list[Lookup], str]:
    """Each name of the variant looked up from the client pod, and its resolv.conf."""
    pod = cluster.get("Pod", CLIENT, v.client_namespace)
    files = pod_files(pod, str(pod["status"]["podIP"]))
    link = cluster.network.for_pod(pod)
    config = parse_resolv_conf(files[RESOLV_CONF])
    found = []
    for name in v.names:
        addresses = resolves(link, files, name, cluster.now)
        tried = tuple(search_order(name, config))
        # Each candidate asked on its own, as an absolute name: the first that resolves is
        # the one the search above stopped at.
        found_as = next((c for c in tried if resolves(link, files, f"{c}.", cluster.now)), "")
        if bool(addresses) != bool(found_as):
            raise MeasureError(f"{name}: the lookup and its expansions disagree")
        found.append(Lookup(name, addresses, tried, found_as))
    return found, files[RESOLV_CONF].rstrip()


def _line(lookup: Lookup, search: tuple[str, ...]) -> Text:
    """Why one name does or does not reach the Service."""
    tried = ", ".join(lookup.tried)
    if not lookup.found_as:
        return text("generated.service_dns.line_missing", name=lookup.name, tried=tried)
    if lookup.found_as == lookup.name:
        return text("generated.service_dns.line_as_is", name=lookup.name)
    domain = lookup.found_as[len(lookup.name) + 1 :]
    if domain not in search:
        raise MeasureError(f"{lookup.name} resolved as {lookup.found_as}, not a search expansion")
    return text(
        "generated.service_dns.line_search",
        name=lookup.name,
        domain=domain,
        asked=lookup.found_as,
    )


@generator(NAME, CONCEPTS)
def service_dns_name(seed: int) -> Question:
    v = variant(seed)
    cluster = build(v, seed)
    cluster_ip = str(cluster.get("Service", v.service, v.namespace)["spec"]["clusterIP"])
    lookups, resolv = look_up(cluster, v)
    for lookup in lookups:
        if lookup.addresses and cluster_ip not in lookup.addresses:
            raise MeasureError(f"{lookup.name} resolves to {lookup.addresses}, not {cluster_ip}")
    search = parse_resolv_conf(resolv).search
    spec = yaml.safe_dump(service_manifest(v), sort_keys=False).rstrip()
    same = v.client_namespace == v.namespace
    prompt = text(
        f"generated.service_dns.prompt_{'same' if same else 'other'}",
        spec=spec,
        namespace=v.namespace,
        client_namespace=v.client_namespace,
    )
    lines = bullets(_line(lookup, search) for lookup in lookups)
    explanation = compose(
        "generated.service_dns.explanation", {"lines": lines}, fqdn=v.fqdn, resolv=resolv
    )
    return Question(
        id=f"{NAME}-{seed}",
        kind="multiple",
        prompt=prompt,
        explanation=explanation,
        concepts=CONCEPTS,
        difficulty=2 if same else 3,
        options=tuple(
            Option(Text(lookup.name, lookup.name), cluster_ip in lookup.addresses)
            for lookup in lookups
        ),
        generator=NAME,
        seed=seed,
    )
