"""``kubectl version``, ``cluster-info``, ``api-resources`` and ``api-versions``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from k8sgame.engine.kinds.node import KUBELET_VERSION
from k8sgame.kubectl.commands.config import SERVER
from k8sgame.kubectl.parser import Flag, Invocation
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.tabwriter import render
from k8sgame.kubectl.verbs import Args, handles, register_verb

if TYPE_CHECKING:
    from k8sgame.kubectl.session import KubectlSession

register_verb(
    "version", (Flag("client", "bool", default=False), Flag("output", short="o")), args=Args.NONE
)
register_verb("cluster-info", (), args=Args.NONE)
register_verb("api-versions", (), args=Args.NONE)
register_verb(
    "api-resources",
    (
        # None until given: the filter applies only when the flag is set (Changed).
        Flag("namespaced", "bool", default=None),
        Flag("output", short="o"),
        Flag("no-headers", "bool", default=False),
    ),
    args=Args.NONE,
)
KUSTOMIZE_VERSION = "v5.7.1"


@handles("version")
def version(session: KubectlSession, inv: Invocation) -> Result:
    text = f"Client Version: {KUBELET_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    if not inv.flag("client"):
        text += f"Server Version: {KUBELET_VERSION}\n"
    return Result(stdout=text)


@handles("cluster-info")
def cluster_info(session: KubectlSession, inv: Invocation) -> Result:
    return Result(
        stdout=f"Kubernetes control plane is running at {SERVER}\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    )


@handles("api-resources")
def api_resources(session: KubectlSession, inv: Invocation) -> Result:
    rows = (
        []
        if inv.flag("no-headers")
        else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    )
    wanted = inv.flag("namespaced")
    for info in sorted(session.api.registry.all(), key=lambda i: (i.group, i.plural)):
        if wanted is not None and info.namespaced != wanted:
            continue
        if inv.flag("output") == "name":
            rows.append([info.plural if not info.group else f"{info.plural}.{info.group}"])
            continue
        rows.append(
            [
                info.plural,
                ",".join(info.short_names),
                info.api_version,
                str(info.namespaced).lower(),
                info.kind,
            ]
        )
    return Result(stdout=render(rows))


@handles("api-versions")
def api_versions(session: KubectlSession, inv: Invocation) -> Result:
    """The group/versions the API server serves, sorted as strings, one a line
    (``apiversions.go``: ``sort.Strings``) — only those of the kinds the engine has."""
    versions: set[str] = set()
    for info in session.api.registry.all():
        versions.add(info.api_version)
        versions.update(
            f"{info.group}/{served.version}" if info.group else served.version
            for served in info.other_versions
        )
    return Result(stdout="".join(f"{version}\n" for version in sorted(versions)))
