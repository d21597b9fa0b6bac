"""``kubectl label`` and ``kubectl annotate``: ``key=value`` to set, ``key-`` to remove
(``pkg/cmd/label/label.go``, ``pkg/cmd/annotate/annotate.go``). Each object is changed on its
own; the errors of those that could not be are printed after the others' lines."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.names import label_value
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.targets import Target, selected_targets
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError, aggregate
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import parse_output, print_objects, resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

FLAGS = (
    Flag("overwrite", "bool", default=False),
    Flag("all", "bool", default=False),
    Flag("all-namespaces", "bool", "A", False),
    Flag("selector", short="l", default=""),
    Flag("field-selector", default=""),
    Flag("filename", short="f", repeat=True),
    Flag("list", "bool", default=False),
    Flag("output", short="o", default=""),
    Flag("resource-version", default=""),
    DRY_RUN_FLAG,
)
register_verb("label", FLAGS, effect=Effect.CHANGES)
register_verb("annotate", FLAGS, effect=Effect.CHANGES)
# annotate.go: the change-cause annotation may always be overwritten.
CHANGE_CAUSE = "kubernetes.io/change-cause"


def _resources_and_pairs(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: every resource word comes before the first change."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        change = ("=" in arg and arg[0] != "=") or (arg.endswith("-") and arg != "-")
        if change:
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"all resources must be specified before {pair_type} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def _label_changes(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go parseLabels."""
    new: dict[str, str] = {}
    remove: list[str] = []
    for spec in specs:
        if "=" in spec:
            parts = spec.split("=")
            if len(parts) != 2:
                raise KubectlError(f"invalid label spec: {spec}")
            problems = label_value(parts[1])
            if problems:
                raise KubectlError(f'invalid label value: "{spec}": {";".join(problems)}')
            new[parts[0]] = parts[1]
        elif spec.endswith("-"):
            remove.append(spec[:-1])
        else:
            raise KubectlError(f"unknown label spec: {spec}")
    if any(key in new for key in remove):
        raise KubectlError("can not both modify and remove a label in the same command")
    return new, remove


def _annotation_changes(specs: list[str]) -> tuple[dict[str, str], list[str]]:
    """cmdutil.ParsePairs, then annotate.go validateAnnotations."""
    new: dict[str, str] = {}
    remove: list[str] = []
    invalid = []
    for spec in specs:
        if "=" in spec and spec[0] != "=":
            key, _, value = spec.partition("=")
            new[key] = value
        elif spec.endswith("-") and spec != "-":
            remove.append(spec[:-1])
        else:
            invalid.append(spec)
    if invalid:
        raise KubectlError(f"invalid annotation format: {', '.join(invalid)}")
    both = [key for key in remove if key in new]
    if both:
        raise KubectlError(
            "can not both modify and remove the following annotation(s) in the same command: "
            + ", ".join(both)
        )
    return new, remove


def _label_conflicts(current: dict[str, str], new: dict[str, str]) -> list[KubectlError]:
    """label.go validateNoOverwrites (an aggregate, one error a key)."""
    return [
        KubectlError(f"'{key}' already has a value ({current[key]}), and --overwrite is false")
        for key in sorted(new)
        if key in current and current[key] != new[key]
    ]


def _annotation_conflicts(current: dict[str, str], new: dict[str, str]) -> list[KubectlError]:
    """annotate.go validateNoAnnotationOverwrites (one error naming every key)."""
    found = [
        f"'{key}' already has a value ({current[key]})"
        for key in sorted(new)
        if key != CHANGE_CAUSE and key in current and current[key] != new[key]
    ]
    if not found:
        return []
    return [
        KubectlError(
            "--overwrite is false but found the following declared annotation(s): "
            + "; ".join(found)
        )
    ]


def _go_json_size(values: dict[str, str] | None, field: str) -> int:
    """How many bytes ``"labels":{...},`` adds to the object's JSON (Go sorts map keys and
    escapes <, > and &), so the label verb can be chosen as label.go does."""
    if values is None:
        return 0
    text = json.dumps({field: values}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return len(text.encode("utf-8"))


def _label_verb(before: dict[str, str] | None, after: dict[str, str], overwrite: bool) -> str:
    """label.go updateDataChangeMsg: "not labeled" when the object is unchanged, "unlabeled"
    when (without --overwrite) its JSON got shorter, else "labeled"."""
    if before == after:
        return "not labeled"
    shorter = _go_json_size(after, "labels") < _go_json_size(before, "labels")
    return "unlabeled" if not overwrite and shorter else "labeled"


@handles("label", "annotate")
def run(session: KubectlSession, inv: Invocation) -> Result:
    labels = inv.verb == "label"
    field = "labels" if labels else "annotations"
    singular = "label" if labels else "annotation"
    resources, specs = _resources_and_pairs(inv.args, singular)
    new, remove = (_label_changes if labels else _annotation_changes)(specs)
    if inv.flag("list") and inv.flag("output"):
        raise KubectlError("--list and --output may not be specified together")
    if inv.flag("all") and inv.flag("selector"):
        raise KubectlError("cannot set --all and --selector at the same time")
    if inv.flag("all") and inv.flag("field-selector"):
        raise KubectlError("cannot set --all and --field-selector at the same time")
    if not resources and not inv.flag("filename"):
        raise KubectlError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not new and not remove and not inv.flag("list"):
        raise KubectlError(f"at least one {singular} update is required")
    output = parse_output(session, inv.flag("output"))
    dry_run = dry_run_mode(inv)
    targets = selected_targets(session, inv, resources)
    if inv.flag("resource-version") and len(targets) != 1:
        raise KubectlError("--resource-version may only be used with a single resource")
    conflicts: Callable[[dict[str, str], dict[str, str]], list[KubectlError]] = (
        _label_conflicts if labels else _annotation_conflicts
    )
    result = Result()
    errors: list[Any] = []
    for target in targets:
        if target.error is not None or target.obj is None:
            errors.append(target.error)
            continue
        md = target.obj["metadata"]
        before = md.get(field)
        current = dict(before or {})
        if labels and dry_run != "client" and not inv.flag("list"):
            result.stdout += "".join(
                f'label "{key}" not found.\n' for key in remove if key not in current
            )
        problems = [] if inv.flag("overwrite") else conflicts(current, new)
        if problems:
            errors.append(problems if len(problems) > 1 else problems[0])
            continue
        after = {**current, **new}
        for key in remove:
            after.pop(key, None)
        try:
            changed = _write(session, inv, target, field, before, after, dry_run)
        except ApiError as error:
            errors.append(error)
            continue
        if inv.flag("list"):
            result.stdout += _listing(target, after, len(targets) == 1, labels)
            continue
        if output.format:
            # label.go prints its own changed copy (the old resourceVersion); annotate.go
            # prints what the server answered.
            shown = _local_copy(target, field, after) if labels else changed
            result.stdout += print_objects([(target.info, shown)], output)
            continue
        verb = _label_verb(before, after, bool(inv.flag("overwrite"))) if labels else "annotated"
        suffix = dry_run_suffix(dry_run)
        result.stdout += f"{resource_label(target.info, target.name)} {verb}{suffix}\n"
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
    return result


def _write(
    session: KubectlSession,
    inv: Invocation,
    target: Target,
    field: str,
    before: dict[str, str] | None,
    after: dict[str, str],
    dry_run: str,
) -> dict[str, Any]:
    """Send the merge patch (unless a client dry run or --list); the object as changed."""
    assert target.obj is not None
    if dry_run == "client" or inv.flag("list") or ((before or {}) == after and before is not None):
        return _local_copy(target, field, after)
    metadata: dict[str, Any] = {field: {k: after.get(k) for k in {*(before or {}), *after}}}
    if inv.flag("resource-version"):
        metadata["resourceVersion"] = inv.flag("resource-version")
    return session.api.patch(
        target.info.kind,
        target.name,
        target.namespace,
        {"metadata": metadata},
        "merge",
        dry_run=dry_run == "server",
    )


def _local_copy(target: Target, field: str, values: dict[str, str]) -> dict[str, Any]:
    assert target.obj is not None
    changed = dict(target.obj)
    changed["metadata"] = {**target.obj["metadata"], field: values}
    return changed


def _listing(target: Target, values: dict[str, str], one: bool, labels: bool) -> str:
    """--list: ``key=value`` lines, under a heading when several objects are listed."""
    heading = ""
    if not one:
        what = "labels" if labels else "annotations"
        kind = f"{target.info.kind}.{target.info.group}"
        heading = f"Listing {what} for {kind}/{target.name}:\n"
    indent = "" if one else " "
    return heading + "".join(f"{indent}{k}={v}\n" for k, v in sorted(values.items()))
