"""BusyBox ``nc`` as a connect test (busybox 1.36.1 ``networking/nc_bloaty.c``, built with
``NC_110_COMPAT``, the default; ``libbb/xconnect.c``).

``nc -z [-v] [-w SEC] HOST PORT`` connects and closes. With ``-v`` it says
``web (10.96.0.12:80) open``; a refusal is printed only with ``-vv`` (``nc: web
(10.96.0.12:80): Connection refused``, so that a scan does not list every closed port),
other failures with ``-v`` (``Connection timed out``, ``No route to host``). ``-w SEC``
bounds the connect; without it the kernel gives up on an unanswered one after 127 s. A name
that does not resolve: ``nc: bad address 'web'``. Exit status 0 when the port is open,
else 1.

Sending or receiving data (``nc`` without ``-z``), listening (``-l``) and UDP (``-u``) are
not modelled.
"""

from __future__ import annotations

from k8sgame.engine.images.shell.coreutils import BUSYBOX_BANNER
from k8sgame.engine.images.shell.net_client import (
    CONNECT_ERRORS,
    NetClient,
    port_number,
    unsupported_text,
)
from k8sgame.engine.images.shell.timeline import Gen
from k8sgame.engine.network.client import OPEN, REFUSED, TIMED_OUT, UNSUPPORTED

NC_USAGE = (
    BUSYBOX_BANNER + "\n\nUsage: nc [OPTIONS] HOST PORT  - connect\n"
    "nc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n"
    "\t-e PROG\tRun PROG after connect (must be last)\n"
    "\t-l\tListen mode, for inbound connects\n"
    "\t-lk\tWith -e, provides persistent server\n"
    "\t-p PORT\tLocal port\n\t-s ADDR\tLocal address\n"
    "\t-w SEC\tTimeout for connects and final net reads\n"
    "\t-i SEC\tDelay interval for lines sent\n\t-n\tDon't do DNS resolution\n"
    "\t-u\tUDP mode\n\t-b\tAllow broadcasts\n\t-v\tVerbose\n"
    "\t-o FILE\tHex dump traffic\n\t-z\tZero-I/O mode (scanning)"
)


def nc(client: NetClient, args: list[str]) -> Gen:
    """Run ``nc`` with ``args``; returns its exit status."""
    verbose, zero, wait_limit = 0, False, 0
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-") or arg == "-":
            rest.append(arg)
            continue
        flags = arg[1:]
        while flags:
            flag, flags = flags[0], flags[1:]
            if flag == "v":
                verbose += 1
            elif flag == "z":
                zero = True
            elif flag == "n":
                pass
            elif flag == "w":
                value = flags
                if not value and i < len(args):
                    value = args[i]
                    i += 1
                flags = ""
                number = port_number(value)
                if number is None:
                    yield from client.err(f"nc: invalid number '{value}'")
                    return 1
                wait_limit = number
            elif flag in "lkeupsbio":
                yield from client.err(unsupported_text("nc", f"-{flag}"))
                return 2
            else:
                yield from client.err(f"nc: invalid option -- '{flag}'\n{NC_USAGE}")
                return 1
    if len(rest) != 2:
        yield from client.err(NC_USAGE)
        return 1
    if not zero:
        yield from client.err(unsupported_text("nc", "sending data (use -z)"))
        return 2
    host, port_text = rest
    port = _port(port_text, client.read("/etc/services"))
    if port is None:
        yield from client.err(f"nc: bad port '{port_text}'")
        return 1
    found = client.lookup(host)
    client.wait(found.seconds)
    if not found.addresses:
        yield from client.err(f"nc: bad address '{host}'")
        return 1
    ip = found.addresses[0]
    connection, limited = client.connect(ip, port, float(wait_limit) if wait_limit else None)
    where = f"{host} ({ip}:{port})"
    if connection.state == UNSUPPORTED and not limited:
        yield from client.err(unsupported_text("nc", connection.detail))
        return 2
    if connection.state == OPEN and not limited:
        if verbose:
            yield from client.err(f"{where} open")
        return 0
    reason = CONNECT_ERRORS[TIMED_OUT if limited else connection.state]
    if verbose > 1 or (verbose and reason != CONNECT_ERRORS[REFUSED]):
        yield from client.err(f"nc: {where}: {reason}")
    return 1


def _port(text: str, services: str | None) -> int | None:
    """``bb_lookup_port``: a number, else a name from ``/etc/services``."""
    number = port_number(text)
    if number is not None:
        return number if number <= 65535 else None
    for line in (services or "").splitlines():
        words = line.split("#", 1)[0].split()
        if len(words) >= 2 and (words[0] == text or text in words[2:]):
            listed, _, proto = words[1].partition("/")
            if proto == "tcp" and port_number(listed) is not None:
                return int(listed)
    return None
