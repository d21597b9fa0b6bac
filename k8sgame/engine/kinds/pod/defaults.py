"""Pod defaulting, and what the pod strategy sets on a pod being created.

Defaults from ``pkg/apis/core/v1/defaults.go`` (K8S-FACTS §2.1): restartPolicy Always,
dnsPolicy ClusterFirst, schedulerName default-scheduler, terminationGracePeriodSeconds 30,
probe timeouts/periods/thresholds, imagePullPolicy by tag, termination message path/policy,
limits copied to missing requests. The admission plugins that change a new pod live in
``engine/apiserver/admission/``.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.registry import AdmissionContext
from k8sgame.engine.images.reference import InvalidImageName, parse_reference
from k8sgame.engine.kinds.pod.qos import qos_class


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


def default_container(container: dict[str, Any], in_pod: bool = True) -> None:
    """``SetDefaults_Container``; ``in_pod`` (a Pod, not a template) also copies limits to
    missing requests, which ``SetDefaults_Pod`` does for Pods only."""
    image = container.get("image") or ""
    if image:
        container.setdefault("imagePullPolicy", image_pull_policy(image))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    resources = container.setdefault("resources", {})
    limits = resources.get("limits") or {}
    if limits and in_pod:
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


def default_pod_spec(spec: dict[str, Any], in_pod: bool = True) -> None:
    """Apply ``SetDefaults_PodSpec`` and per-container defaults in place; ``in_pod`` adds what
    ``SetDefaults_Pod`` sets on Pods but not on pod templates (``enableServiceLinks``,
    requests from limits)."""
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    if in_pod:
        spec.setdefault("enableServiceLinks", True)
    for container in list(spec.get("initContainers") or []) + list(spec.get("containers") or []):
        if isinstance(container, dict):
            default_container(container, in_pod)
    for volume in spec.get("volumes") or []:
        if isinstance(volume, dict):
            default_volume(volume)


def default_pod(pod: dict[str, Any], ctx: AdmissionContext) -> None:
    """Decode-time defaulting (create and update)."""
    default_pod_spec(pod.setdefault("spec", {}))


def prepare_pod_for_create(pod: dict[str, Any], ctx: AdmissionContext) -> None:
    """The pod strategy's PrepareForCreate: a new pod starts Pending, with its QoS class."""
    pod["status"] = {"phase": "Pending", "qosClass": qos_class(pod.setdefault("spec", {}))}
