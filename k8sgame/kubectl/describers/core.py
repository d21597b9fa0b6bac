"""Namespace, ConfigMap and Secret describers (``kubectl/pkg/describe/describe.go``:
``describeNamespace``, ``ConfigMapDescriber``, ``describeSecret``,
``describeServiceAccount``)."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    L1,
    annotations_multiline,
    finish,
    labels_multiline,
    rfc1123z,
)


def describe_namespace(ns: dict[str, Any], ctx: DescribeContext) -> str:
    """Name, labels, annotations, status, conditions, then the quota and limit-range
    summaries. The describer shows no events. The simulated API has no ResourceQuota or
    LimitRange objects, which reads as a namespace without any (a real server always serves
    both resources)."""
    md, status = ns["metadata"], ns.get("status") or {}
    out = [f"Name:\t{md['name']}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append(f"Status:\t{status.get('phase', '')}")
    conditions = status.get("conditions") or []
    if conditions:
        out.append("Conditions:")
        out.append(f"{L1}Type\tStatus\tLastTransitionTime\tReason\tMessage")
        out.append(f"{L1}----\t------\t------------------\t------\t-------")
        out.extend(
            f"{L1}{c.get('type', '')}\t{c.get('status', '')}\t{rfc1123z(c.get('lastTransitionTime'))}"
            f"\t{c.get('reason', '')}\t{c.get('message', '')}"
            for c in conditions
        )
    out.extend(["", "No resource quota.", "", "No LimitRange resource."])
    return finish(out, None, ctx.now)


def _decoded_length(value: str) -> int:
    try:
        return len(base64.b64decode(value, validate=False))
    except (binascii.Error, ValueError):
        return len(value)


def describe_config_map(cm: dict[str, Any], ctx: DescribeContext) -> str:
    """``Data`` (each key, ``----``, the value, a blank line) and ``BinaryData``
    (``key: N bytes``), keys sorted, then the events."""
    md = cm["metadata"]
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.extend(["", "Data", "===="])
    data = cm.get("data") or {}
    for key in sorted(data):
        out.extend([f"{key}:", "----", str(data[key]), ""])
    out.extend(["", "BinaryData", "===="])
    binary = cm.get("binaryData") or {}
    out.extend(f"{key}: {_decoded_length(binary[key])} bytes" for key in sorted(binary))
    out.append("")
    return finish(out, ctx.search_events(cm, "ConfigMap"), ctx.now)


def describe_service_account(sa: dict[str, Any], ctx: DescribeContext) -> str:
    """``describeServiceAccount`` (kubectl 1.35): the image pull secrets, one a line under
    one heading (``<none>`` without any), then the events."""
    md = sa["metadata"]
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    header = "Image pull secrets:"
    names = [str(ref.get("name", "")) for ref in sa.get("imagePullSecrets") or []]
    if not names:
        out.append(f"{header}\t<none>")
    for index, name in enumerate(names):
        out.append(f"{header if index == 0 else ' ' * len(header)}\t{name}")
    return finish(out, ctx.search_events(sa, "ServiceAccount"), ctx.now)


SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token"


def describe_secret(secret: dict[str, Any], ctx: DescribeContext) -> str:
    """Type, then ``key:  N bytes`` for each data key (sorted); the describer shows no
    events. A service-account token secret shows its ``token`` in clear, as kubectl does."""
    md = secret["metadata"]
    out = [f"Name:\t{md['name']}", f"Namespace:\t{md.get('namespace', '')}"]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.extend(["", f"Type:\t{secret.get('type', '')}", "", "Data", "===="])
    data = secret.get("data") or {}
    for key in sorted(data):
        if key == "token" and secret.get("type") == SERVICE_ACCOUNT_TOKEN_TYPE:
            token = base64.b64decode(data[key]).decode(errors="replace")
            out.append(f"{key}:\t{token}")
        else:
            out.append(f"{key}:\t{_decoded_length(data[key])} bytes")
    return finish(out, None, ctx.now)
