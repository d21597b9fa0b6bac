"""Field selectors (``?fieldSelector=``): which fields each kind can be listed by, and how a
selector string is read (``apimachinery/pkg/fields/selector.go``).

The selectable fields are the ``*ToSelectableFields`` functions of each kind's registry
strategy (``pkg/registry/core/{pod,node,namespace,event,secret}/strategy.go``); every kind
has ``metadata.name``, and namespaced kinds ``metadata.namespace``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8sgame.engine.errors import ApiError, bad_request

FieldSet = Callable[[dict[str, Any]], dict[str, str]]
Requirement = tuple[str, str, str]  # field, "=" or "!=", value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _pod_fields(pod: dict[str, Any]) -> dict[str, str]:
    spec, status = pod.get("spec") or {}, pod.get("status") or {}
    return {
        "spec.nodeName": _text(spec.get("nodeName")),
        "spec.restartPolicy": _text(spec.get("restartPolicy")),
        "spec.schedulerName": _text(spec.get("schedulerName")),
        "spec.serviceAccountName": _text(spec.get("serviceAccountName")),
        "spec.hostNetwork": _text(bool(spec.get("hostNetwork"))),
        "status.phase": _text(status.get("phase")),
        "status.podIP": _text(status.get("podIP")),
        "status.nominatedNodeName": _text(status.get("nominatedNodeName")),
    }


def _node_fields(node: dict[str, Any]) -> dict[str, str]:
    return {"spec.unschedulable": _text(bool((node.get("spec") or {}).get("unschedulable")))}


def _namespace_fields(namespace: dict[str, Any]) -> dict[str, str]:
    return {"status.phase": _text((namespace.get("status") or {}).get("phase"))}


def _event_fields(event: dict[str, Any]) -> dict[str, str]:
    involved = event.get("involvedObject") or {}
    source = event.get("source") or {}
    fields = {
        f"involvedObject.{key}": _text(involved.get(key))
        for key in (
            "kind",
            "namespace",
            "name",
            "uid",
            "apiVersion",
            "resourceVersion",
            "fieldPath",
        )
    }
    fields.update(
        reason=_text(event.get("reason")),
        reportingComponent=_text(event.get("reportingComponent")),
        source=_text(source.get("component")),
        type=_text(event.get("type")),
    )
    return fields


def _secret_fields(secret: dict[str, Any]) -> dict[str, str]:
    return {"type": _text(secret.get("type"))}


FIELD_SETS: dict[str, FieldSet] = {
    "Pod": _pod_fields,
    "Node": _node_fields,
    "Namespace": _namespace_fields,
    "Event": _event_fields,
    "Secret": _secret_fields,
}


def register_field_set(kind: str, fields: FieldSet) -> None:
    """Kinds added later declare their selectable fields here."""
    FIELD_SETS[kind] = fields


def selectable_fields(kind: str, namespaced: bool, obj: dict[str, Any]) -> dict[str, str]:
    """Every field of ``obj`` a field selector may name, as strings."""
    md = obj.get("metadata") or {}
    fields = {"metadata.name": _text(md.get("name"))}
    if namespaced:
        fields["metadata.namespace"] = _text(md.get("namespace"))
    extra = FIELD_SETS.get(kind)
    if extra is not None:
        fields.update(extra(obj))
    return fields


def parse_field_selector(text: str) -> list[Requirement]:
    """``a=b,c!=d`` (``==`` too) into requirements; set operators are not part of the syntax."""
    requirements: list[Requirement] = []
    for part in text.split(","):
        if not part:
            continue
        for operator in ("!=", "==", "="):
            field, found, value = part.partition(operator)
            if found:
                requirements.append((field.strip(), "!=" if operator == "!=" else "=", value))
                break
        else:
            raise bad_request(f"invalid selector: '{text}'; can't understand '{part}'")
    return requirements


def field_filter(
    kind: str, resource: str, namespaced: bool, text: str, label_text: str = ""
) -> Callable[[dict[str, Any]], bool]:
    """A predicate for ``store.list``; an unknown field is the API server's BadRequest."""
    requirements = parse_field_selector(text)
    sample: dict[str, Any] = {"metadata": {}}
    known = selectable_fields(kind, namespaced, sample)
    for field, _, _ in requirements:
        if field not in known:
            raise ApiError(
                "BadRequest",
                f'Unable to find "{resource}" that match label selector "{label_text}", '
                f'field selector "{text}": field label not supported: {field}',
                400,
            )

    def matches(obj: dict[str, Any]) -> bool:
        fields = selectable_fields(kind, namespaced, obj)
        return all(
            (fields[field] == value) == (operator == "=") for field, operator, value in requirements
        )

    return matches
