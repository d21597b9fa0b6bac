"""Ingress (networking.k8s.io/v1): HTTP routes from outside the cluster to Services, by host
and path, served by whichever controller implements the Ingress's class.

networking/v1 has no defaults for an Ingress (``pathType`` in particular is required, not
defaulted). When an Ingress is created without ``spec.ingressClassName`` and without the
deprecated ``kubernetes.io/ingress.class`` annotation, the DefaultIngressClass admission
plugin (``plugin/pkg/admission/network/defaultingressclass``) writes the name of the
IngressClass marked ``ingressclass.kubernetes.io/is-default-class: "true"``; when several
are marked it takes the newest (the name that sorts first on a tie), as ``getDefaultClass``
does since the plugin stopped refusing such Ingresses. The strategy clears the status on
create (``loadBalancer: {}``), keeps it on update (status subresource), gives generation 1
and counts every spec change, and warns on create about the deprecated annotation when no
class name is set (``WarningsOnCreate``).

Validation (``ValidateIngressCreate``, ``ValidateIngressSpec``): a default backend or rules;
each backend names exactly one of a Service (a DNS-1035 name and exactly one of a port name
or number) or a typed resource; each rule host is a DNS subdomain, optionally with one
leading ``*`` label, never an IP address; each HTTP path has a ``pathType`` (Exact, Prefix or
ImplementationSpecific) and an absolute path, Exact and Prefix ones without ``//``, ``/./``,
``/../``, ``%2f`` or a trailing ``/.`` or ``/..``; TLS hosts are (wildcard) DNS subdomains
and secret names DNS subdomains; the class name is a DNS subdomain and must agree with the
annotation when both are given. An update keeps accepting an invalid TLS secret name or
invalid wildcard-host rules the stored Ingress already had (``ValidateIngressUpdate``)."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1035_label, dns1123_subdomain, max_len_error, regex_error
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import INT32, STRING, STRING_LIST, ListOf, Struct
from k8sgame.engine.errors import FieldError, invalid, not_supported, required
from k8sgame.engine.kinds.ingress_class import is_default_class, local_reference_errors
from k8sgame.engine.kinds.pod.validation import PORT_RANGE_MSG, port_name_problems

# networking/v1beta1 AnnotationIngressClass: the class, before spec.ingressClassName.
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
EXACT, PREFIX, IMPLEMENTATION_SPECIFIC = "Exact", "Prefix", "ImplementationSpecific"
# supportedPathTypes.List(): sorted.
PATH_TYPES = (EXACT, IMPLEMENTATION_SPECIFIC, PREFIX)
INVALID_PATH_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
INVALID_PATH_SUFFIXES = ("/..", "/.")
# apimachinery wildcardDNS1123SubdomainFmt / ErrMsg (RFC 1034 section 4.3.3).
WILDCARD_FMT = r"\*\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*"
WILDCARD_MSG = (
    "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, "
    "which must consist of lower case alphanumeric characters, '-' or '.' and end with an "
    "alphanumeric character"
)
_WILDCARD = re.compile(WILDCARD_FMT)
_IPV4_SLOPPY = re.compile(r"[0-9]+(\.[0-9]+){3}")
DEPRECATED_ANNOTATION_WARNING = (
    f"annotation \"{CLASS_ANNOTATION}\" is deprecated, please use 'spec.ingressClassName' instead"
)

SERVICE_BACKEND_PORT = Struct("ServiceBackendPort", {"name": STRING, "number": INT32})
TYPED_LOCAL_OBJECT_REFERENCE = Struct(
    "TypedLocalObjectReference", {"apiGroup": STRING, "kind": STRING, "name": STRING}
)
INGRESS_BACKEND = Struct(
    "IngressBackend",
    {
        "service": Struct("IngressServiceBackend", {"name": STRING, "port": SERVICE_BACKEND_PORT}),
        "resource": TYPED_LOCAL_OBJECT_REFERENCE,
    },
)
HTTP_INGRESS_PATH = Struct(
    "HTTPIngressPath", {"path": STRING, "pathType": STRING, "backend": INGRESS_BACKEND}
)
INGRESS_RULE = Struct(
    "IngressRule",
    {
        "host": STRING,
        "http": Struct("HTTPIngressRuleValue", {"paths": ListOf(HTTP_INGRESS_PATH)}),
    },
)
INGRESS_LOAD_BALANCER_INGRESS = Struct(
    "IngressLoadBalancerIngress",
    {
        "ip": STRING,
        "hostname": STRING,
        "ports": ListOf(
            Struct("IngressPortStatus", {"port": INT32, "protocol": STRING, "error": STRING})
        ),
    },
)
INGRESS = Struct(
    "Ingress",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "IngressSpec",
            {
                "ingressClassName": STRING,
                "defaultBackend": INGRESS_BACKEND,
                "tls": ListOf(Struct("IngressTLS", {"hosts": STRING_LIST, "secretName": STRING})),
                "rules": ListOf(INGRESS_RULE),
            },
        ),
        "status": Struct(
            "IngressStatus",
            {
                "loadBalancer": Struct(
                    "IngressLoadBalancerStatus",
                    {"ingress": ListOf(INGRESS_LOAD_BALANCER_INGRESS)},
                )
            },
        ),
    },
)


@dataclass(frozen=True)
class _Options:
    """``IngressValidationOptions``: what an update tolerates because the stored Ingress
    already had it."""

    allow_invalid_secret_name: bool = False
    allow_invalid_wildcard_host_rule: bool = False


def wildcard_subdomain_problems(value: str) -> list[str]:
    """``IsWildcardDNS1123Subdomain``: ``*.`` followed by a DNS subdomain."""
    problems = []
    if len(value) > 253:
        problems.append(max_len_error(253))
    if not _WILDCARD.fullmatch(value):
        problems.append(regex_error(WILDCARD_MSG, WILDCARD_FMT, "*.example.com"))
    return problems


def parses_as_ip(text: str) -> bool:
    """``netutils.ParseIPSloppy`` succeeds: a dotted quad (leading zeros allowed) or IPv6."""
    if _IPV4_SLOPPY.fullmatch(text):
        return all(int(part) <= 255 for part in text.split("."))
    if ":" not in text:
        return False
    try:
        ipaddress.IPv6Address(text)
    except ValueError:
        return False
    return True


def _service_backend_errors(service: dict[str, Any], path: str) -> list[FieldError]:
    """The Service half of ``validateIngressBackend`` (the RelaxedServiceNameValidation
    gate is off in 1.35: Service names are DNS-1035 labels)."""
    errors: list[FieldError] = []
    name = str(service.get("name") or "")
    if not name:
        errors.append(required(f"{path}.service.name"))
    else:
        errors.extend(invalid(f"{path}.service.name", name, m) for m in dns1035_label(name))
    port = service.get("port") or {}
    port_name, number = str(port.get("name") or ""), int(port.get("number") or 0)
    if port_name and number:
        errors.append(invalid(path, "", "cannot set both port name & port number"))
    elif port_name:
        errors.extend(
            invalid(f"{path}.service.port.name", port_name, m)
            for m in port_name_problems(port_name)
        )
    elif number:
        if not 1 <= number <= 65535:
            errors.append(invalid(f"{path}.service.port.number", number, PORT_RANGE_MSG))
    else:
        errors.append(required(path, "port name or number is required"))
    return errors


def validate_backend(backend: dict[str, Any], path: str) -> list[FieldError]:
    """``validateIngressBackend``: exactly one of a Service or a typed resource."""
    service, resource = backend.get("service"), backend.get("resource")
    if service is not None and resource is not None:
        return [invalid(path, "", "cannot set both resource and service backends")]
    if resource is not None:
        return local_reference_errors(resource, f"{path}.resource")
    if service is not None:
        return _service_backend_errors(service, path)
    return [invalid(path, "", "resource or service backend is required")]


def _path_value_errors(http_path: dict[str, Any], path: str) -> list[FieldError]:
    """The path checks of ``validateHTTPIngressPath`` for a known ``pathType``."""
    value = str(http_path.get("path") or "")
    kind = http_path.get("pathType")
    if kind == IMPLEMENTATION_SPECIFIC:
        if value and not value.startswith("/"):
            return [invalid(f"{path}.path", value, "must be an absolute path")]
        return []
    errors = []
    if not value.startswith("/"):
        errors.append(invalid(f"{path}.path", value, "must be an absolute path"))
    for sequence in INVALID_PATH_SEQUENCES:
        if sequence in value:
            errors.append(invalid(f"{path}.path", value, f"must not contain '{sequence}'"))
    for suffix in INVALID_PATH_SUFFIXES:
        if value.endswith(suffix):
            errors.append(invalid(f"{path}.path", value, f"cannot end with '{suffix}'"))
    return errors


def validate_http_path(http_path: dict[str, Any], path: str) -> list[FieldError]:
    """``validateHTTPIngressPath``: a missing ``pathType`` is the only error reported."""
    kind = http_path.get("pathType")
    if kind is None:
        return [required(f"{path}.pathType", "pathType must be specified")]
    if kind in PATH_TYPES:
        errors = _path_value_errors(http_path, path)
    else:
        errors = [not_supported(f"{path}.pathType", kind, PATH_TYPES)]
    return errors + validate_backend(http_path.get("backend") or {}, f"{path}.backend")


def rule_value_errors(rule: dict[str, Any], path: str) -> list[FieldError]:
    """``validateIngressRuleValue``: the HTTP paths, when the rule has an ``http`` part."""
    http = rule.get("http")
    if http is None:
        return []
    paths = http.get("paths") or []
    errors = [] if paths else [required(f"{path}.http.paths")]
    for index, http_path in enumerate(paths):
        errors.extend(validate_http_path(http_path or {}, f"{path}.http.paths[{index}]"))
    return errors


def host_errors(host: str, path: str) -> list[FieldError]:
    """A rule's host: a DNS name (not an IP), a wildcard one when it holds a ``*``."""
    errors = []
    if parses_as_ip(host):
        errors.append(invalid(path, host, "must be a DNS name, not an IP address"))
    check = wildcard_subdomain_problems if "*" in host else dns1123_subdomain
    errors.extend(invalid(path, host, msg) for msg in check(host))
    return errors


def _validate_rules(rules: list[Any], options: _Options) -> list[FieldError]:
    """``validateIngressRules``."""
    errors: list[FieldError] = []
    for index, rule in enumerate(rules):
        rule = rule or {}
        path = f"spec.rules[{index}]"
        host = str(rule.get("host") or "")
        if host:
            errors.extend(host_errors(host, f"{path}.host"))
        if "*" not in host or not options.allow_invalid_wildcard_host_rule:
            errors.extend(rule_value_errors(rule, path))
    return errors


def _validate_tls(tls: list[Any], options: _Options) -> list[FieldError]:
    """``validateIngressTLS``."""
    errors: list[FieldError] = []
    for index, entry in enumerate(tls):
        entry = entry or {}
        for number, host in enumerate(entry.get("hosts") or []):
            check = wildcard_subdomain_problems if "*" in host else dns1123_subdomain
            errors.extend(
                invalid(f"spec.tls[{index}].hosts[{number}]", host, m) for m in check(host)
            )
        secret = str(entry.get("secretName") or "")
        if secret and not options.allow_invalid_secret_name:
            errors.extend(
                invalid(f"spec.tls[{index}].secretName", secret, m)
                for m in dns1123_subdomain(secret)
            )
    return errors


def validate_ingress_spec(spec: dict[str, Any], options: _Options) -> list[FieldError]:
    """``ValidateIngressSpec``, in upstream's order."""
    errors: list[FieldError] = []
    rules, default = spec.get("rules"), spec.get("defaultBackend")
    if not rules and default is None:
        errors.append(
            invalid("spec", rules, "either `defaultBackend` or `rules` must be specified")
        )
    if default is not None:
        errors.extend(validate_backend(default, "spec.defaultBackend"))
    if rules:
        errors.extend(_validate_rules(rules, options))
    if spec.get("tls"):
        errors.extend(_validate_tls(spec["tls"], options))
    class_name = spec.get("ingressClassName")
    if class_name is not None:
        errors.extend(
            invalid("spec.ingressClassName", class_name, m)
            for m in dns1123_subdomain(str(class_name))
        )
    return errors


def validate_ingress(ingress: dict[str, Any]) -> list[FieldError]:
    """``ValidateIngressCreate`` (the metadata is checked by the store): the spec, then the
    class annotation against ``ingressClassName`` when both are set."""
    spec = ingress.get("spec") or {}
    errors = validate_ingress_spec(spec, _Options())
    annotations = (ingress.get("metadata") or {}).get("annotations") or {}
    class_name = spec.get("ingressClassName")
    if CLASS_ANNOTATION in annotations and class_name is not None:
        if annotations[CLASS_ANNOTATION] != class_name:
            errors.append(
                invalid(
                    f"annotations.{CLASS_ANNOTATION}",
                    annotations[CLASS_ANNOTATION],
                    "must match `ingressClassName` when both are specified",
                )
            )
    return errors


def _update_options(old: dict[str, Any]) -> _Options:
    """``allowInvalidSecretName`` and ``allowInvalidWildcardHostRule`` of the stored Ingress."""
    spec = old.get("spec") or {}
    bad_secret = any(
        dns1123_subdomain(str((entry or {}).get("secretName")))
        for entry in spec.get("tls") or []
        if (entry or {}).get("secretName")
    )
    bad_wildcard = any(
        "*" in str((rule or {}).get("host") or "") and rule_value_errors(rule or {}, "")
        for rule in spec.get("rules") or []
    )
    return _Options(bad_secret, bad_wildcard)


def validate_ingress_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateIngressUpdate``: the spec with what the stored Ingress already got away
    with; the annotation check is for creation only."""
    return validate_ingress_spec(new.get("spec") or {}, _update_options(old))


def default_class_name(ctx: AdmissionContext) -> str | None:
    """``getDefaultClass``: the newest IngressClass marked default (on equal creation times,
    the name that sorts first), or None."""
    if ctx.store.registry.get("IngressClass") is None:
        return None
    defaults = [c for c in ctx.store.list("IngressClass") if is_default_class(c)]
    if not defaults:
        return None
    by_name = sorted(defaults, key=lambda c: str(c["metadata"]["name"]))
    # max keeps the first of equals: the name that sorts first among the newest.
    newest = max(by_name, key=lambda c: str(c["metadata"].get("creationTimestamp") or ""))
    return str(newest["metadata"]["name"])


def prepare_ingress(ingress: dict[str, Any], ctx: AdmissionContext) -> None:
    """The DefaultIngressClass admission plugin (create only), then the strategy's
    PrepareForCreate: an empty status."""
    spec = ingress.setdefault("spec", {})
    annotations = (ingress.get("metadata") or {}).get("annotations") or {}
    if spec.get("ingressClassName") is None and CLASS_ANNOTATION not in annotations:
        name = default_class_name(ctx)
        if name is not None:
            spec["ingressClassName"] = name
    ingress["status"] = {"loadBalancer": {}}


def ingress_create_warnings(ingress: dict[str, Any]) -> list[str]:
    """``WarningsOnCreate``: the class annotation without ``spec.ingressClassName``."""
    annotations = (ingress.get("metadata") or {}).get("annotations") or {}
    if (
        CLASS_ANNOTATION in annotations
        and (ingress.get("spec") or {}).get("ingressClassName") is None
    ):
        return [DEPRECATED_ANNOTATION_WARNING]
    return []


INGRESS_KIND = KindInfo(
    kind="Ingress",
    group="networking.k8s.io",
    version="v1",
    plural="ingresses",
    namespaced=True,
    schema=INGRESS,
    short_names=("ing",),
    prepare_create=prepare_ingress,
    validator=validate_ingress,
    update_validator=validate_ingress_update,
    create_warnings=ingress_create_warnings,
)
