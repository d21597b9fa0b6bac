"""Field selectors (``?fieldSelector=``): which fields each kind can be listed by, and how a
selector string is read (``apimachinery/pkg/fields/selector.go``).

Each kind declares its own selectable fields (``KindInfo.selectable_fields``, the
``*ToSelectableFields`` function of its registry strategy); every kind has
``metadata.name``, and namespaced kinds ``metadata.namespace``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError, bad_request

if TYPE_CHECKING:
    from k8sgame.engine.api.registry import KindInfo

Requirement = tuple[str, str, str]  # field, "=" or "!=", value


def text_value(value: Any) -> str:
    """A field's value as a selector compares it (booleans as ``true``/``false``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def selectable_fields(info: KindInfo, obj: dict[str, Any]) -> dict[str, str]:
    """Every field of ``obj`` a field selector may name, as strings."""
    md = obj.get("metadata") or {}
    fields = {"metadata.name": text_value(md.get("name"))}
    if info.namespaced:
        fields["metadata.namespace"] = text_value(md.get("namespace"))
    if info.selectable_fields is not None:
        fields.update(info.selectable_fields(obj))
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
    info: KindInfo, text: str, label_text: str = ""
) -> Callable[[dict[str, Any]], bool]:
    """A predicate for ``store.list``; an unknown field is the API server's BadRequest."""
    requirements = parse_field_selector(text)
    sample: dict[str, Any] = {"metadata": {}}
    known = selectable_fields(info, sample)
    for field, _, _ in requirements:
        if field not in known:
            raise ApiError(
                "BadRequest",
                f'Unable to find "{info.group}/{info.version}, Resource={info.plural}" that match label selector "{label_text}", '
                f'field selector "{text}": field label not supported: {field}',
                400,
            )

    def matches(obj: dict[str, Any]) -> bool:
        fields = selectable_fields(info, obj)
        return all(
            (fields[field] == value) == (operator == "=") for field, operator, value in requirements
        )

    return matches
