"""Rules ConfigMap and Secret share: data key names and ``immutable``.

Keys must match ``[-._a-zA-Z0-9]+`` (``IsConfigMapKey``); ``immutable: true`` freezes data
(``field is immutable when `immutable` is set``).
"""

from __future__ import annotations

import re
from typing import Any

from k8sgame.engine.errors import FieldError, forbidden, invalid

CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+"
CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
_CONFIG_KEY = re.compile(f"^{CONFIG_KEY_FMT}$")
IMMUTABLE_MSG = "field is immutable when `immutable` is set"


def key_errors(keys: list[str], path: str) -> list[FieldError]:
    errors = []
    for key in sorted(keys):
        if not _CONFIG_KEY.match(key) or key in (".", ".."):
            detail = f"{CONFIG_KEY_MSG} (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '{CONFIG_KEY_FMT}')"
            errors.append(invalid(f"{path}[{key}]", key, detail))
    return errors


def immutability(
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
