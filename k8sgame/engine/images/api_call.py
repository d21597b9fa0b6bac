"""A program's own request to the API server, made with its pod's service-account token, as
an in-cluster client-go client makes it, and the words it fails with.

Used by a program's ``api_each`` requirement: at start it makes each request (``list pods``,
``get configmaps app-config``, ``watch deployments.apps``, ``list nodes``, with ``-A`` for
every namespace) and exits when one is refused, logging the API server's Forbidden text. The
token is the one the ServiceAccount admission plugin mounted: without it (automounting off)
client-go cannot load its in-cluster configuration. The request is authorized as the pod's
service account by the API server's own authorizer chain; the connection to the API server
itself is not modelled (a NetworkPolicy does not stop it).
"""

from __future__ import annotations

from typing import Any, Protocol

from k8sgame.engine.apiserver.authorizer import Attributes, Verdict
from k8sgame.engine.apiserver.identity import service_account_user
from k8sgame.engine.rbac.access_matrix import RequestError, attributes, parse

TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount/token"


class Authorizing(Protocol):
    """What the call asks the API server (``ApiServer.check`` and its registry)."""

    @property
    def registry(self) -> Any: ...

    def check(self, attrs: Attributes) -> str: ...

    def authorize(self, attrs: Attributes) -> Verdict: ...


def api_error(server: Authorizing, namespace: str, account: str, request: str, files: Any) -> str:
    """ "" when ``request`` is allowed for the pod's account, else the error the program's
    client reports (``failed to list *v1.Pod: pods is forbidden: ...``)."""
    if files.read(TOKEN_PATH) is None:
        return f"open {TOKEN_PATH}: no such file or directory"
    try:
        # The same request syntax as kubectl auth can-i (``-n`` and ``-A`` too).
        asked = parse(server, request, namespace)
    except RequestError as error:
        return str(error)
    info = server.registry.resolve(asked.resource.partition("/")[0])
    attrs = attributes(service_account_user(namespace, account), asked)
    refused = server.check(attrs)
    if not refused:
        return ""
    if asked.verb in ("list", "watch"):
        # An informer's reflector wraps the error with the type it lists.
        return f"failed to {asked.verb} *{info.version}.{info.kind}: {refused}"
    return refused
