"""Which objects a command acts on: ``TYPE NAME...``, ``TYPE/NAME`` or ``-f FILE``."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.commands.get import resource_args
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Invocation
from k8sgame.manifests import ManifestError, parse_manifests

NO_RESOURCES = KubectlError(
    "You must provide one or more resources by argument or filename.",
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n"
    "   '--filename=rsrc.json'\n"
    "   '<resource> <name>'\n"
    "   '<resource>'",
)


def documents(session: Any, paths: list[str]) -> list[tuple[str, dict[str, Any]]]:
    """Every manifest document of every ``-f`` path, with the source it came from."""
    found = []
    for path in paths:
        for source, text in session.files(path):
            try:
                found.extend((source, m.obj) for m in parse_manifests(text, source))
            except ManifestError as exc:
                raise KubectlError(str(exc)) from None
    return found


def named_targets(session: Any, inv: Invocation) -> list[tuple[Any, str, str]]:
    """(kind info, name, namespace) for each object named on the command line or in ``-f``."""
    namespace = inv.flag("namespace") or session.namespace
    targets: list[tuple[Any, str, str]] = []
    for _, obj in documents(session, inv.flag("filename") or []):
        info = session.cluster.registry.get(str(obj.get("kind")))
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
