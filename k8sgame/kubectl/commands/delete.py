"""``kubectl delete``: by name, ``kind/name``, ``-f``, ``-l`` or ``--all``.

As kubectl does by default (``--wait=true``), the command returns once the objects are gone,
so simulated time moves on while pods shut down (up to their grace period).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.get import field_selector_flag, resolve_kind, selector_flag
from k8sgame.kubectl.commands.targets import documents
from k8sgame.kubectl.errors import KubectlError, server_error
from k8sgame.kubectl.parser import Flag, Invocation, register_verb
from k8sgame.kubectl.result import Result

register_verb(
    "delete",
    (
        Flag("filename", short="f", repeat=True),
        Flag("selector", short="l"),
        Flag("field-selector"),
        Flag("all", "bool", default=False),
        Flag("all-namespaces", "bool", "A", False),
        Flag("grace-period", "int", default=-1),
        Flag("force", "bool", default=False),
        Flag("now", "bool", default=False),
        # delete_flags.go: a bare --cascade is "background".
        Flag("cascade", default="background", optional_value="background"),
        Flag("wait", "bool", default=True),
        Flag("ignore-not-found", "bool", default=False),
        Flag("output", short="o"),
    ),
)

FORCE_WARNING = (
    "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. "
    "The resource may continue to run on the cluster indefinitely.\n"
)
WAIT_LIMIT = 3600.0


def _propagation(cascade: str) -> str:
    value = {"true": "background", "false": "orphan"}.get(cascade, cascade)
    if value not in ("background", "foreground", "orphan"):
        raise KubectlError(
            f'invalid cascade value ({cascade}). Must be "background", "foreground", or "orphan".'
        )
    return value.capitalize()


def _targets(session: Any, inv: Invocation) -> list[tuple[Any, str, str]]:
    namespace = inv.flag("namespace") or session.namespace
    found: list[tuple[Any, str, str]] = []
    if inv.flag("filename"):
        for _, obj in documents(session, inv.flag("filename")):
            info = resolve_kind(session, str(obj.get("kind")))
            md = obj.get("metadata") or {}
            scope = (md.get("namespace") or namespace) if info.namespaced else ""
            found.append((info, md.get("name", ""), scope))
        return found
    if not inv.args:
        raise KubectlError("You must provide one or more resources by argument or filename.")
    if any("/" in a for a in inv.args):
        for arg in inv.args:
            word, _, name = arg.partition("/")
            info = resolve_kind(session, word)
            found.append((info, name, namespace if info.namespaced else ""))
        return found
    kinds = [resolve_kind(session, w) for w in inv.args[0].split(",") if w]
    names = inv.args[1:]
    selector = selector_flag(inv)
    if not names and not selector and not inv.flag("all") and not inv.flag("field-selector"):
        raise KubectlError(
            "resource(s) were provided, but no name was specified",
        )
    for info in kinds:
        scope = "" if not info.namespaced else (None if inv.flag("all-namespaces") else namespace)
        if names:
            found.extend((info, name, scope or "") for name in names)
        else:
            found.extend(
                (info, obj["metadata"]["name"], obj["metadata"].get("namespace", ""))
                for obj in session.cluster.store.list(
                    info.kind, scope, selector, field_selector_flag(inv, info)
                )
            )
    return found


def run(session: Any, inv: Invocation) -> Result:
    result = Result()
    grace = int(inv.flag("grace-period"))
    force = bool(inv.flag("force"))
    if inv.flag("now"):
        grace = 1
    if grace == 0 and not force:
        # kubectl turns --grace-period=0 into 1 unless --force is given.
        grace = 1
    if force and grace < 0:
        grace = 0
    if force:
        result.stderr += FORCE_WARNING
    propagation = _propagation(str(inv.flag("cascade")))
    targets = _targets(session, inv)
    if not targets:
        result.stderr += "No resources found\n"
        return result
    store = session.cluster.store
    waiting = []
    for info, name, namespace in targets:
        try:
            store.delete(
                info.kind,
                name,
                namespace,
                propagation=propagation,
                grace_period=grace if grace >= 0 else None,
            )
        except ApiError as error:
            if error.reason == "NotFound" and inv.flag("ignore-not-found"):
                continue
            result.add(Result(stderr=server_error(error), exit_code=1))
            continue
        session.cluster.settle()
        if inv.flag("output") == "name":
            result.stdout += f"{info.singular}/{name}\n"
        else:
            result.stdout += (
                f'{info.singular} "{name}" {"force deleted" if grace == 0 else "deleted"}\n'
            )
        waiting.append((info, name, namespace))
    if inv.flag("wait") and waiting:
        session.cluster.run_until(
            lambda: all(store.peek(i.kind, n, ns) is None for i, n, ns in waiting), WAIT_LIMIT
        )
    return result
