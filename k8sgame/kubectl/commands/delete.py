"""``kubectl delete``: by name, ``kind/name``, ``-f``, ``-l`` or ``--all``.

As kubectl does by default (``--wait=true``), the command returns once the objects are gone,
so simulated time moves on while pods shut down (up to their grace period); with
``--wait=false`` it returns at once and a pod stays Terminating until its kubelet is done.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.kubectl.commands.targets import NO_RESOURCES, Target, selected_targets
from k8sgame.kubectl.commands.wait import TIMED_OUT
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError, Sourced, aggregate
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "delete",
    (
        Flag("filename", short="f", repeat=True),
        Flag("selector", short="l"),
        Flag("field-selector"),
        Flag("all", "bool", default=False),
        Flag("all-namespaces", "bool", "A", False),
        Flag("grace-period", "int", default=-1),
        Flag("force", "bool", default=False),
        Flag("now", "bool", default=False),
        # delete_flags.go: a bare --cascade is "background".
        Flag("cascade", default="background", optional_value="background"),
        Flag("wait", "bool", default=True),
        # None until given: --all, -l and --field-selector ignore NotFound unless it is set.
        Flag("ignore-not-found", "bool", default=None),
        Flag("output", short="o", default=""),
        Flag("timeout", "duration", default="0s"),
        DRY_RUN_FLAG,
    ),
    effect=Effect.CHANGES,
)

FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. "
    "The resource may continue to run on the cluster indefinitely.\n"
)
CLUSTER_SCOPE_WARNING = (
    "Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n"
)
# delete.go: --timeout=0 waits "forever", which kubectl takes to be a week.
FOREVER = 168 * 3600.0


def _propagation(cascade: str) -> str:
    value = {"true": "background", "false": "orphan"}.get(cascade, cascade)
    if value not in ("background", "foreground", "orphan"):
        raise KubectlError(
            f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan".'
        )
    return value.capitalize()


def _grace_period(inv: Invocation) -> int:
    """delete.go Complete: --now is 1 s; a plain --grace-period=0 becomes 1 unless --force;
    --force alone is 0."""
    grace = int(inv.flag("grace-period"))
    force = bool(inv.flag("force"))
    if inv.flag("now"):
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not force:
        grace = 1
    if force and grace < 0:
        grace = 0
    return grace


def deleted_line(target: Target, grace: int, dry_run: str, output: str) -> str:
    """delete.go PrintObj: ``pod "web" deleted from default namespace`` (the namespace since
    kubectl 1.34), or ``pod/web`` with -o name."""
    kind = target.info.kind.lower() + (f".{target.info.group}" if target.info.group else "")
    if output == "name":
        return f"{kind}/{target.name}\n"
    operation = "force deleted" if grace == 0 else "deleted"
    if target.info.namespaced:
        operation += f" from {target.namespace} namespace"
    operation += dry_run_suffix(dry_run)
    return f'{kind} "{target.name}" {operation}\n'


@handles("delete")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Delete each target as delete.go's DeleteResult does, then (with --wait) wait until
    every deleted object is gone, unless some deletion failed."""
    output = inv.flag("output") or ""
    if output not in ("", "name"):
        raise KubectlError(f"unexpected -o output mode: {output}. We only support '-o name'")
    selecting = inv.flag("all") or inv.flag("selector") or inv.flag("field-selector")
    if inv.flag("all") and inv.flag("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if inv.flag("all") and inv.flag("field-selector"):
        raise KubectlError("cannot set --all and --field-selector at the same time")
    grace = _grace_period(inv)
    if grace > 0 and inv.flag("force"):
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified together")
    timeout = parse_go_duration(str(inv.flag("timeout")))  # the parser checked its syntax
    propagation = _propagation(str(inv.flag("cascade")))
    dry_run = dry_run_mode(inv)
    if not inv.args and not inv.flag("filename"):
        raise NO_RESOURCES
    targets = selected_targets(session, inv, inv.args, fetch=False, all_is_selector=True)
    # With --all, -l or --field-selector, NotFound is ignored unless the flag was given.
    ignore = inv.flag("ignore-not-found")
    ignore_not_found = bool(selecting) if ignore is None else bool(ignore)
    result = Result()
    if grace == 0 and inv.flag("force"):
        result.stderr += FORCE_WARNING
    warn_cluster_scope = bool(inv.flag("namespace")) and not inv.flag("all-namespaces")
    store = session.api
    errors: list[Any] = []
    deleted: list[tuple[Target, str]] = []
    for target in targets:
        if warn_cluster_scope and not target.info.namespaced:
            result.stderr += CLUSTER_SCOPE_WARNING
            warn_cluster_scope = False
        if dry_run == "client":
            result.stdout += deleted_line(target, grace, dry_run, output)
            deleted.append((target, ""))
            continue
        try:
            gone = store.delete(
                target.info.kind,
                target.name,
                target.namespace,
                propagation=propagation,
                grace_period=grace if grace >= 0 else None,
                dry_run=dry_run == "server",
            )
        except ApiError as error:
            if error.reason == "NotFound" and ignore_not_found:
                # Counted as found all the same (delete.go counts before it deletes): no
                # "No resources found", and nothing to wait for.
                deleted.append((target, ""))
                continue
            errors.append(Sourced(error, "deleting", target.source))
            continue
        session.cluster.settle()
        result.stdout += deleted_line(target, grace, dry_run, output)
        deleted.append((target, (gone or {}).get("metadata", {}).get("uid", "")))
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
        return result
    if not deleted:
        result.stdout += "No resources found\n"
        return result
    if inv.flag("wait") and dry_run == "none":
        result.add(_wait_until_gone(session, deleted, timeout or FOREVER))
    return result


def _wait_until_gone(
    session: KubectlSession, deleted: list[tuple[Target, str]], timeout: float
) -> Result:
    """cmdwait.IsDeleted for each object in turn: gone, or replaced by one with a new UID."""
    store, cluster = session.api, session.cluster
    deadline = cluster.now + timeout

    def gone(target: Target, uid: str) -> bool:
        live = store.peek(target.info.kind, target.name, target.namespace)
        return live is None or (bool(uid) and live["metadata"].get("uid") != uid)

    for target, uid in deleted:
        if not gone(target, uid) and not cluster.run_until(
            partial(gone, target, uid), max(0.0, deadline - cluster.now)
        ):
            return Result(
                stderr=f"error: {TIMED_OUT} on {target.info.plural}/{target.name}\n", exit_code=1
            )
    return Result()
