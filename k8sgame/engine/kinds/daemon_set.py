"""DaemonSet (apps/v1): its schema, defaults and validation (``pkg/apis/apps/v1/defaults.go``
``SetDefaults_DaemonSet``, ``pkg/registry/apps/daemonset/strategy.go``,
``pkg/apis/apps/validation/validation.go`` ``ValidateDaemonSetSpec``).

Defaults (K8S-FACTS §7.1): updateStrategy RollingUpdate with maxUnavailable 1 and maxSurge 0,
revisionHistoryLimit 10. The API server counts template changes in the
``deprecated.daemonset.template.generation`` annotation.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import AdmissionContext, KindInfo
from k8sgame.engine.api.schema import (
    INT32,
    INT64,
    INT_OR_STRING,
    STRING,
    TIME,
    ListOf,
    Struct,
)
from k8sgame.engine.errors import FieldError, forbidden, invalid, not_supported, required
from k8sgame.engine.intstr import (
    int_or_percent_value,
    validate_at_most_100_percent,
    validate_int_or_percent,
)
from k8sgame.engine.kinds.pod.defaults import default_pod_spec
from k8sgame.engine.kinds.pod.schema import LABEL_SELECTOR, POD_TEMPLATE_SPEC
from k8sgame.engine.kinds.workload_template import validate_workload_template

ROLLING_UPDATE = "RollingUpdate"
ON_DELETE = "OnDelete"
TEMPLATE_GENERATION = "deprecated.daemonset.template.generation"

DAEMON_SET = Struct(
    "DaemonSet",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "DaemonSetSpec",
            {
                "selector": LABEL_SELECTOR,
                "template": POD_TEMPLATE_SPEC,
                "updateStrategy": Struct(
                    "DaemonSetUpdateStrategy",
                    {
                        "type": STRING,
                        "rollingUpdate": Struct(
                            "RollingUpdateDaemonSet",
                            {"maxUnavailable": INT_OR_STRING, "maxSurge": INT_OR_STRING},
                        ),
                    },
                ),
                "minReadySeconds": INT32,
                "revisionHistoryLimit": INT32,
            },
        ),
        "status": Struct(
            "DaemonSetStatus",
            {
                "currentNumberScheduled": INT32,
                "numberMisscheduled": INT32,
                "desiredNumberScheduled": INT32,
                "numberReady": INT32,
                "observedGeneration": INT64,
                "updatedNumberScheduled": INT32,
                "numberAvailable": INT32,
                "numberUnavailable": INT32,
                "collisionCount": INT32,
                "conditions": ListOf(
                    Struct(
                        "DaemonSetCondition",
                        {
                            "type": STRING,
                            "status": STRING,
                            "lastTransitionTime": TIME,
                            "reason": STRING,
                            "message": STRING,
                        },
                    )
                ),
            },
        ),
    },
)


def default_daemon_set(ds: dict[str, Any], ctx: AdmissionContext) -> None:
    """``SetDefaults_DaemonSet`` and the template's pod-spec defaults."""
    spec = ds.setdefault("spec", {})
    strategy = spec.get("updateStrategy")
    if not isinstance(strategy, dict):
        strategy = spec["updateStrategy"] = {}
    if not strategy.get("type"):
        strategy["type"] = ROLLING_UPDATE
    if strategy["type"] == ROLLING_UPDATE:
        rolling = strategy.get("rollingUpdate")
        if not isinstance(rolling, dict):
            rolling = strategy["rollingUpdate"] = {}
        if rolling.get("maxUnavailable") is None:
            rolling["maxUnavailable"] = 1
        if rolling.get("maxSurge") is None:
            rolling["maxSurge"] = 0
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    template = spec.get("template")
    if isinstance(template, dict):
        default_pod_spec(template.setdefault("spec", {}), in_pod=False)


def prepare_daemon_set(ds: dict[str, Any], ctx: AdmissionContext) -> None:
    """PrepareForCreate: an empty status and template generation 1."""
    ds["status"] = {}
    annotations = ds["metadata"].setdefault("annotations", {})
    annotations[TEMPLATE_GENERATION] = "1"


def _validate_strategy(strategy: dict[str, Any]) -> list[FieldError]:
    """``ValidateDaemonSetUpdateStrategy`` and ``ValidateRollingUpdateDaemonSet``."""
    kind = strategy.get("type")
    path = "spec.updateStrategy"
    if kind == ON_DELETE:
        return []
    if kind != ROLLING_UPDATE:
        return [not_supported(f"{path}.type", kind, (ON_DELETE, ROLLING_UPDATE))]
    rolling = strategy.get("rollingUpdate")
    if not isinstance(rolling, dict):
        return [required(f"{path}.rollingUpdate", "")]
    path = f"{path}.rollingUpdate"
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errors = validate_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errors += validate_int_or_percent(surge, f"{path}.maxSurge")
    errors += validate_at_most_100_percent(unavailable, f"{path}.maxUnavailable")
    errors += validate_at_most_100_percent(surge, f"{path}.maxSurge")
    has_unavailable = int_or_percent_value(unavailable) != 0
    has_surge = int_or_percent_value(surge) != 0
    if has_unavailable and has_surge:
        errors.append(
            invalid(f"{path}.maxSurge", surge, "may not be set when maxUnavailable is non-zero")
        )
    elif not has_unavailable and not has_surge:
        errors.append(required(f"{path}.maxUnavailable", "cannot be 0 when maxSurge is 0"))
    elif has_surge:
        errors.append(forbidden(f"{path}.maxSurge", "a surge is not modelled by the simulator"))
    return errors


def validate_daemon_set(ds: dict[str, Any]) -> list[FieldError]:
    spec = ds.get("spec") or {}
    errors: list[FieldError] = []
    validate_workload_template(spec, "daemonset", errors, kind="DaemonSet")
    for name in ("minReadySeconds", "revisionHistoryLimit"):
        value = spec.get(name)
        if isinstance(value, int) and value < 0:
            errors.append(invalid(f"spec.{name}", value, "must be greater than or equal to 0"))
    errors += _validate_strategy(spec.get("updateStrategy") or {})
    return errors


def validate_daemon_set_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """The selector is fixed once created."""
    errors = validate_daemon_set(new)
    before, after = old.get("spec") or {}, new.get("spec") or {}
    if before.get("selector") != after.get("selector"):
        errors.append(invalid("spec.selector", after.get("selector"), "field is immutable"))
    return errors


def prepare_daemon_set_update(new: dict[str, Any], old: dict[str, Any]) -> None:
    """PrepareForUpdate: a changed template counts one more template generation."""
    if (old.get("spec") or {}).get("template") != (new.get("spec") or {}).get("template"):
        old_md = old["metadata"].get("annotations") or {}
        try:
            generation = int(old_md.get(TEMPLATE_GENERATION, "0"))
        except ValueError:
            generation = 0
        new["metadata"].setdefault("annotations", {})[TEMPLATE_GENERATION] = str(generation + 1)


DAEMON_SET_KIND = KindInfo(
    kind="DaemonSet",
    group="apps",
    version="v1",
    plural="daemonsets",
    namespaced=True,
    schema=DAEMON_SET,
    short_names=("ds",),
    defaulter=default_daemon_set,
    prepare_create=prepare_daemon_set,
    validator=validate_daemon_set,
    update_validator=validate_daemon_set_update,
    prepare_update=prepare_daemon_set_update,
    categories=("all",),
)
