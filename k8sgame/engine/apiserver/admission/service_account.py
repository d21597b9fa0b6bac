"""The ServiceAccount admission plugin (``plugin/pkg/admission/serviceaccount``): a new pod
gets the ``default`` account unless it names one, and, unless automounting is off or the
path is taken, a ``kube-api-access-<suffix>`` projected volume mounted in every container."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.name_generator import random_suffix
from k8sgame.engine.apiserver.admission import CREATE_OPERATION, AdmissionAttributes

SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
# serviceaccount.WarnOnlyBoundTokenExpirationSeconds: one hour and 7 s.
TOKEN_EXPIRATION_SECONDS = 3607


def _token_volume(name: str) -> dict[str, Any]:
    namespace_item = {
        "path": "namespace",
        "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
    }
    return {
        "name": name,
        "projected": {
            "defaultMode": 420,
            "sources": [
                {
                    "serviceAccountToken": {
                        "expirationSeconds": TOKEN_EXPIRATION_SECONDS,
                        "path": "token",
                    }
                },
                {
                    "configMap": {
                        "name": "kube-root-ca.crt",
                        "items": [{"key": "ca.crt", "path": "ca.crt"}],
                    }
                },
                {"downwardAPI": {"items": [namespace_item]}},
            ],
        },
    }


class ServiceAccount:
    name = "ServiceAccount"
    operations = frozenset({CREATE_OPERATION})
    kinds: frozenset[str] | None = frozenset({"Pod"})

    def admit(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        spec = obj.setdefault("spec", {})
        account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        spec["serviceAccountName"] = account
        spec["serviceAccount"] = account
        if spec.get("automountServiceAccountToken") is False:
            return
        containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
        if any(
            mount.get("mountPath") == SERVICE_ACCOUNT_MOUNT
            for container in containers
            for mount in container.get("volumeMounts") or []
        ):
            return
        volume_name = f"kube-api-access-{random_suffix(attrs.ctx.rng)}"
        spec.setdefault("volumes", []).append(_token_volume(volume_name))
        for container in containers:
            container.setdefault("volumeMounts", []).append(
                {"name": volume_name, "readOnly": True, "mountPath": SERVICE_ACCOUNT_MOUNT}
            )
