"""``kubectl patch``: strategic merge (the default; lists like containers merge by name),
JSON merge and JSON patch, given as JSON or YAML (``kubectl/pkg/cmd/patch/patch.go``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import yaml

from k8sgame.engine.api.json_syntax import looks_like_json, syntax_error
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.targets import named_targets
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import check_object_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb
from k8sgame.manifests import load_value, yaml_problem

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "patch",
    (
        Flag("patch", short="p"),
        Flag("patch-file"),
        Flag("type", default="strategic"),
        Flag("filename", short="f", repeat=True),
        Flag("subresource"),
        DRY_RUN_FLAG,
        Flag("output", short="o"),
    ),
    effect=Effect.CHANGES,
)
PATCH_TYPES = ("json", "merge", "strategic")


def _patch_body(session: KubectlSession, inv: Invocation) -> Any:
    text = inv.flag("patch")
    if inv.flag("patch-file"):
        if text:
            raise KubectlError("cannot specify --patch and --patch-file together")
        text = "".join(content for _, content in session.files(inv.flag("patch-file")))
    if not text:
        raise KubectlError(
            "must specify --patch or --patch-file containing the contents of the patch"
        )
    if looks_like_json(text):
        # yaml.ToJSON passes JSON through untouched: the server decodes it, and says so
        # when it cannot (a BadRequest in encoding/json's words; json-patch's for merge).
        problem = syntax_error(text)
        if problem is not None:
            message = "Invalid JSON Patch" if inv.flag("type") == "merge" else problem
            return ApiError("BadRequest", message, 400)
    try:
        return load_value(text)
    except yaml.YAMLError as exc:
        raise KubectlError(f"unable to parse {text!r}: {yaml_problem(exc)}") from None


@handles("patch")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Patch each named object; ``(no change)`` when the server kept it as it was."""
    patch_type = inv.flag("type") or "strategic"
    if patch_type not in PATCH_TYPES:
        raise KubectlError(f'--type must be one of [json merge strategic], not "{patch_type}"')
    subresource = inv.flag("subresource") or ""
    if subresource not in ("", "status"):
        raise KubectlError(
            f'invalid subresource value: "{subresource}". Must be one of [status scale]'
        )
    output = check_object_output(session, inv.flag("output") or "")
    mode = dry_run_mode(inv)
    targets = named_targets(session, inv)
    body = _patch_body(session, inv)
    store = session.api
    result = Result()
    for info, name, namespace in targets:
        try:
            before = store.get(info.kind, name, namespace)
            if isinstance(body, ApiError):
                raise body
            after = store.patch(
                info.kind,
                name,
                namespace,
                body,
                patch_type,
                status=subresource == "status",
                dry_run=mode != "none",
            )
        except ApiError as error:
            result.add(Result(stderr=server_error(error), exit_code=1))
            continue
        if output.format:
            result.stdout += print_objects([(info, after)], output)
            continue
        unchanged = after["metadata"].get("resourceVersion") == before["metadata"].get(
            "resourceVersion"
        ) and (mode == "none" or after == before)
        note = " (no change)" if unchanged else ""
        # patch.go's printer never gets the dry-run words.
        result.stdout += f"{resource_label(info, name)} patched{note}\n"
    return result
