"""Admission: the plugins that may change (mutating) and then refuse (validating) a write.

The API server runs the mutating plugins after decoding and defaulting, then the kind's
strategy prepares and validates the object, then the validating plugins run, then the
object is stored — the order of ``apiserver/pkg/endpoints/handlers/create.go``. The
plugins and their order are kube-apiserver's default ones that the simulation models.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.apiserver.request import Request

CREATE_OPERATION, UPDATE_OPERATION = "CREATE", "UPDATE"


@dataclass(frozen=True, slots=True)
class AdmissionAttributes:
    """What a plugin sees: the request, its operation and kind, and the admission context."""

    request: Request
    operation: str
    kind: KindInfo
    ctx: AdmissionContext


class MutatingPlugin(Protocol):
    name: str
    # Which operations and kinds the plugin looks at (``Handles`` in upstream's plugins);
    # ``kinds`` None means every kind.
    operations: frozenset[str]
    kinds: frozenset[str] | None

    def admit(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        """Change ``obj`` in place, or raise an ``ApiError`` to refuse it."""
        ...


class ValidatingPlugin(Protocol):
    name: str
    operations: frozenset[str]
    kinds: frozenset[str] | None

    def validate(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        """Raise an ``ApiError`` to refuse ``obj``; never change it."""
        ...


@dataclass
class AdmissionChain:
    """The enabled plugins, in the order the API server runs them."""

    mutating: list[MutatingPlugin]
    validating: list[ValidatingPlugin]
    _selected: dict[tuple[str, str, bool], tuple[list[MutatingPlugin], list[ValidatingPlugin]]] = (
        field(default_factory=dict)
    )

    def plugins_for(
        self, operation: str, kind: str, namespaced: bool
    ) -> tuple[list[MutatingPlugin], list[ValidatingPlugin]]:
        """The plugins that handle this operation on this kind, in order (kept per kind)."""
        key = (operation, kind, namespaced)
        found = self._selected.get(key)
        if found is None:

            def handles(plugin: MutatingPlugin | ValidatingPlugin) -> bool:
                return operation in plugin.operations and (
                    plugin.kinds is None or kind in plugin.kinds
                )

            found = (
                [p for p in self.mutating if handles(p)],
                [p for p in self.validating if handles(p)],
            )
            self._selected[key] = found
        return found


def default_chain() -> AdmissionChain:
    """kube-apiserver's default plugins that the simulation models, in their order."""
    from k8sgame.engine.apiserver.admission.default_toleration_seconds import (
        DefaultTolerationSeconds,
    )
    from k8sgame.engine.apiserver.admission.namespace_lifecycle import NamespaceLifecycle
    from k8sgame.engine.apiserver.admission.pod_security import PodSecurity
    from k8sgame.engine.apiserver.admission.priority import Priority
    from k8sgame.engine.apiserver.admission.service_account import ServiceAccount

    return AdmissionChain(
        mutating=[ServiceAccount(), Priority(), DefaultTolerationSeconds()],
        validating=[NamespaceLifecycle(), PodSecurity()],
    )
