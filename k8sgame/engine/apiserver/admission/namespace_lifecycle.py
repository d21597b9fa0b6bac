"""The NamespaceLifecycle admission plugin (``plugin/pkg/admission/namespace/lifecycle``):
nothing is created in a namespace that does not exist or is being terminated."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.admission import CREATE_OPERATION, AdmissionAttributes
from k8sgame.engine.errors import forbidden_error, not_found


class NamespaceLifecycle:
    name = "NamespaceLifecycle"
    operations = frozenset({CREATE_OPERATION})
    kinds: frozenset[str] | None = None

    def validate(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        info = attrs.kind
        if not info.namespaced:
            return
        md = obj.get("metadata") or {}
        namespace = md.get("namespace", "")
        ns = attrs.ctx.store.peek("Namespace", namespace)
        if ns is None:
            raise not_found("namespaces", "", namespace)
        if ns["metadata"].get("deletionTimestamp"):
            raise forbidden_error(
                f'{info.plural} "{md.get("name") or ""}" is forbidden: unable to create new '
                f"content in namespace {namespace} because it is being terminated"
            )
