"""Fast deep copies of JSON-shaped data (dicts, lists, scalars).

The store hands out copies so callers can never change stored state behind its back;
``copy.deepcopy`` is several times slower for this shape of data.
"""

from __future__ import annotations

from typing import Any


def clone(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value
