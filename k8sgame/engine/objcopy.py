"""Fast deep copies of JSON-shaped data (dicts, lists, scalars).

The store hands out copies so callers can never change stored state behind its back;
``copy.deepcopy`` is several times slower for this shape of data.
"""

from __future__ import annotations

from typing import Any

# Leaves are most of the values in an object: they are kept as they are without a call.
_ATOMS = frozenset((str, int, float, bool, type(None)))


def clone(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: v if type(v) in _ATOMS else clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [v if type(v) in _ATOMS else clone(v) for v in value]
    return value
