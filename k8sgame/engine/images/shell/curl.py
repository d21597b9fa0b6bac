"""``curl`` (curl 7.88 to 8.14: ``src/tool_operate.c``, ``src/tool_getparam.c``,
``src/tool_writeout.c``, ``lib/connect.c``, ``lib/multi.c``, ``lib/progress.c``,
``lib/strerror.c``, ``lib/http.c``), with the messages of the version the image ships.

``curl [-s] [-S] [-f] [-I|-i] [-o FILE|-O] [-w FORMAT] [--connect-timeout SEC]
[-m SEC] URL...`` resolves the host (``curl: (6) Could not resolve host: web``), connects
to each address in turn (``curl: (7) Failed to connect to web port 80 after 0 ms: Could not
connect to server`` — ``Couldn't`` before 8.9), sends ``GET`` (``HEAD`` with ``-I``) and
writes what the server answers. Time-outs: ``--connect-timeout`` (default 300 s) and
``-m`` give ``curl: (28) Connection timed out after 5001 milliseconds`` (``Resolving
timed out``, ``Operation timed out after N milliseconds with 0 bytes received``); with
neither, the kernel gives up on an unanswered connect after 127 s: ``curl: (28) Failed to
connect to web port 80 after 127000 ms: Could not connect to server``. A peer that closes
without an HTTP answer: ``curl: (52) Empty reply from server``.

``kubectl exec`` without ``-t`` gives curl no terminal, so unless ``-s`` it draws its
progress meter on stderr; the simulator prints what a terminal shows once curl is done
(the meter's carriage returns overwrite its earlier lines). ``-w`` knows ``http_code``,
``response_code``, ``remote_ip``, ``remote_port``, ``size_download``, ``time_total``,
``time_connect``, ``url_effective``, ``exitcode`` and ``errormsg``.

``https://`` is modelled for an Ingress controller's TLS port: its certificates are
self-signed (the controller's fake one, or a level's TLS Secret), so curl stops with
``(60) SSL certificate problem: self-signed certificate`` unless ``-k``.

Not modelled (the simulator says so): ``https://`` to other servers, other schemes, ``-v``, sending data
(``-d``, ``-F``, ``-T``), proxies, ``--resolve``, retries. Response headers other than
``Content-Length`` are unknown to the simulator, so ``-I`` and ``-i`` show only that one.
``-H 'Host: name'`` sets the Host header (what an Ingress controller routes by; by default
the URL's host and port). ``-L``, ``-k``, other ``-H`` headers, ``-A``, ``-X`` and the like
are accepted and change nothing the simulated servers look at.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from dataclasses import dataclass, field

from k8sgame.engine.images.shell.filesystem import ERRNO
from k8sgame.engine.images.shell.net_client import (
    NetClient,
    port_number,
    reason_phrase,
    unsupported_text,
)
from k8sgame.engine.images.shell.timeline import Event, Gen
from k8sgame.engine.network.client import OPEN, TIMED_OUT, UNSUPPORTED

HELP_HINT = "curl: try 'curl --help' or 'curl --manual' for more information"
DEFAULT_CONNECT_TIMEOUT = 300.0  # DEFAULT_CONNECT_TIMEOUT in lib/connect.h (ms / 1000)
METER_HEADER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)
# Exit codes (CURLcode).
FAILED_INIT, URL_MALFORMAT, COULDNT_RESOLVE, COULDNT_CONNECT = 2, 3, 6, 7
HTTP_RETURNED_ERROR, WRITE_ERROR, OPERATION_TIMEDOUT, GOT_NOTHING = 22, 23, 28, 52
PEER_FAILED_VERIFICATION = 60
# What curl adds after a (60) (tool_operate.c CURL_CA_CERT_ERRORMSG).
CA_CERT_ERROR_TEXT = (
    "More details here: https://curl.se/docs/sslcerts.html\n\n"
    "curl failed to verify the legitimacy of the server and therefore could not\n"
    "establish a secure connection to it. To learn more about this situation and\n"
    "how to fix it, please visit the webpage mentioned above."
)
UNSUPPORTED_PROTOCOL = 1

_FLAGS = {
    "-k": "insecure",
    "--insecure": "insecure",
    "-s": "silent",
    "--silent": "silent",
    "-S": "show_error",
    "--show-error": "show_error",
    "-I": "head",
    "--head": "head",
    "-i": "include",
    "--include": "include",
    "-f": "fail",
    "--fail": "fail",
    "--fail-with-body": "fail_with_body",
    "-O": "remote_name",
    "--remote-name": "remote_name",
    "--no-progress-meter": "no_meter",
}
_IGNORED_FLAGS = {
    "-L",
    "--location",
    "-4",
    "--ipv4",
    "--http1.1",
    "--compressed",
    "-N",
    "--no-buffer",
    "--no-keepalive",
}
_WITH_ARG = {
    "-o": "output",
    "--output": "output",
    "-w": "write_out",
    "--write-out": "write_out",
    "--connect-timeout": "connect_timeout",
    "-m": "max_time",
    "--max-time": "max_time",
    "--url": "url",
    "-H": "header",
    "--header": "header",
}
_IGNORED_WITH_ARG = {
    "-X",
    "--request",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-u",
    "--user",
    "--cacert",
}
_UNSUPPORTED = {
    "-v": "-v",
    "--verbose": "--verbose",
    "--trace": "--trace",
    "--trace-ascii": "--trace-ascii",
    "-d": "sending data (-d)",
    "--data": "sending data (--data)",
    "--data-raw": "sending data (--data-raw)",
    "--data-binary": "sending data (--data-binary)",
    "--json": "sending data (--json)",
    "-F": "sending data (-F)",
    "--form": "sending data (--form)",
    "-T": "uploads (-T)",
    "--upload-file": "uploads (--upload-file)",
    "-x": "proxies (-x)",
    "--proxy": "proxies (--proxy)",
    "--resolve": "--resolve",
    "--connect-to": "--connect-to",
    "--retry": "--retry",
    "-#": "-#",
    "--progress-bar": "--progress-bar",
    "-Z": "--parallel",
    "--parallel": "--parallel",
    "-K": "--config",
    "--config": "--config",
}
_SHORT_WITH_ARG = set("owmXHAeudFTxKr")


@dataclass
class _Options:
    silent: bool = False
    show_error: bool = False
    head: bool = False
    include: bool = False
    fail: bool = False
    fail_with_body: bool = False
    remote_name: bool = False
    no_meter: bool = False
    output: str | None = None
    write_out: str | None = None
    connect_timeout: float | None = None
    max_time: float | None = None
    urls: list[str] = field(default_factory=list)
    # A ``-H 'Host: name'`` header: the name the server (an Ingress controller) sees.
    host_header: str | None = None
    insecure: bool = False  # -k: no verification of the server's certificate


@dataclass
class _Transfer:
    """What one URL's transfer ended with: the exit code, the error text, the numbers
    ``-w`` and the meter show."""

    code: int = 0
    error: str = ""
    status: int = 0
    ip: str = ""
    port: int = 0
    size: int = 0
    seconds: float = 0.0
    connect_seconds: float = 0.0
    url: str = ""


class _Usage(Exception):
    """A command-line problem: ``helpf``'s text (exit 2)."""


class _Unsupported(Exception):
    """Something the simulator does not model (exit 2, with the simulator's words)."""


def curl(client: NetClient, args: list[str]) -> Gen:
    """Run ``curl`` with ``args``; returns its exit status."""
    if not args:
        yield from client.err(HELP_HINT)
        return FAILED_INIT
    try:
        options = _parse(args)
    except _Usage as usage:
        yield from client.err(f"curl: {usage}\n{HELP_HINT}")
        return FAILED_INIT
    except _Unsupported as feature:
        yield from client.err(unsupported_text("curl", str(feature)))
        return 2
    if not options.urls:
        yield from client.err(f"curl: ({FAILED_INIT}) no URL specified\n{HELP_HINT}")
        return FAILED_INIT
    version = client.run_state.host.image.curl or "8.14.1"
    code = 0
    for url in options.urls:
        try:
            code = yield from _one(client, options, url, version)
        except _Unsupported as feature:
            yield from client.err(unsupported_text("curl", str(feature)))
            return 2
    return code


def _parse(args: list[str]) -> _Options:
    options = _Options()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if not arg.startswith("-") or arg == "-":
            options.urls.append(arg)
            continue
        if arg.startswith("--") or len(arg) == 2:
            words = [arg]
        else:
            # Short options bundle (-sS, -so FILE, -ofile): each letter is an option, one
            # taking a value takes the rest of the word, or the next word.
            words = []
            rest = arg[1:]
            while rest:
                letter, rest = rest[0], rest[1:]
                if letter in _SHORT_WITH_ARG and rest:
                    words += [f"-{letter}", rest]
                    rest = ""
                else:
                    words.append(f"-{letter}")
        j = 0
        while j < len(words):
            word = words[j]
            j += 1
            if word in _UNSUPPORTED:
                raise _Unsupported(_UNSUPPORTED[word])
            if word in _FLAGS:
                setattr(options, _FLAGS[word], True)
                continue
            if word in _IGNORED_FLAGS:
                continue
            if word in _WITH_ARG or word in _IGNORED_WITH_ARG:
                if j < len(words):
                    value = words[j]
                    j += 1
                elif i < len(args):
                    value = args[i]
                    i += 1
                else:
                    raise _Usage(f"option {word}: requires parameter")
                if word in _WITH_ARG:
                    _set(options, word, _WITH_ARG[word], value)
                continue
            raise _Unsupported(f"option {word}")
    return options


def _set(options: _Options, word: str, name: str, value: str) -> None:
    if name in ("connect_timeout", "max_time"):
        try:
            seconds = float(value)
        except ValueError:
            raise _Usage(f"option {word}: expected a proper numerical parameter") from None
        if seconds < 0 or not math.isfinite(seconds):
            raise _Usage(f"option {word}: expected a proper numerical parameter")
        setattr(options, name, seconds)
    elif name == "url":
        options.urls.append(value)
    elif name == "header":
        header, colon, text = value.partition(":")
        if colon and header.strip().lower() == "host":
            options.host_header = text.strip()
    elif name == "write_out" and value.startswith("@"):
        raise _Unsupported("-w @file")
    else:
        setattr(options, name, value)


@dataclass(frozen=True)
class _Url:
    scheme: str
    authority: str  # as written: host, maybe a port
    host: str
    port: int
    path: str

    @property
    def effective(self) -> str:
        return f"{self.scheme}://{self.authority}{self.path}"


class _Failure(Exception):
    """A transfer that ends with ``code`` and curl's error text."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(text)
        self.code, self.text = code, text


def _parse_url(url: str) -> _Url:
    """curl's URL parser for what the simulator serves; raises ``_Failure`` (code 1 or 3)
    or ``_Unsupported``."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url  # no scheme: curl guesses http
    scheme = scheme.lower()
    if scheme not in ("http", "https"):
        raise _Failure(UNSUPPORTED_PROTOCOL, f'Protocol "{scheme}" not supported')
    cut = min((rest.index(c) for c in "/?#" if c in rest), default=len(rest))
    authority, path = rest[:cut].rsplit("@", 1)[-1], rest[cut:]
    host, colon, port_text = authority.partition(":")
    if not host:
        raise _Failure(URL_MALFORMAT, "URL rejected: No host part in the URL")
    port = 443 if scheme == "https" else 80
    if colon and port_text:
        if port_number(port_text) is None or int(port_text) > 65535:
            raise _Failure(
                URL_MALFORMAT,
                "URL rejected: Port number was not a decimal number between 0 and 65535",
            )
        port = int(port_text)
    path = path.split("#", 1)[0]
    return _Url(scheme, authority, host, port, path if path.startswith("/") else "/" + path)


def _one(client: NetClient, options: _Options, url: str, version: str) -> Gen:
    """One URL: the transfer, its output, its meter, its error and ``-w``."""
    transfer = _Transfer(url=url)
    start = client.now
    output = ""
    target: _Url | None = None
    try:
        target = _parse_url(url)
        transfer.url = target.effective
        output = _fetch(client, options, target, transfer, version, start)
    except _Failure as failure:
        transfer.code, transfer.error = failure.code, failure.text
    transfer.seconds = client.now - start
    written = ""
    # The answer is written unless -f turned an error status into a failure.
    if target is not None and transfer.status and (not transfer.code or options.fail_with_body):
        name = options.output
        if options.remote_name:
            name = target.path.split("?", 1)[0].rsplit("/", 1)[-1]
        if name == "":
            transfer.code, transfer.error = WRITE_ERROR, "Remote file name has no length"
        elif name is not None and name != "-":
            problem = yield from client.write_file(name, output)
            if problem:
                if not options.silent:
                    yield from client.err(
                        f"Warning: Failed to open the file {name}: {ERRNO[problem]}"
                    )
                transfer.code = WRITE_ERROR
                transfer.error = f"client returned ERROR on write of {len(output.encode())} bytes"
        else:
            written = output
    # curl hides its meter when the body goes to a terminal (it would mix with the body).
    to_terminal = output_to_terminal(client) and options.output is None and not options.remote_name
    if not options.silent and not options.no_meter and not to_terminal:
        yield from _draw(client, transfer, written)
    elif written:
        yield from client.out(written)
    if transfer.code and (not options.silent or options.show_error):
        yield from client.err(f"curl: ({transfer.code}) {transfer.error}")
        if transfer.code == PEER_FAILED_VERIFICATION:
            yield from client.err(CA_CERT_ERROR_TEXT)
    if options.write_out is not None:
        yield from _write_out(client, options.write_out, transfer)
    return transfer.code


def _fetch(
    client: NetClient,
    options: _Options,
    target: _Url,
    transfer: _Transfer,
    version: str,
    start: float,
) -> str:
    """Resolve, connect, ask; returns what goes to the output. A failure raises
    ``_Failure``; ``-f`` on an error status raises it too, after the status is known."""
    connect_limit = options.connect_timeout or DEFAULT_CONNECT_TIMEOUT
    if options.max_time:
        connect_limit = min(connect_limit, options.max_time)
    found = client.lookup(target.host)
    # A resolver that gives up just as curl's own limit is reached loses the race: curl's
    # timer fires first (the resolver's time-outs always run a little over).
    if found.seconds >= connect_limit and (found.seconds > connect_limit or found.no_answer):
        client.wait(connect_limit + 0.001)  # the limit is noticed once it has passed
        raise _Failure(
            OPERATION_TIMEDOUT, f"Resolving timed out after {_ms(client, start)} milliseconds"
        )
    client.wait(found.seconds)
    if not found.addresses:
        raise _Failure(COULDNT_RESOLVE, f"Could not resolve host: {target.host}")
    connection = None
    for ip in found.addresses:  # each address in turn, as the happy-eyeballs filter does
        remaining = max(0.0, connect_limit - (client.now - start))
        connection, limited = client.connect(ip, target.port, remaining)
        transfer.ip, transfer.port = ip, target.port
        if limited:
            client.wait(0.001)
            raise _Failure(
                OPERATION_TIMEDOUT, f"Connection timed out after {_ms(client, start)} milliseconds"
            )
        if connection.state == UNSUPPORTED:
            raise _Unsupported(connection.detail)
        if connection.state == OPEN:
            break
    assert connection is not None
    if connection.state != OPEN:
        # strerror of CURLE_COULDNT_CONNECT changed from "Couldn't" in 8.9.0.
        couldnt = "Could not" if _at_least(version, 8, 9) else "Couldn't"
        text = (
            f"Failed to connect to {target.host} port {target.port} after "
            f"{_ms(client, start)} ms: {couldnt} connect to server"
        )
        # A connect the kernel timed out is reported with that text, then as code 28.
        raise _Failure(
            OPERATION_TIMEDOUT if connection.state == TIMED_OUT else COULDNT_CONNECT, text
        )
    transfer.connect_seconds = client.now - start
    if target.scheme == "https":
        # The TLS handshake: the server's certificate for the name asked (SNI).
        problem = client.net.tls(connection, target.host, client.now)
        if problem == "unsupported":
            raise _Unsupported("https:// to a server other than an Ingress controller")
        if problem and not options.insecure:
            raise _Failure(PEER_FAILED_VERIFICATION, f"SSL certificate problem: {problem}")
    host = options.host_header if options.host_header is not None else target.authority
    answer = client.net.http_get(connection, target.path, client.now, host)
    if answer.status is None:
        raise _Failure(GOT_NOTHING, "Empty reply from server")
    if options.max_time and client.now - start + answer.latency > options.max_time:
        client.wait(options.max_time - (client.now - start) + 0.001)
        raise _Failure(
            OPERATION_TIMEDOUT,
            f"Operation timed out after {_ms(client, start)} milliseconds with 0 bytes received",
        )
    client.wait(answer.latency)
    transfer.status = int(answer.status)
    failed = transfer.status >= 400 and (options.fail or options.fail_with_body)
    if failed and options.fail:
        raise _Failure(HTTP_RETURNED_ERROR, f"The requested URL returned error: {transfer.status}")
    body = "" if options.head else answer.body
    transfer.size = len(body.encode())
    headers = ""
    if options.head or options.include:
        headers = (
            f"HTTP/1.1 {transfer.status} {answer.reason or reason_phrase(transfer.status)}\r\n"
            f"Content-Length: {len(answer.body.encode())}\r\n\r\n"
        )
    if failed:  # --fail-with-body: the body, then the error
        transfer.code = HTTP_RETURNED_ERROR
        transfer.error = f"The requested URL returned error: {transfer.status}"
    return headers + body


def output_to_terminal(client: NetClient) -> bool:
    """Whether curl's standard output is the terminal (not a pipe, a file or kubectl)."""
    return bool(getattr(client.sh.fds.get(1), "terminal", False))


def _draw(client: NetClient, transfer: _Transfer, written: str) -> Generator[Event, None, None]:
    """The progress meter around the output, as a terminal shows it at the end."""
    done = transfer.code == 0
    size = transfer.size if done else 0
    final = meter_line(size, size, transfer.seconds)
    zero = meter_line(0, 0, 0.0)
    same_screen = client.sh.fds.get(1) is client.sh.fds.get(2)
    if not same_screen:
        yield from client.err_raw(METER_HEADER + "\r" + zero)
        yield from client.out(written)
        yield from client.err_raw("\r" + final + "\n")
        return
    # One screen: the first meter line, the output, then the last meter line written over
    # the line the cursor is on.
    screen = zero + written
    head, newline, partial = screen.rpartition("\n")
    shown = head + newline + final + partial[len(final) :] + "\n"
    yield from client.out(METER_HEADER + shown)


def meter_line(total: int, received: int, seconds: float) -> str:
    """One line of curl's progress meter (``progress_meter`` in lib/progress.c)."""
    micros = round(seconds * 1_000_000)
    speed = received * 1_000_000 if micros < 1 else received * 1_000_000 // micros
    percent = _percent(total, received)
    estimate = total // speed if total and speed > 0 else 0
    spent = micros // 1_000_000
    left = estimate - spent if estimate > 0 else 0
    return (
        f"{percent:3d} {_max5(total)}  {(percent if speed else 0):3d} {_max5(received)}  "
        f"{0:3d} {_max5(0)}  {_max5(speed)}  {_max5(0)} {_time2str(estimate)} "
        f"{_time2str(spent)} {_time2str(left)} {_max5(speed)}"
    )


def _percent(total: int, current: int) -> int:
    """``pgrs_est_percent``."""
    if total > 10000:
        return current // (total // 100)
    return current * 100 // total if total > 0 else 0


def _max5(n: int) -> str:
    """``max5data``: at most five columns."""
    kb, mb, gb = 1024, 1024 * 1024, 1024 * 1024 * 1024
    if n < 100000:
        return f"{n:5d}"
    if n < 10000 * kb:
        return f"{n // kb:4d}k"
    if n < 100 * mb:
        return f"{n // mb:2d}.{(n % mb) // (mb // 10)}M"
    if n < 10000 * mb:
        return f"{n // mb:4d}M"
    if n < 100 * gb:
        return f"{n // gb:2d}.{(n % gb) // (gb // 10)}G"
    return f"{n // gb:4d}G"


def _time2str(seconds: int) -> str:
    """``time2str``: eight columns."""
    if seconds <= 0:
        return "--:--:--"
    hours = seconds // 3600
    if hours <= 99:
        return f"{hours:2d}:{(seconds % 3600) // 60:02d}:{seconds % 60:02d}"
    days = seconds // 86400
    return f"{days:3d}d {(seconds % 86400) // 3600:02d}h" if days <= 999 else f"{days:7d}d"


def _write_out(client: NetClient, fmt: str, transfer: _Transfer) -> Generator[Event, None, None]:
    """``-w``: variables and backslash escapes (``ourWriteOut``)."""
    values = {
        "http_code": f"{transfer.status:03d}",
        "response_code": f"{transfer.status:03d}",
        "remote_ip": transfer.ip,
        "remote_port": str(transfer.port) if transfer.port else "0",
        "size_download": str(transfer.size),
        "time_total": f"{transfer.seconds:.6f}",
        "time_connect": f"{transfer.connect_seconds:.6f}",
        "url_effective": transfer.url,
        "exitcode": str(transfer.code),
        "errormsg": transfer.error,
    }
    out, i = [], 0
    while i < len(fmt):
        if fmt.startswith("%{", i) and "}" in fmt[i:]:
            end = fmt.index("}", i)
            name = fmt[i + 2 : end]
            if name in values:
                out.append(values[name])
            else:
                yield from client.err(f"curl: unknown --write-out variable: '{name}'")
            i = end + 1
        elif fmt.startswith("%%", i):
            out.append("%")
            i += 2
        elif fmt[i] == "\\" and i + 1 < len(fmt) and fmt[i + 1] in "rnt\\":
            out.append({"r": "\r", "n": "\n", "t": "\t", "\\": "\\"}[fmt[i + 1]])
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    yield from client.out("".join(out))


def _ms(client: NetClient, start: float) -> int:
    """Milliseconds since the transfer started (``curlx_timediff``)."""
    return int(round((client.now - start) * 1000, 6))


def _at_least(version: str, major: int, minor: int) -> bool:
    parts = [int(p) for p in version.split(".")[:2]]
    return (parts[0], parts[1]) >= (major, minor)
