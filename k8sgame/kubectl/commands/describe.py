"""``kubectl describe``: the command.

Objects are described by kind: each kind's describer is declared in its
``k8sgame.kubectl.kinds`` module (after kubectl's ``describerMap`` in
``kubectl/pkg/describe/describe.go``). The command follows ``kubectl/pkg/cmd/describe``: one
object after another separated by two blank lines, server errors after them, and the
prefix match of ``describe TYPE NAME`` when no object has that exact name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.get import resource_args, selector_flag
from k8sgame.kubectl.describers import DescribeContext
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.kinds import describer_for
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "describe",
    (
        Flag("selector", short="l"),
        Flag("all-namespaces", "bool", "A", False),
        Flag("show-events", "bool", default=True),
    ),
)


@handles("describe")
def run(session: KubectlSession, inv: Invocation) -> Result:
    if not inv.args:
        raise KubectlError(
            'You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.'
        )
    all_namespaces = bool(inv.flag("all-namespaces"))
    namespace = inv.flag("namespace") or session.namespace
    selector = selector_flag(inv)
    groups = resource_args(session, inv.args)
    named = any(names for _, names in groups)
    if named and selector is not None:
        raise KubectlError("name cannot be provided when a selector is specified")
    if named and all_namespaces:
        raise KubectlError("a resource cannot be retrieved by name across all namespaces")
    store = session.api
    found: list[tuple[KindInfo, dict[str, Any]]] = []
    errors: list[ApiError] = []
    for info, names in groups:
        scope = "" if not info.namespaced else namespace
        if names:
            for name in names:
                try:
                    found.append((info, store.get(info.kind, name, scope)))
                except ApiError as error:
                    errors.append(error)
        else:
            listed = None if (all_namespaces or not info.namespaced) else namespace
            found.extend((info, obj) for obj in store.list(info.kind, listed, selector))
    ctx = DescribeContext(session, show_events=bool(inv.flag("show-events")))
    if len(errors) == 1 and errors[0].reason == "NotFound" and len(inv.args) == 2:
        # describe.go: any NotFound with exactly two words is retried as TYPE PREFIX, even
        # "pod/web cm/nope" (whose "prefix" then matches nothing).
        only = inv.args[0].partition("/")[2] or None
        return _describe_matching(ctx, groups[0][0], namespace, inv.args[1], errors[0], only)
    texts = [describer_for(info.kind)(obj, ctx) for info, obj in found]
    result = Result(stdout="\n\n".join(texts))
    if errors:
        result.stderr = "".join(server_error(error) for error in errors)
        result.exit_code = 1
    elif not found:
        result.stderr = (
            "No resources found\n"
            if all_namespaces
            else f"No resources found in {namespace} namespace.\n"
        )
    return result


def _describe_matching(
    ctx: DescribeContext,
    info: KindInfo,
    namespace: str,
    prefix: str,
    error: ApiError,
    only: str | None = None,
) -> Result:
    """``DescribeMatchingResources``: every object of the kind in the namespace (or the one
    named ``TYPE/NAME``) whose name starts with the missing name, each followed by a blank
    line; else the NotFound error alone."""
    scope = namespace if info.namespaced else None
    matches = [
        obj
        for obj in ctx.store.list(info.kind, scope)
        if obj["metadata"]["name"].startswith(prefix)
        and (only is None or obj["metadata"]["name"] == only)
    ]
    if not matches:
        return Result(stderr=server_error(error), exit_code=1)
    describe = describer_for(info.kind)
    return Result(stdout="".join(describe(obj, ctx) + "\n" for obj in matches))
