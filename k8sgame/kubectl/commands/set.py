"""``kubectl set image|env|resources`` (``kubectl/pkg/cmd/set``): change the containers of a
pod or of a workload's pod template, then patch the object. Each prints
``deployment.apps/web image updated`` (``env updated``, ``resource requirements updated``);
a change that changes nothing prints nothing."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from glob import escape as glob_escape
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.names import regex_error
from k8sgame.engine.errors import ApiError, go_quote
from k8sgame.engine.objcopy import clone
from k8sgame.engine.quantity import QuantityError, parse_quantity
from k8sgame.kubectl.commands.targets import Target, selected_targets
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

COMMON = (
    Flag("output", short="o"),
    Flag("filename", short="f", repeat=True),
    Flag("selector", short="l"),
    Flag("all", "bool", default=False),
    DRY_RUN_FLAG,
)
register_verb("set", ())
register_verb("set image", COMMON, effect=Effect.CHANGES)
register_verb(
    "set env",
    (
        *COMMON,
        Flag("env", short="e", repeat=True),
        Flag("containers", short="c", default="*"),
        Flag("list", "bool", default=False),
        Flag("overwrite", "bool", default=True),
    ),
    effect=Effect.CHANGES,
)
register_verb(
    "set resources",
    (
        *COMMON,
        Flag("limits", default=""),
        Flag("requests", default=""),
        Flag("containers", short="c", default="*"),
    ),
    effect=Effect.CHANGES,
)

Obj = dict[str, Any]
# Where each kind keeps its pod spec (``polymorphichelpers.updatePodSpecForObject``).
POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "ReplicaSet": ("spec", "template", "spec"),
    "Deployment": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def pod_spec_of(obj: Obj, kind: str) -> Obj | None:
    """The pod spec inside ``obj`` (the object itself, changed in place by callers)."""
    path = POD_SPEC_PATHS.get(kind)
    if path is None:
        return None
    node: Any = obj
    for step in path:
        node = node.setdefault(step, {})
    return node if isinstance(node, dict) else None


def _split_pairs(args: list[str], what: str) -> tuple[list[str], list[str]]:
    """``GetResourcesAndPairs``: resource words first, then ``key=value`` or ``key-``."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        pair = ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")
        if pair:
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"all resources must be specified before {what} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


_ENV_ARGUMENT = re.compile(r"^(.+)=(.*)$", re.DOTALL | re.MULTILINE)
ENV_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*"
ENV_NAME_MSG = (
    "a valid environment variable name must consist of alphabetic characters, digits, '_',"
    " '-', or '.', and must not start with a digit"
)
_ENV_NAME = re.compile(f"^{ENV_NAME_FMT}$")


def _split_env(args: list[str]) -> tuple[list[str], list[str]]:
    """``SplitEnvironmentFromResources``: resources, then ``KEY=VALUE`` and ``KEY-``."""
    resources: list[str] = []
    changes: list[str] = []
    for arg in args:
        is_env = bool(_ENV_ARGUMENT.match(arg)) or arg.endswith("-")
        if is_env:
            changes.append(arg)
        elif changes:
            raise KubectlError(
                "all resources must be specified before environment changes: " + " ".join(args),
                "See 'kubectl set env -h' for help and examples",
            )
        else:
            resources.append(arg)
    return resources, changes


def parse_env(specs: list[str]) -> tuple[list[tuple[str, str]], list[str]]:
    """``envutil.ParseEnv``: variables to set and names to remove, as kubectl checks them
    (apimachinery's ``IsEnvVarName``)."""
    sets: list[tuple[str, str]] = []
    removals: list[str] = []
    for spec in specs:
        if "=" in spec:
            name, _, value = spec.partition("=")
            if not _ENV_NAME.match(name):
                detail = regex_error(
                    ENV_NAME_MSG, ENV_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"
                )
                raise KubectlError(f"{go_quote(name)} is not a valid key name: {detail}")
            sets.append((name, value))
        elif spec.endswith("-"):
            removals.append(spec[:-1])
        else:
            raise KubectlError(f"unknown environment variable: {spec}")
    if any(name in removals for name, _ in sets):
        raise KubectlError(
            "can not both modify and remove the same environment variable in the same command"
        )
    return sets, removals


def selects(name: str, spec: str) -> bool:
    """``selectString``: ``*`` matches any run of characters; nothing else is special."""
    if spec == "*":
        return True
    if "*" not in spec:
        return name == spec
    return fnmatch.fnmatchcase(name, "*".join(glob_escape(part) for part in spec.split("*")))


def _targets(session: KubectlSession, inv: Invocation, resources: list[str]) -> list[Target]:
    if not resources and not inv.flag("filename"):
        raise KubectlError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    targets = selected_targets(session, inv, resources)
    for target in targets:
        if target.error is not None:
            raise target.error
    return targets


Change = Callable[[Target, Obj], list[str]]


class ObjectRefused(Exception):
    """A change refused for one whole object (kubectl prints ``error: <resource>/<name> ...``
    and leaves the object as it was)."""


def _apply(
    session: KubectlSession,
    inv: Invocation,
    targets: list[Target],
    change: Change,
    word: str,
    patch_failure: str,
) -> Result:
    """Change a copy of each object; patch (and print) the ones that changed. ``change``
    returns the lines kubectl prints on stderr (``error: ...`` fails the command,
    ``Warning: ...`` does not) or raises ObjectRefused."""
    mode = dry_run_mode(inv)
    result = Result()
    errors: list[str] = []
    for target in targets:
        original = target.obj or {}
        modified = clone(original)
        spec = pod_spec_of(modified, target.info.kind)
        object_name = f"{target.info.plural}/{target.name}"
        if spec is None:
            version = target.info.version
            errors.append(
                f"error: {object_name} the object is not a pod or does not have a pod template:"
                f" *{version}.{target.info.kind}"
            )
            continue
        try:
            errors.extend(change(target, spec))
        except ObjectRefused as refused:
            errors.append(f"error: {object_name} {refused}")
            continue
        if modified == original:
            continue
        label = resource_label(target.info, target.name)
        if mode != "client":
            path = POD_SPEC_PATHS[target.info.kind]
            patch: Obj = {}
            node = patch
            for step in path[:-1]:
                node = node.setdefault(step, {})
            node[path[-1]] = {
                key: spec[key] for key in ("initContainers", "containers") if key in spec
            }
            try:
                session.api.patch(
                    target.info.kind,
                    target.name,
                    target.namespace,
                    patch,
                    "merge",
                    dry_run=mode == "server",
                )
            except ApiError as error:
                message = (
                    error.message.removeprefix("The ")
                    if error.reason == "Invalid"
                    else error.message
                )
                errors.append(f"error: {patch_failure}{message}")
                continue
        result.stdout += f"{label} {word}{dry_run_suffix(mode)}\n"
    for line in errors:
        result.stderr += line + "\n"
        if not line.startswith("Warning: "):
            result.exit_code = 1
    return result


def _containers(spec: Obj, with_init: bool = True) -> list[Obj]:
    found = list(spec.get("initContainers") or []) if with_init else []
    return found + list(spec.get("containers") or [])


@handles("set")
def set_group(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl set`` alone lists its subcommands on stderr and fails."""
    return Result(
        stderr=(
            "Available Commands:\n"
            "  env              Update environment variables on a pod template\n"
            "  image            Update the image of a pod template\n"
            "  resources        Update resource requests/limits on objects with pod templates\n\n"
            "Usage:\n  kubectl set SUBCOMMAND [options]\n"
        ),
        exit_code=1,
    )


@handles("set image")
def set_image(session: KubectlSession, inv: Invocation) -> Result:
    resources, pairs = _split_pairs(inv.args, "image")
    if not pairs:
        raise KubectlError("at least one image update is required")
    images: dict[str, str] = {}
    for pair in pairs:
        name, _, image = pair.partition("=")
        images[name] = image
    if "*" in images and len(images) > 1:
        raise KubectlError(
            "all containers are already specified by *, but saw more than one"
            " container_name=container_image pairs"
        )
    targets = _targets(session, inv, resources)

    def change(target: Target, spec: Obj) -> list[str]:
        errors = []
        for name, image in images.items():
            found = False
            for container in _containers(spec):
                if name in ("*", container.get("name")):
                    container["image"] = image
                    found = True
            if not found:
                errors.append(f'error: unable to find container named "{name}"')
        return errors

    return _apply(
        session,
        inv,
        targets,
        change,
        "image updated",
        "failed to patch image update to pod template: ",
    )


def _env_ref(source: Obj) -> str:
    """``GetEnvVarRefString``."""
    if source.get("configMapKeyRef"):
        ref = source["configMapKeyRef"]
        return f"configmap {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("secretKeyRef"):
        ref = source["secretKeyRef"]
        return f"secret {ref.get('name', '')}, key {ref.get('key', '')}"
    if source.get("fieldRef"):
        return f"field path {source['fieldRef'].get('fieldPath', '')}"
    if source.get("resourceFieldRef"):
        ref = source["resourceFieldRef"]
        text = f"resource {ref.get('resource', '')}"
        if ref.get("containerName"):
            text += f", container {ref['containerName']}"
        return text
    return "invalid source"


@handles("set env")
def set_env(session: KubectlSession, inv: Invocation) -> Result:
    resources, changes = _split_env(inv.args)
    changes = [*changes, *(inv.flag("env") or [])]
    wanted = inv.flag("containers") or "*"
    if inv.flag("list"):
        return _list_env(session, inv, resources, wanted)
    if not changes:
        raise KubectlError("at least one environment variable must be provided")
    sets, removals = parse_env(changes)
    targets = _targets(session, inv, resources)

    def change(target: Target, spec: Obj) -> list[str]:
        chosen = [c for c in _containers(spec) if selects(str(c.get("name", "")), wanted)]
        if not chosen:
            return [
                f"Warning: {target.info.kind}/{target.name} does not have any containers"
                f' matching "{wanted}"'
            ]
        for container in chosen:
            current = list(container.get("env") or [])
            if not inv.flag("overwrite"):
                # validateNoOverwrites: only a different value is refused.
                for name, value in sets:
                    found = next((e for e in current if e.get("name") == name), None)
                    if found is not None and found.get("value", "") != value:
                        raise ObjectRefused(
                            f"'{name}' already has a value ({found.get('value', '')}),"
                            " and --overwrite is false"
                        )
            container_env = _updated_env(current, sets, removals)
            if container_env:
                container["env"] = container_env
            else:
                container.pop("env", None)
        return []

    return _apply(
        session, inv, targets, change, "env updated", "failed to patch env update to pod template: "
    )


def _updated_env(
    existing: list[Obj], sets: list[tuple[str, str]], removals: list[str]
) -> list[Obj]:
    """``updateEnv``: removals go, a variable set again keeps its place, new ones follow."""
    wanted = dict(sets)
    covered = set(removals)
    out: list[Obj] = []
    for entry in existing:
        name = entry.get("name")
        if name in covered:
            continue
        if name in wanted:
            covered.add(str(name))
            out.append({"name": name, "value": wanted[str(name)]})
            continue
        out.append(entry)
    for name, value in sets:
        if name not in covered:
            covered.add(name)
            out.append({"name": name, "value": value})
    return out


def _list_env(
    session: KubectlSession, inv: Invocation, resources: list[str], wanted: str
) -> Result:
    if inv.flag("output"):
        raise KubectlError("--list and --output may not be specified together")
    out = ""
    for target in _targets(session, inv, resources):
        spec = pod_spec_of(clone(target.obj or {}), target.info.kind) or {}
        for container in _containers(spec):
            if not selects(str(container.get("name", "")), wanted):
                continue
            out += f"# {target.info.kind} {target.name}, container {container.get('name')}\n"
            for entry in container.get("env") or []:
                if entry.get("valueFrom") is None:
                    out += f"{entry.get('name')}={entry.get('value', '')}\n"
                else:
                    out += f"# {entry.get('name')} from {_env_ref(entry['valueFrom'])}\n"
    return Result(stdout=out)


def _resource_list(text: str) -> dict[str, str]:
    """``ParseResourceList``: ``cpu=200m,memory=512Mi``."""
    found: dict[str, str] = {}
    for item in text.split(","):
        if not item:
            continue
        name, sep, value = item.partition("=")
        if not sep:
            raise KubectlError(f"invalid resource specification: {item}")
        try:
            parse_quantity(value)
        except QuantityError:
            raise KubectlError(
                "quantities must match the regular expression"
                " '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
            ) from None
        found[name] = value
    return found


@handles("set resources")
def set_resources(session: KubectlSession, inv: Invocation) -> Result:
    limits = _resource_list(inv.flag("limits") or "")
    requests = _resource_list(inv.flag("requests") or "")
    if not limits and not requests:
        raise KubectlError(
            "you must specify an update to requests or limits (in the form of --requests/--limits)"
        )
    wanted = inv.flag("containers") or "*"
    targets = _targets(session, inv, inv.args)

    def change(target: Target, spec: Obj) -> list[str]:
        chosen = [c for c in _containers(spec) if selects(str(c.get("name", "")), wanted)]
        if not chosen:
            return [f"error: unable to find container named {wanted}"]
        for container in chosen:
            resources = container.setdefault("resources", {})
            for field, values in (("limits", limits), ("requests", requests)):
                if values:
                    resources[field] = {**(resources.get(field) or {}), **values}
        return []

    return _apply(
        session,
        inv,
        targets,
        change,
        "resource requirements updated",
        "failed to patch resources update to pod template ",
    )
