"""How kubectl shows a Service: ``kubectl get svc`` (``printService``: TYPE, CLUSTER-IP from
``spec.clusterIPs[0]``, EXTERNAL-IP by type, PORT(S) as ``port[:nodePort]/protocol``; ``-o
wide`` adds the selector) and its describer (kubectl's ``describeService``, whose
``Endpoints:`` lines come from the Service's EndpointSlices)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.labels import parse as parse_selector
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    annotations_multiline,
    finish,
    format_labels,
    labels_multiline,
)
from k8sgame.kubectl.tables import KindView, TableSpec, age

# printers.go: loadBalancerWidth, where the non-wide EXTERNAL-IP of a load balancer is cut.
LOAD_BALANCER_WIDTH = 16
# discoveryv1.LabelServiceName: how an EndpointSlice names the Service it belongs to.
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
# formatEndpointSlices shows this many addresses, then "+ N more...".
MAX_ENDPOINTS = 3


def _load_balancer_ips(svc: dict[str, Any], wide: bool) -> str:
    """``loadBalancerStatusStringer``: the ingress IPs (else hostnames), a sorted set, cut to
    16 characters unless wide."""
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    found = {str(i.get("ip") or i.get("hostname") or "") for i in ingress}
    text = ",".join(sorted(found - {""}))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        text = text[: LOAD_BALANCER_WIDTH - 3] + "..."
    return text


def external_ip(svc: dict[str, Any], wide: bool) -> str:
    """``getServiceExternalIP``: external IPs for ClusterIP and NodePort (``<none>``), the
    load balancer's addresses then the external IPs (``<pending>`` before it has any), the
    external name for ExternalName, ``<unknown>`` for any other type."""
    spec = svc.get("spec") or {}
    external = [str(ip) for ip in spec.get("externalIPs") or []]
    kind = spec.get("type")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        balancer = _load_balancer_ips(svc, wide)
        if external:
            return ",".join([*(balancer.split(",") if balancer else []), *external])
        return balancer or "<pending>"
    if kind == "ExternalName":
        return str(spec.get("externalName") or "")
    return "<unknown>"


def port_string(ports: list[dict[str, Any]]) -> str:
    """``makePortString``: ``80/TCP``, ``80:30080/TCP`` with a node port, comma-joined."""
    pieces = []
    for port in ports:
        number, protocol = port.get("port") or 0, port.get("protocol") or ""
        node_port = port.get("nodePort") or 0
        pieces.append(
            f"{number}:{node_port}/{protocol}" if node_port > 0 else f"{number}/{protocol}"
        )
    return ",".join(pieces)


def _columns(svc: dict[str, Any], now: float, wide: bool = False) -> list[str]:
    spec = svc.get("spec") or {}
    cluster_ips = spec.get("clusterIPs") or []
    return [
        svc["metadata"]["name"],
        str(spec.get("type") or ""),
        str(cluster_ips[0]) if cluster_ips else "<none>",
        external_ip(svc, wide),
        port_string(spec.get("ports") or []) or "<none>",
        age(svc, now),
    ]


def _wide_columns(svc: dict[str, Any], now: float) -> list[str]:
    # The whole row: -o wide also stops cutting a load balancer's addresses.
    selector = format_labels((svc.get("spec") or {}).get("selector"))
    return [*_columns(svc, now, wide=True), selector]


def endpoint_slices(svc: dict[str, Any], ctx: DescribeContext) -> list[dict[str, Any]]:
    """The EndpointSlices labelled with the Service's name, in its namespace, as the
    describer lists them. None while the cluster serves no EndpointSlices (the describer
    ignores the list's error too)."""
    if not ctx.has_kind("endpointslices"):
        return []
    md = svc["metadata"]
    selector = parse_selector(f"{SERVICE_NAME_LABEL}={md['name']}")
    return list(ctx.store.list("EndpointSlice", md.get("namespace") or None, selector=selector))


def _ready(endpoint: dict[str, Any]) -> bool:
    # A missing ready condition means unknown, which consumers take as ready.
    return (endpoint.get("conditions") or {}).get("ready") is not False


def format_endpoint_slices(slices: list[dict[str, Any]], port_name: str) -> str:
    """``formatEndpointSlices`` for one Service port: ``<none>`` without slices; the ready
    endpoints' ``ip:port`` for the slice ports of that name (bare IPs from slices without
    ports, as a headless Service's), three at most then ``+ N more...``. Upstream decides
    "more" before it skips an unready endpoint; that is kept."""
    if not slices:
        return "<none>"
    shown: list[str] = []
    more, count = False, 0

    def add(text: str, endpoint: dict[str, Any]) -> None:
        nonlocal more, count
        if len(shown) == MAX_ENDPOINTS:
            more = True
        if not _ready(endpoint):
            return
        if not more:
            shown.append(text)
        count += 1

    for slice_ in slices:
        endpoints = slice_.get("endpoints") or []
        ports = slice_.get("ports") or []
        if not ports:
            for endpoint in endpoints:
                add(str((endpoint.get("addresses") or [""])[0]), endpoint)
            continue
        for port in ports:
            if (port.get("name") or "") != port_name:
                continue
            for endpoint in endpoints:
                address = str((endpoint.get("addresses") or [""])[0])
                # net.JoinHostPort brackets an IPv6 address.
                host = f"[{address}]" if ":" in address else address
                add(f"{host}:{port.get('port')}", endpoint)
    text = ",".join(shown)
    return f"{text} + {count - MAX_ENDPOINTS} more..." if more else text


def _ingress_text(ingress: list[dict[str, Any]]) -> str:
    """``buildIngressString``: ``ip (ipMode)`` or the hostname, joined with ``, ``."""
    parts = []
    for entry in ingress:
        if entry.get("ip"):
            mode = entry.get("ipMode")
            parts.append(f"{entry['ip']} ({mode})" if mode is not None else str(entry["ip"]))
        else:
            parts.append(str(entry.get("hostname") or ""))
    return ", ".join(parts)


def _port_lines(spec: dict[str, Any], slices: list[dict[str, Any]], out: list[str]) -> None:
    for port in spec.get("ports") or []:
        raw_name = str(port.get("name") or "")
        name = raw_name or "<unset>"
        protocol = port.get("protocol") or ""
        out.append(f"Port:\t{name}\t{port.get('port') or 0}/{protocol}")
        out.append(f"TargetPort:\t{port.get('targetPort', 0)}/{protocol}")
        if port.get("nodePort"):
            out.append(f"NodePort:\t{name}\t{port['nodePort']}/{protocol}")
        out.append(f"Endpoints:\t{format_endpoint_slices(slices, raw_name)}")


def describe_service(svc: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, labels, selector, type, IP families and addresses, each port with its target,
    node port and endpoints, session affinity and traffic policies, then the events."""
    md, spec = svc["metadata"], svc.get("spec") or {}
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Selector:\t{format_labels(spec.get('selector'))}")
    out.append(f"Type:\t{spec.get('type') or ''}")
    if spec.get("ipFamilyPolicy") is not None:
        out.append(f"IP Family Policy:\t{spec['ipFamilyPolicy']}")
    out.append(f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}")
    out.append(f"IP:\t{spec.get('clusterIP') or ''}")
    out.append(f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}")
    if spec.get("externalIPs"):
        out.append(f"External IPs:\t{','.join(spec['externalIPs'])}")
    if spec.get("loadBalancerIP"):
        out.append(f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}")
    if spec.get("externalName"):
        out.append(f"External Name:\t{spec['externalName']}")
    ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        out.append(f"LoadBalancer Ingress:\t{_ingress_text(ingress)}")
    _port_lines(spec, endpoint_slices(svc, ctx), out)
    out.append(f"Session Affinity:\t{spec.get('sessionAffinity') or ''}")
    if spec.get("externalTrafficPolicy"):
        out.append(f"External Traffic Policy:\t{spec['externalTrafficPolicy']}")
    if spec.get("internalTrafficPolicy") is not None:
        out.append(f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}")
    if spec.get("healthCheckNodePort"):
        out.append(f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}")
    if spec.get("loadBalancerSourceRanges"):
        out.append(f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}")
    if spec.get("trafficDistribution") is not None:
        out.append(f"Traffic Distribution:\t{spec['trafficDistribution']}")
    return finish(out, ctx.search_events(svc, "Service"), ctx.now)


HEADERS = ("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE")
VIEW = KindView(
    "Service",
    TableSpec(HEADERS, _columns, (*HEADERS, "SELECTOR"), _wide_columns, wide_replaces=True),
    describe_service,
)
