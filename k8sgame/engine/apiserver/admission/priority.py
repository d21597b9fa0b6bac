"""The Priority admission plugin (``plugin/pkg/admission/priority``): with no
PriorityClass named and no global default class, a new pod gets priority 0 and the
``PreemptLowerPriority`` policy."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.admission import CREATE_OPERATION, AdmissionAttributes


class Priority:
    name = "Priority"
    operations = frozenset({CREATE_OPERATION})
    kinds: frozenset[str] | None = frozenset({"Pod"})

    def admit(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        spec = obj.setdefault("spec", {})
        spec.setdefault("priority", 0)
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
