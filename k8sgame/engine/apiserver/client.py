"""A client bound to one user: the typed calls components and kubectl make.

Each method builds one ``Request`` and hands it to ``ApiServer.handle``, the way client-go
builds an HTTP call. ``peek`` and ``view`` are the informer-cache reads: they return stored
objects, which callers must not change.
"""

from __future__ import annotations

import builtins
from typing import Any

from k8sgame.engine.api.registry import KindInfo, KindRegistry
from k8sgame.engine.apiserver.identity import Impersonation, UserInfo
from k8sgame.engine.apiserver.request import (
    BINDING,
    CREATE,
    DELETE,
    EVICTION,
    EXEC,
    FINALIZE,
    GET,
    LIST,
    LOG,
    PATCH,
    SCALE,
    STATUS,
    UPDATE,
    WATCH,
    WRITE_VERBS,
    FieldFilter,
    Request,
)
from k8sgame.engine.apiserver.server import ApiServer
from k8sgame.engine.errors import ApiError, FieldError
from k8sgame.engine.labels import Selector
from k8sgame.engine.store import Watcher, WatchIndex


class Client:
    """Calls to the API server as ``user``."""

    def __init__(
        self,
        server: ApiServer,
        user: UserInfo,
        impersonation: Impersonation | None = None,
        cache_reads: bool = False,
    ) -> None:
        self.server = server
        self.user = user
        # A component's ``peek`` may stand for a read of its informer cache, which its list
        # and watch filled: a ``list`` grant is enough (``ApiServer.read``). kubectl's
        # reads are real GETs.
        self.cache_reads = cache_reads
        # ``--as``/``--as-group``: every request asks to act as someone else.
        self.impersonation = impersonation
        # Warning headers of the calls so far, until taken (kubectl prints each).
        self.warnings: list[str] = []
        # Writes that went through (not dry runs), and the field errors of refused ones: what
        # a caller reads to know whether a command changed the cluster, and where it failed.
        self.writes = 0
        self.field_errors: list[FieldError] = []
        # A client whose process has stopped (a kubelet that is down): its writes never
        # reach the API server. Reads still answer, for the parts that keep ticking inside.
        self.offline = False

    def impersonating(self, impersonation: Impersonation) -> Client:
        """A client for the same user that asks to act as someone else in every request."""
        return Client(self.server, self.user, impersonation, self.cache_reads)

    def _call(self, request: Request) -> Any:
        if self.offline and request.verb in WRITE_VERBS:
            return request.body if isinstance(request.body, dict) else None
        request.impersonate = self.impersonation
        try:
            response = self.server.handle(request)
        except ApiError as error:
            self.field_errors.extend(error.causes)
            if error.warnings:
                self._warn(error.warnings)
            raise
        if (
            request.verb in WRITE_VERBS
            and not request.dry_run
            and _changes(request, response.body)
            and not self._answered_only(request)
        ):
            self.writes += 1
        if response.warnings:
            self._warn(response.warnings)
        return response.body

    def _answered_only(self, request: Request) -> bool:
        """A review (``kubectl auth can-i``) is answered, nothing is stored: no change."""
        if not request.kind:
            return False
        return self.server.store.kind_info(request.kind).answer is not None

    def _warn(self, warnings: list[str] | tuple[str, ...]) -> None:
        # client-go's warning handler as kubectl sets it up deduplicates: a warning is kept
        # once until taken (and a component that never takes them holds each only once).
        for warning in warnings:
            if warning not in self.warnings:
                self.warnings.append(warning)

    def take_warnings(self) -> list[str]:
        taken, self.warnings = self.warnings, []
        return taken

    # -- discovery ---------------------------------------------------------------------------

    @property
    def registry(self) -> KindRegistry:
        return self.server.store.registry

    def kind_info(self, kind: str) -> KindInfo:
        return self.server.store.kind_info(kind)

    # -- reads -------------------------------------------------------------------------------

    def get(self, kind: str, name: str, namespace: str = "") -> dict[str, Any]:
        """A copy of one object; NotFound if missing."""
        return self._call(Request(self.user, GET, kind, namespace, name))

    def peek(self, kind: str, name: str, namespace: str = "") -> dict[str, Any] | None:
        """The stored object itself, or None. Read-only."""
        user = self.user
        if self.impersonation is not None:
            user = self.server.impersonate(user, self.impersonation)
        return self.server.read(user, kind, name, namespace, cache=self.cache_reads)

    def list(
        self,
        kind: str,
        namespace: str | None = None,
        selector: Selector | None = None,
        field_filter: FieldFilter | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """Copies of the matching objects, sorted by namespace then name."""
        return self._list(kind, namespace, selector, field_filter, copy=True)

    def view(
        self,
        kind: str,
        namespace: str | None = None,
        selector: Selector | None = None,
        field_filter: FieldFilter | None = None,
    ) -> builtins.list[dict[str, Any]]:
        """The matching stored objects themselves, sorted. Read-only."""
        return self._list(kind, namespace, selector, field_filter, copy=False)

    def _list(
        self,
        kind: str,
        namespace: str | None,
        selector: Selector | None,
        field_filter: FieldFilter | None,
        copy: bool,
    ) -> builtins.list[dict[str, Any]]:
        request = Request(
            self.user,
            LIST,
            kind,
            namespace or "",
            selector=selector,
            field_filter=field_filter,
            copy=copy,
        )
        return self._call(request)

    def watch(
        self,
        callback: Watcher,
        kinds: tuple[str, ...] | None = None,
        index: WatchIndex | None = None,
    ) -> None:
        """Hear every change to ``kinds`` (every kind when None), or with ``index`` only the
        changes to objects whose key is its value."""
        if kinds is None:
            self._call(Request(self.user, WATCH, "", body=callback))
            return
        for kind in kinds:
            self._call(Request(self.user, WATCH, kind, body=callback, index=index))

    def unwatch(self, callback: Watcher) -> None:
        """Close the watches ``callback`` was given (no request: the client hangs up)."""
        self.server.store.unwatch(callback)

    # -- writes ------------------------------------------------------------------------------

    def create(
        self,
        obj: dict[str, Any],
        *,
        dry_run: bool = False,
        field_validation: str = "Strict",
        trusted: bool = False,
    ) -> dict[str, Any]:
        kind = str(obj.get("kind") or "") if isinstance(obj, dict) else ""
        namespace = _namespace_of(obj)
        request = Request(
            self.user,
            CREATE,
            kind,
            namespace,
            body=obj,
            dry_run=dry_run,
            field_validation=field_validation,
            trusted=trusted,
        )
        return self._call(request)

    def update(
        self,
        obj: dict[str, Any],
        *,
        dry_run: bool = False,
        field_validation: str = "Strict",
        trusted: bool = False,
    ) -> dict[str, Any]:
        kind = str(obj.get("kind") or "") if isinstance(obj, dict) else ""
        request = Request(
            self.user,
            UPDATE,
            kind,
            _namespace_of(obj),
            _name_of(obj),
            body=obj,
            dry_run=dry_run,
            field_validation=field_validation,
            trusted=trusted,
        )
        return self._call(request)

    def update_status(self, obj: dict[str, Any]) -> dict[str, Any]:
        """PUT ``/status``; returns the stored object (read-only)."""
        request = Request(
            self.user,
            UPDATE,
            str(obj.get("kind") or ""),
            _namespace_of(obj),
            _name_of(obj),
            STATUS,
            body=obj,
        )
        return self._call(request)

    def patch(
        self,
        kind: str,
        name: str,
        namespace: str,
        patch: Any,
        patch_type: str = "strategic",
        *,
        status: bool = False,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        request = Request(
            self.user,
            PATCH,
            kind,
            namespace,
            name,
            STATUS if status else "",
            body=patch,
            dry_run=dry_run,
            patch_type=patch_type,
        )
        return self._call(request)

    def delete(
        self,
        kind: str,
        name: str,
        namespace: str = "",
        *,
        propagation: str | None = None,
        grace_period: int | None = None,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        request = Request(
            self.user,
            DELETE,
            kind,
            namespace,
            name,
            dry_run=dry_run,
            propagation=propagation,
            grace_period=grace_period,
        )
        return self._call(request)

    # -- subresources ------------------------------------------------------------------------

    def bind(self, name: str, namespace: str, node_name: str) -> dict[str, Any]:
        """POST ``pods/binding``; returns the stored pod (read-only)."""
        body = {
            "apiVersion": "v1",
            "kind": "Binding",
            "metadata": {"name": name, "namespace": namespace},
            "target": {"apiVersion": "v1", "kind": "Node", "name": node_name},
        }
        return self._call(Request(self.user, CREATE, "Pod", namespace, name, BINDING, body=body))

    def evict(self, name: str, namespace: str, grace_period: int | None = None) -> dict[str, Any]:
        """POST ``pods/eviction``; returns the pod as the delete left it."""
        request = Request(
            self.user, CREATE, "Pod", namespace, name, EVICTION, grace_period=grace_period
        )
        return self._call(request)

    def logs(
        self, name: str, namespace: str, container: str | None = None, previous: bool = False
    ) -> builtins.list[tuple[float, str, str]]:
        """GET ``pods/log``: ``(time, stream, line)`` of a container (the first if unnamed)."""
        options = {"container": container, "previous": previous}
        return self._call(Request(self.user, GET, "Pod", namespace, name, LOG, body=options))

    def exec(
        self, name: str, namespace: str, argv: builtins.list[str], container: str | None = None
    ) -> Any:
        """POST ``pods/exec``: run ``argv`` in a container (the first if unnamed)."""
        options = {"container": container, "command": list(argv)}
        return self._call(Request(self.user, CREATE, "Pod", namespace, name, EXEC, body=options))

    def scale(
        self,
        kind: str,
        name: str,
        namespace: str,
        replicas: int,
        *,
        verb: str = PATCH,
        dry_run: bool = False,
    ) -> dict[str, Any]:
        """Set a workload's replicas through its ``scale`` subresource: a merge PATCH as
        kubectl scale sends it, or (``verb="update"``) a PUT of the Scale as the HPA
        controller does; returns the Scale."""
        body = {"spec": {"replicas": replicas}}
        request = Request(self.user, verb, kind, namespace, name, SCALE, body=body, dry_run=dry_run)
        return self._call(request)

    def finalize(self, kind: str, name: str) -> None:
        """PUT ``namespaces/<name>/finalize`` once the namespace is empty."""
        self._call(Request(self.user, UPDATE, kind, "", name, FINALIZE))


def _changes(request: Request, body: Any) -> bool:
    """Whether a write changed anything: an ``exec`` changes the cluster only when its
    command wrote to the container's files (a ``curl`` from a pod is a look, not a fix)."""
    if request.subresource == EXEC:
        return bool(getattr(body, "changed", True))
    return True


def _namespace_of(obj: Any) -> str:
    md = obj.get("metadata") if isinstance(obj, dict) else None
    return str((md or {}).get("namespace") or "") if isinstance(md, dict) else ""


def _name_of(obj: Any) -> str:
    md = obj.get("metadata") if isinstance(obj, dict) else None
    return str((md or {}).get("name") or "") if isinstance(md, dict) else ""
