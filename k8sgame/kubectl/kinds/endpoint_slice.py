"""How kubectl shows an EndpointSlice: ``kubectl get endpointslices`` (``printEndpointSlice``:
NAME, ADDRESSTYPE, PORTS, ENDPOINTS, AGE; the first three ports and addresses, then
`` + N more...``, ``<unset>`` for none) and its describer (``describeEndpointSliceV1``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    L1,
    L2,
    L3,
    annotations_multiline,
    finish,
    labels_multiline,
)
from k8sgame.kubectl.tables import KindView, TableSpec, age

MAX_LISTED = 3


def list_with_more(items: list[str], count: int) -> str:
    """``listWithMoreString``: the items joined by commas, `` + N more...`` past three,
    ``<unset>`` for none."""
    text = ",".join(items)
    if count > MAX_LISTED:
        return f"{text} + {count - MAX_LISTED} more..."
    return text or "<unset>"


def format_ports(ports: list[dict[str, Any]] | None) -> str:
    """``formatDiscoveryPorts``: each port's number (its name when it has none, ``*`` when
    it has neither)."""
    shown = []
    for port in (ports or [])[:MAX_LISTED]:
        if port.get("port") is not None:
            shown.append(str(port["port"]))
        elif port.get("name") is not None:
            shown.append(str(port["name"]))
        else:
            shown.append("*")
    return list_with_more(shown, len(ports or []))


def format_endpoints(endpoints: list[dict[str, Any]] | None) -> str:
    """``formatDiscoveryEndpoints``: every endpoint's addresses, ready or not."""
    addresses = [str(a) for e in endpoints or [] for a in e.get("addresses") or []]
    return list_with_more(addresses[:MAX_LISTED], len(addresses))


def _columns(eps: dict[str, Any], now: float) -> list[str]:
    return [
        eps["metadata"]["name"],
        str(eps.get("addressType") or ""),
        format_ports(eps.get("ports")),
        format_endpoints(eps.get("endpoints")),
        age(eps, now),
    ]


def _text(value: Any) -> str:
    return "<unset>" if value is None else str(value)


def describe_endpoint_slice(eps: dict[str, Any], ctx: DescribeContext) -> str:
    md = eps["metadata"]
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"AddressType:\t{eps.get('addressType') or ''}")
    ports = eps.get("ports") or []
    if not ports:
        out.append("Ports: <unset>")
    else:
        out.append("Ports:")
        out.append(f"{L1}Name\tPort\tProtocol")
        out.append(f"{L1}----\t----\t--------")
        for port in ports:
            name = port.get("name") or "<unset>"
            out.append(f"{L1}{name}\t{_text(port.get('port'))}\t{port.get('protocol') or ''}")
    endpoints = eps.get("endpoints") or []
    if not endpoints:
        out.append("Endpoints: <none>")
    else:
        out.append("Endpoints:")
        for endpoint in endpoints:
            addresses = ", ".join(str(a) for a in endpoint.get("addresses") or []) or "<none>"
            ready = (endpoint.get("conditions") or {}).get("ready")
            out.append(f"{L1}- Addresses:\t{addresses}")
            out.append(f"{L2}Conditions:")
            out.append(f"{L3}Ready:\t{_text(None if ready is None else str(ready).lower())}")
            out.append(f"{L2}Hostname:\t{_text(endpoint.get('hostname'))}")
            ref = endpoint.get("targetRef")
            if ref is not None:
                out.append(f"{L2}TargetRef:\t{ref.get('kind', '')}/{ref.get('name', '')}")
            out.append(f"{L2}NodeName:\t{_text(endpoint.get('nodeName'))}")
            out.append(f"{L2}Zone:\t{_text(endpoint.get('zone'))}")
    return finish(out, ctx.search_events(eps, "EndpointSlice"), ctx.now)


VIEW = KindView(
    "EndpointSlice",
    TableSpec(("NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"), _columns),
    describe_endpoint_slice,
)
