"""The C library's stub resolver in a container: how ``curl``, ``wget`` and ``nc`` turn a
host name into an address (``getaddrinfo``).

It reads the container's own ``/etc/hosts`` and ``/etc/resolv.conf``, as glibc does
(``resolv/res_init.c``, ``resolv/res_query.c`` ``__res_context_search``):

* an address is used as it is; a name in ``/etc/hosts`` (``localhost``, the pod's own
  hostname) gets that address without asking DNS;
* a name ending in ``.`` is asked as it is, and only that;
* a name with at least ``ndots`` dots is asked as it is first, then with each ``search``
  domain; one with fewer dots is tried with each search domain first, then as it is — so
  ``web`` becomes ``web.default.svc.cluster.local`` on the first question;
* NXDOMAIN, an empty answer and SERVFAIL go on to the next candidate; the first answer with
  an address wins;
* a name server that never answers costs ``timeout`` seconds a try; with none answering,
  ``attempts`` rounds over every server and the lookup fails (EAI_AGAIN).

Simulator limit: musl (Alpine) skips the search list altogether for names with ``ndots``
dots or more; the simulator follows glibc for every image (the two agree on every name
with fewer than five dots, which is every in-cluster name but a pod's own FQDN).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass

from k8sgame.engine.network.client import NOERROR, Reply

# glibc resolv.h: RES_TIMEOUT, RES_DFLRETRY, RES_MAXNDOTS, MAXNS; the loopback default server.
DEFAULT_TIMEOUT = 5.0
DEFAULT_ATTEMPTS = 2
MAX_NDOTS = 15
MAX_NAMESERVERS = 3
LOOPBACK_SERVER = "127.0.0.1"

Ask = Callable[[str, str, str], Reply | None]  # (server, name, qtype) -> reply or silence


@dataclass(frozen=True)
class ResolverConfig:
    """What ``/etc/resolv.conf`` says, with glibc's defaults for what it leaves out."""

    nameservers: tuple[str, ...] = (LOOPBACK_SERVER,)
    search: tuple[str, ...] = ()
    ndots: int = 1
    timeout: float = DEFAULT_TIMEOUT
    attempts: int = DEFAULT_ATTEMPTS


@dataclass(frozen=True)
class Resolution:
    """A lookup's result: the addresses (none: the name does not resolve), how long it
    took, and whether it failed because no name server answered (EAI_AGAIN)."""

    addresses: tuple[str, ...] = ()
    seconds: float = 0.0
    no_answer: bool = False


def reverse_name(ip: str) -> str:
    """``10.96.0.1`` → ``1.0.96.10.in-addr.arpa`` (what ``nslookup IP`` asks about)."""
    return ".".join(reversed(ip.split("."))) + ".in-addr.arpa"


def is_address(text: str) -> bool:
    """True for a dotted-quad IPv4 address."""
    try:
        ipaddress.IPv4Address(text)
    except ValueError:
        return False
    return True


def parse_resolv_conf(text: str | None) -> ResolverConfig:
    """Read ``/etc/resolv.conf`` as ``res_init`` does: up to three ``nameserver`` lines,
    the last ``search`` or ``domain`` line, and the ``ndots``/``timeout``/``attempts``
    options."""
    servers: list[str] = []
    search: tuple[str, ...] = ()
    ndots, timeout, attempts = 1, DEFAULT_TIMEOUT, DEFAULT_ATTEMPTS
    for line in (text or "").splitlines():
        words = line.split()
        if not words or words[0].startswith(("#", ";")):
            continue
        key, args = words[0], words[1:]
        if key == "nameserver" and args and len(servers) < MAX_NAMESERVERS:
            servers.append(args[0])
        elif key in ("search", "domain") and args:
            search = tuple(args) if key == "search" else (args[0],)
        elif key == "options":
            for option in args:
                name, _, value = option.partition(":")
                if not value.isdigit():
                    continue
                if name == "ndots":
                    ndots = min(int(value), MAX_NDOTS)
                elif name == "timeout":
                    timeout = float(max(1, int(value)))
                elif name == "attempts":
                    attempts = max(1, int(value))
    return ResolverConfig(tuple(servers) or (LOOPBACK_SERVER,), search, ndots, timeout, attempts)


def hosts_address(text: str | None, name: str) -> str | None:
    """The first IPv4 address ``/etc/hosts`` gives ``name`` (case does not matter)."""
    wanted = name.rstrip(".").lower()
    for line in (text or "").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and is_address(words[0]):
            if wanted in (w.lower() for w in words[1:]):
                return words[0]
    return None


def search_order(name: str, config: ResolverConfig) -> list[str]:
    """The names asked, in order, for ``name`` (``__res_context_search``)."""
    if name.endswith("."):
        return [name[:-1]]
    dots = name.count(".")
    tried_as_is = dots >= config.ndots
    order = [name] if tried_as_is else []
    order += [f"{name}.{domain}" for domain in config.search if domain != "."]
    if not tried_as_is:
        order.append(name)
    return order


def resolve(name: str, config: ResolverConfig, hosts: str | None, ask: Ask) -> Resolution:
    """``getaddrinfo(name)`` for IPv4: ``/etc/hosts``, then DNS through ``ask``."""
    if is_address(name):
        return Resolution((name,))
    local = hosts_address(hosts, name)
    if local is not None:
        return Resolution((local,))
    seconds = 0.0
    for candidate in search_order(name, config):
        reply = None
        for index, server in enumerate(config.nameservers):
            reply = ask(server, candidate, "A")
            if reply is not None:
                # Each silent server before it cost one time-out.
                seconds += index * config.timeout
                break
        if reply is None:
            # res_send: every server, ``attempts`` times, then TRY_AGAIN ends the search.
            seconds += config.attempts * len(config.nameservers) * config.timeout
            return Resolution((), seconds, no_answer=True)
        if reply.rcode == NOERROR:
            addresses = tuple(r.value for r in reply.answers if r.type == "A")
            if addresses:
                return Resolution(addresses, seconds)
    return Resolution((), seconds)
