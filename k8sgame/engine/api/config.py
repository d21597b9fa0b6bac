"""ConfigMap and Secret: schemas, Secret ``stringData`` folding, key and immutability rules.

Keys must match ``[-._a-zA-Z0-9]+`` (``IsConfigMapKey``); ``immutable: true`` freezes data
(``field is immutable when `immutable` is set``). Secret ``data`` values are base64.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import BOOL, BYTES, STRING, STRING_MAP, MapOf, Struct
from k8sgame.engine.errors import FieldError, forbidden, invalid

CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_CONFIG_KEY = re.compile(f"^{CONFIG_KEY_FMT}$")
IMMUTABLE_MSG = "field is immutable when `immutable` is set"
MAX_SIZE = 1024 * 1024

CONFIG_MAP = Struct(
    "ConfigMap",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "immutable": BOOL,
        "data": STRING_MAP,
        "binaryData": MapOf(BYTES),
    },
)
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


def _key_errors(keys: list[str], path: str) -> list[FieldError]:
    errors = []
    for key in sorted(keys):
        if not _CONFIG_KEY.match(key) or key in (".", ".."):
            detail = f"{CONFIG_KEY_MSG} (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '{CONFIG_KEY_FMT}')"
            errors.append(invalid(f"{path}[{key}]", key, detail))
    return errors


def validate_config_map(cm: dict[str, Any]) -> list[FieldError]:
    data = cm.get("data") or {}
    binary = cm.get("binaryData") or {}
    errors = _key_errors(list(data), "data") + _key_errors(list(binary), "binaryData")
    for key in sorted(set(data) & set(binary)):
        errors.append(invalid("data", key, "duplicate of key present in binaryData"))
    size = sum(len(k) + len(str(v)) for k, v in data.items()) + sum(
        len(k) + len(v) for k, v in binary.items()
    )
    if size > MAX_SIZE:
        errors.append(FieldError("TooLong", "", detail=f"may not be more than {MAX_SIZE} bytes"))
    return errors


def _immutability(
    new: dict[str, Any], old: dict[str, Any], fields: tuple[str, ...]
) -> list[FieldError]:
    if not old.get("immutable"):
        return []
    errors = []
    if not new.get("immutable"):
        errors.append(forbidden("immutable", IMMUTABLE_MSG))
    for name in fields:
        if (new.get(name) or {}) != (old.get(name) or {}):
            errors.append(forbidden(name, IMMUTABLE_MSG))
    return errors


def validate_config_map_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    return _immutability(new, old, ("data", "binaryData")) + validate_config_map(new)


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
    return _key_errors(list(secret.get("data") or {}), "data")


def validate_secret_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    errors = _immutability(new, old, ("data",))
    if new.get("type") != old.get("type"):
        errors.append(invalid("type", new.get("type"), "field is immutable"))
    return errors + validate_secret(new)


CONFIG_MAP_KIND = KindInfo(
    kind="ConfigMap",
    group="",
    version="v1",
    plural="configmaps",
    namespaced=True,
    schema=CONFIG_MAP,
    short_names=("cm",),
    validator=validate_config_map,
    update_validator=validate_config_map_update,
    status_subresource=False,
    generation_fields=(),
)
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
)
