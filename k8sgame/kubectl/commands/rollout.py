"""``kubectl rollout status|history|undo|restart|pause|resume`` for Deployments
(``kubectl/pkg/cmd/rollout``, ``pkg/polymorphichelpers``: ``rollout_status.go``,
``history.go``, ``rollback.go``, ``objectrestarter.go``, ``objectpauser.go``,
``objectresumer.go``).

``rollout status`` watches the object: it prints the status line for the object as it is and
again at each change, until the rollout is done, fails or ``--timeout`` passes. Where kubectl
would wait for ever (no ``--timeout``), the sandbox stops after an hour of simulated time and
says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sgame.content.text import KUBECTL_NOTICES, say
from k8sgame.engine.controllers.deployment.conditions import PROGRESSING, TIMED_OUT
from k8sgame.engine.controllers.deployment.revisions import (
    CHANGE_CAUSE,
    HASH_LABEL,
    SKIPPED_ANNOTATIONS,
    equal_ignore_hash,
    revision,
)
from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.engine.store import DELETED, WatchEvent
from k8sgame.engine.timefmt import parse_go_duration, rfc3339
from k8sgame.kubectl.commands.targets import Target, selected_targets
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.deployments import replica_sets_of
from k8sgame.kubectl.describers.pod import describe_pod_template
from k8sgame.kubectl.errors import KubectlError, NotModelledError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.tabwriter import render_text
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

TARGET_FLAGS = (Flag("filename", short="f", repeat=True), Flag("selector", short="l"))
register_verb("rollout", ())
register_verb(
    "rollout status",
    (
        *TARGET_FLAGS,
        Flag("watch", "bool", "w", True),
        Flag("revision", "int", default=0),
        Flag("timeout", default="0s"),
    ),
    effect=Effect.WAITS,
)
register_verb("rollout history", (*TARGET_FLAGS, Flag("revision", "int", default=0)))
register_verb(
    "rollout undo",
    (*TARGET_FLAGS, Flag("to-revision", "int", default=0), DRY_RUN_FLAG),
    effect=Effect.CHANGES,
)
for _name in ("rollout restart", "rollout pause", "rollout resume"):
    register_verb(_name, TARGET_FLAGS, effect=Effect.CHANGES)

RESTARTED_AT = "kubectl.kubernetes.io/restartedAt"
# Where kubectl waits without end, the sandbox stops after this much simulated time.
WAIT_CAP_SECONDS = 3600.0
TIMED_OUT_WAITING = "timed out waiting for the condition"

Obj = dict[str, Any]


def group_kind(target: Target) -> str:
    """``schema.GroupKind.String()``: ``Deployment.apps``, ``Pod``."""
    info = target.info
    return f"{info.kind}.{info.group}" if info.group else info.kind


def _resource_string(target: Target) -> str:
    info = target.info
    return f"{info.plural}.{info.group}" if info.group else info.plural


def _require_resources(inv: Invocation) -> None:
    """Every rollout subcommand's Validate: a resource or a file must be named."""
    if not inv.args and not inv.flag("filename"):
        raise KubectlError("required resource not specified")


def _targets(session: KubectlSession, inv: Invocation) -> list[Target]:
    """The objects named, or with a type alone every object of it
    (``ResourceTypeOrNameArgs(true, ...)``)."""
    _require_resources(inv)
    targets = selected_targets(session, inv, inv.args, type_means_all=True)
    for target in targets:
        if target.error is not None:
            raise target.error
    return targets


def _nothing_found(session: KubectlSession, inv: Invocation) -> str:
    namespace = inv.flag("namespace") or session.namespace
    return f"No resources found in {namespace} namespace.\n"


@handles("rollout")
def rollout_group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl rollout`` alone lists its subcommands on stderr and fails."""
    return Result(
        stderr=(
            "Available Commands:\n"
            "  history       View rollout history\n"
            "  pause         Mark the provided resource as paused\n"
            "  restart       Restart a resource\n"
            "  resume        Resume a paused resource\n"
            "  status        Show the status of the rollout\n"
            "  undo          Undo a previous rollout\n\n"
            "Usage:\n  kubectl rollout SUBCOMMAND [options]\n"
        ),
        exit_code=1,
    )


# -- status -----------------------------------------------------------------------------------


def deployment_status(deployment: Obj, wanted_revision: int) -> tuple[str, bool]:
    """``DeploymentStatusViewer.Status``: the line to print and whether the rollout is done;
    raises KubectlError when it failed."""
    name = deployment["metadata"]["name"]
    spec, status = deployment.get("spec") or {}, deployment.get("status") or {}
    if wanted_revision > 0:
        current = revision(deployment)
        if wanted_revision != current:
            raise KubectlError(
                f"desired revision ({wanted_revision}) is different from the running revision"
                f" ({current})"
            )
    generation = int(deployment["metadata"].get("generation") or 0)
    if generation > int(status.get("observedGeneration") or 0):
        return "Waiting for deployment spec update to be observed...\n", False
    for condition in status.get("conditions") or []:
        if condition.get("type") == PROGRESSING and condition.get("reason") == TIMED_OUT:
            raise KubectlError(f'deployment "{name}" exceeded its progress deadline')
    wanted = int(spec.get("replicas") or 0)
    updated = int(status.get("updatedReplicas") or 0)
    total = int(status.get("replicas") or 0)
    available = int(status.get("availableReplicas") or 0)
    waiting = f'Waiting for deployment "{name}" rollout to finish: '
    if updated < wanted:
        return f"{waiting}{updated} out of {wanted} new replicas have been updated...\n", False
    if total > updated:
        return f"{waiting}{total - updated} old replicas are pending termination...\n", False
    if available < updated:
        return f"{waiting}{available} of {updated} updated replicas are available...\n", False
    return f'deployment "{name}" successfully rolled out\n', True


def daemon_set_status(ds: Obj, wanted_revision: int) -> tuple[str, bool]:
    """``DaemonSetStatusViewer.Status`` (a DaemonSet has no revisions here: ignored)."""
    name = ds["metadata"]["name"]
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    if (spec.get("updateStrategy") or {}).get("type") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    generation = int(ds["metadata"].get("generation") or 0)
    if generation > int(status.get("observedGeneration") or 0):
        return "Waiting for daemon set spec update to be observed...\n", False
    desired = int(status.get("desiredNumberScheduled") or 0)
    updated = int(status.get("updatedNumberScheduled") or 0)
    available = int(status.get("numberAvailable") or 0)
    waiting = f'Waiting for daemon set "{name}" rollout to finish: '
    if updated < desired:
        return f"{waiting}{updated} out of {desired} new pods have been updated...\n", False
    if available < desired:
        return f"{waiting}{available} of {desired} updated pods are available...\n", False
    return f'daemon set "{name}" successfully rolled out\n', True


def stateful_set_status(sts: Obj, wanted_revision: int) -> tuple[str, bool]:
    """``StatefulSetStatusViewer.Status``."""
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    observed = int(status.get("observedGeneration") or 0)
    if observed == 0 or int(sts["metadata"].get("generation") or 0) > observed:
        return "Waiting for statefulset spec update to be observed...\n", False
    wanted = int(spec.get("replicas") or 0)
    ready = int(status.get("readyReplicas") or 0)
    if ready < wanted:
        return f"Waiting for {wanted - ready} pods to be ready...\n", False
    updated = int(status.get("updatedReplicas") or 0)
    rolling = strategy.get("rollingUpdate")
    if isinstance(rolling, dict):
        partition = rolling.get("partition")
        if partition is not None and updated < wanted - int(partition):
            return (
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {wanted - int(partition)} new pods have been updated...\n",
                False,
            )
        return f"partitioned roll out complete: {updated} new pods have been updated...\n", True
    current, update = status.get("currentRevision"), status.get("updateRevision")
    if update != current:
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{update}...\n",
            False,
        )
    return (
        f"statefulset rolling update complete {int(status.get('currentReplicas') or 0)} pods "
        f"at revision {current}...\n",
        True,
    )


StatusViewer = Callable[[Obj, int], tuple[str, bool]]
STATUS_VIEWERS: dict[str, StatusViewer] = {
    "Deployment": deployment_status,
    "DaemonSet": daemon_set_status,
    "StatefulSet": stateful_set_status,
}
# Kinds whose history lives in ControllerRevisions, which the simulator does not keep.
KEPT_IN_CONTROLLER_REVISIONS = ("DaemonSet", "StatefulSet")
# ObjectRestarter: the kinds whose pod template ``rollout restart`` annotates.
RESTARTABLE = ("Deployment", "DaemonSet", "StatefulSet")


@handles("rollout status")
def status(session: KubectlSession, inv: Invocation) -> Result:
    _require_resources(inv)
    wanted_revision = inv.flag("revision")
    if wanted_revision < 0:
        raise KubectlError(f"revision must be a positive integer: {wanted_revision}")
    try:
        timeout = parse_go_duration(inv.flag("timeout") or "0s")
    except ValueError as error:
        raise KubectlError(
            f'invalid argument "{inv.flag("timeout")}" for "--timeout" flag: {error}'
        ) from None
    targets = _targets(session, inv)
    result = Result()
    if not targets:
        result.stderr = _nothing_found(session, inv)
        return result
    for target in targets:
        failure = _watch_status(session, inv, target, wanted_revision, timeout, result)
        if failure is not None or result.exit_code:
            return _finish(result, failure, session)
    return result


def _watch_status(
    session: KubectlSession,
    inv: Invocation,
    target: Target,
    wanted_revision: int,
    timeout: float,
    result: Result,
) -> KubectlError | None:
    """Watch one object until its rollout is done (each with its own timeout), printing
    the status line for it as it is and at every change; the error that ended it, if any."""
    viewer = STATUS_VIEWERS.get(target.info.kind)
    if viewer is None:
        raise KubectlError(f"no status viewer has been implemented for {group_kind(target)}")
    outcome: dict[str, Any] = {"done": False, "error": None}

    def consider(obj: Obj) -> None:
        try:
            line, done = viewer(obj, wanted_revision)
        except KubectlError as error:
            outcome["error"] = error
            return
        result.stdout += line
        outcome["done"] = done or not inv.flag("watch")

    consider(target.obj or {})
    if outcome["done"] or outcome["error"] is not None:
        return outcome["error"]
    cluster = session.cluster

    def on_change(event: WatchEvent) -> None:
        md = event.obj["metadata"]
        if md.get("name") != target.name or md.get("namespace", "") != target.namespace:
            return
        if outcome["done"] or outcome["error"] is not None:
            return
        if event.type == DELETED:
            outcome["error"] = KubectlError("object has been deleted")
            return
        consider(event.obj)

    session.api.watch(on_change, (target.info.kind,))
    try:
        limit = timeout if timeout > 0 else WAIT_CAP_SECONDS
        finished = cluster.run_until(
            lambda: bool(outcome["done"]) or outcome["error"] is not None, limit
        )
    finally:
        session.api.unwatch(on_change)
    if not finished:
        if timeout > 0:
            return KubectlError(TIMED_OUT_WAITING)
        result.stderr += (
            say("rollout_wait_capped", session.language, table=KUBECTL_NOTICES, hours=1) + "\n"
        )
        result.exit_code = 1
    return outcome["error"]


def _finish(result: Result, error: KubectlError | None, session: KubectlSession) -> Result:
    if error is not None:
        result.stderr += error.render(session.language)
        result.exit_code = 1
    return result


# -- history ----------------------------------------------------------------------------------


def _history(deployment: Obj, session: KubectlSession) -> dict[int, Obj]:
    """Each revision's ReplicaSet (``controlledHistory``; a later one wins a shared number)."""
    new_rs, old_rss = replica_sets_of(deployment, session.api)
    found: dict[int, Obj] = {}
    for rs in [*old_rss, *([new_rs] if new_rs else [])]:
        found[revision(rs)] = rs
    return found


def template_text(template: Obj | None) -> str:
    """``printTemplate``: the describer's Pod Template block with its tabs as they are (no
    tabwriter)."""
    out: list[str] = []
    describe_pod_template(template, out)
    return "\n".join(out) + "\n"


def _no_history_viewer(target: Target) -> KubectlError:
    return KubectlError(f'no history viewer has been implemented for "{group_kind(target)}"')


@handles("rollout history")
def history(session: KubectlSession, inv: Invocation) -> Result:
    _require_resources(inv)
    wanted = inv.flag("revision")
    if wanted < 0:
        raise KubectlError(f"revision must be a positive integer: {wanted}")
    result = Result()
    targets = _targets(session, inv)
    if not targets:
        result.stderr = _nothing_found(session, inv)
        return result
    for target in targets:
        if target.info.kind in KEPT_IN_CONTROLLER_REVISIONS:
            raise NotModelledError("controller_revisions_not_modelled", kind=target.info.kind)
        if target.info.kind != "Deployment":
            raise _no_history_viewer(target)
        revisions = _history(target.obj or {}, session)
        label = resource_label(target.info, target.name)
        heading = f"{label} with revision #{wanted}" if wanted > 0 else f"{label} "
        if not revisions:
            result.stdout += f"{heading}\nNo rollout history found.\n"
            continue
        if wanted > 0:
            rs = revisions.get(wanted)
            if rs is None:
                raise KubectlError("unable to find the specified revision")
            template = clone((rs.get("spec") or {}).get("template") or {})
            # ViewHistory shows the ReplicaSet's change-cause among the template's annotations.
            cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE)
            if cause:
                template.setdefault("metadata", {}).setdefault("annotations", {})[CHANGE_CAUSE] = (
                    cause
                )
            result.stdout += f"{heading}\n{template_text(template)}\n"
            continue
        rows = ["REVISION\tCHANGE-CAUSE"]
        for number in sorted(revisions):
            annotations = revisions[number]["metadata"].get("annotations") or {}
            rows.append(f"{number}\t{annotations.get(CHANGE_CAUSE) or '<none>'}")
        result.stdout += f"{heading}\n{render_text(chr(10).join(rows))}\n\n"
    return result


# -- undo -------------------------------------------------------------------------------------


def _revision_to_restore(deployment: Obj, to_revision: int, session: KubectlSession) -> Obj:
    """``deploymentRevision``: the ReplicaSet of that revision, or with 0 the one before the
    newest."""
    revisions = _history(deployment, session)
    if to_revision > 0:
        rs = revisions.get(to_revision)
        if rs is None:
            raise KubectlError(f"unable to find specified revision {to_revision} in history")
        return rs
    if to_revision < 0:
        raise KubectlError(f"unable to find specified revision {to_revision} in history")
    numbers = sorted(n for n in revisions if n > 0)
    if len(numbers) < 2:
        name = deployment["metadata"]["name"]
        raise KubectlError(f'no rollout history found for deployment "{name}"')
    return revisions[numbers[-2]]


@handles("rollout undo")
def undo(session: KubectlSession, inv: Invocation) -> Result:
    mode = dry_run_mode(inv)
    to_revision = inv.flag("to-revision")
    result = Result()
    targets = _targets(session, inv)
    if not targets:
        result.stderr = _nothing_found(session, inv)
        return result
    for target in targets:
        if target.info.kind in KEPT_IN_CONTROLLER_REVISIONS:
            raise NotModelledError("controller_revisions_not_modelled", kind=target.info.kind)
        if target.info.kind != "Deployment":
            raise KubectlError(f'no rollbacker has been implemented for "{group_kind(target)}"')
        deployment = target.obj or {}
        label = resource_label(target.info, target.name)
        rs = _revision_to_restore(deployment, to_revision, session)
        template = clone((rs.get("spec") or {}).get("template") or {})
        if mode == "client":
            result.stdout += f"{label} {template_text(template)} (dry run)\n"
            continue
        if (deployment.get("spec") or {}).get("paused"):
            raise KubectlError(
                "you cannot rollback a paused deployment; resume it first with"
                " 'kubectl rollout resume' and try again"
            )
        if equal_ignore_hash(template, (deployment.get("spec") or {}).get("template")):
            result.stdout += (
                f"{label} skipped rollback (current template already matches revision"
                f" {to_revision})\n"
            )
            continue
        labels = (template.get("metadata") or {}).get("labels") or {}
        labels.pop(HASH_LABEL, None)
        current = deployment["metadata"].get("annotations") or {}
        annotations = {k: v for k, v in current.items() if k in SKIPPED_ANNOTATIONS}
        annotations.update(
            {
                k: v
                for k, v in (rs["metadata"].get("annotations") or {}).items()
                if k not in SKIPPED_ANNOTATIONS
            }
        )
        patch = [
            {"op": "replace", "path": "/spec/template", "value": template},
            {"op": "replace", "path": "/metadata/annotations", "value": annotations},
        ]
        try:
            session.api.patch(
                "Deployment", target.name, target.namespace, patch, "json", dry_run=mode == "server"
            )
        except ApiError as error:
            number = revision(rs)
            raise KubectlError(f"failed restoring revision {number}: {error.message}") from None
        result.stdout += f"{label} rolled back{dry_run_suffix(mode)}\n"
    return result


# -- restart, pause, resume -------------------------------------------------------------------


class _Plain(str):
    """An error a rollout command collects as it is, without the object's name before it."""


def _patch_each(
    session: KubectlSession,
    inv: Invocation,
    change: Callable[[Target, Obj], Obj | str],
    done_word: str,
) -> Result:
    """Patch every target with what ``change`` gives (a merge patch, or the text of the
    error kubectl wraps as ``error: <resource> "<name>" <text>``)."""
    result = Result()
    targets = _targets(session, inv)
    if not targets:
        result.stderr = _nothing_found(session, inv)
        return result
    errors: list[str] = []
    for target in targets:
        outcome = change(target, target.obj or {})
        if isinstance(outcome, _Plain):
            errors.append(f"error: {outcome}")
            continue
        if isinstance(outcome, str):
            errors.append(f'error: {_resource_string(target)} "{target.name}" {outcome}')
            continue
        try:
            session.api.patch(target.info.kind, target.name, target.namespace, outcome, "strategic")
        except ApiError as error:
            errors.append(f"failed to patch: {error.message}")
            continue
        result.stdout += f"{resource_label(target.info, target.name)} {done_word}\n"
    if errors:
        result.stderr += "".join(f"{line}\n" for line in errors)
        result.exit_code = 1
    return result


@handles("rollout restart")
def restart(session: KubectlSession, inv: Invocation) -> Result:
    now = rfc3339(session.cluster.now)

    def change(target: Target, obj: Obj) -> Obj | str:
        if target.info.kind not in RESTARTABLE:
            return "restarting is not supported"
        spec = obj.get("spec") or {}
        if spec.get("paused"):
            return "can't restart paused deployment (run rollout resume first)"
        annotations = ((spec.get("template") or {}).get("metadata") or {}).get("annotations") or {}
        if annotations.get(RESTARTED_AT) == now:
            return _Plain(
                f"failed to create patch for {target.name}: if restart has already been"
                " triggered within the past second, please wait before attempting to trigger"
                " another"
            )
        return {"spec": {"template": {"metadata": {"annotations": {RESTARTED_AT: now}}}}}

    return _patch_each(session, inv, change, "restarted")


@handles("rollout pause")
def pause(session: KubectlSession, inv: Invocation) -> Result:
    def change(target: Target, obj: Obj) -> Obj | str:
        if target.info.kind != "Deployment":
            return "pausing is not supported"
        if (obj.get("spec") or {}).get("paused"):
            return "is already paused"
        return {"spec": {"paused": True}}

    return _patch_each(session, inv, change, "paused")


@handles("rollout resume")
def resume(session: KubectlSession, inv: Invocation) -> Result:
    def change(target: Target, obj: Obj) -> Obj | str:
        if target.info.kind != "Deployment":
            return "resuming is not supported"
        if not (obj.get("spec") or {}).get("paused"):
            return "is not paused"
        return {"spec": {"paused": False}}

    return _patch_each(session, inv, change, "resumed")
