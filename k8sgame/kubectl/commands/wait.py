"""``kubectl wait --for=condition=...|delete|create|jsonpath=...``: runs simulated time until
each object meets the condition or the timeout passes (``kubectl/pkg/cmd/wait``).

Where kubectl watches the API for up to ``--timeout`` (30 s by default) of wall-clock time,
the sandbox advances the simulated clock by at most that much.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.kubectl.commands.get import field_selector_flag, resource_args, selector_flag
from k8sgame.kubectl.commands.targets import NO_RESOURCES
from k8sgame.kubectl.errors import KubectlError, aggregate
from k8sgame.kubectl.gofmt import sprint
from k8sgame.kubectl.jsonpath import JsonPathError, parse, relaxed_expression
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.printing import resource_label
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import Effect, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "wait",
    (
        Flag("for", default=""),
        Flag("timeout", default="30s"),
        Flag("selector", short="l"),
        Flag("field-selector"),
        Flag("all", "bool", default=False),
        Flag("all-namespaces", "bool", "A", False),
        Flag("filename", short="f", repeat=True),
        Flag("output", short="o"),
    ),
    effect=Effect.WAITS,
)
TIMED_OUT = "timed out waiting for the condition"
# --timeout below zero means "a week" (wait.go ToOptions).
WEEK = 168 * 3600.0

Check = Callable[[dict[str, Any] | None], bool]


def _condition_check(name: str, status: str) -> Check:
    """ConditionalWait: a condition of that type (any case) with that status (any case); a
    condition's observedGeneration older than the object's generation does not count."""

    def check(obj: dict[str, Any] | None) -> bool:
        if obj is None:
            return False
        generation = obj["metadata"].get("generation")
        for condition in (obj.get("status") or {}).get("conditions") or []:
            if str(condition.get("type", "")).lower() != name.lower():
                continue
            observed = condition.get("observedGeneration")
            if observed is not None and generation is not None and observed < generation:
                return False
            return str(condition.get("status", "")).lower() == status.lower()
        return False

    return check


def _split_jsonpath(text: str) -> list[str]:
    """splitJSONPathInput: split on single ``=``; ``==`` stays inside an element."""
    parts, current, i = [], "", 0
    while i < len(text):
        if text[i] == "=":
            if text[i + 1 : i + 2] == "=":
                current += "=="
                i += 2
                continue
            parts.append(current)
            current = ""
        else:
            current += text[i]
        i += 1
    return [*parts, current]


def _jsonpath_check(text: str) -> Check:
    parts = _split_jsonpath(text)
    if len(parts) > 2:
        raise KubectlError(
            "jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or "
            "--for=jsonpath='{.status.readyReplicas}'"
        )
    expression = relaxed_expression(parts[0])
    wanted = parts[1].strip("'\"") if len(parts) == 2 else None
    if wanted == "":
        raise KubectlError(
            "jsonpath wait has to have a value after equal sign, like "
            "--for=jsonpath='{.status.readyReplicas}'=3"
        )
    try:
        path = parse(expression)
    except JsonPathError as error:
        raise KubectlError(error.message) from None

    def check(obj: dict[str, Any] | None) -> bool:
        if obj is None:
            return False
        results = path.find_results(obj, allow_missing=True)
        if len(results) > 1:
            raise KubectlError("given jsonpath expression matches more than one list")
        if not results or not results[0]:
            return False
        if len(results[0]) > 1:
            raise KubectlError("given jsonpath expression matches more than one value")
        if wanted is None:
            return True
        value = results[0][0]
        if isinstance(value, (dict, list)):
            raise KubectlError("jsonpath leads to a nested object or list which is not supported")
        return sprint(value).strip() == wanted.strip()

    return check


def _checks(condition: str) -> list[tuple[str, Check]]:
    """conditionFuncFor: the --for value (a string flag: the last one given wins) as
    (kind of wait, check)."""
    lowered = condition.lower()
    if lowered == "delete":
        return [("delete", lambda obj: obj is None)]
    if lowered == "create":
        return [("create", lambda obj: obj is not None)]
    if condition.startswith("condition="):
        name, _, status = condition.removeprefix("condition=").partition("=")
        return [("condition", _condition_check(name, status or "true"))]
    if condition.startswith("jsonpath="):
        return [("jsonpath", _jsonpath_check(condition.removeprefix("jsonpath=")))]
    raise KubectlError(f'unrecognized condition: "{condition}"')


def _targets(session: KubectlSession, inv: Invocation) -> list[tuple[Any, str, str]]:
    namespace = inv.flag("namespace") or session.namespace
    targets: list[tuple[Any, str, str]] = []
    for info, names in resource_args(session, inv.args):
        scope = namespace if info.namespaced else ""
        if names:
            targets.extend((info, name, scope) for name in names)
            continue
        if not (inv.flag("all") or inv.flag("selector") or inv.flag("field-selector")):
            raise KubectlError("resource(s) were provided, but no name was specified")
        listed = session.api.list(
            info.kind,
            None if inv.flag("all-namespaces") else scope,
            selector_flag(inv),
            field_selector_flag(inv, info),
        )
        targets.extend(
            (info, obj["metadata"]["name"], obj["metadata"].get("namespace", "")) for obj in listed
        )
    return targets


@handles("wait")
def run(session: KubectlSession, inv: Invocation) -> Result:
    """Wait for every object in turn, each within what is left of the timeout."""
    try:
        timeout = parse_go_duration(inv.flag("timeout"))
    except ValueError as exc:
        raise KubectlError(
            f'invalid argument "{inv.flag("timeout")}" for "--timeout" flag: {exc}',
            "See 'kubectl wait --help' for usage.",
        ) from None
    if timeout < 0:
        timeout = WEEK
    checks = _checks(inv.flag("for"))
    waits = {kind for kind, _ in checks}
    if not inv.args and not inv.flag("filename"):
        raise NO_RESOURCES
    targets = _targets(session, inv)
    if not targets and "delete" not in waits:
        raise KubectlError("no matching resources found")
    cluster, store = session.cluster, session.api
    deadline = cluster.now + timeout
    result = Result()
    # The builder goes on after an error (ContinueOnError): every object is waited for in
    # turn, within what is left of the one timeout, and the errors are printed at the end.
    errors: list[Any] = []
    for info, name, namespace in targets:
        if "delete" in waits and store.peek(info.kind, name, namespace) is None:
            continue  # the builder's NotFound is ignored for --for=delete: nothing to print
        if not waits & {"delete", "create"}:
            try:
                store.get(info.kind, name, namespace)
            except ApiError as error:
                errors.append(error)
                continue
        for _, check in checks:
            met = partial(_met, store, (info.kind, name, namespace), check)
            if not met() and not cluster.run_until(met, max(0.0, deadline - cluster.now)):
                errors.append(KubectlError(f"{TIMED_OUT} on {info.plural}/{name}"))
                break
            result.stdout += f"{resource_label(info, name)} condition met\n"
    if errors:
        result.stderr += aggregate(errors)
        result.exit_code = 1
    return result


def _met(store: Any, key: tuple[str, str, str], check: Check) -> bool:
    kind, name, namespace = key
    return check(store.peek(kind, name, namespace))
