"""``kubectl get``: tables (plain, wide, with labels), names, YAML and JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.field_selectors import field_filter
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.errors import ApiError
from k8sgame.engine.labels import Selector, SelectorError
from k8sgame.engine.labels import parse as parse_selector
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.kinds import table_for
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import (
    GET_FORMATS,
    Output,
    parse_output,
    print_objects,
    resource_label,
)
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.sort_by import SortError, UnsortableError, sort_objects, sort_table
from k8sgame.kubectl.tabwriter import render
from k8sgame.kubectl.verbs import handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "get",
    (
        Flag("all-namespaces", "bool", "A", False),
        Flag("output", short="o"),
        Flag("selector", short="l"),
        Flag("field-selector"),
        Flag("show-labels", "bool", default=False),
        Flag("no-headers", "bool", default=False),
        Flag("sort-by"),
        Flag("ignore-not-found", "bool", default=False),
        Flag("show-kind", "bool", default=False),
        # A string slice: repeatable, and each value is split at commas.
        Flag("label-columns", short="L", repeat=True),
    ),
)


def selector_flag(inv: Invocation) -> Selector | None:
    """The ``-l`` selector, or None; a bad one is kubectl's error."""
    if not inv.flag("selector"):
        return None
    try:
        return parse_selector(inv.flag("selector"))
    except SelectorError as exc:
        raise KubectlError(str(exc)) from None


def field_selector_flag(inv: Invocation, info: KindInfo) -> Callable[[dict[str, Any]], bool] | None:
    """The ``--field-selector`` predicate for one kind (checked by the API server)."""
    text = inv.flag("field-selector")
    if not text:
        return None
    return field_filter(info, text, inv.flag("selector") or "")


def resolve_kind(session: KubectlSession, word: str) -> KindInfo:
    info = session.api.registry.resolve(word)
    if info is None:
        raise KubectlError(f'the server doesn\'t have a resource type "{word}"')
    return info


def kinds_of(session: KubectlSession, word: str) -> list[KindInfo]:
    """The kind a word names, or the kinds of a category (``all``: cli-runtime's category
    expansion, in discovery order — the core group first, then by group, each group's
    resources by name)."""
    registry = session.api.registry
    if registry.resolve(word) is None:
        members = [info for info in registry.all() if word in info.categories]
        if members:
            return sorted(members, key=lambda i: (i.group != "", i.group, i.plural))
    return [resolve_kind(session, word)]


def resource_args(session: KubectlSession, args: list[str]) -> list[tuple[KindInfo, list[str]]]:
    """``pods``, ``pods a b``, ``pods,nodes``, ``pod/a node/b`` -> [(kind, names)]."""
    if not args:
        raise KubectlError(
            'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.',
        )
    if any("/" in a for a in args):
        groups: list[tuple[KindInfo, list[str]]] = []
        for arg in args:
            kind_word, _, name = arg.partition("/")
            if not name:
                raise KubectlError(
                    "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'"
                )
            info = resolve_kind(session, kind_word)
            for existing, names in groups:
                # One group per kind and version asked for (hpa.v1.autoscaling/a hpa/b).
                if (existing.kind, existing.version) == (info.kind, info.version):
                    names.append(name)
                    break
            else:
                groups.append((info, [name]))
        return groups
    kinds: list[KindInfo] = []
    for word in args[0].split(","):
        if word:
            kinds.extend(kinds_of(session, word))
    names = args[1:]
    if names and len(kinds) > 1:
        raise KubectlError("you may only specify a single resource type")
    return [(info, list(names)) for info in kinds]


@handles("get")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """get.go: print what was found, then the errors collected on the way."""
    failures = Result()
    result = _get(session, inv, failures)
    result.add(failures)
    return result


def _get(session: KubectlSession, inv: Invocation, failures: Result) -> Result:
    output_text = inv.flag("output") or ""
    all_namespaces = bool(inv.flag("all-namespaces"))
    namespace = inv.flag("namespace") or session.namespace
    selector = selector_flag(inv)
    # get.go makes its printer only once the objects are fetched: a bad -o is reported
    # after them (and not at all when the one object asked for is missing).
    try:
        output = parse_output(session, output_text, GET_FORMATS)
        bad_output = None
    except KubectlError as error:
        output, bad_output = Output("yaml"), error
    groups = resource_args(session, inv.args)
    result = Result()
    found: list[tuple[KindInfo, dict[str, Any]]] = []
    for info, names in groups:
        scope = None if (all_namespaces or not info.namespaced) else namespace
        if names:
            for name in names:
                try:
                    obj = session.api.get(info.kind, name, scope or "")  # a copy
                except ApiError as error:
                    # get.go: --ignore-not-found drops NotFound errors (IgnoreErrors).
                    if error.reason == "NotFound" and inv.flag("ignore-not-found"):
                        continue
                    failures.stderr += server_error(error)
                    failures.exit_code = 1
                    continue
                found.append((info, obj))
        else:
            try:
                matches = field_selector_flag(inv, info)
            except ApiError as error:
                failures.stderr += server_error(error)
                failures.exit_code = 1
                continue
            found.extend(
                (info, obj) for obj in session.api.view(info.kind, scope, selector, matches)
            )
    single_implied = len(groups) == 1 and len(groups[0][1]) == 1
    if bad_output is not None:
        if single_implied and not found:
            return result
        failures.stderr, failures.exit_code = "", 0
        raise bad_output
    if not found and not output.table and not inv.flag("ignore-not-found") and not single_implied:
        # get.go printGeneric: no items still print as an empty List (nothing, for -o name);
        # only one named object that failed prints its error alone.
        result.stdout += print_objects([], output, single=False)
        return result
    if not found:
        if failures.exit_code == 0 and not inv.flag("ignore-not-found"):
            scoped = not all_namespaces and any(info.namespaced for info, _ in groups)
            result.stderr += (
                f"No resources found in {namespace} namespace.\n"
                if scoped
                else "No resources found\n"
            )
        return result
    sort_field = inv.flag("sort-by")
    if not output.table:
        if sort_field:
            found = _sorted_pairs(found, sort_objects, sort_field)
        single = single_implied and len(found) == 1
        result.stdout += print_objects(
            found, output, single=single, no_headers=bool(inv.flag("no-headers"))
        )
        return result
    if sort_field:
        try:
            found = _sorted_pairs(found, sort_table, sort_field)
        except UnsortableError:
            raise
        except SortError:
            # kubectl computes this error and then drops it: no rows, only the empty notice.
            result.stderr += f"No resources found in {namespace} namespace.\n"
            return result
    result.stdout += _tables(session, found, groups, output.format == "wide", all_namespaces, inv)
    return result


def _sorted_pairs(
    found: list[tuple[KindInfo, dict[str, Any]]],
    sorter: Callable[[list[dict[str, Any]], str], list[dict[str, Any]]],
    field: str,
) -> list[tuple[KindInfo, dict[str, Any]]]:
    """Sort (kind, object) pairs by a field, keeping each object's kind. A kind asked for
    in another served version (``hpa.v1.autoscaling``) is sorted by that version's fields."""
    shown = [(info, obj, info.view(obj) if info.view else obj) for info, obj in found]
    pairs = {id(seen): (info, obj) for info, obj, seen in shown}
    return [pairs[id(seen)] for seen in sorter([seen for _, _, seen in shown], field)]


def _tables(
    session: KubectlSession,
    found: list[tuple[KindInfo, dict[str, Any]]],
    groups: list[tuple[KindInfo, list[str]]],
    wide: bool,
    all_namespaces: bool,
    inv: Invocation,
) -> str:
    now = session.cluster.now
    # get.go multipleGVKsRequested: kinds among the objects found, not the ones asked for.
    prefix_kind = len({(info.kind, info.version) for info, _ in found}) > 1 or bool(
        inv.flag("show-kind")
    )
    label_columns = [k for value in inv.flag("label-columns") or [] for k in value.split(",") if k]
    blocks = []
    for info, _ in groups:
        objects = [
            obj for kind, obj in found if (kind.kind, kind.version) == (info.kind, info.version)
        ]
        if not objects:
            continue
        spec = table_for(info.kind)
        rows: list[list[str]] = []
        if spec is None:
            headers = ["NAME", "AGE"]
            make = lambda o, n: [o["metadata"]["name"], ""]  # noqa: E731
        elif wide and spec.wide_replaces and spec.wide_row is not None:
            headers = list(spec.wide_headers)
            make = spec.wide_row
        else:
            headers = list(spec.headers)
            make = spec.row
        if wide and spec is not None and spec.wide_row is not None and not spec.wide_replaces:
            headers += list(spec.wide_headers)
        namespaced_column = all_namespaces and info.namespaced
        if namespaced_column:
            headers.insert(0, "NAMESPACE")
        # Label columns, then LABELS last (printers' formatLabelHeaders, labelValues).
        headers += [key.split("/")[-1].upper() for key in label_columns]
        if inv.flag("show-labels"):
            headers.append("LABELS")
        if not inv.flag("no-headers"):
            rows.append(headers)
        for obj in objects:
            cells = list(make(obj, now))
            if wide and spec is not None and spec.wide_row is not None and not spec.wide_replaces:
                cells += spec.wide_row(obj, now)
            if prefix_kind and cells and headers[1 if namespaced_column else 0] == "NAME":
                cells[0] = resource_label(info, cells[0])  # pod/web, replicaset.apps/web
            if namespaced_column:
                cells.insert(0, obj["metadata"].get("namespace", ""))
            labels = obj["metadata"].get("labels") or {}
            cells += [labels.get(key, "") for key in label_columns]
            if inv.flag("show-labels"):
                cells.append(",".join(f"{k}={v}" for k, v in sorted(labels.items())) or "<none>")
            rows.append(cells)
        blocks.append(render(rows))
    return "\n".join(blocks)
