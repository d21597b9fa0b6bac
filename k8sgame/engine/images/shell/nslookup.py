"""BusyBox ``nslookup`` (busybox 1.36.1 ``networking/nslookup.c`` with
``FEATURE_NSLOOKUP_BIG``, the default since 1.29; 1.37 prints the same).

``nslookup [-type=a|aaaa|cname|ptr] [-timeout=N] [-retry=N] HOST [SERVER]`` carries its own
resolver: it reads ``nameserver`` and ``search`` from ``/etc/resolv.conf`` (not when a
server is given), applies the search list only to a name without a dot, and sends an A and
an AAAA question for each resulting name at once (an address: one PTR question). The first
reply prints the ``Server:``/``Address:`` header; every reply then prints its records, or
``** server can't find NAME: NXDOMAIN``, followed by an empty line — an empty answer (AAAA
in an IPv4 cluster) is just the empty line. Any failed question makes the exit status 1.
With no server answering: ``;; connection timed out; no servers could be reached`` after
``timeout`` seconds per server.

The replies come in the order the questions were sent (a real resolver prints them as they
arrive, which is usually, not always, that order). ``-type=`` srv, mx, txt, ns, soa and any,
``-port`` and ``-debug`` are not modelled.
"""

from __future__ import annotations

from k8sgame.engine.images.shell.coreutils import BUSYBOX_BANNER
from k8sgame.engine.images.shell.net_client import NetClient, port_number, unsupported_text
from k8sgame.engine.images.shell.timeline import Gen
from k8sgame.engine.network.client import NOERROR, Reply
from k8sgame.engine.network.resolver import is_address, parse_resolv_conf, reverse_name

DNS_PORT = 53
NSLOOKUP_USAGE = (
    BUSYBOX_BANNER + "\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\n"
    "Query DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any"
)
# qtypes[] of nslookup.c; the simulator answers the first four.
_ANSWERED_TYPES = {"a": "A", "aaaa": "AAAA", "cname": "CNAME", "ptr": "PTR"}
_KNOWN_TYPES = ("soa", "ns", "a", "aaaa", "cname", "mx", "txt", "ptr", "srv", "any")


def nslookup(client: NetClient, args: list[str]) -> Gen:
    """Run ``nslookup`` with ``args``; returns its exit status."""
    types: list[str] = []
    timeout = 5  # G.default_timeout
    while args and args[0].startswith("-"):
        option, _, value = args.pop(0)[1:].partition("=")
        if option in ("type", "querytype"):
            if value.lower() not in _KNOWN_TYPES:
                yield from client.err(f'nslookup: invalid query type "{value}"')
                return 1
            if value.lower() not in _ANSWERED_TYPES:
                yield from client.err(unsupported_text("nslookup", f"-type={value}"))
                return 2
            types.append(_ANSWERED_TYPES[value.lower()])
        elif option in ("t", "timeout", "retry") and (port_number(value) or 0) > 0:
            if option != "retry":
                timeout = int(value)
        elif option in ("port", "debug"):
            yield from client.err(unsupported_text("nslookup", f"-{option}"))
            return 2
        else:
            yield from client.err(NSLOOKUP_USAGE)
            return 1
    if not args or len(args) > 2:
        yield from client.err(NSLOOKUP_USAGE)
        return 1
    name = args[0]
    if len(args) == 2:
        # A server on the command line: resolv.conf is not read, so there is no search list.
        servers, search = [args[1]], tuple[str, ...]()
    else:
        config = parse_resolv_conf(client.read("/etc/resolv.conf"))
        servers, search = list(config.nameservers), config.search
    queries = _queries(name, types, search)
    for server in servers:
        address = server
        if not is_address(server):
            found = client.lookup(server)
            client.wait(found.seconds)
            if not found.addresses:
                yield from client.err(f"nslookup: bad address '{server}'")
                return 1
            address = found.addresses[0]
        replies = [(qname, client.ask(address, qname, qtype)) for qname, qtype in queries]
        if all(reply is None for _, reply in replies):
            client.wait(float(timeout))  # send_queries gives up; try the next server
            continue
        text = f"Server:\t\t{server}\nAddress:\t{address}:{DNS_PORT}\n\n"
        status = 0
        for qname, reply in replies:
            if reply is None:
                continue
            if reply.rcode != NOERROR:
                text += f"** server can't find {qname}: {reply.rcode}\n"
                status = 1
            else:
                text += answer_text(reply)
            text += "\n"
        yield from client.out(text)
        return status
    yield from client.out(";; connection timed out; no servers could be reached\n\n")
    return 1


def _queries(name: str, types: list[str], search: tuple[str, ...]) -> list[tuple[str, str]]:
    """(name, qtype) of every question, in the order nslookup adds them."""
    if not types:
        if is_address(name):
            return [(reverse_name(name), "PTR")]
        types = ["A", "AAAA"]
    queries = []
    for qtype in types:
        # add_query_with_search: the search list only for a name without a dot.
        if qtype == "PTR" or not search or "." in name:
            queries.append((name, qtype))
        else:
            queries += [(f"{name}.{domain}", qtype) for domain in search]
    return queries


def answer_text(reply: Reply) -> str:
    """``parse_reply``: the records of one reply, in nslookup's format."""
    text = "" if reply.authoritative else "Non-authoritative answer:\n"
    for record in reply.answers:
        if record.type in ("A", "AAAA"):
            text += f"Name:\t{record.name}\nAddress: {record.value}\n"
        elif record.type == "CNAME":
            text += f"{record.name}\tcanonical name = {record.value}\n"
        elif record.type == "PTR":
            text += f"{record.name}\tname = {record.value}\n"
    return text
