"""A program's own connection to a dependency (``host:port``), as Go's ``net.Dial`` finds
it from inside the pod, and the words Go uses when it fails.

Used by a program's ``connect_each`` requirement (it dials at start and exits when a
dependency cannot be reached) and by routes with ``needs`` (a readiness endpoint that
answers 503 while a dependency is down). The name is resolved with the container's
``/etc/resolv.conf`` and ``/etc/hosts``; the connection goes through the network box at
the given moment, so Services, endpoints and NetworkPolicy all count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.network.client import OPEN, REFUSED, TIMED_OUT, UNREACHABLE, never
from k8sgame.engine.network.resolver import parse_resolv_conf, resolve

# The dial time-out the images' programs use (Go's net.DialTimeout in their clients).
DIAL_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class DialResult:
    """Whether the dial connected, Go's error text when not, and how long it took."""

    ok: bool
    error: str = ""
    seconds: float = 0.0


def _ephemeral_port(pod_ip: str, at: float) -> int:
    # The resolver's UDP source port, as Go's error shows it: any port of the
    # ephemeral range; derived from stable inputs so a replay prints the same.
    return 32768 + (sum(map(ord, f"{pod_ip}:{at!r}")) * 7919) % 28232


def dial(net: Any, files: Any, pod_ip: str, target: str, at: float) -> DialResult:
    """Dial ``target`` (``host:port``) from the pod at absolute time ``at``; ``files`` reads
    the container's files (``read(path)``)."""
    host, colon, port_text = target.rpartition(":")
    if not colon or not port_text.isascii() or not port_text.isdigit():
        return DialResult(False, f"dial tcp: address {target}: missing port in address")
    port = int(port_text)
    config = parse_resolv_conf(files.read("/etc/resolv.conf"))

    def ask(server: str, name: str, qtype: str) -> Any:
        return net.query(server, name, qtype, at)

    found = resolve(host, config, files.read("/etc/hosts"), ask)
    server = config.nameservers[0] if config.nameservers else "127.0.0.1"
    if not found.addresses:
        if found.no_answer:
            source = f"{pod_ip}:{_ephemeral_port(pod_ip, at)}"
            text = f"dial tcp: lookup {host} on {server}:53: read udp {source}->{server}:53: i/o timeout"
            return DialResult(False, text, min(found.seconds, DIAL_TIMEOUT_SECONDS))
        return DialResult(
            False, f"dial tcp: lookup {host} on {server}:53: no such host", found.seconds
        )
    ip = found.addresses[0]
    connection = net.connect(ip, port, at + found.seconds)
    where = f"dial tcp {ip}:{port}"
    if connection.state == OPEN:
        return DialResult(True, seconds=found.seconds)
    if connection.state == REFUSED:
        return DialResult(False, f"{where}: connect: connection refused", found.seconds)
    if connection.state == UNREACHABLE and connection.after < DIAL_TIMEOUT_SECONDS:
        return DialResult(
            False, f"{where}: connect: no route to host", found.seconds + connection.after
        )
    if connection.state in (TIMED_OUT, UNREACHABLE) or never(connection.after):
        return DialResult(False, f"{where}: i/o timeout", found.seconds + DIAL_TIMEOUT_SECONDS)
    return DialResult(False, f"{where}: not supported by the k8sgame simulator", found.seconds)
