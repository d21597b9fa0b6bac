"""``kubectl create job`` and ``kubectl create cronjob`` (``kubectl/pkg/cmd/create/
create_job.go``, ``create_cronjob.go``).

``create job NAME --image`` runs the image once, as a container named NAME with
``restartPolicy: Never`` and the command after ``--``; ``create job NAME --from=cronjob/CJ``
copies the CronJob's job template, owned by the CronJob and marked as started by hand.
``create cronjob NAME --image --schedule`` wraps the same container in a job template named
NAME, with ``--restart`` (``OnFailure`` unless given)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.kubectl.commands import generators
from k8sgame.kubectl.commands.get import resolve_kind
from k8sgame.kubectl.errors import KubectlError, PlainError, server_error
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
register_verb(
    "create cronjob",
    (*generators.OUTPUT_FLAGS, Flag("image"), Flag("schedule"), Flag("restart")),
    aliases=("create cj",),
    effect=Effect.CHANGES,
    args=Args.NONE,
)
# create_job.go: the annotation on a Job made from a CronJob by hand.
INSTANTIATE_ANNOTATION = "cronjob.kubernetes.io/instantiate"


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
        return _job_from(session, inv, name, source)
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


def _job_from(session: KubectlSession, inv: Invocation, name: str, source: str) -> dict[str, Any]:
    """``createJobFromCronJob``: the CronJob's job template as a Job of its own. The
    owner reference has no blockOwnerDeletion (kubectl leaves it out on purpose), and the
    CronJob is read from the server even for a client dry run."""
    kind_text, _, source_name = source.partition("/")
    info = resolve_kind(session, kind_text)
    if not source_name:
        raise KubectlError("from must be an existing cronjob")
    namespace = inv.flag("namespace") or session.namespace
    try:
        cron_job = session.api.get(info.kind, source_name, namespace)
    except ApiError as error:
        raise PlainError(server_error(error).rstrip("\n")) from None
    if info.kind != "CronJob":
        raise KubectlError(f"unknown object type *{GO_TYPES.get(info.kind, info.kind)}")
    template = (cron_job.get("spec") or {}).get("jobTemplate") or {}
    template_md = template.get("metadata") or {}
    metadata = generators.metadata_of(name, inv.flag("namespace"))
    if template_md.get("labels"):
        metadata["labels"] = clone(template_md["labels"])
    metadata["annotations"] = {
        INSTANTIATE_ANNOTATION: "manual",
        **clone(template_md.get("annotations") or {}),
    }
    metadata["ownerReferences"] = [
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "name": cron_job["metadata"]["name"],
            "uid": cron_job["metadata"]["uid"],
            "controller": True,
        }
    ]
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": metadata,
        "spec": clone(template.get("spec") or {}),
        "status": {},
    }


def _cron_job(session: KubectlSession, inv: Invocation) -> dict[str, Any]:
    if len(inv.args) != 1:
        raise generators.usage_error(
            "create cronjob", f"exactly one NAME is required, got {len(inv.args)}"
        )
    name = inv.args[0]
    missing = [flag for flag in ("image", "schedule") if not inv.flag(flag)]
    if missing:
        raise KubectlError(
            "required flag(s) " + ", ".join(f'"{flag}"' for flag in missing) + " not set"
        )
    container: dict[str, Any] = {"name": name, "image": inv.flag("image")}
    if inv.rest:
        container["command"] = list(inv.rest)
    container["resources"] = {}
    return {
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": generators.metadata_of(name, inv.flag("namespace")),
        "spec": {
            "schedule": inv.flag("schedule"),
            "jobTemplate": {
                "metadata": {"name": name},
                "spec": {
                    "template": {
                        "metadata": {},
                        "spec": {
                            "containers": [container],
                            "restartPolicy": inv.flag("restart") or "OnFailure",
                        },
                    }
                },
            },
        },
        "status": {},
    }


# The Go type kubectl names when --from is not a CronJob ("unknown object type %T").
GO_TYPES = {
    "Deployment": "v1.Deployment",
    "ReplicaSet": "v1.ReplicaSet",
    "DaemonSet": "v1.DaemonSet",
    "Job": "v1.Job",
    "Pod": "v1.Pod",
    "ConfigMap": "v1.ConfigMap",
    "Secret": "v1.Secret",
    "Node": "v1.Node",
    "Namespace": "v1.Namespace",
}

generators.BUILDERS["create job"] = _job
generators.BUILDERS["create cronjob"] = _cron_job
handles("create job", "create cronjob")(generators.run)
