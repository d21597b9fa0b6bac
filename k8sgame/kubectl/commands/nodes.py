"""``kubectl cordon``, ``uncordon`` and ``taint`` (``pkg/cmd/taint/taint.go``, ``utils.go``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.names import label_value, qualified_name
from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import parse as parse_selector
from k8sgame.kubectl.commands.get import resolve_kind
from k8sgame.kubectl.commands.write_options import DRY_RUN_FLAG, dry_run_mode, dry_run_suffix
from k8sgame.kubectl.errors import KubectlError, PlainError, aggregate
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Args, Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "cordon", (Flag("selector", short="l"), DRY_RUN_FLAG), effect=Effect.CHANGES, args=Args.NODE
)
register_verb(
    "uncordon", (Flag("selector", short="l"), DRY_RUN_FLAG), effect=Effect.CHANGES, args=Args.NODE
)
register_verb(
    "taint",
    (
        Flag("overwrite", "bool", default=False),
        Flag("all", "bool", default=False),
        Flag("selector", short="l"),
        DRY_RUN_FLAG,
    ),
    effect=Effect.CHANGES,
)
USAGE_HINT = "See 'kubectl taint -h' for help and examples"
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def drain_nodes(session: KubectlSession, inv: Invocation) -> list[str]:
    """The nodes of cordon, uncordon and drain (drain.go Complete): names or -l, one
    builder without ContinueOnError, so the first missing node stops the command."""
    selector = inv.flag("selector")
    if not inv.args and not selector:
        raise KubectlError(
            f"USAGE: {inv.verb} NODE [flags]", f"See 'kubectl {inv.verb} -h' for help and examples"
        )
    if inv.args and selector:
        # UsageErrorf's text already starts with "error: ", and CheckErr adds another.
        raise KubectlError(
            "error: cannot specify both a node name and a --selector option",
            f"See 'kubectl {inv.verb} -h' for help and examples",
        )
    store = session.api
    if selector:
        nodes = store.list("Node", None, parse_selector(selector))
        return [node["metadata"]["name"] for node in nodes]
    names = []
    for arg in inv.args:
        word, _, name = arg.rpartition("/")
        if word and resolve_kind(session, word).kind != "Node":
            raise KubectlError(f'error: expected resource of type node, got "{word}"')
        store.get("Node", name)
        names.append(name)
    return names


@handles("cordon", "uncordon")
def cordon(session: KubectlSession, inv: Invocation) -> Result:
    """drain.go RunCordonOrUncordon: each node in turn, "already" when nothing changes."""
    wanted = inv.verb == "cordon"
    word = "cordoned" if wanted else "uncordoned"
    dry_run = dry_run_mode(inv)
    suffix = dry_run_suffix(dry_run)
    result = Result()
    for name in drain_nodes(session, inv):
        node = session.api.get("Node", name)
        if bool((node.get("spec") or {}).get("unschedulable")) == wanted:
            result.stdout += f"node/{name} already {word}{suffix}\n"
            continue
        if dry_run != "client":
            session.api.patch(
                "Node",
                name,
                "",
                {"spec": {"unschedulable": True if wanted else None}},
                "merge",
                dry_run=dry_run == "server",
            )
        result.stdout += f"node/{name} {word}{suffix}\n"
    return result


def _taint_text(taint: dict[str, str]) -> str:
    """core/v1 ``Taint.ToString``: ``key=value:effect``, ``key:effect``, ``key=value:`` or ``key``."""
    key, value, effect = taint["key"], taint.get("value", ""), taint.get("effect", "")
    if not effect:
        return f"{key}={value}:" if value else key
    return f"{key}={value}:{effect}" if value else f"{key}:{effect}"


def _parse_taint(text: str) -> dict[str, str]:
    """taint/utils.go parseTaint: ``key=value:effect``, ``key:effect`` or ``key``."""
    parts = text.split(":")
    if len(parts) > 2:
        raise KubectlError(f"invalid taint spec: {text}")
    key, value, effect = parts[0], "", ""
    if len(parts) == 2:
        effect = parts[1]
        if effect not in EFFECTS:
            raise KubectlError(f"invalid taint effect: {effect}, unsupported taint effect")
        key_value = parts[0].split("=")
        if len(key_value) > 2:
            raise KubectlError(f"invalid taint spec: {text}")
        key = key_value[0]
        if len(key_value) == 2:
            value = key_value[1]
            problems = label_value(value)
            if problems:
                raise KubectlError(f"invalid taint spec: {text}, {'; '.join(problems)}")
    problems = qualified_name(key)
    if problems:
        raise KubectlError(f"invalid taint spec: {text}, {'; '.join(problems)}")
    taint = {"key": key}
    if value:
        taint["value"] = value
    if effect:
        taint["effect"] = effect
    return taint


def _parse_taints(specs: list[str]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """taint/utils.go parseTaints: (taints to add, taints to remove); errors are usage errors."""
    add: list[dict[str, str]] = []
    remove: list[dict[str, str]] = []
    try:
        for spec in specs:
            if spec.endswith("-"):
                wanted = _parse_taint(spec[:-1])
                remove.append({k: v for k, v in wanted.items() if k != "value"})
                continue
            wanted = _parse_taint(spec)
            if "effect" not in wanted:
                raise KubectlError(f"invalid taint spec: {spec}")
            if any(t["key"] == wanted["key"] and t["effect"] == wanted["effect"] for t in add):
                raise KubectlError(
                    "duplicated taints with the same key and effect: "
                    f"{{{wanted['key']} {wanted.get('value', '')} {wanted['effect']} <nil>}}"
                )
            add.append(wanted)
    except KubectlError as error:
        raise KubectlError(error.message, USAGE_HINT) from None
    return add, remove


def _taint_targets(session: KubectlSession, inv: Invocation, resources: list[str]) -> list[str]:
    """Which nodes (taint.go Complete and validateFlags): -l, --all, or the names."""
    selector, everything = inv.flag("selector"), inv.flag("all")
    if everything and selector:
        raise KubectlError("setting 'all' parameter with a non empty selector is prohibited")
    if not everything and not selector:
        if len(resources) < 2:
            raise KubectlError(
                "at least one resource name must be specified since 'all' parameter is not set"
            )
        return resources[1:]
    nodes = session.api.list("Node", None, parse_selector(selector or ""))
    return [node["metadata"]["name"] for node in nodes]


def _new_taints(
    node: dict[str, Any], add: list[dict[str, str]], remove: list[dict[str, str]], overwrite: bool
) -> tuple[str, list[dict[str, Any]]]:
    """taint/utils.go reorganizeTaints: the taints to add come first, then the node's other
    taints; a removal that finds nothing is an error."""
    old = list((node.get("spec") or {}).get("taints") or [])
    if not overwrite:
        clashing = [
            t["key"]
            for t in add
            for o in old
            if t["key"] == o.get("key") and t["effect"] == o.get("effect")
        ]
        if clashing:
            raise KubectlError(
                f"node {node['metadata']['name']} already has {','.join(clashing)} taint(s) "
                "with same effect(s) and --overwrite is false"
            )
    taints: list[dict[str, Any]] = [dict(t) for t in add]
    for taint in old:
        if not any(
            t["key"] == taint.get("key") and t["effect"] == taint.get("effect") for t in add
        ):
            taints.append(taint)
    added = len(old) != len(taints)
    missing: list[KubectlError | Any] = []
    removed = False
    for wanted in remove:
        kept = [
            t
            for t in taints
            if not (
                t.get("key") == wanted["key"]
                and ("effect" not in wanted or t.get("effect") == wanted["effect"])
            )
        ]
        # deleteTaints keeps only the last removal's outcome for the verb it reports.
        removed = len(kept) != len(taints)
        if not removed:
            missing.append(KubectlError(f'taint "{_taint_text(wanted)}" not found'))
        taints = kept
    if missing:
        raise TaintErrors(missing)
    if (added and removed) or overwrite:
        return "modified", taints
    return ("tainted" if added else "untainted"), taints


class TaintErrors(Exception):
    """Several removals that found nothing on one node (an aggregate in kubectl)."""

    def __init__(self, errors: list[Any]) -> None:
        super().__init__("taints not found")
        self.errors = errors


@handles("taint")
def taint(session: KubectlSession, inv: Invocation) -> Result:
    """``kubectl taint`` as taint.go runs it: every resource word before the first taint
    spec, then the specs; each node is updated on its own and errors are reported at the end."""
    resources: list[str] = []
    specs: list[str] = []
    for arg in inv.args:
        if "=" in arg or ":" in arg or arg.endswith("-"):
            specs.append(arg)
        elif specs:
            raise KubectlError(f"all resources must be specified before taint changes: {arg}")
        else:
            resources.append(arg)
    if not resources:
        raise KubectlError("one or more resources must be specified as <resource> <name>")
    if not specs:
        raise KubectlError("at least one taint update is required")
    add, remove = _parse_taints(specs)
    word = resources[0].lower()
    try:
        kind = resolve_kind(session, word).kind
    except KubectlError as error:
        # explain.SplitAndParseResourceRequest returns the mapper's own error type.
        raise PlainError(error.message) from None
    if kind != "Node":
        raise KubectlError(f"invalid resource type {word}, only node types are supported")
    conflicts = [
        f"{r['key']}={r.get('effect', '')}"
        for a in add
        for r in remove
        if a["key"] == r["key"] and ("effect" not in r or a["effect"] == r["effect"])
    ]
    if conflicts:
        raise KubectlError(
            "can not both modify and remove the following taint(s) in the same command: "
            + ", ".join(conflicts)
        )
    names = _taint_targets(session, inv, resources)
    dry_run = dry_run_mode(inv)
    store = session.api
    result = Result()
    errors: list[Any] = []
    for name in names:
        try:
            node = store.get("Node", name)
            operation, taints = _new_taints(node, add, remove, bool(inv.flag("overwrite")))
            if dry_run != "client":
                store.patch(
                    "Node",
                    name,
                    "",
                    {"spec": {"taints": taints or None}},
                    "merge",
                    dry_run=dry_run == "server",
                )
        except TaintErrors as failed:
            errors.append(failed.errors if len(failed.errors) > 1 else failed.errors[0])
            continue
        except (KubectlError, ApiError) as error:
            errors.append(error)
            continue
        # taint.go sets the printer's operation after the dry-run words were added, so they
        # are lost: a dry run prints the same line as a real one.
        result.stdout += f"node/{name} {operation}\n"
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
    return result
