"""The ``pods/binding`` subresource (``pkg/registry/core/pod/storage`` ``BindingREST``): set
``spec.nodeName`` once — what the scheduler's binder posts."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.errors import ApiError, not_found
from k8sgame.engine.store import Store


def bind_pod(store: Store, name: str, namespace: str, node_name: str) -> dict[str, Any]:
    """Bind the pod to ``node_name``; Conflict if it is bound already or being deleted.

    Returns the stored pod (read-only)."""
    stored = store.peek("Pod", name, namespace)
    if stored is None:
        raise not_found("pods", "", name)
    current = (stored.get("spec") or {}).get("nodeName")
    if current:
        raise ApiError("Conflict", f'pod {name} is already assigned to node "{current}"', 409)
    if stored["metadata"].get("deletionTimestamp"):
        raise ApiError(
            "Conflict", f"pod {name} is being deleted, cannot be assigned to a host", 409
        )

    def assign(pod: dict[str, Any]) -> None:
        pod["spec"]["nodeName"] = node_name

    return store.rewrite("Pod", name, namespace, assign)
