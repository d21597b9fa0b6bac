"""``kubectl apply -f`` and ``kubectl create -f``.

apply is client-side apply: a new object is created with the
``kubectl.kubernetes.io/last-applied-configuration`` annotation; an existing one gets a
strategic merge of the manifest, with fields dropped since the last apply removed, and prints
``configured`` or ``unchanged``.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.engine.patch import PatchError, merge_key, strategic_merge_patch
from k8sgame.kubectl.commands.generators import usage_error
from k8sgame.kubectl.commands.targets import documents
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

LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
# apply.go warningNoLastAppliedConfigAnnotation.
MISSING_LAST_APPLIED = (
    "Warning: resource {resource} is missing the " + LAST_APPLIED + " annotation which is"
    " required by kubectl apply. kubectl apply should only be used on resources created"
    " declaratively by either kubectl create --save-config or kubectl apply. The missing"
    " annotation will be patched automatically.\n"
)

FILE_FLAGS = (
    Flag("filename", short="f", repeat=True),
    DRY_RUN_FLAG,
    VALIDATE_FLAG,
    Flag("output", short="o"),
)
register_verb("apply", FILE_FLAGS, effect=Effect.CHANGES, args=Args.NONE)
register_verb("create", FILE_FLAGS, effect=Effect.CHANGES, args=Args.NONE)


def _documents(session: KubectlSession, inv: Invocation) -> list[tuple[str, dict[str, Any]]]:
    paths = inv.flag("filename") or []
    if not paths:
        raise KubectlError("must specify one of -f and -k")
    return documents(session, paths)


def prepare_document(
    session: KubectlSession, inv: Invocation, source: str, obj: dict[str, Any]
) -> tuple[Any, str]:
    info = session.api.registry.get(str(obj.get("kind")))
    api_version = str(obj.get("apiVersion"))
    name, namespace = object_name(obj), object_namespace(obj)
    if info is None or (info.api_version != api_version and not info.served_version(api_version)):
        raise KubectlError(
            f'resource mapping not found for name: "{name}" namespace: "{namespace}" '
            f'from "{source}": no matches for kind "{obj.get("kind")}" in version "{api_version}"',
            "ensure CRDs are installed first",
        )
    wanted = inv.flag("namespace")
    md = obj.setdefault("metadata", {})
    if info.namespaced and isinstance(md, dict):
        if namespace and wanted and namespace != wanted:
            raise KubectlError(
                f'the namespace from the provided object "{namespace}" does not match the namespace "{wanted}". '
                f"You must pass '--namespace={namespace}' to perform this operation."
            )
        if not namespace:
            md["namespace"] = wanted or session.namespace
    return info, f"{info.singular if not info.group else info.singular + '.' + info.group}/{name}"


def as_sent(info: Any, manifest: dict[str, Any], answer: dict[str, Any]) -> dict[str, Any]:
    """The API server's answer in the version the manifest was written in: it answers in
    the version it was asked in, whatever version it stores."""
    served = info.served_version(manifest.get("apiVersion"))
    return served.from_storage(answer) if served else answer


def object_name(obj: dict[str, Any]) -> str:
    """``unstructured.GetName``: the name if it is a string, else empty."""
    md = obj.get("metadata")
    name = md.get("name") if isinstance(md, dict) else None
    return name if isinstance(name, str) else ""


def object_namespace(obj: dict[str, Any]) -> str:
    md = obj.get("metadata")
    namespace = md.get("namespace") if isinstance(md, dict) else None
    return namespace if isinstance(namespace, str) else ""


def _no_name_error(info: Any, obj: dict[str, Any], source: str) -> KubectlError:
    """What apply says when it cannot look the object up: it has no name."""
    resource = f"{info.group}/{info.version}, Resource={info.plural}"
    kind = f"{info.group}/{info.version}, Kind={info.kind}"
    return KubectlError(
        "error when retrieving current configuration of:\n"
        f'Resource: "{resource}", GroupVersionKind: "{kind}"\n'
        f'Name: "", Namespace: "{object_namespace(obj)}"\n'
        f'from server for: "{source}": resource name may not be empty'
    )


def three_way_patch(last: Any, manifest: Any, field: str = "", parent: str = "") -> Any:
    """The manifest plus deletions of what the last apply set and the manifest dropped
    (``CreateThreeWayMergePatch``): a dropped map key becomes ``null``, a dropped item of a
    keyed list (containers by name, env by name, ...) a ``$patch: delete`` directive, and
    items kept in both are compared the same way. Other lists are replaced whole."""
    key = merge_key(field, parent)
    if isinstance(last, list) and isinstance(manifest, list) and key is not None:
        wanted = {item.get(key) for item in manifest if isinstance(item, dict)}
        previous = {old.get(key): old for old in last if isinstance(old, dict)}
        merged = [
            three_way_patch(previous.get(item.get(key), {}), item, parent=field)
            if isinstance(item, dict)
            else item
            for item in manifest
        ]
        merged += [
            {key: old[key], "$patch": "delete"}
            for old in last
            if isinstance(old, dict) and old.get(key) not in wanted
        ]
        return merged
    if not isinstance(last, dict) or not isinstance(manifest, dict):
        return manifest
    patch = dict(manifest)
    for name, value in last.items():
        if name not in manifest:
            patch[name] = None
        else:
            # A list item's fields belong to the list that holds it.
            patch[name] = three_way_patch(value, manifest[name], name, field or parent)
    return patch


@handles("apply", "create")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Create or apply every document of every ``-f`` source; one failure does not stop the
    rest, as kubectl goes on and reports each."""
    if inv.args:
        raise usage_error(inv.verb, f"Unexpected args: [{' '.join(inv.args)}]")
    output = check_object_output(session, inv.flag("output") or "")
    mode = dry_run_mode(inv)
    validation = field_validation(inv)
    suffix = dry_run_suffix(mode)
    result = Result()
    creating = inv.verb == "create"
    # create.go and apply.go go on after an error and print the errors at the end.
    errors: list[Any] = []
    for source, obj in _documents(session, inv):
        try:
            info, label = prepare_document(session, inv, source, obj)
        except KubectlError as error:
            errors.append(error)
            continue
        store = session.api
        name = object_name(obj)
        if not name and not creating:
            errors.append(_no_name_error(info, obj, source))
            continue
        namespace = object_namespace(obj) if info.namespaced else ""
        live = store.peek(info.kind, name, namespace) if name else None
        if (
            live is not None
            and not creating
            and mode != "client"
            and LAST_APPLIED not in (live["metadata"].get("annotations") or {})
        ):
            result.stderr += MISSING_LAST_APPLIED.format(
                resource=f"{info.plural}{'.' + info.group if info.group else ''}/{name}"
            )
        store.take_warnings()
        if live is not None:
            # kubectl reads the live object in the manifest's version and merges in it.
            live = as_sent(info, obj, live)
        try:
            outcome, shown = _write(store, obj, live, creating, mode, validation)
        except PatchError as error:
            errors.append(KubectlError(f'error when patching "{source}": {error}'))
            continue
        except ApiError as error:
            action = "creating" if creating or live is None else "patching"
            errors.append(Sourced(error, action, source))
            continue
        if mode != "client" and outcome != "unchanged":
            shown = as_sent(info, obj, shown)
        # The API server's warnings (unknown fields with --validate=warn) come back with the
        # answer, before kubectl prints its line.
        result.stderr += "".join(f"Warning: {w}\n" for w in store.take_warnings())
        if output.format:
            result.stdout += print_objects([(info, shown)], output)
        else:
            result.stdout += f"{label} {outcome}{suffix}\n"
        session.cluster.settle()
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
    return result


def _write(
    store: Any,
    obj: dict[str, Any],
    live: dict[str, Any] | None,
    creating: bool,
    mode: str,
    validation: str = "Strict",
) -> tuple[str, dict[str, Any]]:
    """Send one document; returns what kubectl reports (created/configured/unchanged) and the
    object to print for ``-o``. A client dry run sends nothing."""
    if creating:
        if mode == "client":
            return "created", obj
        return "created", store.create(obj, dry_run=mode == "server", field_validation=validation)
    applied = clone(obj)
    md = applied.setdefault("metadata", {})
    if isinstance(md, dict):
        # Like unstructured.SetAnnotations: a malformed annotations value is replaced.
        annotations = md.get("annotations")
        md["annotations"] = dict(annotations) if isinstance(annotations, dict) else {}
        md["annotations"].pop(LAST_APPLIED, None)
        # GetModifiedConfiguration encodes the object after setting its annotations (so a
        # manifest without any records "annotations":{}), then adds itself to them.
        annotation = json.dumps(applied, sort_keys=True, separators=(",", ":")) + "\n"
        md["annotations"][LAST_APPLIED] = annotation
    if live is None:
        if mode == "client":
            return "created", applied
        return "created", store.create(
            applied, dry_run=mode == "server", field_validation=validation
        )
    last_text = ((live["metadata"].get("annotations") or {}).get(LAST_APPLIED)) or "{}"
    try:
        last = json.loads(last_text)
    except ValueError:
        last = {}
    merged = strategic_merge_patch(clone(live), three_way_patch(last, applied))
    if merged == live:
        return "unchanged", live
    if mode == "client":
        return "configured", merged
    return "configured", store.update(merged, dry_run=mode == "server", field_validation=validation)
