"""How kubectl shows Endpoints: ``kubectl get endpoints`` (``printEndpoints``: NAME, ENDPOINTS,
AGE; ``formatEndpoints`` lists ready addresses as ``ip:port``, three at most then
`` + N more...``, ``<none>`` without subsets and an empty cell when every address is not
ready) and its describer (``describeEndpoints``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    L1,
    L2,
    annotations_multiline,
    finish,
    labels_multiline,
)
from k8sgame.kubectl.tables import KindView, TableSpec, age

MAX_LISTED = 3


def join_host_port(ip: str, port: Any) -> str:
    """``net.JoinHostPort``: an IPv6 address goes in brackets."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def format_endpoints(subsets: list[dict[str, Any]] | None) -> str:
    """``formatEndpoints`` with no port filter."""
    if not subsets:
        return "<none>"
    listed: list[str] = []
    count = 0
    for subset in subsets:
        ips = [str(a.get("ip") or "") for a in subset.get("addresses") or []]
        ports = subset.get("ports") or []
        # A headless Service may have no ports: its addresses are shown bare.
        shown = (
            ips if not ports else [join_host_port(ip, p.get("port")) for p in ports for ip in ips]
        )
        count += len(shown)
        listed.extend(shown[: max(0, MAX_LISTED - len(listed))])
    text = ",".join(listed)
    if count > MAX_LISTED:
        return f"{text} + {count - MAX_LISTED} more..."
    return text


def _columns(ep: dict[str, Any], now: float) -> list[str]:
    return [ep["metadata"]["name"], format_endpoints(ep.get("subsets")), age(ep, now)]


def describe_endpoints(ep: dict[str, Any], ctx: DescribeContext) -> str:
    md = ep["metadata"]
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append("Subsets:")
    for subset in ep.get("subsets") or []:
        ready = ",".join(str(a.get("ip") or "") for a in subset.get("addresses") or [])
        not_ready = ",".join(str(a.get("ip") or "") for a in subset.get("notReadyAddresses") or [])
        out.append(f"{L1}Addresses:\t{ready or '<none>'}")
        out.append(f"{L1}NotReadyAddresses:\t{not_ready or '<none>'}")
        ports = subset.get("ports") or []
        if ports:
            out.append(f"{L1}Ports:")
            out.append(f"{L2}Name\tPort\tProtocol")
            out.append(f"{L2}----\t----\t--------")
            for port in ports:
                name = port.get("name") or "<unset>"
                out.append(f"{L2}{name}\t{port.get('port')}\t{port.get('protocol') or ''}")
        out.append("")
    return finish(out, ctx.search_events(ep, "Endpoints"), ctx.now)


VIEW = KindView(
    "Endpoints",
    TableSpec(("NAME", "ENDPOINTS", "AGE"), _columns),
    describe_endpoints,
)
