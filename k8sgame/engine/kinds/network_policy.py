"""NetworkPolicy (networking.k8s.io/v1): which traffic may reach, or leave, the pods a
selector picks. The API server only stores policies; the network plugin enforces them (the
evaluation lives in ``network/policy.py``).

Defaults (``SetDefaults_NetworkPolicyPort``, ``SetDefaults_NetworkPolicy``): a port without
a protocol gets TCP; a policy without ``policyTypes`` gets [Ingress], plus Egress when it has
egress rules. The strategy gives a new policy generation 1 and counts every change of its
spec. ``spec.podSelector`` has no ``omitempty`` (an absent one reads back as ``{}``); the
lists and maps below it do, so empty ones are not stored. Validation
(``ValidateNetworkPolicy``) covers the selectors, each port (protocol, number or IANA name,
``endPort``), each peer (one kind of peer, ``ipBlock`` alone, CIDRs, ``except`` inside
``cidr``) and ``policyTypes`` (Ingress or Egress, at most two). The CIDR checks are the
non-strict ones (``StrictIPCIDRValidation`` is still alpha, off, in 1.35): any CIDR Go's
sloppy parser reads is accepted, host bits and leading zeros included."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from k8sgame.engine.api import names
from k8sgame.engine.api.meta import OBJECT_META, validate_labels
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import INT32, INT_OR_STRING, STRING, STRING_LIST, ListOf, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR
from k8sgame.engine.kinds.pod.validation import PORT_RANGE_MSG, port_name_problems
from k8sgame.engine.network.policy import EGRESS, INGRESS, parse_cidr

PROTOCOLS = ("TCP", "UDP", "SCTP")  # the order ValidateNetworkPolicyPort lists them in
POLICY_TYPES = (INGRESS, EGRESS)
CIDR_MSG = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"

NETWORK_POLICY_PORT = Struct(
    "NetworkPolicyPort", {"protocol": STRING, "port": INT_OR_STRING, "endPort": INT32}
)
IP_BLOCK = Struct("IPBlock", {"cidr": STRING, "except": STRING_LIST})
NETWORK_POLICY_PEER = Struct(
    "NetworkPolicyPeer",
    {"podSelector": LABEL_SELECTOR, "namespaceSelector": LABEL_SELECTOR, "ipBlock": IP_BLOCK},
)
NETWORK_POLICY_INGRESS_RULE = Struct(
    "NetworkPolicyIngressRule",
    {"ports": ListOf(NETWORK_POLICY_PORT), "from": ListOf(NETWORK_POLICY_PEER)},
)
NETWORK_POLICY_EGRESS_RULE = Struct(
    "NetworkPolicyEgressRule",
    {"ports": ListOf(NETWORK_POLICY_PORT), "to": ListOf(NETWORK_POLICY_PEER)},
)
NETWORK_POLICY = Struct(
    "NetworkPolicy",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "NetworkPolicySpec",
            {
                "podSelector": LABEL_SELECTOR,
                "ingress": ListOf(NETWORK_POLICY_INGRESS_RULE),
                "egress": ListOf(NETWORK_POLICY_EGRESS_RULE),
                "policyTypes": STRING_LIST,
            },
        ),
    },
)


# -- defaults and storage --------------------------------------------------------------------


def _rules(spec: dict[str, Any], field: str) -> list[dict[str, Any]]:
    return [rule for rule in spec.get(field) or [] if isinstance(rule, dict)]


def _drop_empty(obj: dict[str, Any], *fields: str) -> None:
    """``omitempty``: an empty list or map is not written back."""
    for field in fields:
        if field in obj and not obj[field]:
            del obj[field]


def _store_selector(selector: Any) -> None:
    if not isinstance(selector, dict):
        return
    for expr in selector.get("matchExpressions") or []:
        if isinstance(expr, dict):
            _drop_empty(expr, "values")
    _drop_empty(selector, "matchLabels", "matchExpressions")


def _store_rule(rule: dict[str, Any], peers_field: str) -> None:
    for peer in rule.get(peers_field) or []:
        if not isinstance(peer, dict):
            continue
        _store_selector(peer.get("podSelector"))
        _store_selector(peer.get("namespaceSelector"))
        if isinstance(peer.get("ipBlock"), dict):
            _drop_empty(peer["ipBlock"], "except")
    _drop_empty(rule, "ports", peers_field)


def default_network_policy(policy: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_NetworkPolicyPort`` for every port, then ``SetDefaults_NetworkPolicy``;
    empty lists and maps are dropped as the stored encoding drops them."""
    spec = policy.get("spec")
    if not isinstance(spec, dict):
        spec = policy["spec"] = {}
    for field in ("ingress", "egress"):
        for rule in _rules(spec, field):
            for port in rule.get("ports") or []:
                if isinstance(port, dict) and port.get("protocol") is None:
                    port["protocol"] = "TCP"
    if not spec.get("policyTypes"):
        spec["policyTypes"] = [INGRESS, EGRESS] if spec.get("egress") else [INGRESS]
    if not isinstance(spec.get("podSelector"), dict):
        spec["podSelector"] = {}
    _store_selector(spec["podSelector"])
    for field, peers in (("ingress", "from"), ("egress", "to")):
        for rule in _rules(spec, field):
            _store_rule(rule, peers)
    _drop_empty(spec, "ingress", "egress")
    policy["spec"] = _in_field_order(spec, NETWORK_POLICY.fields["spec"])


def _in_field_order(value: Any, schema: Any) -> Any:
    """``value`` with its keys in the Go structs' field order, as the API server encodes it."""
    if isinstance(schema, ListOf) and isinstance(value, list):
        return [_in_field_order(item, schema.item) for item in value]
    if not isinstance(schema, Struct) or not isinstance(value, dict):
        return value
    known = [(k, _in_field_order(value[k], sub)) for k, sub in schema.fields.items() if k in value]
    return dict(known + [(k, v) for k, v in value.items() if k not in schema.fields])


# -- validation ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidationOptions:
    """``NetworkPolicyValidationOptions``: what an update may keep from the old object."""

    allow_invalid_label_value_in_selector: bool = False
    allow_cidrs_even_if_invalid: tuple[str, ...] = ()


def validate_label_selector(
    selector: Any, path: str, allow_invalid_values: bool = False
) -> list[FieldError]:
    """apimachinery's ``ValidateLabelSelector`` (and ``ValidateLabelSelectorRequirement``)."""
    if not isinstance(selector, dict):
        return []
    errors = validate_labels(selector.get("matchLabels") or {}, f"{path}.matchLabels")
    for index, expr in enumerate(selector.get("matchExpressions") or []):
        expr_path = f"{path}.matchExpressions[{index}]"
        operator = expr.get("operator") or ""
        values = [str(v) for v in expr.get("values") or []]
        if operator in ("In", "NotIn"):
            if not values:
                errors.append(
                    required(
                        f"{expr_path}.values",
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    )
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errors.append(
                    forbidden(
                        f"{expr_path}.values",
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errors.append(
                invalid(f"{expr_path}.operator", operator, "not a valid selector operator")
            )
        key = str(expr.get("key") or "")
        errors.extend(invalid(f"{expr_path}.key", key, m) for m in names.qualified_name(key))
        if not allow_invalid_values:
            for number, value in enumerate(values):
                errors.extend(
                    invalid(f"{expr_path}.values[{number}]", value, m)
                    for m in names.label_value(value)
                )
    return errors


def _port_number_problems(value: int) -> list[str]:
    """``IsValidPortNum``."""
    return [] if 1 <= value <= 65535 else [PORT_RANGE_MSG]


def validate_port(port: dict[str, Any], path: str) -> list[FieldError]:
    """``ValidateNetworkPolicyPort``."""
    errors: list[FieldError] = []
    protocol = port.get("protocol")
    if protocol is not None and protocol not in PROTOCOLS:
        errors.append(not_supported(f"{path}.protocol", protocol, PROTOCOLS))
    number, end = port.get("port"), port.get("endPort")
    if isinstance(number, int):
        errors.extend(invalid(f"{path}.port", number, m) for m in _port_number_problems(number))
        if end is not None:
            if end < number:
                errors.append(
                    invalid(f"{path}.endPort", end, "must be greater than or equal to `port`")
                )
            errors.extend(invalid(f"{path}.endPort", end, m) for m in _port_number_problems(end))
    elif isinstance(number, str):
        if end is not None:
            errors.append(
                invalid(f"{path}.endPort", end, "may not be specified when `port` is non-numeric")
            )
        errors.extend(invalid(f"{path}.port", number, m) for m in port_name_problems(number))
    elif end is not None:
        errors.append(
            invalid(f"{path}.endPort", end, "may not be specified when `port` is not specified")
        )
    return errors


def _cidr_errors(value: str, path: str, opts: ValidationOptions) -> list[FieldError]:
    """``IsValidCIDRForLegacyField`` without strict validation: Go's sloppy parser must
    read it; values the old object had pass as they are."""
    if value in opts.allow_cidrs_even_if_invalid or parse_cidr(value) is not None:
        return []
    return [invalid(path, value, CIDR_MSG)]


def validate_ip_block(
    block: dict[str, Any], path: str, opts: ValidationOptions
) -> list[FieldError]:
    """``ValidateIPBlock``: a CIDR, and each ``except`` a strictly smaller block inside it."""
    cidr_text = str(block.get("cidr") or "")
    if not cidr_text:
        return [required(f"{path}.cidr")]
    errors = _cidr_errors(cidr_text, f"{path}.cidr", opts)
    cidr = parse_cidr(cidr_text)
    if cidr is None:
        return errors
    for index, text in enumerate(block.get("except") or []):
        except_path = f"{path}.except[{index}]"
        errors.extend(_cidr_errors(str(text), except_path, opts))
        inner = parse_cidr(str(text))
        if inner is None:
            continue
        inside = inner.version == cidr.version and inner.network_address in cidr
        if not inside or cidr.prefixlen >= inner.prefixlen:
            errors.append(invalid(except_path, text, "must be a strict subset of `cidr`"))
    return errors


def validate_peer(peer: dict[str, Any], path: str, opts: ValidationOptions) -> list[FieldError]:
    """``ValidateNetworkPolicyPeer``: at least one peer, and ``ipBlock`` on its own."""
    errors: list[FieldError] = []
    count = 0
    for field in ("podSelector", "namespaceSelector"):
        if peer.get(field) is not None:
            count += 1
            errors.extend(
                validate_label_selector(
                    peer[field], f"{path}.{field}", opts.allow_invalid_label_value_in_selector
                )
            )
    block = peer.get("ipBlock")
    if block is not None:
        count += 1
        errors.extend(validate_ip_block(block, f"{path}.ipBlock", opts))
    if count == 0:
        errors.append(required(path, "must specify a peer"))
    elif count > 1 and block is not None:
        errors.append(forbidden(path, "may not specify both ipBlock and another peer"))
    return errors


def validate_spec(spec: dict[str, Any], opts: ValidationOptions) -> list[FieldError]:
    """``ValidateNetworkPolicySpec``, in upstream's order. Duplicated policyTypes are not
    refused upstream, so they are accepted here too."""
    errors = validate_label_selector(
        spec.get("podSelector"), "spec.podSelector", opts.allow_invalid_label_value_in_selector
    )
    for field, peers_field in (("ingress", "from"), ("egress", "to")):
        for index, rule in enumerate(spec.get(field) or []):
            rule_path = f"spec.{field}[{index}]"
            for number, port in enumerate(rule.get("ports") or []):
                errors.extend(validate_port(port, f"{rule_path}.ports[{number}]"))
            for number, peer in enumerate(rule.get(peers_field) or []):
                errors.extend(validate_peer(peer, f"{rule_path}.{peers_field}[{number}]", opts))
    types = spec.get("policyTypes") or []
    if len(types) > len(POLICY_TYPES):
        errors.append(
            invalid("spec.policyTypes", types, "may not specify more than two policyTypes")
        )
        return errors
    for index, kind in enumerate(types):
        if kind not in POLICY_TYPES:
            errors.append(not_supported(f"spec.policyTypes[{index}]", kind, POLICY_TYPES))
    return errors


def validate_network_policy(policy: dict[str, Any]) -> list[FieldError]:
    """``ValidateNetworkPolicy`` with the create options (``ValidationOptionsForNetworking``
    with no old object); the metadata is checked by the store."""
    return validate_spec(policy.get("spec") or {}, ValidationOptions())


def _old_cidrs(old_spec: dict[str, Any]) -> tuple[str, ...]:
    """Every ``cidr`` and ``except`` of the old policy (``ValidateNetworkPolicyUpdate``)."""
    found: list[str] = []
    for field, peers_field in (("ingress", "from"), ("egress", "to")):
        for rule in old_spec.get(field) or []:
            for peer in rule.get(peers_field) or []:
                block = peer.get("ipBlock")
                if isinstance(block, dict):
                    found.append(str(block.get("cidr") or ""))
                    found.extend(str(e) for e in block.get("except") or [])
    return tuple(found)


def validate_network_policy_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """The strategy's ValidateUpdate: ``ValidateNetworkPolicy`` then
    ``ValidateNetworkPolicyUpdate`` (which checks the spec again, keeping the old CIDRs), both
    with ``ValidationOptionsForNetworking``: an old pod selector with invalid values lets the
    new one keep such values."""
    old_spec = old.get("spec") or {}
    lenient = bool(validate_label_selector(old_spec.get("podSelector"), "spec.podSelector"))
    opts = ValidationOptions(allow_invalid_label_value_in_selector=lenient)
    spec = new.get("spec") or {}
    with_old_cidrs = ValidationOptions(lenient, _old_cidrs(old_spec))
    errors = validate_spec(spec, opts) + validate_spec(spec, with_old_cidrs)
    # The spec is checked twice upstream; the Invalid message (ErrorList.ToAggregate) and
    # kubectl's list of causes show each distinct error once.
    unique: dict[str, FieldError] = {}
    for error in errors:
        unique.setdefault(str(error), error)
    return list(unique.values())


NETWORK_POLICY_KIND = KindInfo(
    kind="NetworkPolicy",
    group="networking.k8s.io",
    version="v1",
    plural="networkpolicies",
    namespaced=True,
    schema=NETWORK_POLICY,
    short_names=("netpol",),
    defaulter=default_network_policy,
    validator=validate_network_policy,
    update_validator=validate_network_policy_update,
    status_subresource=False,
)
