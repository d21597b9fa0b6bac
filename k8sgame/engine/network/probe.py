"""What a client at some place would get from a URL, for the levels' goals and the quiz:
every answer it could get, without changing the cluster.

A real ``curl`` lands on one endpoint picked at random; a goal must not depend on the draw,
so ``probe`` follows every choice kube-proxy could make (``_EveryChoice`` replays the
connection once per candidate endpoint) and answers with the set of outcomes: an HTTP
status (``"200"``), or ``refused``, ``timeout``, ``no-route``, ``unresolved`` (the name
does not resolve there), ``no-http`` (something listens but does not answer HTTP) or
``unsupported``. The network's connection counter is left as it was, so a probe leaves
no trace on what later connections pick.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from k8sgame.engine.network.client import OPEN, REFUSED, TIMED_OUT, UNREACHABLE, UNSUPPORTED
from k8sgame.engine.network.resolver import parse_resolv_conf, resolve

if TYPE_CHECKING:
    from k8sgame.engine.network.fabric import PodLink

REFUSED_OUTCOME, TIMEOUT, NO_ROUTE, UNRESOLVED, NO_HTTP = (
    "refused",
    "timeout",
    "no-route",
    "unresolved",
    "no-http",
)
OUTCOMES = (REFUSED_OUTCOME, TIMEOUT, NO_ROUTE, UNRESOLVED, NO_HTTP, "unsupported")
_STATES = {
    REFUSED: REFUSED_OUTCOME,
    TIMED_OUT: TIMEOUT,
    UNREACHABLE: NO_ROUTE,
    UNSUPPORTED: "unsupported",
}


@dataclass(frozen=True)
class Target:
    """A URL split for a probe: host, port and path (``http`` only)."""

    host: str
    port: int
    path: str
    authority: str = ""  # the Host header: host, with the port when not 80


def parse_target(url: str) -> Target | None:
    """``http://host[:port][/path]`` (the scheme may be left out), or None."""
    text = url if "://" in url else f"http://{url}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme != "http" or not parts.hostname:
        return None
    return Target(parts.hostname, port or 80, parts.path or "/", parts.netloc.rsplit("@", 1)[-1])


class _EveryChoice:
    """Stands in for the random source of one connection and its request: makes the
    choices ``picks`` says (the first candidate past them) and remembers how many
    candidates each choice had, so that every combination can be tried in turn."""

    def __init__(self, picks: list[int]) -> None:
        self.picks = list(picks)
        self.sizes: list[int] = []

    def choice(self, items: Any) -> Any:
        position = len(self.sizes)
        self.sizes.append(len(items))
        if position >= len(self.picks):
            self.picks.append(0)
        return items[self.picks[position] % len(items)]

    def next_picks(self) -> list[int] | None:
        """The next combination (an odometer over the choices made), or None when all
        were tried."""
        picks = self.picks[: len(self.sizes)]
        for position in reversed(range(len(picks))):
            if picks[position] + 1 < self.sizes[position]:
                return [*picks[:position], picks[position] + 1]
        return None


def resolves(link: PodLink, files: dict[str, str], name: str, at: float) -> tuple[str, ...]:
    """The addresses ``name`` resolves to from the place of ``link`` (its resolver files
    ``files``), or () when it does not."""
    config = parse_resolv_conf(files.get("/etc/resolv.conf"))

    def ask(server: str, qname: str, qtype: str) -> Any:
        return link.query(server, qname, qtype, at)

    return resolve(name, config, files.get("/etc/hosts"), ask).addresses


def probe(link: PodLink, files: dict[str, str], target: Target, at: float) -> frozenset[str]:
    """Every outcome a GET of ``target`` from the place of ``link`` could have at ``at``."""
    addresses = resolves(link, files, target.host, at)
    if not addresses:
        return frozenset({UNRESOLVED})
    network = link.network
    saved = network.connections
    forwards = dict(network.forwards)
    outcomes: set[str] = set()
    try:
        picks: list[int] | None = []
        while picks is not None:
            chooser = _EveryChoice(picks)
            connection = network.connect_with(link.source, addresses[0], target.port, at, chooser)
            if connection.state != OPEN:
                outcomes.add(_STATES.get(connection.state, connection.state))
            else:
                answer = network.http_get(connection, target.path, at, target.authority, chooser)
                outcomes.add(str(answer.status) if answer.status is not None else NO_HTTP)
            picks = chooser.next_picks()
    finally:
        network.connections = saved
        network.forwards.clear()
        network.forwards.update(forwards)
    return frozenset(outcomes)
