"""Workload predicates: a Deployment's rollout is complete, enough of its replicas are
available, and it never dropped below a number of available replicas (no downtime) since
the level started or since the player's last change. Each reads what the controllers wrote
(status, and the engine's availability log), never how often anyone looked."""

from __future__ import annotations

from typing import Any

from k8sgame.datafile.schema import Enum, Field, Int, Obj, Str
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.rollout import deployment_status
from k8sgame.kubectl.errors import KubectlError
from k8sgame.levels.predicates.registry import predicate
from k8sgame.levels.predicates.scene import Outcome, Scene, held

NAME = Field(
    Str(
        "the Deployment's name",
        pattern=r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?",
        pattern_hint="a DNS name",
    ),
    required=True,
)
NAMESPACE = Field(Str("the namespace (default: the level's namespace)"))


def _deployment(scene: Scene, params: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    name = str(params["name"])
    try:
        found = scene.cluster.api.peek("Deployment", name, scene.namespace_of(params))
    except ApiError:
        found = None
    return found, f"deployment {name}"


@predicate(
    "rollout_complete",
    Obj(
        {"name": NAME, "namespace": NAMESPACE},
        "the Deployment's rollout is complete, as `kubectl rollout status` reports it: every "
        "replica updated to the current template and available, no old pod left",
    ),
)
def rollout_complete(scene: Scene, params: dict[str, Any]) -> Outcome:
    deployment, label = _deployment(scene, params)
    if deployment is None:
        return held(False, "reasons.missing", what=label)
    try:
        line, done = deployment_status(deployment, 0)
    except KubectlError as error:
        return held(False, "reasons.rollout_waiting", what=label, status=error.message)
    if done:
        return held(True, "reasons.rollout_complete", what=label)
    return held(False, "reasons.rollout_waiting", what=label, status=line.strip())


@predicate(
    "replicas_available",
    Obj(
        {
            "name": NAME,
            "namespace": NAMESPACE,
            "count": Field(Int("how many must be available (default: spec.replicas)", 0)),
        },
        "at least this many of the Deployment's replicas are available (its AVAILABLE column)",
    ),
)
def replicas_available(scene: Scene, params: dict[str, Any]) -> Outcome:
    deployment, label = _deployment(scene, params)
    if deployment is None:
        return held(False, "reasons.missing", what=label)
    wanted = params.get("count")
    if wanted is None:
        wanted = int((deployment.get("spec") or {}).get("replicas") or 0)
    available = int((deployment.get("status") or {}).get("availableReplicas") or 0)
    return held(
        available >= int(wanted),
        "reasons.available_count",
        what=label,
        count=available,
        needed=int(wanted),
    )


@predicate(
    "no_downtime",
    Obj(
        {
            "name": NAME,
            "namespace": NAMESPACE,
            "min_available": Field(
                Int("the fewest available replicas allowed at any moment", 0), required=True
            ),
            "since": Field(
                Enum(("start", "fix"), "from the level's start (default) or the last change")
            ),
        },
        "the Deployment never had fewer available replicas than this, at any moment since the "
        "level started (or since the player's last change)",
    ),
)
def no_downtime(scene: Scene, params: dict[str, Any]) -> Outcome:
    deployment, label = _deployment(scene, params)
    if deployment is None:
        return held(False, "reasons.missing", what=label)
    since = scene.fix if params.get("since") == "fix" else scene.start
    lowest = scene.cluster.availability.lowest(
        scene.namespace_of(params), str(params["name"]), since
    )
    lowest = 0 if lowest is None else lowest
    needed = int(params["min_available"])
    key = "reasons.no_downtime" if lowest >= needed else "reasons.downtime"
    return held(lowest >= needed, key, what=label, lowest=lowest, needed=needed)


@predicate(
    "job_complete",
    Obj(
        {"name": NAME, "namespace": NAMESPACE},
        "the Job has its Complete condition (every completion it asks for succeeded)",
    ),
)
def job_complete(scene: Scene, params: dict[str, Any]) -> Outcome:
    name = str(params["name"])
    label = f"job {name}"
    try:
        job = scene.cluster.api.peek("Job", name, scene.namespace_of(params))
    except ApiError:
        job = None
    if job is None:
        return held(False, "reasons.missing", what=label)
    status = job.get("status") or {}
    counts = {
        "succeeded": int(status.get("succeeded") or 0),
        "failed": int(status.get("failed") or 0),
        "active": int(status.get("active") or 0),
    }
    for condition in status.get("conditions") or []:
        if condition.get("status") != "True":
            continue
        if condition.get("type") == "Complete":
            return held(True, "reasons.job_complete", what=label, **counts)
        if condition.get("type") == "Failed":
            return held(
                False,
                "reasons.job_failed",
                what=label,
                reason=str(condition.get("reason", "")),
                **counts,
            )
    return held(False, "reasons.job_running", what=label, **counts)
