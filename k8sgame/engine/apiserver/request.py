"""What one API call carries in, and what comes back.

A ``Request`` is the simulated form of an HTTP call: who (``user``), what (``verb`` on a
kind, optionally a ``subresource``), where (``namespace``, ``name``), the body, and the query
options the real API server reads (``dryRun``, ``fieldValidation``, ``propagationPolicy``,
``gracePeriodSeconds``, ``labelSelector``/``fieldSelector``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.identity import Impersonation, UserInfo
from k8sgame.engine.labels import Selector
from k8sgame.engine.store import WatchIndex

# Verbs as RBAC names them (``kubectl auth can-i <verb>``).
GET, LIST, WATCH = "get", "list", "watch"
CREATE, UPDATE, PATCH, DELETE = "create", "update", "patch", "delete"
IMPERSONATE = "impersonate"
READ_VERBS = frozenset((GET, LIST, WATCH))
WRITE_VERBS = frozenset((CREATE, UPDATE, PATCH, DELETE))

# Subresources the simulated API server serves.
STATUS, BINDING, EVICTION, LOG, EXEC, FINALIZE = (
    "status",
    "binding",
    "eviction",
    "log",
    "exec",
    "finalize",
)

SCALE = "scale"

FieldFilter = Callable[[dict[str, Any]], bool]


@dataclass(slots=True)
class Request:
    """One API call. Only the fields a verb reads matter; the rest keep their defaults."""

    user: UserInfo
    verb: str
    kind: str
    namespace: str = ""
    name: str = ""
    subresource: str = ""
    body: Any = None
    dry_run: bool = False
    # ``fieldValidation``: Strict (the default kubectl sends), Warn or Ignore.
    field_validation: str = "Strict"
    # ``Content-Type`` of a patch: strategic, merge or json.
    patch_type: str = "strategic"
    propagation: str | None = None
    grace_period: int | None = None
    selector: Selector | None = None
    field_filter: FieldFilter | None = None
    # Reads: a private copy (True), or the stored object itself for readers that only look
    # (the informer-cache reads of the simulated components).
    copy: bool = True
    # A component's own well-formed write (an Event): stored without decoding checks.
    trusted: bool = False
    # Watches: only the events whose object has this value under this key (the kubelet's
    # ``fieldSelector=spec.nodeName=<node>``), found through an index, not by asking each.
    index: WatchIndex | None = None
    # ``--as`` / ``--as-group``: who the caller asks to act as.
    impersonate: Impersonation | None = None


class Response:
    """The body of a successful call and the ``Warning`` headers that came with it."""

    __slots__ = ("body", "warnings")

    def __init__(self, body: Any, warnings: list[str] | tuple[str, ...] = ()) -> None:
        self.body = body
        self.warnings = warnings
