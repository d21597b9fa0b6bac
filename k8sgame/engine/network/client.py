"""What a program inside a pod sees of the network.

The client programs of the simulated shell (``images/shell/net_tools.py``) talk to the
network through a ``PodNetwork``: they send DNS queries to a name server and open TCP
connections, and get back what the real system calls would tell them — a DNS reply (or
none), a connection that is open, refused, timed out or has no route, and the HTTP answer
of the process on the other end. The client programs print those in their own words.

Times are absolute simulated seconds (the cluster clock), as the network box keeps no
clock of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol

# DNS response codes, as ``nslookup`` names them (``rcodes[]`` in busybox nslookup.c).
NOERROR = "NOERROR"
NXDOMAIN = "NXDOMAIN"
SERVFAIL = "SERVFAIL"

# What ``connect()`` ends in.
OPEN = "open"
REFUSED = "refused"  # ECONNREFUSED: an RST, or kube-proxy's REJECT (ICMP port unreachable)
TIMED_OUT = "timed out"  # ETIMEDOUT: the SYN was dropped and the kernel gave up
UNREACHABLE = "unreachable"  # EHOSTUNREACH: nobody answers ARP for that pod address
UNSUPPORTED = "unsupported"  # somewhere the simulator does not model yet

# Linux retries an unanswered SYN 6 times (net.ipv4.tcp_syn_retries), 1 s doubling: connect()
# fails with ETIMEDOUT after 1+2+4+8+16+32+64 = 127 s.
SYN_GIVE_UP_SECONDS = 127.0
# An address in a pod range that no pod holds: the neighbour code sends 3 ARP probes 1 s
# apart (ucast_solicit/mcast_solicit, retrans_time_ms 1000), then EHOSTUNREACH.
ARP_GIVE_UP_SECONDS = 3.0


@dataclass(frozen=True)
class Record:
    """One answer record: ``name`` as asked (without the final dot), ``type`` A, AAAA,
    CNAME or PTR, ``value`` an address or a name."""

    name: str
    type: str
    value: str


@dataclass(frozen=True)
class Reply:
    """A DNS reply: its response code, answer records and the AA (authoritative) bit."""

    rcode: str
    answers: tuple[Record, ...] = ()
    authoritative: bool = True


@dataclass(frozen=True)
class Connection:
    """The outcome of a TCP connect.

    ``after`` is how long the outcome takes to arrive (``math.inf`` when it never does and
    only the client's own time-out ends the wait). ``address`` is where the packets went
    after kube-proxy (``10.244.1.3:8080``). An open connection names the process that
    accepted it (``server``, an ``images.process.Process``), when that container started
    and the port it listens on, so the client can ask it for an HTTP answer.
    """

    state: str
    after: float = 0.0
    address: str = ""
    detail: str = ""  # UNSUPPORTED: what the simulator does not model
    server: Any = None
    started_at: float = 0.0
    port: int = 0


DROPPED = Connection(TIMED_OUT, SYN_GIVE_UP_SECONDS)


@dataclass(frozen=True)
class HttpAnswer:
    """What an HTTP GET on an open connection returns: the status (None: the peer closes
    without answering, as a server of another protocol does), how long the answer takes,
    and the body."""

    status: int | None
    latency: float = 0.0
    body: str = ""
    # The status line's text when the server's differs from the standard one (nginx's
    # "503 Service Temporarily Unavailable").
    reason: str = ""


class PodNetwork(Protocol):
    """The network as a process in one pod reaches it."""

    def query(self, server: str, name: str, qtype: str, at: float) -> Reply | None:
        """Ask the name server at ``server`` about ``name`` (qtype A, AAAA, CNAME or PTR);
        None when no reply ever comes."""
        ...

    def connect(self, ip: str, port: int, at: float) -> Connection:
        """Open a TCP connection to ``ip:port`` at ``at``."""
        ...

    def http_get(self, connection: Connection, path: str, at: float, host: str = "") -> HttpAnswer:
        """Send ``GET path`` with the ``Host`` header ``host`` on an open connection at
        ``at``."""
        ...

    def tls(self, connection: Connection, server_name: str, at: float) -> str:
        """A TLS handshake asking for ``server_name``: "" when the certificate verifies,
        OpenSSL's problem with it, or "unsupported"."""
        ...


def never(seconds: float) -> bool:
    """True when a wait of ``seconds`` does not end by itself."""
    return math.isinf(seconds)
