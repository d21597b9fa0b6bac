"""What a describer is and what it may look at.

A describer turns one object into its ``kubectl describe`` text. Each kind names its own in
``k8sgame.kubectl.kinds``; kinds without one get the generic describer
(``genericDescriber``), as kubectl does for kinds missing from its ``describerMap`` (Event
is one of them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession


@dataclass
class DescribeContext:
    """What a describer may look at: the session's cluster (store, registry, clock) and
    ``DescriberSettings.ShowEvents``."""

    session: KubectlSession
    show_events: bool = True

    @property
    def store(self) -> Any:
        return self.session.api

    @property
    def now(self) -> float:
        return float(self.session.cluster.now)

    def has_kind(self, word: str) -> bool:
        """Whether the cluster serves a resource (``leases``, ``resourcequotas``...)."""
        return self.session.api.registry.resolve(word) is not None

    def search_events(
        self, obj: dict[str, Any], kind: str | None = None, uid: str | None = None
    ) -> list[dict[str, Any]] | None:
        """``searchEvents``: events whose ``involvedObject`` has the object's name,
        namespace, kind (when given; the pod describer clears it) and uid, listed in the
        object's namespace (all namespaces for a cluster-scoped object). None when events are
        not shown."""
        if not self.show_events:
            return None
        md = obj["metadata"]
        namespace = md.get("namespace") or ""
        wanted_uid = md.get("uid") if uid is None else uid

        def matches(event: dict[str, Any]) -> bool:
            ref = event.get("involvedObject") or {}
            return (
                ref.get("name") == md.get("name")
                and (ref.get("namespace") or "") == namespace
                and (kind is None or ref.get("kind") == kind)
                and (not wanted_uid or ref.get("uid") == wanted_uid)
            )

        return self.store.list("Event", namespace or None, field_filter=matches)


Describer = Callable[[dict[str, Any], DescribeContext], str]
