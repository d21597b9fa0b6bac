"""How kubectl shows an IngressClass: ``kubectl get ingressclasses`` (``printIngressClass``:
NAME, CONTROLLER, PARAMETERS as ``Kind[.apiGroup]/name`` or ``<none>``, AGE) and its
describer (``IngressClassDescriber.describeIngressClassV1``)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import L1, annotations_multiline, finish, labels_multiline
from k8sgame.kubectl.tables import KindView, TableSpec, age


def parameters_text(params: dict[str, Any] | None) -> str:
    """The PARAMETERS cell: ``Kind.apiGroup/name`` (no group: ``Kind/name``), else
    ``<none>``."""
    if params is None:
        return "<none>"
    text = str(params.get("kind") or "")
    if params.get("apiGroup") is not None:
        text += "." + str(params["apiGroup"])
    return text + "/" + str(params.get("name") or "")


def _columns(ingress_class: dict[str, Any], now: float) -> list[str]:
    spec = ingress_class.get("spec") or {}
    return [
        ingress_class["metadata"]["name"],
        str(spec.get("controller") or ""),
        parameters_text(spec.get("parameters")),
        age(ingress_class, now),
    ]


def describe_ingress_class(ingress_class: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, labels, annotations, the controller and the parameters reference (its API group
    only when set), then the events."""
    md, spec = ingress_class["metadata"], ingress_class.get("spec") or {}
    out = [f"Name:\t{md['name']}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Controller:\t{spec.get('controller') or ''}")
    params = spec.get("parameters")
    if params is not None:
        out.append("Parameters:")
        if params.get("apiGroup") is not None:
            out.append(f"{L1}APIGroup:\t{params['apiGroup']}")
        out.append(f"{L1}Kind:\t{params.get('kind') or ''}")
        out.append(f"{L1}Name:\t{params.get('name') or ''}")
    return finish(out, ctx.search_events(ingress_class, "IngressClass"), ctx.now)


VIEW = KindView(
    "IngressClass",
    TableSpec(("NAME", "CONTROLLER", "PARAMETERS", "AGE"), _columns),
    describe_ingress_class,
)
