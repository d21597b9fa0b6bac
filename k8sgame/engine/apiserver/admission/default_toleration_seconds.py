"""The DefaultTolerationSeconds admission plugin
(``plugin/pkg/admission/defaulttolerationseconds``): a new pod tolerates the
``not-ready`` and ``unreachable`` NoExecute taints for 300 s unless it already tolerates
them (K8S-FACTS §9.7)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.apiserver.admission import CREATE_OPERATION, AdmissionAttributes

DEFAULT_TOLERATION_SECONDS = 300
NOT_READY_TAINT = "node.kubernetes.io/not-ready"
UNREACHABLE_TAINT = "node.kubernetes.io/unreachable"


class DefaultTolerationSeconds:
    name = "DefaultTolerationSeconds"
    operations = frozenset({CREATE_OPERATION})
    kinds: frozenset[str] | None = frozenset({"Pod"})

    def admit(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        tolerations = obj.setdefault("spec", {}).setdefault("tolerations", [])
        for key in (NOT_READY_TAINT, UNREACHABLE_TAINT):
            # An empty key (with Exists) already tolerates it.
            if any(
                t.get("key") in (key, None, "") and t.get("effect") in ("NoExecute", None, "")
                for t in tolerations
            ):
                continue
            tolerations.append(
                {
                    "key": key,
                    "operator": "Exists",
                    "effect": "NoExecute",
                    "tolerationSeconds": DEFAULT_TOLERATION_SECONDS,
                }
            )
