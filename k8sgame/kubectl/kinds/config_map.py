"""How kubectl shows a ConfigMap: NAME, DATA (data and binaryData keys), AGE, and
``ConfigMapDescriber``."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.core import describe_config_map
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    keys = len(obj.get("data") or {}) + len(obj.get("binaryData") or {})
    return [obj["metadata"]["name"], str(keys), age(obj, now)]


VIEW = KindView("ConfigMap", TableSpec(("NAME", "DATA", "AGE"), _columns), describe_config_map)
