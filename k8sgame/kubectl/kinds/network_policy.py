"""How kubectl shows a NetworkPolicy: ``kubectl get networkpolicies`` (``printNetworkPolicy``:
NAME, POD-SELECTOR as ``metav1.FormatLabelSelector`` writes it, ``<none>`` for the empty
selector, AGE) and its describer (``describeNetworkPolicy``: no Events section; the rules of
each direction the policy affects, in ``printNetworkPolicySpecIngressFrom`` and
``printNetworkPolicySpecEgressTo``'s layout)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.text import (
    L1,
    L2,
    annotations_multiline,
    finish,
    format_label_selector,
    labels_multiline,
)
from k8sgame.kubectl.tables import KindView, TableSpec, age

# The indent both rule printers are given (``initialIndent``).
RULE_INDENT = "    "


def go_time_string(timestamp: str | None) -> str:
    """Go's ``time.Time.String()`` of a ``metav1.Time`` read in UTC:
    ``2026-01-05 09:00:00 +0000 UTC`` (the zero time when unset)."""
    if not timestamp:
        return "0001-01-01 00:00:00 +0000 UTC"
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00")).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M:%S +0000 UTC")


def _columns(policy: dict[str, Any], now: float) -> list[str]:
    spec = policy.get("spec") or {}
    return [
        policy["metadata"]["name"],
        format_label_selector(spec.get("podSelector") or {}),
        age(policy, now),
    ]


def _port_lines(ports: list[dict[str, Any]] | None) -> list[str]:
    """``To Port: 80/TCP``, ``To Port Range: 32000-32768/TCP``, or any port."""
    if not ports:
        return [f"{RULE_INDENT}To Port: <any> (traffic allowed to all ports)"]
    lines = []
    for port in ports:
        protocol = port.get("protocol") or "TCP"
        # IntOrString.String() of a nil pointer.
        number = "<nil>" if port.get("port") is None else str(port["port"])
        if port.get("endPort") is None:
            lines.append(f"{RULE_INDENT}To Port: {number}/{protocol}")
        else:
            lines.append(f"{RULE_INDENT}To Port Range: {number}-{port['endPort']}/{protocol}")
    return lines


def _peer_lines(peer: dict[str, Any], heading: str) -> list[str]:
    """One ``From:``/``To:`` entry: its selectors (namespace first when both) or IP block."""
    lines = [f"{RULE_INDENT}{heading}:"]
    pods, namespaces, block = peer.get("podSelector"), peer.get("namespaceSelector"), None
    inner = L1 + RULE_INDENT
    if namespaces is not None:
        lines.append(f"{inner}NamespaceSelector: {format_label_selector(namespaces)}")
    if pods is not None:
        lines.append(f"{inner}PodSelector: {format_label_selector(pods)}")
    if pods is None and namespaces is None:
        block = peer.get("ipBlock")
    if block is not None:
        excepts = ", ".join(str(e) for e in block.get("except") or [])
        lines.append(f"{inner}IPBlock:")
        lines.append(f"{L2}{RULE_INDENT}CIDR: {block.get('cidr') or ''}")
        lines.append(f"{L2}{RULE_INDENT}Except: {excepts}")
    return lines


def rule_lines(rules: list[dict[str, Any]] | None, direction: str) -> list[str]:
    """The rules of one direction (``ingress`` or ``egress``), separated by dashes."""
    heading, peers_field, unrestricted = (
        ("From", "from", "traffic not restricted by source")
        if direction == "ingress"
        else ("To", "to", "traffic not restricted by destination")
    )
    if not rules:
        return [f"{RULE_INDENT}<none> (Selected pods are isolated for {direction} connectivity)"]
    lines: list[str] = []
    for index, rule in enumerate(rules):
        lines.extend(_port_lines(rule.get("ports")))
        peers = rule.get(peers_field) or []
        if not peers:
            lines.append(f"{RULE_INDENT}{heading}: <any> ({unrestricted})")
        for peer in peers:
            lines.extend(_peer_lines(peer, heading))
        if index != len(rules) - 1:
            lines.append(f"{RULE_INDENT}----------")
    return lines


def describe_network_policy(policy: dict[str, Any], ctx: DescribeContext) -> str:
    md, spec = policy["metadata"], policy.get("spec") or {}
    out = [
        f"Name:\t{md['name']}",
        f"Namespace:\t{md.get('namespace', '')}",
        f"Created on:\t{go_time_string(md.get('creationTimestamp'))}",
    ]
    labels_multiline("Labels", md.get("labels"), out)
    annotations_multiline("Annotations", md.get("annotations"), out)
    out.append("Spec:")
    selector = spec.get("podSelector") or {}
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        shown = "<none> (Allowing the specific traffic to all pods in this namespace)"
    else:
        shown = format_label_selector(selector)
    # PodSelector is written at level 1 and its value at level 2, on the same line.
    out.append(f"{L1}PodSelector: {L2}{shown}")
    types = [str(t) for t in spec.get("policyTypes") or []]
    for direction, kind in (("ingress", "Ingress"), ("egress", "Egress")):
        if kind in types:
            out.append(f"{L1}Allowing {direction} traffic:")
            out.extend(rule_lines(spec.get(direction), direction))
        else:
            out.append(f"{L1}Not affecting {direction} traffic")
    out.append(f"{L1}Policy Types: {', '.join(types) or '<none>'}")
    return finish(out, None, ctx.now)


VIEW = KindView(
    "NetworkPolicy",
    TableSpec(("NAME", "POD-SELECTOR", "AGE"), _columns),
    describe_network_policy,
)
