"""The Priority admission plugin (``plugin/pkg/admission/priority``): with no
PriorityClass named and no global default class, a new pod gets priority 0 and the
``PreemptLowerPriority`` policy."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.admission import CREATE_OPERATION, AdmissionAttributes


class Priority:
    name = "Priority"

    def admit(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        if attrs.operation != CREATE_OPERATION or attrs.kind.kind != "Pod":
            return
        spec = obj.setdefault("spec", {})
        spec.setdefault("priority", 0)
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
