"""How kubectl shows a ServiceAccount: NAME, SECRETS (the ``secrets`` references: 0 since
1.24, when token Secrets stopped being made), AGE, and ``ServiceAccountDescriber``."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.describers.core import describe_service_account
from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    return [obj["metadata"]["name"], str(len(obj.get("secrets") or [])), age(obj, now)]


VIEW = KindView(
    "ServiceAccount", TableSpec(("NAME", "SECRETS", "AGE"), _columns), describe_service_account
)
