"""How kubectl shows a Secret: NAME, TYPE, DATA, AGE, and ``describeSecret``."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.core import describe_secret
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    return [
        obj["metadata"]["name"],
        obj.get("type", ""),
        str(len(obj.get("data") or {})),
        age(obj, now),
    ]


VIEW = KindView("Secret", TableSpec(("NAME", "TYPE", "DATA", "AGE"), _columns), describe_secret)
