"""What workload kinds share about their pod template: its schema and the checks
``ValidatePodTemplateSpecForReplicaSet`` makes (``pkg/apis/apps/validation``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import validate_labels
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.kinds.pod.schema import POD_TEMPLATE_SPEC
from k8sgame.engine.kinds.pod.validation import validate_pod_spec
from k8sgame.engine.labels import SelectorError, from_label_selector

__all__ = ["POD_TEMPLATE_SPEC", "validate_workload_template"]


def validate_workload_template(
    spec: dict[str, Any],
    kind_word: str,
    errors: list[FieldError],
    kind: str = "ReplicaSet",
    pod_spec_checked: bool = True,
) -> None:
    """The selector and pod-template checks Deployments, ReplicaSets and DaemonSets share
    (``ValidatePodTemplateSpecForReplicaSet``), appended to ``errors`` in upstream's order;
    ``kind_word`` and ``kind`` are how the messages name the kind. A StatefulSet's template
    is not run through the pod-spec checks (``ValidatePodTemplateSpecForStatefulSet`` leaves
    them out, since its mounts may name volume claim templates): a bad pod spec shows up
    when its pods are created."""
    raw_selector = spec.get("selector")
    if raw_selector is None:
        errors.append(required("spec.selector"))
    elif not (raw_selector.get("matchLabels") or raw_selector.get("matchExpressions")):
        errors.append(
            invalid("spec.selector", raw_selector, f"empty selector is invalid for {kind_word}")
        )
    template = spec.get("template") or {}
    labels = (template.get("metadata") or {}).get("labels") or {}
    try:
        selector = from_label_selector(raw_selector)
    except SelectorError:
        errors.append(invalid("spec.selector", raw_selector, "invalid label selector"))
        return
    if not selector.empty and not selector.matches(labels):
        errors.append(
            invalid(
                "spec.template.metadata.labels",
                labels,
                "`selector` does not match template `labels`",
            )
        )
    errors.extend(validate_labels(labels, "spec.template.metadata.labels"))
    pod_spec = template.get("spec") or {}
    if pod_spec_checked:
        errors.extend(validate_pod_spec(pod_spec, "spec.template.spec"))
    restart = pod_spec.get("restartPolicy")
    if restart != "Always":
        errors.append(not_supported("spec.template.spec.restartPolicy", restart, ("Always",)))
    if pod_spec.get("activeDeadlineSeconds") is not None:
        errors.append(
            forbidden(
                "spec.template.spec.activeDeadlineSeconds",
                f"activeDeadlineSeconds in {kind} is not Supported",
            )
        )
