"""The ServiceAccount admission plugin (``plugin/pkg/admission/serviceaccount``): a new pod
gets the ``default`` account unless it names one; an account that does not exist refuses
the pod; the account's image pull secrets are copied when the pod has none; and, unless
automounting is off (the pod's setting, else the account's) or the path is taken, a
``kube-api-access-<suffix>`` projected volume is mounted in every container."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.name_generator import random_suffix
from k8sgame.engine.apiserver.admission import CREATE_OPERATION, AdmissionAttributes
from k8sgame.engine.errors import forbidden_error, go_quote

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


DEFAULT_ACCOUNT = "default"


def _should_automount(account: dict[str, Any], spec: dict[str, Any]) -> bool:
    """``shouldAutomount``: the pod's setting wins, then the account's, else yes."""
    if spec.get("automountServiceAccountToken") is not None:
        return bool(spec["automountServiceAccountToken"])
    if account.get("automountServiceAccountToken") is not None:
        return bool(account["automountServiceAccountToken"])
    return True


class ServiceAccount:
    name = "ServiceAccount"
    operations = frozenset({CREATE_OPERATION})
    kinds: frozenset[str] | None = frozenset({"Pod"})

    def admit(self, attrs: AdmissionAttributes, obj: dict[str, Any]) -> None:
        spec = obj.setdefault("spec", {})
        account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
        spec["serviceAccountName"] = account
        spec["serviceAccount"] = account
        md = obj.get("metadata") or {}
        namespace = str(md.get("namespace") or "default")
        found = attrs.ctx.store.peek("ServiceAccount", account, namespace)
        if found is None and account != DEFAULT_ACCOUNT:
            # getServiceAccount's NotFound (for resource "serviceaccount"), wrapped by
            # admission.NewForbidden with the pod's name, or its generateName.
            name = (md.get("generateName") if attrs.ctx.name_generated else md.get("name")) or (
                "Unknown"
            )
            raise forbidden_error(
                f"pods {go_quote(str(name))} is forbidden: error looking up service account "
                f'{namespace}/{account}: serviceaccount "{account}" not found'
            )
        # The default account is made by its controller as the namespace appears; upstream
        # retries the lookup for it (ten times), so a missing one is a race it waits out.
        account_obj = found or {}
        if not spec.get("imagePullSecrets") and account_obj.get("imagePullSecrets"):
            spec["imagePullSecrets"] = [
                {"name": ref.get("name")} for ref in account_obj["imagePullSecrets"]
            ]
        if not _should_automount(account_obj, spec):
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
