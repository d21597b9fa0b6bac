"""How kubectl shows a Namespace: NAME, STATUS, AGE and ``describeNamespace``."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.core import describe_namespace
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    return [obj["metadata"]["name"], (obj.get("status") or {}).get("phase", ""), age(obj, now)]


VIEW = KindView("Namespace", TableSpec(("NAME", "STATUS", "AGE"), _columns), describe_namespace)
