"""``kubectl scale`` (``pkg/cmd/scale/scale.go``, ``scale/scale.go``): set the replica count
of objects that have a ``scale`` subresource, after the ``--current-replicas`` and
``--resource-version`` preconditions; each prints ``replicaset.apps/web scaled``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.targets import selected_targets
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "scale",
    (
        # Required (cobra's MarkFlagRequired): None until given.
        Flag("replicas", "int", default=None),
        Flag("current-replicas", "int", default=-1),
        Flag("resource-version"),
        Flag("filename", short="f", repeat=True),
        Flag("selector", short="l"),
        Flag("all", "bool", default=False),
        DRY_RUN_FLAG,
    ),
    effect=Effect.CHANGES,
)


def no_scale_subresource(plural: str, name: str) -> ApiError:
    """The 404 of a ``/scale`` path the server does not serve, as client-go words a 404
    without a Status body (``NewGenericServerResponse``: the verb, resource and name)."""
    return ApiError(
        "NotFound", f"the server could not find the requested resource (get {plural} {name})", 404
    )


@handles("scale")
def run(session: KubectlSession, inv: Invocation) -> Result:
    replicas = inv.flag("replicas")
    if replicas is None:
        raise KubectlError('required flag(s) "replicas" not set')
    if replicas < 0:
        raise KubectlError(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
        )
    mode = dry_run_mode(inv)
    result = Result()
    for target in selected_targets(session, inv, inv.args):
        if target.error is not None:
            raise target.error
        obj = target.obj or {}
        if not target.info.scale_subresource:
            raise no_scale_subresource(target.info.plural, target.name)
        current = int((obj.get("spec") or {}).get("replicas") or 0)
        wanted_current = inv.flag("current-replicas")
        if wanted_current != -1 and wanted_current != current:
            raise KubectlError(f"Expected replicas to be {wanted_current}, was {current}")
        version = inv.flag("resource-version")
        actual_version = obj["metadata"].get("resourceVersion", "")
        if version and version != actual_version:
            raise KubectlError(f"Expected resource version to be {version}, was {actual_version}")
        if mode != "client":
            try:
                # kubectl scale patches the scale subresource (scale.ScaleWithRetries).
                session.api.scale(
                    target.info.kind,
                    target.name,
                    target.namespace,
                    replicas,
                    dry_run=mode == "server",
                )
            except ApiError as error:
                result.stderr += server_error(error)
                result.exit_code = 1
                return result
        result.stdout += (
            f"{resource_label(target.info, target.name)} scaled{dry_run_suffix(mode)}\n"
        )
    return result
