"""IngressClass (networking.k8s.io/v1, cluster-scoped): names the controller that serves the
Ingresses of a class, and optionally where that controller's own settings live.

Defaults (``SetDefaults_IngressClass``): a ``parameters`` reference without a scope gets
scope Cluster. Validation (``ValidateIngressClass``): ``spec.controller`` is required, at most
250 bytes and a domain-prefixed path (``example.com/ingress-nginx``); the parameters reference
needs a kind and a name, a scope of Cluster or Namespace, and a namespace exactly when the
scope is Namespace. The controller cannot change after creation
(``validateIngressClassSpecUpdate``). The strategy gives a new class generation 1 and counts
each spec change; there is no status.

The ``ingressclass.kubernetes.io/is-default-class: "true"`` annotation marks the class an
Ingress created without one is given (the DefaultIngressClass admission plugin, modelled in
``ingress.py``)."""

from __future__ import annotations

import re
from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.names import dns1123_label, dns1123_subdomain, regex_error
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import STRING, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required

# networking/v1 AnnotationIsDefaultIngressClass.
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
# validation.go maxLenIngressClassController.
MAX_CONTROLLER_BYTES = 250
SCOPE_CLUSTER, SCOPE_NAMESPACE = "Cluster", "Namespace"
SCOPES = (SCOPE_CLUSTER, SCOPE_NAMESPACE)
# apimachinery httpPathFmt: the characters RFC 3986 allows in an HTTP path.
HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH = re.compile(HTTP_PATH_FMT)
DOMAIN_PREFIXED_MSG = 'must be a domain-prefixed path (such as "acme.io/foo")'

PARAMETERS_REFERENCE = Struct(
    "IngressClassParametersReference",
    {
        "apiGroup": STRING,
        "kind": STRING,
        "name": STRING,
        "scope": STRING,
        "namespace": STRING,
    },
)
INGRESS_CLASS = Struct(
    "IngressClass",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "IngressClassSpec", {"controller": STRING, "parameters": PARAMETERS_REFERENCE}
        ),
    },
)


def is_default_class(ingress_class: dict[str, Any]) -> bool:
    """The class carries the default-class annotation with the value ``"true"`` exactly."""
    annotations = (ingress_class.get("metadata") or {}).get("annotations") or {}
    return annotations.get(DEFAULT_CLASS_ANNOTATION) == "true"


def default_ingress_class(ingress_class: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_IngressClass``: a parameters reference is cluster-scoped unless told."""
    params = (ingress_class.get("spec") or {}).get("parameters")
    if isinstance(params, dict) and params.get("scope") is None:
        params["scope"] = SCOPE_CLUSTER


def path_segment_problems(name: str) -> list[str]:
    """``content.IsPathSegmentName``: a name that can stand alone in a URL path."""
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{bad}'" for bad in ("/", "%") if bad in name]


def domain_prefixed_path_errors(path: str, value: str) -> list[FieldError]:
    """``IsDomainPrefixedPath``: a DNS subdomain, a ``/`` and a non-empty HTTP path."""
    if not value:
        return [required(path)]
    host, slash, rest = value.partition("/")
    if not slash or not host or not rest:
        return [invalid(path, value, DOMAIN_PREFIXED_MSG)]
    errors = [invalid(path, host, msg) for msg in dns1123_subdomain(host)]
    if not _HTTP_PATH.fullmatch(rest):
        errors.append(invalid(path, rest, regex_error("Invalid path", HTTP_PATH_FMT)))
    return errors


def local_reference_errors(ref: dict[str, Any], path: str) -> list[FieldError]:
    """The checks ``validateIngressTypedLocalObjectReference`` and
    ``validateIngressClassParametersReference`` share: an API group that is a DNS subdomain
    when given (an empty one too), and a required kind and name usable in a URL path."""
    errors: list[FieldError] = []
    group = ref.get("apiGroup")
    if group is not None:
        errors.extend(invalid(f"{path}.apiGroup", group, m) for m in dns1123_subdomain(group))
    for field in ("kind", "name"):
        value = str(ref.get(field) or "")
        if not value:
            errors.append(required(f"{path}.{field}"))
        else:
            errors.extend(
                invalid(f"{path}.{field}", value, m) for m in path_segment_problems(value)
            )
    return errors


def _parameters_errors(params: dict[str, Any], path: str) -> list[FieldError]:
    """``validateIngressClassParametersReference``."""
    errors = local_reference_errors(params, path)
    scope = params.get("scope")
    if scope is None:
        errors.append(required(f"{path}.scope"))
        return errors
    namespace = params.get("namespace")
    if scope not in SCOPES:
        errors.append(not_supported(f"{path}.scope", scope, SCOPES))
    elif scope == SCOPE_NAMESPACE:
        if namespace is None:
            errors.append(required(f"{path}.namespace", "`parameters.scope` is set to 'Namespace'"))
        else:
            errors.extend(
                invalid(f"{path}.namespace", namespace, m) for m in dns1123_label(namespace)
            )
    elif namespace is not None:
        errors.append(forbidden(f"{path}.namespace", "`parameters.scope` is set to 'Cluster'"))
    return errors


def validate_ingress_class(ingress_class: dict[str, Any]) -> list[FieldError]:
    """``ValidateIngressClass`` (the metadata is checked by the store)."""
    spec = ingress_class.get("spec") or {}
    errors: list[FieldError] = []
    controller = str(spec.get("controller") or "")
    if not controller:
        errors.append(required("spec.controller"))
    else:
        if len(controller.encode()) > MAX_CONTROLLER_BYTES:
            errors.append(
                FieldError(
                    "TooLong",
                    "spec.controller",
                    detail=f"must have at most {MAX_CONTROLLER_BYTES} bytes",
                )
            )
        errors.extend(domain_prefixed_path_errors("spec.controller", controller))
    params = spec.get("parameters")
    if isinstance(params, dict):
        errors.extend(_parameters_errors(params, "spec.parameters"))
    return errors


def validate_ingress_class_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidateIngressClassUpdate``: the controller is immutable, then the new class is
    validated as on create."""
    errors: list[FieldError] = []
    controller = (new.get("spec") or {}).get("controller") or ""
    if controller != ((old.get("spec") or {}).get("controller") or ""):
        errors.append(invalid("spec.controller", controller, "field is immutable"))
    return errors + validate_ingress_class(new)


INGRESS_CLASS_KIND = KindInfo(
    kind="IngressClass",
    group="networking.k8s.io",
    version="v1",
    plural="ingressclasses",
    namespaced=False,
    schema=INGRESS_CLASS,
    defaulter=default_ingress_class,
    validator=validate_ingress_class,
    update_validator=validate_ingress_class_update,
    status_subresource=False,
)
