"""Secret: its schema, ``stringData`` folding and validation. ``data`` values are base64."""

from __future__ import annotations

import base64
from typing import Any

from k8sgame.engine.api.field_selectors import text_value
from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import BOOL, BYTES, STRING, STRING_MAP, MapOf, Struct
from k8sgame.engine.errors import FieldError, invalid
from k8sgame.engine.kinds.config_data import immutability, key_errors

SECRET = Struct(
    "Secret",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "immutable": BOOL,
        "data": MapOf(BYTES),
        "stringData": STRING_MAP,
        "type": STRING,
    },
)


def default_secret(secret: dict[str, Any], ctx: AdmissionContext | None = None) -> None:
    """``type`` defaults to Opaque; ``stringData`` is folded into ``data`` and dropped."""
    secret.setdefault("type", "Opaque")
    string_data = secret.pop("stringData", None) or {}
    if string_data:
        data = secret.setdefault("data", {})
        for key, value in string_data.items():
            data[key] = base64.b64encode(str(value).encode()).decode()


def validate_secret(secret: dict[str, Any]) -> list[FieldError]:
    # Values are checked as base64 while decoding (a BadRequest, as upstream), keys here.
    return key_errors(list(secret.get("data") or {}), "data")


def validate_secret_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errors = immutability(new, old, ("data",))
    if new.get("type") != old.get("type"):
        errors.append(invalid("type", new.get("type"), "field is immutable"))
    return errors + validate_secret(new)


def secret_selectable_fields(secret: dict[str, Any]) -> dict[str, str]:
    """``secret.SelectableFields``."""
    return {"type": text_value(secret.get("type"))}


SECRET_KIND = KindInfo(
    kind="Secret",
    group="",
    version="v1",
    plural="secrets",
    namespaced=True,
    schema=SECRET,
    defaulter=default_secret,
    validator=validate_secret,
    update_validator=validate_secret_update,
    status_subresource=False,
    generation_fields=(),
    selectable_fields=secret_selectable_fields,
)
