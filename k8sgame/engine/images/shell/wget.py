"""BusyBox ``wget`` (busybox 1.36.1 ``networking/wget.c``, ``libbb/progress.c``,
``libbb/xconnect.c``; 1.37 prints the same).

``wget [-q] [-O FILE|-] [-T SEC] [-P DIR] [--spider] URL...``: for each URL it resolves
the host (``bad address 'web'``), says ``Connecting to web (10.96.0.12:80)``, connects
(``can't connect to remote host (10.96.0.12): Connection refused``), reads the status line
(``server returned error: HTTP/1.1 404 Not Found``) and writes the body to the file
(``index.html`` by default, never over an existing one) or to stdout with ``-O -``, with
its progress line as it looks when stderr is not a terminal (``kubectl exec`` without
``-t``). ``-T SEC`` bounds the connect and the wait for the answer (``download timed
out``); without it the kernel gives up on an unanswered connect after 127 s.

Not modelled (the simulator says so): ``https://`` and ``ftp://`` URLs, ``-c``, ``-S``,
``-o LOGFILE``, ``--post-data``/``--post-file``. ``--header``, ``-U`` and ``-Y`` are
accepted and change nothing the simulated servers look at.
"""

from __future__ import annotations

import posixpath

from k8sgame.engine.images.shell.coreutils import BUSYBOX_BANNER
from k8sgame.engine.images.shell.filesystem import ERRNO
from k8sgame.engine.images.shell.net_client import (
    CONNECT_ERRORS,
    NetClient,
    port_number,
    reason_phrase,
    unsupported_text,
)
from k8sgame.engine.images.shell.timeline import Gen
from k8sgame.engine.network.client import OPEN, TIMED_OUT, UNSUPPORTED

WGET_USAGE = (
    BUSYBOX_BANNER + "\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n"
    "\t[--post-data STR | --post-file FILE] [-Y on/off]\n"
    "\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...\n\n"
    "Retrieve files via HTTP or FTP\n\n"
    "\t--spider\tOnly check URL existence: $? is 0 if exists\n"
    "\t--header STR\tAdd STR (of form 'header: value') to headers\n"
    "\t--post-data STR\tSend STR using POST method\n"
    "\t--post-file FILE\tSend FILE using POST method\n"
    "\t--no-check-certificate\tDon't validate the server's certificate\n"
    "\t-c\t\tContinue retrieval of aborted transfer\n"
    "\t-q\t\tQuiet\n"
    "\t-P DIR\t\tSave to DIR (default .)\n"
    "\t-S    \t\tShow server response\n"
    "\t-T SEC\t\tNetwork read timeout is SEC seconds\n"
    "\t-O FILE\t\tSave to FILE ('-' for stdout)\n"
    "\t-o LOGFILE\tLog messages to FILE\n"
    "\t-U STR\t\tUse STR for User-Agent header\n"
    "\t-Y on/off\tUse proxy"
)
DEFAULT_TIMEOUT = 900  # G.timeout_seconds: the alarm wget arms around connect and reads
# get_terminal_width() of a stderr that is no terminal: 80 columns; the bar is 48 less.
_BAR = 80 - 48
_WITH_ARG = {"O": "output", "o": "log", "P": "prefix", "Y": "proxy", "U": "agent", "T": "timeout"}
_LONG = {
    "--quiet": "q",
    "--output-document": "O",
    "--directory-prefix": "P",
    "--timeout": "T",
    "--user-agent": "U",
    "--proxy": "Y",
}


class _Options:
    def __init__(self) -> None:
        self.quiet = False
        self.spider = False
        self.output: str | None = None
        self.prefix: str | None = None
        self.timeout = DEFAULT_TIMEOUT
        self.urls: list[str] = []
        # ``--header 'Host: name'``: the Host the server sees (default: the URL's).
        self.host_header: str | None = None


def smart_ulltoa5(n: int) -> str:
    """libbb ``smart_ulltoa5`` with the scale " kMGTPEZY": five columns."""
    if n <= 99999:
        return f"{n:5d}"
    scaled, index = n * 10, 0
    while True:
        scaled //= 1024
        index += 1
        if scaled < 100000:
            break
    whole, tenth = divmod(scaled, 10)
    unit = " kMGTPEZY"[index]
    if whole >= 100:
        return f"{whole:4d}{unit}"
    return f"{whole:2d}.{tenth}{unit}"


def progress_line(name: str, size: int) -> str:
    """``bb_progress_update``'s last line for a finished download, stderr not a tty."""
    shown = posixpath.basename(name) if name != "-" else "-"
    line = f"{shown[:20]:<20} "
    if size:
        line += f"100% |{'*' * _BAR}| {smart_ulltoa5(size)}  0:00:00 ETA"
    else:
        line += f"{smart_ulltoa5(0)} --:--:-- ETA"
    return line + "\n"


def _parse(args: list[str]) -> _Options | str:
    """The options, or the error text wget dies with."""
    options = _Options()
    i = 0
    while i < len(args):
        arg = args[i]
        i += 1
        if arg == "--":
            options.urls += args[i:]
            break
        if arg.startswith("--"):
            name, eq, value = arg.partition("=")
            if name == "--spider":
                options.spider = True
                continue
            if name in ("--header", "--no-check-certificate"):
                if name == "--header":
                    if not eq:
                        if i >= len(args):
                            return f"wget: option '{name}' requires an argument\n{WGET_USAGE}"
                        value = args[i]
                        i += 1
                    header, colon, text = value.partition(":")
                    if colon and header.strip().lower() == "host":
                        options.host_header = text.strip()
                continue
            if name in ("--post-data", "--post-file", "--continue", "--server-response"):
                return f"unsupported:{name}"
            if name == "--output-file":
                return "unsupported:-o"
            letter = _LONG.get(name)
            if letter is None:
                return f"wget: unrecognized option '{arg}'\n{WGET_USAGE}"
            if letter == "q":
                options.quiet = True
                continue
            if not eq:
                if i >= len(args):
                    return f"wget: option '{name}' requires an argument\n{WGET_USAGE}"
                value = args[i]
                i += 1
            problem = _set(options, letter, value)
            if problem:
                return problem
            continue
        if not arg.startswith("-") or arg == "-":
            options.urls.append(arg)
            continue
        flags = arg[1:]
        while flags:
            flag, flags = flags[0], flags[1:]
            if flag == "q":
                options.quiet = True
            elif flag in ("c", "S"):
                return f"unsupported:-{flag}"
            elif flag in _WITH_ARG or flag in ("t", "n"):
                if flag == "n":
                    break  # -n[ARG]: the four -n options, all ignored
                value = flags
                if not value:
                    if i >= len(args):
                        return f"wget: option requires an argument -- '{flag}'\n{WGET_USAGE}"
                    value = args[i]
                    i += 1
                flags = ""
                problem = _set(options, flag, value)
                if problem:
                    return problem
            else:
                return f"wget: invalid option -- '{flag}'\n{WGET_USAGE}"
    if not options.urls:
        return WGET_USAGE
    return options


def _set(options: _Options, flag: str, value: str) -> str:
    if flag == "O":
        options.output = value
    elif flag == "P":
        options.prefix = value
    elif flag == "T":
        seconds = port_number(value)
        if seconds is None:
            return f"wget: invalid number '{value}'"
        options.timeout = seconds
    elif flag == "o":
        return "unsupported:-o"
    return ""


def wget(client: NetClient, args: list[str]) -> Gen:
    """Run ``wget`` with ``args``; returns its exit status."""
    parsed = _parse(args)
    if isinstance(parsed, str):
        if parsed.startswith("unsupported:"):
            yield from client.err(unsupported_text("wget", parsed.split(":", 1)[1]))
            return 2
        yield from client.err(parsed)
        return 1
    for url in parsed.urls:
        status = yield from _download(client, parsed, url)
        if status:
            return status
    return 0


def _download(client: NetClient, options: _Options, url: str) -> Gen:
    """``download_one_url``: one URL, or the error wget dies with."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        rest = url  # GNU wget falls back to http://, and so does BusyBox's
    elif scheme in ("https", "ftp", "ftps"):
        yield from client.err(unsupported_text("wget", f"{scheme}:// URLs"))
        return 2
    elif scheme != "http":
        yield from client.err(f"wget: not an http or ftp url: {url}")
        return 1
    cut = min((rest.index(c) for c in "/?#" if c in rest), default=len(rest))
    host, path = rest[:cut], rest[cut:]
    path = path[1:] if path.startswith("/") else path
    host = host.rsplit("@", 1)[-1]
    name, colon, port_text = host.rpartition(":") if ":" in host else (host, "", "")
    port = 80
    if colon:
        if port_number(port_text) is None or int(port_text) > 65535:
            yield from client.err(f"wget: bad port '{port_text}'")
            return 1
        port = int(port_text)
    found = client.lookup(name)
    client.wait(found.seconds)
    if not found.addresses:
        yield from client.err(f"wget: bad address '{host}'")
        return 1
    ip = found.addresses[0]
    if not options.quiet:
        yield from client.err(f"Connecting to {host} ({ip}:{port})")
    limit = float(options.timeout) if options.timeout else None
    connection, limited = client.connect(ip, port, limit)
    if limited:
        yield from client.err("wget: download timed out")
        return 1
    if connection.state == UNSUPPORTED:
        yield from client.err(unsupported_text("wget", connection.detail))
        return 2
    if connection.state != OPEN:
        reason = CONNECT_ERRORS.get(connection.state, CONNECT_ERRORS[TIMED_OUT])
        yield from client.err(f"wget: can't connect to remote host ({ip}): {reason}")
        return 1
    sent_host = options.host_header if options.host_header is not None else host
    answer = client.net.http_get(connection, "/" + path, client.now, sent_host)
    if answer.status is None:
        yield from client.err("wget: error getting response")
        return 1
    if limit is not None and answer.latency > limit:
        client.wait(limit)
        yield from client.err("wget: download timed out")
        return 1
    client.wait(answer.latency)
    status = int(answer.status)
    if not (200 <= status <= 204 or status in (300, 301, 302, 303, 307, 308)):
        yield from client.err(
            f"wget: server returned error: HTTP/1.1 {status} {answer.reason or reason_phrase(status)}"
        )
        return 1
    if options.spider:
        if not options.quiet:
            yield from client.err("remote file exists")
        return 0
    return (yield from _save(client, options, path, answer.body))


def _save(client: NetClient, options: _Options, path: str, body: str) -> Gen:
    """Write the body where ``-O``/``-P`` say, with wget's messages around it."""
    to_stdout = options.output == "-"
    if options.output is not None:
        target = options.output
    else:
        last = path.rstrip("/").rsplit("/", 1)[-1] if path and not path.endswith("/") else ""
        target = last or "index.html"
        if options.prefix:
            target = posixpath.join(options.prefix, target)
    if not options.quiet:
        yield from client.err("writing to stdout" if to_stdout else f"saving to '{target}'")
    if to_stdout:
        yield from client.out(body)
    else:
        # Without -O the file must be new (O_EXCL); -O FILE may overwrite.
        problem = yield from client.write_file(target, body, exclusive=options.output is None)
        if problem:
            yield from client.err(f"wget: can't open '{target}': {ERRNO[problem]}")
            return 1
    if not options.quiet:
        yield from client.err_raw(progress_line(target, len(body.encode())))
        yield from client.err("written to stdout" if to_stdout else f"'{target}' saved")
    return 0
