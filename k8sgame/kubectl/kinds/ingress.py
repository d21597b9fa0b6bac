"""How kubectl shows an Ingress: ``kubectl get ingress`` (``printIngress``: NAME, CLASS
(``<none>`` without a class name), HOSTS (the first three rule hosts, ``*`` when no rule has
one), ADDRESS (the load balancer's IPs, else hostnames, cut to 16 characters unless ``-o
wide``), PORTS (``80``, or ``80, 443`` with TLS), AGE) and its describer
(``IngressDescriber.describeIngressV1``): each Service backend is shown as ``name:port``
followed by the ready endpoints of that Service port (``describeBackendV1``), or the error
of looking the Service up."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import L1, L2, annotations_multiline, finish, labels_multiline
from k8sgame.kubectl.kinds.service import endpoint_slices, format_endpoint_slices
from k8sgame.kubectl.tables import KindView, TableSpec, age

# printers.go loadBalancerWidth and formatHosts' limit.
LOAD_BALANCER_WIDTH = 16
MAX_HOSTS = 3


def format_hosts(rules: list[dict[str, Any]] | None) -> str:
    """``formatHosts``: hosts of the first rules, three at most, then ``+ N more...`` counted
    over all rules (host-less ones too, as upstream counts them); ``*`` for none."""
    rules = rules or []
    shown: list[str] = []
    more = False
    for rule in rules:
        if len(shown) == MAX_HOSTS:
            more = True
        host = str((rule or {}).get("host") or "")
        if not more and host:
            shown.append(host)
    if not shown:
        return "*"
    text = ",".join(shown)
    return f"{text} + {len(rules) - MAX_HOSTS} more..." if more else text


def load_balancer_text(ingress: dict[str, Any], wide: bool) -> str:
    """``ingressLoadBalancerStatusStringer``: each entry's IP (else hostname), a sorted set
    joined with commas, cut to 16 characters unless wide."""
    entries = (((ingress.get("status") or {}).get("loadBalancer")) or {}).get("ingress") or []
    found = {str(e.get("ip") or e.get("hostname") or "") for e in entries}
    text = ",".join(sorted(found - {""}))
    if not wide and len(text) > LOAD_BALANCER_WIDTH:
        text = text[: LOAD_BALANCER_WIDTH - 3] + "..."
    return text


def _columns(ingress: dict[str, Any], now: float, wide: bool = False) -> list[str]:
    spec = ingress.get("spec") or {}
    class_name = spec.get("ingressClassName")
    return [
        ingress["metadata"]["name"],
        "<none>" if class_name is None else str(class_name),
        format_hosts(spec.get("rules")),
        load_balancer_text(ingress, wide),
        "80, 443" if spec.get("tls") else "80",
        age(ingress, now),
    ]


def _wide_columns(ingress: dict[str, Any], now: float) -> list[str]:
    # -o wide adds no column; it only stops cutting the address.
    return _columns(ingress, now, wide=True)


def service_backend_text(service: dict[str, Any]) -> str:
    """``serviceBackendStringer``: ``name:number``, or ``name:portName``."""
    port = service.get("port") or {}
    shown = str(port["number"]) if port.get("number") else str(port.get("name") or "")
    return f"{service.get('name') or ''}:{shown}"


def _service_port_name(svc: dict[str, Any], port: dict[str, Any]) -> str:
    """The name of the Service port the backend points at (by number or by name; the last
    match counts, as upstream's loop does not stop), ``""`` for none."""
    found = ""
    for service_port in (svc.get("spec") or {}).get("ports") or []:
        name = str(service_port.get("name") or "")
        if port.get("number") and port["number"] == service_port.get("port"):
            found = name
        elif port.get("name") and port["name"] == name:
            found = name
    return found


def describe_backend(backend: dict[str, Any], namespace: str, ctx: DescribeContext) -> str:
    """``describeBackendV1``: ``svc:port (endpoints)``, ``svc:port (<error: ...>)`` when the
    Service cannot be read, or the resource reference."""
    service = backend.get("service")
    if service is not None:
        text = service_backend_text(service)
        name = str(service.get("name") or "")
        try:
            svc = ctx.store.get("Service", name, namespace)
        except ApiError as error:
            return f"{text} (<error: {error.message}>)"
        slices = endpoint_slices(svc, ctx)
        port_name = _service_port_name(svc, service.get("port") or {})
        return f"{text} ({format_endpoint_slices(slices, port_name)})"
    resource = backend.get("resource")
    if resource is not None:
        group = resource.get("apiGroup")
        shown = "<none>" if group is None else str(group)
        kind, name = resource.get("kind") or "", resource.get("name") or ""
        return f"APIGroup: {shown}, Kind: {kind}, Name: {name}"
    return ""


def _rules_table(ingress: dict[str, Any], default: str, ctx: DescribeContext) -> list[str]:
    """The Rules table: each rule with an ``http`` part as a host line and its paths, or a
    ``*  *  <default backend>`` row when there is none."""
    namespace = str(ingress["metadata"].get("namespace") or "")
    out = ["Rules:", f"{L1}Host\tPath\tBackends", f"{L1}----\t----\t--------"]
    count = 0
    for rule in (ingress.get("spec") or {}).get("rules") or []:
        http = (rule or {}).get("http")
        if http is None:
            continue
        count += 1
        out.append(f"{L1}{rule.get('host') or '*'}\t")
        for path in http.get("paths") or []:
            backend = describe_backend(path.get("backend") or {}, namespace, ctx)
            out.append(f"{L2}\t{path.get('path') or ''} \t{backend}")
    if count == 0:
        out.append(f"{L1}*\t*\t{default}")
    return out


def describe_ingress(ingress: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, labels, namespace, address, class, default backend, TLS, the rules table and
    the annotations, then the events."""
    md, spec = ingress["metadata"], ingress.get("spec") or {}
    out = [f"Name:\t{md['name']}"]
    labels_multiline("Labels", md.get("labels"), out)
    out.append(f"Namespace:\t{md.get('namespace', '')}")
    out.append(f"Address:\t{load_balancer_text(ingress, wide=True)}")
    class_name = spec.get("ingressClassName")
    out.append(f"Ingress Class:\t{'<none>' if class_name is None else class_name}")
    default_backend = spec.get("defaultBackend")
    default = (
        "<default>"
        if default_backend is None
        else describe_backend(default_backend, str(md.get("namespace") or ""), ctx)
    )
    out.append(f"Default backend:\t{default}")
    if spec.get("tls"):
        out.append("TLS:")
        for entry in spec["tls"]:
            hosts = ",".join(str(h) for h in (entry or {}).get("hosts") or [])
            secret = (entry or {}).get("secretName") or ""
            out.append(
                f"{L1}SNI routes {hosts}" if not secret else f"{L1}{secret} terminates {hosts}"
            )
    out.extend(_rules_table(ingress, default, ctx))
    annotations_multiline("Annotations", md.get("annotations"), out)
    return finish(out, ctx.search_events(ingress, "Ingress"), ctx.now)


HEADERS = ("NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE")
VIEW = KindView(
    "Ingress",
    TableSpec(HEADERS, _columns, HEADERS, _wide_columns, wide_replaces=True),
    describe_ingress,
)
