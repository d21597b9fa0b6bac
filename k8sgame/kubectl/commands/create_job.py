"""``kubectl create job`` (``kubectl/pkg/cmd/create/create_job.go``): a Job named NAME that
runs ``--image`` once, as a container named NAME with ``restartPolicy: Never`` and the
command after ``--``; nothing else is set on the client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.errors import KubectlError, NotModelledError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "create job",
    (*generators.OUTPUT_FLAGS, Flag("image"), Flag("from")),
    effect=Effect.CHANGES,
    args=Args.NONE,
)


def _job(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    if len(inv.args) != 1:
        raise generators.usage_error(
            "create job", f"exactly one NAME is required, got {len(inv.args)}"
        )
    name = inv.args[0]
    image, source = inv.flag("image"), inv.flag("from")
    if bool(image) == bool(source):
        raise KubectlError("either --image or --from must be specified")
    if source and inv.rest:
        raise KubectlError("cannot specify --from and command")
    if source:
        raise NotModelledError("create_job_from_not_modelled")
    container: dict[str, Any] = {"name": name, "image": image}
    if inv.rest:
        container["command"] = list(inv.rest)
    container["resources"] = {}
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": generators.metadata_of(name, inv.flag("namespace")),
        "spec": {
            "template": {
                "metadata": {},
                "spec": {"containers": [container], "restartPolicy": "Never"},
            }
        },
        "status": {},
    }


generators.BUILDERS["create job"] = _job
handles("create job")(generators.run)
