"""Which backend an Ingress controller sends an HTTP request to: a pure function over the
Ingresses the controller serves (already filtered by class) and a request's host and path.

The rules are the Ingress API's (``networking/v1`` ``IngressRule``, ``PathType``) with the
choices the API leaves to the controller made as ingress-nginx makes them
(``internal/ingress/controller/controller.go`` ``createServers``/``getBackendServers``,
``updateServerLocations``; ``store.go`` ``sortIngressSlice``):

* **Order of Ingresses.** Oldest ``creationTimestamp`` first; on equal timestamps the
  ``namespace/name`` that sorts *last* comes first (``sortIngressSlice`` compares with ``>``).
  When two Ingresses define the same host, path and path type, the first in this order wins.
* **Host.** The request's ``Host`` (lower-cased, port removed) picks one server: the rules
  whose host equals it; else the rules whose wildcard host matches it (``*.foo.com`` matches
  ``bar.foo.com``, exactly one extra label, as the API defines it — nginx's own
  ``server_name`` wildcards would also take deeper names); else the catch-all server holding
  the rules without a host. Only that server's paths are looked at.
* **Path.** ``Exact`` matches the request path exactly (case-sensitive). ``Prefix`` matches
  element by element on ``/`` with a trailing slash ignored: ``/foo`` and ``/foo/`` both
  match ``/foo``, ``/foo/`` and ``/foo/bar``, never ``/foobar``. ``ImplementationSpecific``
  is what ingress-nginx makes of it without ``use-regex``: a plain nginx prefix location, a
  character-wise prefix, so ``/foo`` also matches ``/foobar`` (only ``Prefix`` paths get
  ingress-nginx's element-wise rewrite); an empty one is ``/``.
* **Precedence.** A matching Exact path wins (it equals the whole request path, and nginx
  answers ``=`` locations first); otherwise the longest path as written (so ``/foo/`` beats
  ``/foo``, as the API's PathType documentation says), then Prefix over
  ImplementationSpecific, then the Ingress order.
* **Fallback.** With no matching path the server's root answers: for a host's server, the
  ``defaultBackend`` of the first Ingress that has a rule for that host; for the catch-all
  server, the ``defaultBackend`` of the first Ingress that has no rules at all. Without one
  the controller's own default backend answers 404: ``route`` returns None.

The request path is taken up to ``?`` or ``#`` with repeated slashes merged (nginx's
``merge_slashes``); percent-escapes are compared as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

EXACT, PREFIX, IMPLEMENTATION_SPECIFIC = "Exact", "Prefix", "ImplementationSpecific"
# Tie-break between equally long paths (Exact is handled before length).
_TYPE_RANK = {EXACT: 0, PREFIX: 1, IMPLEMENTATION_SPECIFIC: 2}
_SLASHES = re.compile("/{2,}")


@dataclass(frozen=True)
class ResourceRef:
    """A typed resource backend (``TypedLocalObjectReference``) in the Ingress's namespace."""

    kind: str
    name: str
    api_group: str | None = None


@dataclass(frozen=True)
class IngressRoute:
    """Where a request goes: the Ingress that decided it, the backend (a Service name and
    port — a number or a port name — or a resource), and what matched: the rule host
    (``""`` for the catch-all server) and the path and path type, both None when the
    request fell through to a ``defaultBackend``."""

    namespace: str
    ingress: str
    service: str | None
    port: int | str | None
    resource: ResourceRef | None
    host: str
    path: str | None
    path_type: str | None

    @property
    def from_default_backend(self) -> bool:
        """The request matched no path and went to an Ingress's ``defaultBackend``."""
        return self.path is None


@dataclass(frozen=True)
class _Candidate:
    order: int
    ingress: Mapping[str, Any]
    host: str
    path: str
    path_type: str
    backend: Mapping[str, Any]


def request_host(host: str) -> str:
    """The ``Host`` header as server names are compared: lower case, without a port."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    name, colon, port = host.rpartition(":")
    return name if colon and port.isdigit() else host


def request_path(path: str) -> str:
    """The path of a request target: up to ``?`` or ``#``, absolute, slashes merged."""
    path = re.split("[?#]", path, maxsplit=1)[0]
    return _SLASHES.sub("/", "/" + path.lstrip("/")) if path else "/"


def host_matches(rule_host: str, host: str) -> bool:
    """A rule host against a request host: equal, or a wildcard ``*.suffix`` whose suffix
    is the request host without its first label (one label only)."""
    if not rule_host.startswith("*."):
        return rule_host == host
    first, dot, rest = host.partition(".")
    return bool(first) and bool(dot) and rest == rule_host[2:]


def path_matches(path_type: str, rule_path: str, path: str) -> bool:
    """Whether a rule path of the given type matches a (normalized) request path."""
    if path_type == EXACT:
        return rule_path == path
    if path_type == PREFIX:
        base = rule_path.rstrip("/")
        return not base or path == base or path.startswith(base + "/")
    return path.startswith(rule_path or "/")


def _ordered(ingresses: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``sortIngressSlice``: oldest first; ties by ``namespace/name``, descending."""

    def key_name(ing: Mapping[str, Any]) -> str:
        md = ing.get("metadata") or {}
        return f"{md.get('namespace') or ''}/{md.get('name') or ''}"

    by_name = sorted(ingresses, key=key_name, reverse=True)
    return sorted(
        by_name, key=lambda ing: str((ing.get("metadata") or {}).get("creationTimestamp") or "")
    )


def _rules(ingress: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [r or {} for r in (ingress.get("spec") or {}).get("rules") or []]


def _server_host(ordered: list[Mapping[str, Any]], host: str) -> str:
    """The rule host of the server that takes the request: an exact one, else a wildcard
    one, else ``""`` (the catch-all server)."""
    hosts = {str(rule.get("host") or "") for ing in ordered for rule in _rules(ing)}
    if host in hosts:
        return host
    wildcard = next((h for h in sorted(hosts) if h.startswith("*.") and host_matches(h, host)), "")
    return wildcard


def _candidates(ordered: list[Mapping[str, Any]], server: str) -> list[_Candidate]:
    """Every HTTP path of the server's rules, with the position of its Ingress."""
    found = []
    for order, ing in enumerate(ordered):
        for rule in _rules(ing):
            if str(rule.get("host") or "") != server:
                continue
            for item in (rule.get("http") or {}).get("paths") or []:
                item = item or {}
                found.append(
                    _Candidate(
                        order,
                        ing,
                        server,
                        str(item.get("path") or ""),
                        str(item.get("pathType") or IMPLEMENTATION_SPECIFIC),
                        item.get("backend") or {},
                    )
                )
    return found


def _rank(candidate: _Candidate) -> tuple[int, int, int, int]:
    return (
        0 if candidate.path_type == EXACT else 1,
        -len(candidate.path or "/"),
        _TYPE_RANK.get(candidate.path_type, len(_TYPE_RANK)),
        candidate.order,
    )


def _route_to(
    ingress: Mapping[str, Any],
    backend: Mapping[str, Any],
    host: str,
    path: str | None,
    path_type: str | None,
) -> IngressRoute:
    md = ingress.get("metadata") or {}
    service = backend.get("service")
    resource = backend.get("resource")
    port: int | str | None = None
    if service is not None:
        ports = service.get("port") or {}
        port = int(ports["number"]) if ports.get("number") else str(ports.get("name") or "")
    return IngressRoute(
        namespace=str(md.get("namespace") or ""),
        ingress=str(md.get("name") or ""),
        service=None if service is None else str(service.get("name") or ""),
        port=port,
        resource=None
        if resource is None
        else ResourceRef(
            str(resource.get("kind") or ""),
            str(resource.get("name") or ""),
            resource.get("apiGroup"),
        ),
        host=host,
        path=path,
        path_type=path_type,
    )


def _fallback(ordered: list[Mapping[str, Any]], server: str) -> IngressRoute | None:
    """The server's root when no path matched (see the module's "Fallback")."""
    for ing in ordered:
        rules = _rules(ing)
        if server:
            owns = any(str(r.get("host") or "") == server for r in rules)
        else:
            owns = not rules and (ing.get("spec") or {}).get("defaultBackend") is not None
        if owns:
            default = (ing.get("spec") or {}).get("defaultBackend")
            return None if default is None else _route_to(ing, default, server, None, None)
    return None


def route(ingresses: Iterable[Mapping[str, Any]], host: str, path: str) -> IngressRoute | None:
    """The backend a request for ``host`` and ``path`` reaches through these Ingresses, or
    None when the controller's default backend answers (HTTP 404)."""
    ordered = _ordered(ingresses)
    wanted_path = request_path(path)
    server = _server_host(ordered, request_host(host))
    matching = [
        c for c in _candidates(ordered, server) if path_matches(c.path_type, c.path, wanted_path)
    ]
    if not matching:
        return _fallback(ordered, server)
    best = min(matching, key=_rank)
    return _route_to(best.ingress, best.backend, server, best.path, best.path_type)
