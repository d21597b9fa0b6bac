"""How kubectl shows a Lease: ``kubectl get leases`` (``leaseColumnDefinitions`` /
``printLease``: NAME, HOLDER (``spec.holderIdentity``), AGE)."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.tables import KindView, TableSpec, age


def _columns(obj: dict[str, Any], now: float) -> list[str]:
    holder = (obj.get("spec") or {}).get("holderIdentity") or ""
    return [obj["metadata"]["name"], holder, age(obj, now)]


VIEW = KindView("Lease", TableSpec(("NAME", "HOLDER", "AGE"), _columns), None)
