"""``kubectl version``, ``cluster-info``, ``api-resources`` and ``config set-context``."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.api.node import KUBELET_VERSION
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import Flag, Invocation, register_verb
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.tabwriter import render

register_verb("version", (Flag("client", "bool", default=False), Flag("output", short="o")))
register_verb("cluster-info", ())
register_verb(
    "api-resources",
    (Flag("namespaced"), Flag("output", short="o"), Flag("no-headers", "bool", default=False)),
)
register_verb(
    "config", (Flag("current", "bool", default=False), Flag("minify", "bool", default=False))
)
CONTEXT = "k8sgame"
SERVER = "https://127.0.0.1:6443"
KUSTOMIZE_VERSION = "v5.7.1"


def version(session: Any, inv: Invocation) -> Result:
    text = f"Client Version: {KUBELET_VERSION}\nKustomize Version: {KUSTOMIZE_VERSION}\n"
    if not inv.flag("client"):
        text += f"Server Version: {KUBELET_VERSION}\n"
    return Result(stdout=text)


def cluster_info(session: Any, inv: Invocation) -> Result:
    return Result(
        stdout=f"Kubernetes control plane is running at {SERVER}\n\n"
        "To further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
    )


def api_resources(session: Any, inv: Invocation) -> Result:
    rows = (
        []
        if inv.flag("no-headers")
        else [["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]]
    )
    wanted = inv.flag("namespaced")
    for info in sorted(session.cluster.registry.all(), key=lambda i: (i.group, i.plural)):
        if wanted is not None and str(info.namespaced).lower() != str(wanted).lower():
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


def config(session: Any, inv: Invocation) -> Result:
    action = inv.args[0] if inv.args else ""
    if action == "set-context" and inv.flag("current"):
        if inv.flag("namespace"):
            session.namespace = inv.flag("namespace")
        return Result(stdout=f'Context "{CONTEXT}" modified.\n')
    if action == "current-context":
        return Result(stdout=f"{CONTEXT}\n")
    if action == "get-contexts":
        rows = [
            ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"],
            ["*", CONTEXT, CONTEXT, "admin", session.namespace],
        ]
        return Result(stdout=render(rows))
    raise KubectlError(
        "the simulated kubeconfig has one context; supported here: config set-context --current --namespace=NS, "
        "config current-context, config get-contexts"
    )
