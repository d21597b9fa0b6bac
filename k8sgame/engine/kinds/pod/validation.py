"""Pod validation on create and update (``pkg/apis/core/validation/validation.go``).

Covers what a learner trips over: required fields, names, ports, restart and DNS policies,
probes (one handler, thresholds, liveness/startup successThreshold 1), resource quantities
and limits >= requests, env vars, volume mounts, tolerations, and the rule that a running
pod's spec is immutable apart from a few fields.
"""

from __future__ import annotations

import json
import re
from typing import Any

from k8sgame.engine.api import names
from k8sgame.engine.errors import (
    FieldError,
    duplicate,
    forbidden,
    invalid,
    not_supported,
    required,
)
from k8sgame.engine.quantity import QuantityError, parse_quantity

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
PROTOCOLS = ("SCTP", "TCP", "UDP")
TERMINATION_MESSAGE_POLICIES = ("File", "FallbackToLogsOnError")
TAINT_EFFECTS = ("NoExecute", "NoSchedule", "PreferNoSchedule")
TOLERATION_OPERATORS = ("Equal", "Exists")
PROBE_HANDLERS = ("exec", "httpGet", "tcpSocket", "grpc")
PORT_RANGE_MSG = "must be between 1 and 65535, inclusive"


def _non_negative(value: Any, path: str, errors: list[FieldError]) -> None:
    if isinstance(value, int) and value < 0:
        errors.append(invalid(path, value, "must be greater than or equal to 0"))


_PORT_NAME_CHARSET = re.compile(r"[-a-z0-9]+")


def port_name_problems(value: str) -> list[str]:
    """apimachinery's ``IsValidPortName`` (IANA_SVC_NAME): its messages in its order."""
    problems = []
    if len(value) > 15:
        problems.append("must be no more than 15 characters")
    if not _PORT_NAME_CHARSET.fullmatch(value):
        problems.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not re.search("[a-z]", value):
        problems.append("must contain at least one letter (a-z)")
    if "--" in value:
        problems.append("must not contain consecutive hyphens")
    if value.startswith("-") or value.endswith("-"):
        problems.append("must not begin or end with a hyphen")
    return problems


def _validate_port_ref(value: Any, path: str, errors: list[FieldError]) -> None:
    if isinstance(value, int):
        if not 1 <= value <= 65535:
            errors.append(invalid(path, value, PORT_RANGE_MSG))
    elif isinstance(value, str):
        errors.extend(invalid(path, value, msg) for msg in port_name_problems(value))
    else:
        errors.append(required(path))


def _validate_handler(handler: dict[str, Any], path: str, errors: list[FieldError]) -> None:
    present = [h for h in PROBE_HANDLERS if handler.get(h) is not None]
    if not present:
        errors.append(required(path, "must specify a handler type"))
        return
    if len(present) > 1:
        for extra in present[1:]:
            errors.append(forbidden(f"{path}.{extra}", "may not specify more than 1 handler type"))
        return
    kind = present[0]
    body = handler[kind] or {}
    if kind == "exec" and not body.get("command"):
        errors.append(required(f"{path}.exec.command"))
    elif kind in ("httpGet", "tcpSocket"):
        _validate_port_ref(body.get("port"), f"{path}.{kind}.port", errors)
        if kind == "httpGet" and body.get("scheme") not in (None, "HTTP", "HTTPS"):
            errors.append(
                not_supported(f"{path}.httpGet.scheme", body["scheme"], ["HTTP", "HTTPS"])
            )
    elif kind == "grpc":
        _validate_port_ref(body.get("port"), f"{path}.grpc.port", errors)


def _validate_probe(probe: dict[str, Any], path: str, kind: str, errors: list[FieldError]) -> None:
    _validate_handler(probe, path, errors)
    for name in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        _non_negative(probe.get(name), f"{path}.{name}", errors)
    if kind in ("livenessProbe", "startupProbe") and probe.get("successThreshold") not in (None, 1):
        errors.append(invalid(f"{path}.successThreshold", probe["successThreshold"], "must be 1"))
    grace = probe.get("terminationGracePeriodSeconds")
    if grace is not None:
        if kind == "readinessProbe":
            errors.append(
                invalid(
                    f"{path}.terminationGracePeriodSeconds",
                    grace,
                    "must not be set for readinessProbes",
                )
            )
        elif grace <= 0:
            errors.append(
                invalid(f"{path}.terminationGracePeriodSeconds", grace, "must be greater than 0")
            )


# IsStandardResourceName / IsStandardContainerResourceName (pkg/apis/core/helper).
STANDARD_RESOURCES = {
    "cpu",
    "memory",
    "ephemeral-storage",
    "storage",
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
    "requests.cpu",
    "requests.memory",
    "requests.ephemeral-storage",
    "requests.storage",
    "limits.cpu",
    "limits.memory",
    "limits.ephemeral-storage",
}
CONTAINER_RESOURCES = {"cpu", "memory", "ephemeral-storage"}


def _resource_name_errors(name: str, path: str) -> list[FieldError]:
    """``validateContainerResourceName``: a typo like ``memroy`` is refused."""
    problems = [invalid(path, name, msg) for msg in names.qualified_name(name)]
    if problems:
        return problems
    if "/" not in name:
        hugepages = name.startswith("hugepages-")
        if name not in STANDARD_RESOURCES and not hugepages:
            problems.append(
                invalid(path, name, "must be a standard resource type or fully qualified")
            )
        if name not in CONTAINER_RESOURCES and not hugepages:
            problems.append(invalid(path, name, "must be a standard resource for containers"))
    return problems


def _validate_resources(resources: dict[str, Any], path: str, errors: list[FieldError]) -> None:
    parsed: dict[str, dict[str, Any]] = {}
    for group in ("limits", "requests"):
        parsed[group] = {}
        for resource, raw in sorted((resources.get(group) or {}).items()):
            field_path = f"{path}.{group}[{resource}]"
            name_errors = _resource_name_errors(str(resource), field_path)
            if name_errors:
                errors.extend(name_errors)
                continue
            try:
                amount = parse_quantity(raw)
            except QuantityError:
                errors.append(invalid(field_path, raw, "must be a valid quantity"))
                continue
            if amount < 0:
                errors.append(invalid(field_path, raw, "must be greater than or equal to 0"))
            parsed[group][resource] = (amount, raw)
    for resource, (request, raw) in parsed["requests"].items():
        limit = parsed["limits"].get(resource)
        if limit is not None and request > limit[0]:
            errors.append(
                invalid(
                    f"{path}.requests",
                    str(raw),
                    f"must be less than or equal to {resource} limit of {limit[1]}",
                )
            )


def _validate_env(container: dict[str, Any], path: str, errors: list[FieldError]) -> None:
    for index, env in enumerate(container.get("env") or []):
        env_path = f"{path}.env[{index}]"
        name = env.get("name") or ""
        if not name:
            errors.append(required(f"{env_path}.name"))
        else:
            errors.extend(
                invalid(f"{env_path}.name", name, msg) for msg in names.env_var_name(name)
            )
        source = env.get("valueFrom")
        if source is not None:
            chosen = [
                k
                for k in (
                    "fieldRef",
                    "resourceFieldRef",
                    "configMapKeyRef",
                    "secretKeyRef",
                    "fileKeyRef",
                )
                if source.get(k)
            ]
            if env.get("value"):
                errors.append(
                    invalid(
                        f"{env_path}.valueFrom",
                        "",
                        "may not be specified when `value` is not empty",
                    )
                )
            if len(chosen) != 1:
                errors.append(
                    invalid(
                        f"{env_path}.valueFrom",
                        "",
                        "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                    )
                )
            for ref_kind in ("configMapKeyRef", "secretKeyRef"):
                ref = source.get(ref_kind)
                if isinstance(ref, dict):
                    if not ref.get("key"):
                        errors.append(required(f"{env_path}.valueFrom.{ref_kind}.key"))
                    if not ref.get("name"):
                        errors.append(required(f"{env_path}.valueFrom.{ref_kind}.name"))


def _validate_container(
    container: dict[str, Any],
    path: str,
    volume_names: set[str],
    errors: list[FieldError],
    init: bool,
) -> None:
    name = container.get("name") or ""
    if not name:
        errors.append(required(f"{path}.name"))
    else:
        errors.extend(invalid(f"{path}.name", name, msg) for msg in names.dns1123_label(name))
    if not container.get("image"):
        errors.append(required(f"{path}.image"))
    policy = container.get("imagePullPolicy")
    if policy is not None and policy not in PULL_POLICIES:
        errors.append(not_supported(f"{path}.imagePullPolicy", policy, PULL_POLICIES))
    message_policy = container.get("terminationMessagePolicy")
    if message_policy is not None and message_policy not in TERMINATION_MESSAGE_POLICIES:
        errors.append(
            not_supported(
                f"{path}.terminationMessagePolicy", message_policy, TERMINATION_MESSAGE_POLICIES
            )
        )
    port_names: set[str] = set()
    for index, port in enumerate(container.get("ports") or []):
        port_path = f"{path}.ports[{index}]"
        number = port.get("containerPort")
        if number is None or number == 0:
            errors.append(required(f"{port_path}.containerPort"))
        elif not 1 <= number <= 65535:
            errors.append(invalid(f"{port_path}.containerPort", number, PORT_RANGE_MSG))
        host_port = port.get("hostPort")
        if host_port and not 1 <= host_port <= 65535:
            errors.append(invalid(f"{port_path}.hostPort", host_port, PORT_RANGE_MSG))
        if port.get("protocol") not in (None, *PROTOCOLS):
            errors.append(not_supported(f"{port_path}.protocol", port["protocol"], PROTOCOLS))
        port_name = port.get("name")
        if port_name:
            errors.extend(
                invalid(f"{port_path}.name", port_name, m) for m in port_name_problems(port_name)
            )
            if port_name in port_names:
                errors.append(duplicate(f"{port_path}.name", port_name))
            port_names.add(port_name)
    _validate_env(container, path, errors)
    _validate_resources(container.get("resources") or {}, f"{path}.resources", errors)
    for probe_kind in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(probe_kind)
        if probe is None:
            continue
        if init and container.get("restartPolicy") != "Always":
            errors.append(
                forbidden(
                    f"{path}.{probe_kind}",
                    "may not be set for init containers without restartPolicy=Always",
                )
            )
            continue
        _validate_probe(probe, f"{path}.{probe_kind}", probe_kind, errors)
    mount_paths: set[str] = set()
    for index, mount in enumerate(container.get("volumeMounts") or []):
        mount_path = f"{path}.volumeMounts[{index}]"
        volume = mount.get("name") or ""
        if not volume:
            errors.append(required(f"{mount_path}.name"))
        elif volume not in volume_names:
            errors.append(FieldError("NotFound", f"{mount_path}.name", volume))
        target = mount.get("mountPath") or ""
        if not target:
            errors.append(required(f"{mount_path}.mountPath"))
        elif target in mount_paths:
            errors.append(invalid(f"{mount_path}.mountPath", target, "must be unique"))
        mount_paths.add(target)
    restart = container.get("restartPolicy")
    if restart is not None:
        if not init:
            errors.append(
                forbidden(f"{path}.restartPolicy", "may not be set for non-init containers")
            )
        elif restart != "Always":
            errors.append(not_supported(f"{path}.restartPolicy", restart, ["Always"]))


def _validate_tolerations(
    tolerations: list[dict[str, Any]], root: str, errors: list[FieldError]
) -> None:
    for index, toleration in enumerate(tolerations):
        path = f"{root}.tolerations[{index}]"
        key = toleration.get("key") or ""
        operator = toleration.get("operator") or "Equal"
        if key:
            errors.extend(invalid(f"{path}.key", key, m) for m in names.qualified_name(key))
        elif operator != "Exists":
            errors.append(
                invalid(
                    f"{path}.operator",
                    operator,
                    'operator must be Exists when `key` is empty, which means "match all values and all keys"',
                )
            )
        if operator not in TOLERATION_OPERATORS:
            errors.append(not_supported(f"{path}.operator", operator, TOLERATION_OPERATORS))
        if operator == "Exists" and toleration.get("value"):
            errors.append(
                invalid(
                    f"{path}.operator",
                    toleration["value"],
                    "value must be empty when `operator` is 'Exists'",
                )
            )
        effect = toleration.get("effect")
        if effect and effect not in TAINT_EFFECTS:
            errors.append(not_supported(f"{path}.effect", effect, TAINT_EFFECTS))
        if toleration.get("tolerationSeconds") is not None and effect != "NoExecute":
            errors.append(
                invalid(
                    f"{path}.effect",
                    effect or "",
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
            )


def validate_pod_spec(spec: dict[str, Any], root: str = "spec") -> list[FieldError]:
    """Validate a (defaulted) pod spec; error paths start at ``root`` (``spec`` for a Pod,
    ``spec.template.spec`` for a workload's pod template)."""
    errors: list[FieldError] = []
    volume_names: set[str] = set()
    for index, volume in enumerate(spec.get("volumes") or []):
        name = volume.get("name") or ""
        path = f"{root}.volumes[{index}].name"
        if not name:
            errors.append(required(path))
        else:
            errors.extend(invalid(path, name, m) for m in names.dns1123_label(name))
            if name in volume_names:
                errors.append(duplicate(path, name))
        volume_names.add(name)
    containers = spec.get("containers") or []
    if not containers:
        errors.append(required(f"{root}.containers"))
    seen: set[str] = set()
    for group, init in (("initContainers", True), ("containers", False)):
        for index, container in enumerate(spec.get(group) or []):
            path = f"{root}.{group}[{index}]"
            _validate_container(container, path, volume_names, errors, init)
            name = container.get("name")
            if name:
                if name in seen:
                    errors.append(duplicate(f"{path}.name", name))
                seen.add(name)
    restart = spec.get("restartPolicy")
    if restart not in RESTART_POLICIES:
        errors.append(not_supported(f"{root}.restartPolicy", restart, RESTART_POLICIES))
    dns = spec.get("dnsPolicy")
    if dns not in DNS_POLICIES:
        errors.append(not_supported(f"{root}.dnsPolicy", dns, DNS_POLICIES))
    _non_negative(
        spec.get("terminationGracePeriodSeconds"), f"{root}.terminationGracePeriodSeconds", errors
    )
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and deadline <= 0:
        errors.append(
            invalid(
                f"{root}.activeDeadlineSeconds",
                deadline,
                "must be between 1 and 2147483647, inclusive",
            )
        )
    for key, value in sorted((spec.get("nodeSelector") or {}).items()):
        errors.extend(invalid(f"{root}.nodeSelector", key, m) for m in names.qualified_name(key))
        errors.extend(
            invalid(f"{root}.nodeSelector", value, m) for m in names.label_value(str(value))
        )
    _validate_tolerations(spec.get("tolerations") or [], root, errors)
    node_name = spec.get("nodeName")
    if node_name:
        errors.extend(
            invalid(f"{root}.nodeName", node_name, m) for m in names.dns1123_subdomain(node_name)
        )
    return errors


def validate_pod(pod: dict[str, Any]) -> list[FieldError]:
    return validate_pod_spec(pod.get("spec") or {})


# What a pod update may change (ValidatePodUpdate); the message lists these in upstream's words.
POD_UPDATE_FORBIDDEN = (
    "pod updates may not change fields other than `spec.containers[*].image`,"
    "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
    "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` "
    "(allow it to be set to 1 if it was previously negative)"
)


def _mutable_view(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec with the fields a pod update may change blanked out."""
    view = json.loads(json.dumps(spec))
    for group in ("containers", "initContainers"):
        for container in view.get(group) or []:
            container.pop("image", None)
    view.pop("activeDeadlineSeconds", None)
    view.pop("tolerations", None)
    view.pop("terminationGracePeriodSeconds", None)
    view.pop("schedulingGates", None)
    if not view.get("nodeName"):
        view.pop("nodeName", None)
    return view


def _spec_diff(old: Any, new: Any, path: str = "spec") -> list[str]:
    """A short list of changed paths, standing in for upstream's ``cmp.Diff`` output."""
    if isinstance(old, dict) and isinstance(new, dict):
        lines: list[str] = []
        for key in sorted(set(old) | set(new)):
            lines.extend(_spec_diff(old.get(key), new.get(key), f"{path}.{key}"))
        return lines
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        lines = []
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            lines.extend(_spec_diff(a, b, f"{path}[{index}]"))
        return lines
    if old == new:
        return []
    return [f"  {path}: {json.dumps(old)} -> {json.dumps(new)}"]


def _without_seconds(toleration: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in toleration.items() if k != "tolerationSeconds"}


def validate_pod_update(new: dict[str, Any], old: dict[str, Any]) -> list[FieldError]:
    """``ValidatePodUpdate``: only images, a shorter active deadline, added tolerations (or new
    tolerationSeconds) and a negative grace period set to 1 may change; the new spec must
    still be valid."""
    new_spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errors: list[FieldError] = []
    for group in ("containers", "initContainers"):
        if len(new_spec.get(group) or []) != len(old_spec.get(group) or []):
            return [forbidden(f"spec.{group}", "pod updates may not add or remove containers")]
    old_view, new_view = _mutable_view(old_spec), _mutable_view(new_spec)
    old_grace, new_grace = (
        old_spec.get("terminationGracePeriodSeconds"),
        new_spec.get("terminationGracePeriodSeconds"),
    )
    if old_grace != new_grace and not (
        isinstance(old_grace, int) and old_grace < 0 and new_grace == 1
    ):
        old_view["terminationGracePeriodSeconds"] = old_grace
        new_view["terminationGracePeriodSeconds"] = new_grace
    if old_view != new_view:
        diff = _spec_diff(old_view, new_view)
        errors.append(forbidden("spec", POD_UPDATE_FORBIDDEN + "\n" + "\n".join(diff)))
    if old_spec.get("nodeName") and new_spec.get("nodeName") != old_spec.get("nodeName"):
        errors.append(forbidden("spec.nodeName", "field is immutable"))
    old_deadline, new_deadline = (
        old_spec.get("activeDeadlineSeconds"),
        new_spec.get("activeDeadlineSeconds"),
    )
    if old_deadline is not None and new_deadline is None:
        errors.append(
            invalid(
                "spec.activeDeadlineSeconds",
                None,
                "must not update from a positive integer to nil value",
            )
        )
    elif old_deadline is not None and new_deadline is not None and new_deadline > old_deadline:
        errors.append(
            invalid(
                "spec.activeDeadlineSeconds",
                new_deadline,
                "must be less than or equal to previous value",
            )
        )
    new_tolerations = [_without_seconds(t) for t in new_spec.get("tolerations") or []]
    if any(_without_seconds(t) not in new_tolerations for t in old_spec.get("tolerations") or []):
        errors.append(
            forbidden(
                "spec.tolerations",
                "existing toleration can not be modified except its tolerationSeconds",
            )
        )
    if not errors:
        errors.extend(validate_pod_spec(new_spec))
    return errors
