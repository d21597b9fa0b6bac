"""Pod defaulting and the admission plugins that change a new pod.

Defaults from ``pkg/apis/core/v1/defaults.go`` (K8S-FACTS §2.1): restartPolicy Always,
dnsPolicy ClusterFirst, schedulerName default-scheduler, terminationGracePeriodSeconds 30,
probe timeouts/periods/thresholds, imagePullPolicy by tag, termination message path/policy,
limits copied to missing requests. Admission: ServiceAccount (``default`` account and the
``kube-api-access-*`` projected token volume), Priority (0), DefaultTolerationSeconds
(not-ready/unreachable NoExecute for 300 s, K8S-FACTS §9.7).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.qos import qos_class
from k8sgame.engine.api.registry import AdmissionContext
from k8sgame.engine.images.reference import InvalidImageName, parse_reference

# generateName / volume suffix alphabet (apiserver names.SimpleNameGenerator, utilrand.String).
SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
SERVICE_ACCOUNT_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"
DEFAULT_TOLERATION_SECONDS = 300


def random_suffix(ctx: AdmissionContext, length: int = 5) -> str:
    return "".join(ctx.rng.choice(SUFFIX_ALPHABET) for _ in range(length))


def image_pull_policy(image: str) -> str:
    """``Always`` for ``:latest`` or no tag, else ``IfNotPresent`` (digests count as tagged).

    A reference that does not parse has no tag to look at: ``IfNotPresent``."""
    try:
        parse_reference(image)
    except InvalidImageName:
        return "IfNotPresent"
    if "@" in image:
        return "IfNotPresent"
    last = image.rsplit("/", 1)[-1]
    if ":" not in last:
        return "Always"
    return "Always" if last.rsplit(":", 1)[1] == "latest" else "IfNotPresent"


def default_probe(probe: dict[str, Any] | None) -> None:
    if not probe:
        return
    # SetDefaults_Probe replaces zero as well as missing values.
    for name, default in (
        ("timeoutSeconds", 1),
        ("periodSeconds", 10),
        ("successThreshold", 1),
        ("failureThreshold", 3),
    ):
        if not probe.get(name):
            probe[name] = default
    http = probe.get("httpGet")
    if isinstance(http, dict):
        http.setdefault("path", "/")
        http.setdefault("scheme", "HTTP")


def default_container(container: dict[str, Any]) -> None:
    image = container.get("image") or ""
    if image:
        container.setdefault("imagePullPolicy", image_pull_policy(image))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    resources = container.setdefault("resources", {})
    limits = resources.get("limits") or {}
    if limits:
        requests = resources.setdefault("requests", {})
        for name, value in limits.items():
            requests.setdefault(name, value)
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
    for env in container.get("env") or []:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef")
        if isinstance(field_ref, dict):
            field_ref.setdefault("apiVersion", "v1")
    for name in ("livenessProbe", "readinessProbe", "startupProbe"):
        default_probe(container.get(name))


def default_volume(volume: dict[str, Any]) -> None:
    for source in ("configMap", "secret"):
        if isinstance(volume.get(source), dict):
            volume[source].setdefault("defaultMode", 420)
    if isinstance(volume.get("hostPath"), dict):
        volume["hostPath"].setdefault("type", "")


def default_pod_spec(spec: dict[str, Any]) -> None:
    """Apply ``SetDefaults_PodSpec`` and per-container defaults in place."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("enableServiceLinks", True)
    for container in list(spec.get("initContainers") or []) + list(spec.get("containers") or []):
        if isinstance(container, dict):
            default_container(container)
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict):
            default_volume(volume)


def _admit_service_account(spec: dict[str, Any], ctx: AdmissionContext) -> None:
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = account
    spec["serviceAccount"] = account
    if spec.get("automountServiceAccountToken") is False:
        return
    containers = list(spec.get("initContainers") or []) + list(spec.get("containers") or [])
    if any(
        m.get("mountPath") == SERVICE_ACCOUNT_MOUNT
        for c in containers
        for m in c.get("volumeMounts") or []
    ):
        return
    volume_name = f"kube-api-access-{random_suffix(ctx)}"
    spec.setdefault("volumes", []).append(
        {
            "name": volume_name,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {
                        "configMap": {
                            "name": "kube-root-ca.crt",
                            "items": [{"key": "ca.crt", "path": "ca.crt"}],
                        }
                    },
                    {
                        "downwardAPI": {
                            "items": [
                                {
                                    "path": "namespace",
                                    "fieldRef": {
                                        "apiVersion": "v1",
                                        "fieldPath": "metadata.namespace",
                                    },
                                }
                            ]
                        }
                    },
                ],
            },
        }
    )
    for container in containers:
        container.setdefault("volumeMounts", []).append(
            {"name": volume_name, "readOnly": True, "mountPath": SERVICE_ACCOUNT_MOUNT}
        )


def _admit_default_tolerations(spec: dict[str, Any]) -> None:
    tolerations = spec.setdefault("tolerations", [])
    for key in ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"):
        # An empty key (with Exists) already tolerates it (DefaultTolerationSeconds plugin).
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


def default_pod(pod: dict[str, Any], ctx: AdmissionContext) -> None:
    """Decode-time defaulting (create and update)."""
    default_pod_spec(pod.setdefault("spec", {}))


def admit_pod(pod: dict[str, Any], ctx: AdmissionContext) -> None:
    """Admission plugins that change a Pod being created, and its initial status."""
    spec = pod.setdefault("spec", {})
    _admit_service_account(spec, ctx)
    spec.setdefault("priority", 0)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    _admit_default_tolerations(spec)
    pod["status"] = {"phase": "Pending", "qosClass": qos_class(spec)}
