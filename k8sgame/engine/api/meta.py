"""ObjectMeta: its schema, its validation, and small accessors used across the engine."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from k8sgame.engine.api import names
from k8sgame.engine.api.schema import (
    ANY,
    BOOL,
    INT64,
    STRING,
    STRING_LIST,
    STRING_MAP,
    TIME,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, forbidden, invalid, required

OWNER_REFERENCE = Struct(
    "OwnerReference",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "name": STRING,
        "uid": STRING,
        "controller": BOOL,
        "blockOwnerDeletion": BOOL,
    },
)

OBJECT_META = Struct(
    "ObjectMeta",
    {
        "name": STRING,
        "generateName": STRING,
        "namespace": STRING,
        "selfLink": STRING,
        "uid": STRING,
        "resourceVersion": STRING,
        "generation": INT64,
        "creationTimestamp": TIME,
        "deletionTimestamp": TIME,
        "deletionGracePeriodSeconds": INT64,
        "labels": STRING_MAP,
        "annotations": STRING_MAP,
        "ownerReferences": ListOf(OWNER_REFERENCE),
        "finalizers": STRING_LIST,
        "managedFields": ANY,
    },
)

NameValidator = Callable[[str], list[str]]


def meta(obj: dict[str, Any]) -> dict[str, Any]:
    """The object's metadata dict (created if missing)."""
    return obj.setdefault("metadata", {})


def name_of(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("name") or "")


def namespace_of(obj: dict[str, Any]) -> str:
    return str((obj.get("metadata") or {}).get("namespace") or "")


def labels_of(obj: dict[str, Any]) -> dict[str, str]:
    return (obj.get("metadata") or {}).get("labels") or {}


def validate_metadata(
    obj: dict[str, Any], namespaced: bool, name_validator: NameValidator
) -> list[FieldError]:
    """``ValidateObjectMeta``: name (or generateName), namespace scope, labels, annotations."""
    md = obj.get("metadata") or {}
    errors: list[FieldError] = []
    name = md.get("name") or ""
    if not name:
        if not md.get("generateName"):
            errors.append(required("metadata.name", "name or generateName is required"))
    else:
        errors.extend(invalid("metadata.name", name, msg) for msg in name_validator(name))
    namespace = md.get("namespace") or ""
    if namespaced:
        if not namespace:
            errors.append(required("metadata.namespace"))
        else:
            errors.extend(
                invalid("metadata.namespace", namespace, m) for m in names.dns1123_label(namespace)
            )
    elif namespace:
        errors.append(forbidden("metadata.namespace", "not allowed on this type"))
    errors.extend(validate_labels(md.get("labels") or {}, "metadata.labels"))
    for key in sorted(md.get("annotations") or {}):
        errors.extend(
            invalid("metadata.annotations", key, msg) for msg in names.qualified_name(key)
        )
    return errors


def validate_labels(labels: dict[str, Any], path: str) -> list[FieldError]:
    """Label keys are qualified names; values are label values (``ValidateLabels``)."""
    errors: list[FieldError] = []
    for key in sorted(labels):
        errors.extend(invalid(path, key, msg) for msg in names.qualified_name(str(key)))
        value = labels[key]
        errors.extend(invalid(path, value, msg) for msg in names.label_value(str(value)))
    return errors
