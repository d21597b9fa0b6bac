"""Which objects a command acts on: ``TYPE NAME...``, ``TYPE/NAME`` or ``-f FILE``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.commands.get import (
    field_selector_flag,
    resolve_kind,
    resource_args,
    selector_flag,
)
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Invocation
from k8sgame.manifests import ManifestError, parse_manifests

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

NO_RESOURCES = KubectlError(
    "You must provide one or more resources by argument or filename.",
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'",
)


def documents(session: KubectlSession, paths: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every manifest document of every ``-f`` path, with the source it came from."""
    found: list[tuple[str, dict[str, Any]]] = []
    for path in paths:
        for source, text in session.files(path):
            try:
                found.extend((source, m.obj) for m in parse_manifests(text, source))
            except ManifestError as exc:
                raise KubectlError(str(exc)) from None
    return found


def named_targets(session: KubectlSession, inv: Invocation) -> list[tuple[Any, str, str]]:
    """(kind info, name, namespace) for each object named on the command line or in ``-f``."""
    namespace = inv.flag("namespace") or session.namespace
    targets: list[tuple[Any, str, str]] = []
    for _, obj in documents(session, inv.flag("filename") or []):
        info = session.api.registry.get(str(obj.get("kind")))
        if info is None:
            raise KubectlError(f'the server doesn\'t have a resource type "{obj.get("kind")}"')
        md = obj.get("metadata") or {}
        scope = (md.get("namespace") or namespace) if info.namespaced else ""
        targets.append((info, str(md.get("name", "")), scope))
    if inv.args:
        for info, names in resource_args(session, inv.args):
            if not names:
                raise KubectlError(
                    f"resource(s) were provided, but no name was specified for {info.plural}"
                )
            targets.extend((info, name, namespace if info.namespaced else "") for name in names)
    if not targets:
        raise NO_RESOURCES
    return targets


@dataclass
class Target:
    """One object a command visits: fetched, or the error fetching it gave."""

    info: KindInfo
    name: str
    namespace: str
    obj: dict[str, Any] | None = None
    error: ApiError | None = None
    source: str = ""  # the -f file it came from


def selected_targets(
    session: KubectlSession,
    inv: Invocation,
    resources: list[str],
    *,
    fetch: bool = True,
    all_is_selector: bool = False,
    type_means_all: bool = False,
) -> list[Target]:
    """The objects of cli-runtime's builder with ``ResourceTypeOrNameArgs(--all, ...)``,
    ``-f``, ``-l``, ``--field-selector`` and ``-A``, in its order (files, then the arguments).
    A named object that cannot be fetched is kept with its error, as ContinueOnError does;
    a bad combination of arguments raises the builder's error. ``fetch=False`` is the
    builder's RequireObject(false): named objects are not read first (delete). ``--all``
    only stands in for missing names (ResourceTypeOrNameArgs), unless ``all_is_selector``
    (delete's SelectAllParam), where it is a selector that names may not come with. With
    ``type_means_all`` a type without names means every object of it
    (``ResourceTypeOrNameArgs(true, ...)``, as ``rollout`` takes it)."""
    store = session.api
    namespace = inv.flag("namespace") or session.namespace
    every = bool(inv.flag("all-namespaces"))
    targets: list[Target] = []
    for source, obj in documents(session, inv.flag("filename") or []):
        info = resolve_kind(session, str(obj.get("kind")))
        md = obj.get("metadata") or {}
        scope = (md.get("namespace") or namespace) if info.namespaced else ""
        targets.append(Target(info, str(md.get("name", "")), scope, source=source))
    if resources:
        selector = selector_flag(inv)
        selecting = selector is not None or bool(inv.flag("field-selector"))
        selecting = selecting or bool(all_is_selector and inv.flag("all"))
        for info, names in resource_args(session, resources):
            scope = (None if every else namespace) if info.namespaced else ""
            if names and selecting:
                raise KubectlError("name cannot be provided when a selector is specified")
            selecting = selecting or bool(inv.flag("all"))
            if names:
                targets.extend(Target(info, name, scope or "") for name in names)
                continue
            if not (selecting or type_means_all):
                raise KubectlError("resource(s) were provided, but no name was specified")
            matches = field_selector_flag(inv, info)
            for obj in store.list(info.kind, scope, selector, matches):
                md = obj["metadata"]
                targets.append(Target(info, md["name"], md.get("namespace", ""), obj))
    for target in targets if fetch else ():
        if target.obj is None:
            try:
                target.obj = store.get(target.info.kind, target.name, target.namespace)
            except ApiError as error:
                target.error = error
    return targets
