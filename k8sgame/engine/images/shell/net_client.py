"""What the network client programs (``nslookup``, ``nc``, ``wget``, ``curl``) share: the
container they run in, its resolver files, the pod's network and the command's clock.

A program asks through ``NetClient``: ``lookup`` resolves a host name as the C library
does (the container's ``/etc/hosts`` and ``/etc/resolv.conf``, ``network/resolver.py``),
``ask`` sends one DNS question, ``connect`` opens a TCP connection and waits as long as the
outcome takes (or the program's own limit), ``wait`` moves the command's clock.
"""

from __future__ import annotations

from collections.abc import Generator, Mapping
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from k8sgame.engine.images.shell.filesystem import SPECIAL_FILES
from k8sgame.engine.images.shell.timeline import Event, FileEvent
from k8sgame.engine.network.client import (
    REFUSED,
    SYN_GIVE_UP_SECONDS,
    TIMED_OUT,
    UNREACHABLE,
    Connection,
    Reply,
    never,
)
from k8sgame.engine.network.resolver import Resolution, parse_resolv_conf, resolve

if TYPE_CHECKING:
    from k8sgame.engine.images.shell.interpreter import Shell

# strerror() of the errnos a connect() ends with (glibc).
CONNECT_ERRORS = {
    REFUSED: "Connection refused",
    UNREACHABLE: "No route to host",
    TIMED_OUT: "Connection timed out",
}


def reason_phrase(status: int) -> str:
    """The reason phrase a server sends with ``status`` (``HTTP/1.1 404 Not Found``)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def port_number(text: str) -> int | None:
    """A port or count written in ASCII digits, or None (``"²".isdigit()`` is true, but no
    tool reads it as a number)."""
    return int(text) if text.isascii() and text.isdecimal() else None


def unsupported_text(tool: str, feature: str) -> str:
    """The simulator's own message for something it does not model (exit status 2)."""
    return f"{tool}: {feature}: not supported by the k8sgame simulator"


class NetClient:
    """One network client program running in a shell of the container."""

    def __init__(self, shell: Shell, env: Mapping[str, str]) -> None:
        self.sh = shell
        self.env = dict(env)
        self.run_state = shell.run
        self.fs = shell.run.fs
        self.net: Any = shell.run.net  # a network.client.PodNetwork

    @property
    def now(self) -> float:
        """The absolute simulated time the command has reached."""
        return float(self.run_state.host.started_at + self.run_state.now)

    def wait(self, seconds: float) -> None:
        """The program blocks for ``seconds``."""
        self.run_state.now += max(0.0, seconds)

    def out(self, text: str) -> Generator[Event, None, None]:
        """Write ``text`` to stdout as it is."""
        yield from self.sh.write(1, text)

    def err_raw(self, text: str) -> Generator[Event, None, None]:
        """Write ``text`` to stderr as it is."""
        yield from self.sh.write(2, text)

    def err(self, text: str) -> Generator[Event, None, None]:
        """Write one line to stderr."""
        yield from self.sh.err(text)

    def read(self, path: str) -> str | None:
        """A file of the container, or None."""
        return self.fs.read(path)

    def write_file(
        self, name: str, content: str, exclusive: bool = False
    ) -> Generator[Event, None, str]:
        """Create ``name`` (relative to the working directory) with ``content``; returns an
        errno name (``exclusive``: EEXIST when it exists), or "" once written."""
        path = self.sh.path(name)
        if exclusive and self.fs.exists(path):
            return "EEXIST"
        problem = self.fs.write(path, content)
        if problem:
            return problem
        if path == "/dev/stdout":
            yield from self.out(content)
        elif path == "/dev/stderr":
            yield from self.err_raw(content)
        elif path not in SPECIAL_FILES:
            yield FileEvent(self.run_state.now, path, self.fs.files[path])
        return ""

    def ask(self, server: str, name: str, qtype: str) -> Reply | None:
        """One DNS question to ``server`` at the command's current time."""
        reply: Reply | None = self.net.query(server, name, qtype, self.now)
        return reply

    def lookup(self, host: str) -> Resolution:
        """``getaddrinfo(host)`` with the container's resolver files. The time it takes is
        in the result, not spent: a caller with a time limit decides how much passes."""
        config = parse_resolv_conf(self.read("/etc/resolv.conf"))
        return resolve(host, config, self.read("/etc/hosts"), self.ask)

    def connect(self, ip: str, port: int, limit: float | None) -> tuple[Connection, bool]:
        """connect() to ``ip:port``, waiting for the outcome or at most ``limit`` seconds;
        returns the connection and whether the limit ran out first."""
        connection: Connection = self.net.connect(ip, port, self.now)
        waited = SYN_GIVE_UP_SECONDS if never(connection.after) else connection.after
        if limit is not None and waited > limit:
            self.wait(limit)
            return connection, True
        self.wait(waited)
        return connection, False
