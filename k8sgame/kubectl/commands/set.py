"""``kubectl set image|env|resources`` (``kubectl/pkg/cmd/set``): change the containers of a
pod or of a workload's pod template, then patch the object. Each prints
``deployment.apps/web image updated`` (``env updated``, ``resource requirements updated``);
a change that changes nothing prints nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.engine.quantity import QuantityError, parse_quantity
from k8sgame.kubectl.commands.targets import Target, selected_targets
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

COMMON = (
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
    """``GetResourcesAndPairs``: resource words first, then ``key=value`` (or ``key-``)."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        if "=" in arg or (what == "env" and arg.endswith("-") and "/" not in arg):
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"all resources must be specified before {what} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


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


def _apply(
    session: KubectlSession, inv: Invocation, targets: list[Target], change: Change, word: str
) -> Result:
    """Change a copy of each object; patch (and print) the ones that changed; errors
    gathered as kubectl aggregates them."""
    mode = dry_run_mode(inv)
    result = Result()
    errors: list[str] = []
    for target in targets:
        original = target.obj or {}
        modified = clone(original)
        spec = pod_spec_of(modified, target.info.kind)
        if spec is None:
            errors.append(f"error: {target.info.plural}/{target.name} has no pod template")
            continue
        errors.extend(change(target, spec))
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
                session.cluster.api.patch(
                    target.info.kind,
                    target.name,
                    target.namespace,
                    patch,
                    "merge",
                    dry_run=mode == "server",
                )
            except ApiError as error:
                result.stderr += server_error(error)
                result.exit_code = 1
                continue
        result.stdout += f"{label} {word}{dry_run_suffix(mode)}\n"
    for line in errors:
        # Warnings are printed and the command goes on; errors make it fail.
        if line.startswith("warning: "):
            result.stderr += line + "\n"
            continue
        result.stderr += (line if line.startswith("error: ") else f"error: {line}") + "\n"
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

    return _apply(session, inv, targets, change, "image updated")


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
    resources, pairs = _split_pairs(inv.args, "env")
    pairs = [*pairs, *(inv.flag("env") or [])]
    wanted = inv.flag("containers") or "*"
    if inv.flag("list"):
        return _list_env(session, inv, resources, wanted)
    if not pairs:
        raise KubectlError("at least one environment variable must be provided")
    sets: list[tuple[str, str]] = []
    removals: list[str] = []
    for pair in pairs:
        if "=" in pair:
            key, _, value = pair.partition("=")
            sets.append((key, value))
        else:
            removals.append(pair[:-1])
    targets = _targets(session, inv, resources)

    def change(target: Target, spec: Obj) -> list[str]:
        errors = []
        chosen = [c for c in _containers(spec) if wanted in ("*", c.get("name"))]
        if not chosen:
            errors.append(
                f"warning: {target.info.plural}/{target.name} does not have any containers"
                f' matching "{wanted}"'
            )
        for container in chosen:
            env = list(container.get("env") or [])
            for key, value in sets:
                existing = next((e for e in env if e.get("name") == key), None)
                if existing is not None:
                    if not inv.flag("overwrite"):
                        errors.append(
                            f"'{key}' already has a value ({existing.get('value', '')}),"
                            " and --overwrite is false"
                        )
                        continue
                    existing.clear()
                    existing.update({"name": key, "value": value})
                else:
                    env.append({"name": key, "value": value})
            env = [e for e in env if e.get("name") not in removals]
            if env:
                container["env"] = env
            else:
                container.pop("env", None)
        return errors

    return _apply(session, inv, targets, change, "env updated")


def _list_env(
    session: KubectlSession, inv: Invocation, resources: list[str], wanted: str
) -> Result:
    if inv.flag("output"):
        raise KubectlError("--list and --output may not be specified together")
    out = ""
    for target in _targets(session, inv, resources):
        spec = pod_spec_of(clone(target.obj or {}), target.info.kind) or {}
        for container in _containers(spec):
            if wanted not in ("*", container.get("name")):
                continue
            out += f"# {target.info.plural} {target.name}, container {container.get('name')}\n"
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
        chosen = [c for c in _containers(spec) if wanted in ("*", c.get("name"))]
        if not chosen:
            return [f"error: unable to find container named {wanted}"]
        for container in chosen:
            resources = container.setdefault("resources", {})
            for field, values in (("limits", limits), ("requests", requests)):
                if values:
                    resources[field] = {**(resources.get(field) or {}), **values}
        return []

    return _apply(session, inv, targets, change, "resource requirements updated")
