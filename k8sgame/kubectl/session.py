"""A kubectl session against one simulated cluster: parse, run, and render errors."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Sequence
from typing import Any

from k8sgame.engine.errors import ApiError
from k8sgame.kubectl import flag_catalog
from k8sgame.kubectl.cluster_view import ClusterView
from k8sgame.kubectl.commands import (
    apply,
    config,
    delete,
    describe,
    drain,
    edit,
    explain,
    generators,
    get,
    info,
    logs,
    metadata,
    nodes,
    patch,
    replace,
    top,
    wait,
)
from k8sgame.kubectl.commands import exec as exec_command
from k8sgame.kubectl.errors import KubectlError, NotModelledError, server_error
from k8sgame.kubectl.files import FileSource, no_files
from k8sgame.kubectl.notices import notice
from k8sgame.kubectl.parser import Invocation, parse
from k8sgame.kubectl.result import Result

Handler = Callable[[Any, Invocation], Result]
HANDLERS: dict[str, Handler] = {
    "get": get.run,
    "apply": apply.run,
    "create": apply.run,
    "create namespace": generators.run,
    "create configmap": generators.run,
    "create secret": generators.secret_group,
    "create secret generic": generators.run,
    "create secret docker-registry": generators.secret_unmodelled,
    "create secret tls": generators.secret_unmodelled,
    "run": generators.run,
    "patch": patch.run,
    "replace": replace.run,
    "edit": edit.run,
    "drain": drain.run,
    "wait": wait.run,
    "delete": delete.run,
    "logs": logs.run,
    "describe": describe.run,
    "explain": explain.run,
    "exec": exec_command.run,
    "label": metadata.run,
    "annotate": metadata.run,
    "cordon": nodes.cordon,
    "uncordon": nodes.cordon,
    "taint": nodes.taint,
    "version": info.version,
    "cluster-info": info.cluster_info,
    "api-resources": info.api_resources,
    "config": config.group,
    "config current-context": config.current_context,
    "config get-contexts": config.get_contexts,
    "config set-context": config.set_context,
    "config use-context": config.use_context,
    "config view": config.view,
    "top": top.top_group,
    "top pod": top.top_pod,
    "top node": top.top_node,
}


# Flags that make kubectl keep printing until interrupted; each command here returns at once.
STREAMING_FLAGS = frozenset({"--watch", "--watch-only", "--follow"})


def _unmodelled(invocation: Invocation) -> NotModelledError:
    """The notice for real flags the sandbox does not model: streaming ones say how to see
    changes instead, global options that the sandbox has one kubeconfig."""
    given = set(invocation.unmodelled)
    key = "flag_not_modelled"
    if given & STREAMING_FLAGS:
        key = "streaming_not_modelled"
    elif given <= {f"--{name}" for name in flag_catalog.global_flags()}:
        key = "option_not_modelled"
    return NotModelledError(key, flags=", ".join(invocation.unmodelled), command=invocation.verb)


class KubectlSession:
    """kubectl pointed at a cluster, with a current namespace (the kubeconfig context's)."""

    def __init__(
        self,
        cluster: ClusterView,
        namespace: str = "default",
        files: FileSource = no_files,
        language: str = "en",
    ) -> None:
        self.cluster = cluster
        self.namespace = namespace
        # Whether the kubeconfig context names a namespace (``config set-context``).
        self.namespace_set = namespace != "default"
        self.files = files
        # The game's own prose (explain descriptions, notices) is in "en" or "ko".
        self.language = language

    def run(self, command: str | Sequence[str]) -> Result:
        """Run one command line (a string is split like a shell would)."""
        try:
            argv = shlex.split(command) if isinstance(command, str) else list(command)
        except ValueError as exc:
            return Result(stderr=f"error: {exc}\n", exit_code=1)
        try:
            invocation = parse(argv)
            if invocation.unmodelled:
                raise _unmodelled(invocation)
            context = invocation.flag("context")
            if context and context != config.CONTEXT:
                # clientcmd's validation, printed by CheckErr as a configuration error.
                return Result(
                    stderr="Error in configuration: context was not found for specified"
                    f" context: {context}\n",
                    exit_code=1,
                )
            result = HANDLERS[invocation.verb](self, invocation)
        except NotModelledError as error:
            return Result(stderr=f"error: {notice(self, error.key, **error.fields)}\n", exit_code=1)
        except KubectlError as error:
            return Result(stderr=error.render(), exit_code=1)
        except ApiError as error:
            return Result(stderr=server_error(error), exit_code=1)
        self.cluster.settle()
        return result
