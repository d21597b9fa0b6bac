"""Network predicates, decided by the network box as a client there would find it:

* ``reachable``: a GET of a URL from a pod, a node or the player's machine gives the
  expected answer (an HTTP status, or ``refused``, ``timeout``, ``no-route``,
  ``unresolved``, ``no-http``) whichever endpoint kube-proxy picks — every pick is tried,
  so a Service with one broken pod behind it does not pass by luck;
* ``resolves``: a name resolves (or does not) from that place, with its resolver files
  (a pod's search list, a node's own resolver, the machine's ``/etc/hosts``).

Neither changes the cluster (``engine/network/probe.py``).
"""

from __future__ import annotations

from typing import Any

from k8sgame.content.text import Message, message
from k8sgame.datafile.schema import Bool, Field, Obj, Problem, Scalar, Str
from k8sgame.engine.host_shell import node_files, workstation_files
from k8sgame.engine.network.pod_files import pod_files
from k8sgame.engine.network.probe import OUTCOMES, parse_target, probe, resolves
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held

FROM = Field(
    Obj(
        {
            "pod": Field(Str("a pod of the namespace: the client runs in it (kubectl exec)")),
            "namespace": Field(Str("the pod's namespace (default: the level's namespace)")),
            "node": Field(Str("a node: the client runs on it (ssh NODE)")),
            "outside": Field(Bool("the player's machine, outside the cluster")),
        },
        "where the client is",
        exactly_one_of=("pod", "node", "outside"),
    ),
    required=True,
)


def _check_url(value: Any, path: Any, problems: list[Problem]) -> None:
    if isinstance(value, dict) and isinstance(value.get("url"), str):
        if parse_target(value["url"]) is None:
            problems.append(Problem((*path, "url"), "not an http URL (http://web.shop/healthz)"))
    expect = value.get("expect") if isinstance(value, dict) else None
    if expect is not None and str(expect) not in OUTCOMES and not _is_status(expect):
        choices = ", ".join(OUTCOMES)
        problems.append(Problem((*path, "expect"), f"an HTTP status (200) or one of {choices}"))


def _is_status(value: Any) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and 100 <= int(text) <= 599


def _place(scene: Scene, where: dict[str, Any]) -> tuple[Any, dict[str, str], Message] | Message:
    """(the network as seen there, its resolver files, how to call it), or the place that
    is missing."""
    cluster = scene.cluster
    if "pod" in where:
        name = str(where["pod"])
        namespace = str(where.get("namespace") or scene.namespace)
        pod = cluster.api.peek("Pod", name, namespace)
        ip = str(((pod or {}).get("status") or {}).get("podIP") or "")
        label = message("places.pod", name=name)
        if pod is None or not ip:
            return label
        return cluster.network.for_pod(pod), pod_files(pod, ip), label
    if "node" in where:
        name = str(where["node"])
        address = cluster.network.node_address(name)
        label = message("places.node", name=name)
        if address is None:
            return label
        return cluster.network.for_node(name), node_files(name, address), label
    files = workstation_files(cluster.workstation_hosts)
    return cluster.network.outside(), files, message("places.outside")


@predicate(
    "reachable",
    Obj(
        {
            "from": FROM,
            "url": Field(Str("the URL a client GETs (http://web.shop/healthz)"), required=True),
            "expect": Field(
                Scalar("an HTTP status (200), or refused, timeout, no-route, unresolved, no-http"),
                required=True,
            ),
        },
        "a GET of the URL from that place gives the expected answer, whichever endpoint",
        extra=_check_url,
    ),
)
def reachable(scene: Scene, params: dict[str, Any]) -> Outcome:
    place = _place(scene, params["from"])
    if isinstance(place, Message):
        return held(False, "reasons.missing", what=place)
    link, files, where = place
    url = str(params["url"])
    target = parse_target(url)
    if target is None:
        return held(False, "reasons.bad_url", url=url)
    outcomes = probe(link, files, target, scene.now)
    expect = str(params["expect"])
    if _is_status(expect):
        expect = str(int(expect))  # "0200" means 200
    got = ", ".join(sorted(outcomes))
    ok = outcomes == {expect}
    key = "reasons.reachable_as_expected" if ok else "reasons.reachable_otherwise"
    return held(ok, key, where=where, url=url, got=got, expect=expect)


@predicate(
    "resolves",
    Obj(
        {
            "from": FROM,
            "name": Field(Str("the name to look up (web.shop.svc.cluster.local)"), required=True),
            "expect": Field(Bool("whether it resolves (default true)")),
        },
        "a name resolves (or not) from that place, as getaddrinfo there finds it",
    ),
)
def name_resolves(scene: Scene, params: dict[str, Any]) -> Outcome:
    place = _place(scene, params["from"])
    if isinstance(place, Message):
        return held(False, "reasons.missing", what=place)
    link, files, where = place
    name = str(params["name"])
    addresses = resolves(link, files, name, scene.now)
    wanted = bool(params.get("expect", True))
    if addresses:
        return held(
            wanted, "reasons.resolves", where=where, name=name, addresses=", ".join(addresses)
        )
    return held(not wanted, "reasons.does_not_resolve", where=where, name=name)
