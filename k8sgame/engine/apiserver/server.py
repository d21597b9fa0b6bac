"""``ApiServer.handle``: the one path every request takes.

authorization (who may do this) → admission (mutating, then the kind's strategy, then
validating) → storage. Subresources (``status``, ``binding``, ``eviction``, ``log``,
``exec``, ``finalize``) are served here, each by the rule its upstream REST storage follows.
The user of every write goes into the audit log.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, Protocol

from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.apiserver.admission import (
    CREATE_OPERATION,
    UPDATE_OPERATION,
    AdmissionAttributes,
    AdmissionChain,
    MutatingPlugin,
    ValidatingPlugin,
    default_chain,
)
from k8sgame.engine.apiserver.authorizer import (
    AlwaysAllow,
    Attributes,
    Authorizer,
    Decision,
    UserRules,
    Verdict,
    forbidden_message,
)
from k8sgame.engine.apiserver.identity import (
    Impersonation,
    UserInfo,
    impersonated_user,
    split_service_account,
)
from k8sgame.engine.apiserver.request import (
    BINDING,
    CREATE,
    DELETE,
    EVICTION,
    EXEC,
    FINALIZE,
    GET,
    IMPERSONATE,
    LIST,
    LOG,
    PATCH,
    SCALE,
    STATUS,
    UPDATE,
    WATCH,
    Request,
    Response,
)
from k8sgame.engine.errors import (
    ApiError,
    bad_request,
    forbidden_error,
    method_not_allowed,
    not_found,
)
from k8sgame.engine.kinds.pod import stream_container
from k8sgame.engine.kinds.pod.binding import bind_pod
from k8sgame.engine.kinds.pod.eviction import evict_pod
from k8sgame.engine.store import Store

REFUSAL_LOG_SIZE = 1000


class NodeConnection(Protocol):
    """What the API server asks a node's kubelet for (``/containerLogs``, ``/exec``)."""

    def logs(
        self, pod: dict[str, Any], container_name: str, previous: bool
    ) -> list[tuple[float, str, str]]: ...

    def exec(self, pod: dict[str, Any], container_name: str, argv: list[str]) -> Any: ...


class _BoundAdmission:
    """The plugins that handle one request, bound to it (what the store calls back into)."""

    __slots__ = ("info", "mutating", "operation", "request", "validating")

    def __init__(
        self,
        mutating: list[MutatingPlugin],
        validating: list[ValidatingPlugin],
        request: Request,
        operation: str,
        info: KindInfo,
    ):
        self.mutating = mutating
        self.validating = validating
        self.request = request
        self.operation = operation
        self.info = info

    def admit(self, obj: dict[str, Any], ctx: AdmissionContext) -> None:
        if self.mutating:
            attrs = AdmissionAttributes(self.request, self.operation, self.info, ctx)
            for plugin in self.mutating:
                plugin.admit(attrs, obj)

    def validate(self, obj: dict[str, Any], ctx: AdmissionContext) -> None:
        if self.validating:
            attrs = AdmissionAttributes(self.request, self.operation, self.info, ctx)
            for plugin in self.validating:
                plugin.validate(attrs, obj)


Handler = Callable[["ApiServer", Request, KindInfo], Any]


class ApiServer:
    """The simulated kube-apiserver in front of the object store."""

    def __init__(
        self,
        store: Store,
        nodes: Mapping[str, NodeConnection] | None = None,
        authorizer: Authorizer | None = None,
        admission: AdmissionChain | None = None,
    ) -> None:
        self.store = store
        self.nodes: Mapping[str, NodeConnection] = nodes if nodes is not None else {}
        self.authorizer: Authorizer = authorizer or AlwaysAllow()
        self.admission = admission or default_chain()
        # The requests refused so far, newest last (a bounded log, as an audit backend
        # keeps): what tests read to prove no component was ever refused.
        self.refusals: deque[tuple[Attributes, str]] = deque(maxlen=REFUSAL_LOG_SIZE)

    @property
    def registry(self) -> Any:
        """Discovery: the kinds this server serves (``kubectl api-resources``)."""
        return self.store.registry

    def handle(self, request: Request) -> Response:
        """Serve one request; raises ``ApiError`` with the API server's status on failure."""
        if request.impersonate is not None:
            request.user = self.impersonate(request.user, request.impersonate)
        if request.verb == WATCH and not request.kind:
            # A watch of every kind (the garbage collector's).
            if not self.authorizer.allows_everything:
                self._authorize(Attributes(request.user, WATCH, "", "*", "*"))
            self.store.watch(request.body, None, request.index)
            return Response(None)
        if not request.kind and request.verb in (CREATE, UPDATE):
            raise bad_request("Object 'Kind' is missing in the request body")
        info = self.store.kind_info(request.kind)
        if not self.authorizer.allows_everything:
            namespace = request.namespace
            if info.namespaced and not namespace and request.verb in (CREATE, UPDATE):
                namespace = "default"  # where a manifest without a namespace goes
            self._authorize(
                Attributes(
                    user=request.user,
                    verb=request.verb,
                    namespace=namespace if info.namespaced else "",
                    api_group=info.group,
                    resource=info.plural,
                    subresource=request.subresource,
                    name=request.name,
                )
            )
        handler = _HANDLERS.get((request.verb, request.subresource))
        if handler is None or (not request.subresource and request.verb not in info.verbs):
            raise method_not_allowed()
        if (
            info.write_guard is not None
            and request.verb in (CREATE, UPDATE, PATCH)
            and not request.subresource
            and not self.authorizer.allows_everything
        ):
            # The kind's storage looks at the write first (RBAC's escalation check).
            if request.verb == PATCH:
                new = _patch(self, replace(request, dry_run=True), info)
                self.store.take_warnings()  # the real patch below warns again
            else:
                new = request.body if isinstance(request.body, dict) else {}
            info.write_guard(self, request, info, new)
        store = self.store
        previous, store.actor = store.actor, request.user.name
        try:
            body = handler(self, request, info)
        except ApiError as error:
            # The installer wraps a deprecated kind's every route in a warning handler: the
            # warning comes back with an error too.
            if info.deprecation_warning:
                error.warnings = (info.deprecation_warning,)
            raise
        finally:
            store.actor = previous
        if info.deprecation_warning:
            return Response(body, [info.deprecation_warning, *store.take_warnings()])
        return Response(body, store.take_warnings()) if store.warnings else Response(body)

    def read(
        self, user: UserInfo, kind: str, name: str, namespace: str, cache: bool = False
    ) -> Any:
        """The read of one object without a copy: the stored object or None.

        Authorized as a ``get``; with ``cache`` (a component reading its informer cache,
        which its list and watch filled) a ``list`` in the namespace does as well: CoreDNS
        may list namespaces but not get one. No request is built: the simulated components
        read far more often than they write."""
        info = self.store.kind_info(kind)
        if not self.authorizer.allows_everything:
            scope = namespace if info.namespaced else ""
            attrs = Attributes(user, GET, scope, info.group, info.plural, "", name)
            if not cache or self.authorizer.authorize(attrs).decision is not Decision.ALLOW:
                if cache:
                    attrs = Attributes(user, LIST, scope, info.group, info.plural)
                self._authorize(attrs)
        return self.store.peek(info.kind, name, namespace)

    # -- stages ------------------------------------------------------------------------------

    def impersonate(self, user: UserInfo, impersonation: Impersonation) -> UserInfo:
        """The user ``user`` acts as, once each part of ``impersonation`` is authorized
        (the impersonation filter: verb ``impersonate`` on ``users``, ``groups`` or a
        namespace's ``serviceaccounts``, named)."""
        if not self.authorizer.allows_everything:
            account = split_service_account(impersonation.user)
            if account is not None:
                self._authorize(
                    Attributes(user, IMPERSONATE, account[0], "", "serviceaccounts", "", account[1])
                )
            else:
                self._authorize(
                    Attributes(user, IMPERSONATE, "", "", "users", "", impersonation.user)
                )
            for group in impersonation.groups:
                self._authorize(Attributes(user, IMPERSONATE, "", "", "groups", "", group))
        return impersonated_user(impersonation)

    def check(self, attrs: Attributes) -> str:
        """Authorize a request made from inside the cluster without serving it: "" when
        allowed, else the 403's message (and the refusal is logged like any other)."""
        try:
            self._authorize(attrs)
        except ApiError as refused:
            return refused.message
        return ""

    def authorize(self, attrs: Attributes) -> Verdict:
        """What the authorizer chain says of ``attrs`` (the access reviews ask this)."""
        return self.authorizer.authorize(attrs)

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        """What the authorizer chain can list of ``user``'s permissions in ``namespace``
        (a SelfSubjectRulesReview)."""
        resolve = getattr(self.authorizer, "rules_for", None)
        return resolve(user, namespace) if resolve is not None else UserRules(incomplete=True)

    def _authorize(self, attrs: Attributes) -> None:
        verdict = self.authorizer.authorize(attrs)
        if verdict.decision is not Decision.ALLOW:
            self.refusals.append((attrs, verdict.reason))

            raise forbidden_error(forbidden_message(attrs, verdict.reason))

    def bound_admission(
        self, request: Request, operation: str, info: KindInfo
    ) -> _BoundAdmission | None:
        """The admission of one request, or None when no plugin handles it."""
        mutating, validating = self.admission.plugins_for(operation, info.kind, info.namespaced)
        if not mutating and not validating:
            return None
        return _BoundAdmission(mutating, validating, request, operation, info)

    def node_for(self, pod: dict[str, Any], container: str) -> NodeConnection:
        node = (pod.get("spec") or {}).get("nodeName")
        connection = self.nodes.get(str(node)) if node else None
        if connection is None:
            raise bad_request(f'unable to upgrade connection: container not found ("{container}")')
        return connection


# -- verbs ---------------------------------------------------------------------------------


def _get(server: ApiServer, request: Request, info: KindInfo) -> Any:
    if request.copy:
        return server.store.get(info.kind, request.name, request.namespace)
    # A cache read: the stored object, or None when there is none.
    return server.store.peek(info.kind, request.name, request.namespace)


def _list(server: ApiServer, request: Request, info: KindInfo) -> Any:
    namespace = request.namespace or None
    read = server.store.list if request.copy else server.store.view
    return read(info.kind, namespace, request.selector, request.field_filter)


def _watch(server: ApiServer, request: Request, info: KindInfo) -> Any:
    server.store.watch(request.body, (info.kind,), request.index)
    return None


def _create(server: ApiServer, request: Request, info: KindInfo) -> Any:
    if info.answer is not None:
        # A review: answered from the request, never stored.
        review = server.store.decode(info, request.body, request.field_validation)
        return info.answer(server, request.user, review)
    if request.trusted:
        return server.store.create(request.body, trusted=True)
    return server.store.create(
        request.body,
        dry_run=request.dry_run,
        field_validation=request.field_validation,
        admission=server.bound_admission(request, CREATE_OPERATION, info),
    )


def _update(server: ApiServer, request: Request, info: KindInfo) -> Any:
    if request.trusted:
        return server.store.update(request.body, trusted=True)
    return server.store.update(
        request.body,
        dry_run=request.dry_run,
        field_validation=request.field_validation,
        admission=server.bound_admission(request, UPDATE_OPERATION, info),
    )


def _update_status(server: ApiServer, request: Request, info: KindInfo) -> Any:
    return server.store.update_status(request.body)


def _patch(server: ApiServer, request: Request, info: KindInfo) -> Any:
    status = request.subresource == STATUS
    return server.store.patch(
        info.kind,
        request.name,
        request.namespace,
        request.body,
        request.patch_type,
        status=status,
        dry_run=request.dry_run,
        admission=None if status else server.bound_admission(request, UPDATE_OPERATION, info),
    )


def _scale_view(obj: dict[str, Any]) -> dict[str, Any]:
    """The ``autoscaling/v1`` Scale of a workload (what the scale subresource serves)."""
    md = obj["metadata"]
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    selector = (spec.get("selector") or {}).get("matchLabels") or {}
    return {
        "apiVersion": "autoscaling/v1",
        "kind": "Scale",
        "metadata": {
            key: md[key]
            for key in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
            if key in md
        },
        "spec": {"replicas": int(spec.get("replicas") or 0)},
        "status": {
            "replicas": int(status.get("replicas") or 0),
            "selector": ",".join(f"{k}={v}" for k, v in sorted(selector.items())),
        },
    }


def _scale(server: ApiServer, request: Request, info: KindInfo) -> Any:
    """``<workload>/scale``: read, replace (PUT a Scale) or patch ``spec.replicas`` of a
    workload that has the subresource; the answer is its Scale."""
    if not info.scale_subresource:
        raise not_found(f"{info.plural}/scale", info.group, request.name)
    if request.verb == GET:
        return _scale_view(server.store.get(info.kind, request.name, request.namespace))
    replicas = ((request.body or {}).get("spec") or {}).get("replicas")
    updated = server.store.patch(
        info.kind,
        request.name,
        request.namespace,
        {"spec": {"replicas": replicas}},
        "merge",
        dry_run=request.dry_run,
    )
    return _scale_view(updated)


def _delete(server: ApiServer, request: Request, info: KindInfo) -> Any:
    return server.store.delete(
        info.kind,
        request.name,
        request.namespace,
        propagation=request.propagation,
        grace_period=request.grace_period,
        dry_run=request.dry_run,
    )


def _bind(server: ApiServer, request: Request, info: KindInfo) -> Any:
    """``pods/binding`` (a Binding body whose ``target`` names the node)."""
    target = ((request.body or {}).get("target") or {}).get("name", "")
    return bind_pod(server.store, request.name, request.namespace, str(target))


def _evict(server: ApiServer, request: Request, info: KindInfo) -> Any:
    """``pods/eviction`` (an Eviction body, its ``deleteOptions`` carrying the grace period)."""
    return evict_pod(
        server.store, request.name, request.namespace, server.store.clock.now, request.grace_period
    )


def _log(server: ApiServer, request: Request, info: KindInfo) -> Any:
    """``pods/log`` with PodLogOptions ``container`` and ``previous``; ``(time, stream, line)``."""
    pod = server.store.stored(info.kind, request.name, request.namespace)
    options = request.body or {}
    container = stream_container(pod, options.get("container"))
    node = (pod.get("spec") or {}).get("nodeName")
    connection = server.nodes.get(str(node)) if node else None
    if connection is None:
        # No node (or no kubelet) yet: there is nowhere to ask, and nothing comes back.
        return []
    return connection.logs(pod, container, bool(options.get("previous")))


def _exec(server: ApiServer, request: Request, info: KindInfo) -> Any:
    """``pods/exec`` with PodExecOptions ``container`` and ``command``."""
    pod = server.store.stored(info.kind, request.name, request.namespace)
    options = request.body or {}
    container = stream_container(pod, options.get("container"))
    return server.node_for(pod, container).exec(pod, container, list(options.get("command") or []))


def _finalize(server: ApiServer, request: Request, info: KindInfo) -> Any:
    """``namespaces/finalize``: the namespace controller's last step once it is empty."""
    if server.store.peek(info.kind, request.name, request.namespace) is None:
        raise not_found(info.plural, info.group, request.name)
    server.store.finalize(info.kind, request.name, request.namespace)
    return None


_HANDLERS: dict[tuple[str, str], Handler] = {
    (GET, ""): _get,
    (LIST, ""): _list,
    (WATCH, ""): _watch,
    (CREATE, ""): _create,
    (UPDATE, ""): _update,
    (UPDATE, STATUS): _update_status,
    (PATCH, ""): _patch,
    (PATCH, STATUS): _patch,
    (GET, SCALE): _scale,
    (UPDATE, SCALE): _scale,
    (PATCH, SCALE): _scale,
    (DELETE, ""): _delete,
    (CREATE, BINDING): _bind,
    (CREATE, EVICTION): _evict,
    (GET, LOG): _log,
    (CREATE, EXEC): _exec,
    (UPDATE, FINALIZE): _finalize,
}
