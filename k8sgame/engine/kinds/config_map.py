"""ConfigMap: its schema and validation (keys, the 1 MiB size limit, immutability)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.api.schema import BOOL, BYTES, STRING, STRING_MAP, MapOf, Struct
from k8sgame.engine.errors import FieldError, invalid
from k8sgame.engine.kinds.config_data import immutability, key_errors

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


def validate_config_map(cm: dict[str, Any]) -> list[FieldError]:
    data = cm.get("data") or {}
    binary = cm.get("binaryData") or {}
    errors = key_errors(list(data), "data") + key_errors(list(binary), "binaryData")
    for key in sorted(set(data) & set(binary)):
        errors.append(invalid("data", key, "duplicate of key present in binaryData"))
    size = sum(len(k) + len(str(v)) for k, v in data.items()) + sum(
        len(k) + len(v) for k, v in binary.items()
    )
    if size > MAX_SIZE:
        errors.append(FieldError("TooLong", "", detail=f"may not be more than {MAX_SIZE} bytes"))
    return errors


def validate_config_map_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    return immutability(new, old, ("data", "binaryData")) + validate_config_map(new)


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
