"""``kubectl autoscale TYPE NAME`` (``kubectl/pkg/cmd/autoscale/autoscale.go``): an
autoscaling/v2 HorizontalPodAutoscaler for a Deployment, ReplicaSet or StatefulSet, with
``--min``, ``--max`` (required), and a CPU target from ``--cpu`` (``70%`` utilization or a
quantity such as ``500m``) or the deprecated ``--cpu-percent``, and ``--memory``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.quantity import is_quantity
from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.commands.get import resolve_kind
from k8sgame.kubectl.commands.write_options import dry_run_mode
from k8sgame.kubectl.errors import KubectlError, PlainError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import check_object_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "autoscale",
    (
        *generators.OUTPUT_FLAGS,
        Flag("min", "int", default=-1),
        Flag("max", "int", default=None),
        Flag("cpu-percent", "int", default=-1),
        Flag("cpu"),
        Flag("memory"),
        Flag("name"),
    ),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
# autoscale.go: what MarkDeprecated prints for --cpu-percent (pflag's "Flag --%s has been
# deprecated, %s").
CPU_PERCENT_DEPRECATED = (
    "Flag --cpu-percent has been deprecated, Use --cpu with percentage or resource quantity "
    "format (e.g., '70%' for utilization or '500m' for milliCPU).\n"
)
SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet")


def _target(resource: str, text: str) -> dict[str, Any]:
    """``parseResourceInput``: ``70%`` is a utilization; a quantity (digits alone are
    milli-cpu or mebibytes) an average value."""
    if text.endswith("%"):
        number = text[:-1].strip()
        if not number.isdigit():
            raise KubectlError(f"invalid percentage value: {number}")
        return {"averageUtilization": int(number), "type": "Utilization"}
    value = text + ("m" if resource == "cpu" else "Mi") if text.isdigit() else text
    if not is_quantity(value):
        raise KubectlError(f"invalid resource {resource} value: {text}")
    return {"averageValue": value, "type": "AverageValue"}


def _metric(resource: str, target: dict[str, Any]) -> dict[str, Any]:
    return {"resource": {"name": resource, "target": target}, "type": "Resource"}


@handles("autoscale")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Validate the flags as kubectl does, then create the HPA (or print it)."""
    words = list(inv.args)
    if inv.flag("max") is None:
        raise KubectlError('required flag(s) "max" not set')
    maximum, minimum = int(inv.flag("max")), int(inv.flag("min"))
    cpu_percent, cpu, memory = int(inv.flag("cpu-percent")), inv.flag("cpu"), inv.flag("memory")
    result = Result(stderr=CPU_PERCENT_DEPRECATED if cpu_percent != -1 else "")
    if maximum < 1:
        raise KubectlError(f"--max=MAXPODS is required and must be at least 1, max: {maximum}")
    if maximum < minimum:
        raise KubectlError(
            f"--max=MAXPODS must be larger or equal to --min=MINPODS, max: {maximum}, "
            f"min: {minimum}"
        )
    if cpu_percent >= 0 and cpu:
        raise KubectlError("--cpu-percent and --cpu are mutually exclusive")
    if len(words) == 1 and "/" in words[0]:
        words = words[0].split("/", 1)
    if len(words) != 2:
        raise KubectlError("no objects passed to autoscale")
    info = resolve_kind(session, words[0])
    namespace = inv.flag("namespace") or session.namespace
    try:
        session.api.get(info.kind, words[1], namespace)
    except ApiError as error:
        raise PlainError(server_error(error).rstrip("\n")) from None
    if info.kind not in SCALABLE:
        raise KubectlError(
            f"cannot autoscale a {info.kind}: no scale subresource for the kind {info.kind}"
        )
    metrics = []
    if cpu_percent > 0:
        metrics.append(_metric("cpu", {"averageUtilization": cpu_percent, "type": "Utilization"}))
    if cpu:
        metrics.append(_metric("cpu", _target("cpu", cpu)))
    if memory:
        metrics.append(_metric("memory", _target("memory", memory)))
    spec: dict[str, Any] = {"maxReplicas": maximum}
    if metrics:
        spec["metrics"] = metrics
    if minimum > 0:
        spec["minReplicas"] = minimum
    spec["scaleTargetRef"] = {
        "apiVersion": f"{info.group}/{info.version}" if info.group else info.version,
        "kind": info.kind,
        "name": words[1],
    }
    name = inv.flag("name") or words[1]
    hpa: dict[str, Any] = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": generators.metadata_of(name, inv.flag("namespace")),
        "spec": spec,
        "status": {"currentMetrics": None, "desiredReplicas": 0},
    }
    output = check_object_output(session, inv.flag("output") or "")
    hpa_info = session.api.kind_info("HorizontalPodAutoscaler")
    label = resource_label(hpa_info, name)
    mode = dry_run_mode(inv)
    if mode == "client":
        if output.format:
            result.stdout += print_objects([(hpa_info, hpa)], output, struct_order=False)
        else:
            result.stdout += f"{label} created (dry run)\n"
        return result
    hpa["metadata"]["namespace"] = namespace
    try:
        created = session.api.create(hpa, dry_run=mode == "server")
    except ApiError as error:
        # The v2 create failed; kubectl then tries autoscaling/v1, which needs a CPU
        # utilization target (canCreateHPAV1).
        if not cpu or memory:
            reason = "empty input" if not cpu else "memory targets need autoscaling/v2"
            raise KubectlError(
                "failed to create autoscaling/v2 HPA and the configuration is incompatible with "
                f"autoscaling/v1: {reason}"
            ) from None
        raise PlainError(server_error(error).rstrip("\n")) from None
    result.changed = True
    if output.format:
        result.stdout += print_objects([(hpa_info, created)], output)
        return result
    suffix = " (server dry run)" if mode == "server" else ""
    result.stdout += f"{label} autoscaled{suffix}\n"
    return result
