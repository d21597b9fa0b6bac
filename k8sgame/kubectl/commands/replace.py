"""``kubectl replace -f``: a PUT of the whole object. A manifest carrying a stale
``resourceVersion`` is refused with a Conflict; ``--force`` deletes and re-creates."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.apply import as_sent, prepare_document
from k8sgame.kubectl.commands.delete import FOREVER, deleted_line
from k8sgame.kubectl.commands.generators import usage_error
from k8sgame.kubectl.commands.targets import Target, documents
from k8sgame.kubectl.commands.write_options import (
    DRY_RUN_FLAG,
    VALIDATE_FLAG,
    dry_run_mode,
    dry_run_suffix,
    field_validation,
)
from k8sgame.kubectl.errors import KubectlError, Sourced, aggregate
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import check_object_output, print_objects
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "replace",
    (
        Flag("filename", short="f", repeat=True),
        Flag("force", "bool", default=False),
        Flag("grace-period", "int", default=-1),
        DRY_RUN_FLAG,
        VALIDATE_FLAG,
        Flag("output", short="o"),
    ),
    effect=Effect.CHANGES,
    args=Args.NONE,
)


def _force_replace(
    session: KubectlSession, info: Any, obj: dict[str, Any], grace: int, validation: str
) -> str:
    """Delete, wait until gone (as kubectl does), then create."""
    store = session.api
    md = obj["metadata"]
    namespace = md.get("namespace", "") if info.namespaced else ""
    deleted = ""
    if store.peek(info.kind, md["name"], namespace) is not None:
        store.delete(info.kind, md["name"], namespace, grace_period=grace if grace >= 0 else None)
        session.cluster.settle()
        session.cluster.run_until(
            lambda: store.peek(info.kind, md["name"], namespace) is None, FOREVER
        )
        # replace.go deletes through delete's DeleteResult, so it prints delete's line.
        deleted = deleted_line(Target(info, md["name"], namespace), grace, "none", "")
    md.pop("resourceVersion", None)
    md.pop("uid", None)
    store.create(obj, field_validation=validation)
    return deleted


@handles("replace")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Replace every document of every ``-f`` source."""
    if inv.args:
        raise usage_error("replace", f"Unexpected args: [{' '.join(inv.args)}]")
    if not inv.flag("filename"):
        raise KubectlError("must specify one of -f and -k")
    output = check_object_output(session, inv.flag("output") or "")
    mode = dry_run_mode(inv)
    validation = field_validation(inv)
    suffix = dry_run_suffix(mode)
    result = Result()
    store = session.api
    # replace.go goes on after an error and prints the errors at the end.
    errors: list[Any] = []
    for source, obj in documents(session, inv.flag("filename")):
        try:
            info, label = prepare_document(session, inv, source, obj)
        except KubectlError as error:
            errors.append(error)
            continue
        store.take_warnings()
        try:
            if inv.flag("force") and mode == "none":
                grace = int(inv.flag("grace-period"))
                result.stdout += _force_replace(session, info, obj, grace, validation)
                stored = obj
            elif mode == "client":
                stored = obj
            else:
                stored = as_sent(
                    info,
                    obj,
                    store.update(obj, dry_run=mode == "server", field_validation=validation),
                )
        except ApiError as error:
            errors.append(Sourced(error, "replacing", source))
            continue
        result.stderr += "".join(f"Warning: {w}\n" for w in store.take_warnings())
        session.cluster.settle()
        if output.format:
            result.stdout += print_objects([(info, stored)], output)
        else:
            result.stdout += f"{label} replaced{suffix}\n"
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
    return result
