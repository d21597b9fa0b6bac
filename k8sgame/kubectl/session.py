"""A kubectl session against one simulated cluster: parse, run, and render errors."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl import flag_catalog
from k8sgame.kubectl.cluster_view import ClusterView
from k8sgame.kubectl.commands import config
from k8sgame.kubectl.errors import KubectlError, NotModelledError, server_error
from k8sgame.kubectl.files import FileSource, no_files
from k8sgame.kubectl.parser import Invocation, parse
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.verbs import VERBS

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

    @property
    def api(self) -> Client:
        """The client this command talks through: the kubeconfig user's."""
        return self.cluster.api

    def run(self, command: str | Sequence[str]) -> Result:
        """Run one command line (a string is split like a shell would)."""
        try:
            argv = shlex.split(command) if isinstance(command, str) else list(command)
        except ValueError as exc:
            return Result(stderr=f"error: {exc}\n", exit_code=1)
        api = self.api
        writes, errors = api.writes, len(api.field_errors)
        api.take_warnings()  # what other callers of this client left behind is not ours
        dry_run = False
        try:
            invocation = parse(argv)
            dry_run = str(invocation.flag("dry-run") or "none") != "none"
            result = self._dispatch(invocation)
        except KubectlError as error:
            result = Result(stderr=error.render(self.language), exit_code=1)
        except ApiError as error:
            result = Result(stderr=server_error(error), exit_code=1)
        else:
            self.cluster.settle()
        # Warning headers no command printed itself: client-go's handler writes each one to
        # stderr as its answer arrives, before kubectl prints anything about that answer.
        result.prepend_stderr("".join(f"Warning: {w}\n" for w in api.take_warnings()))
        result.changed = api.writes > writes
        result.dry_run = dry_run
        result.field_errors = api.field_errors[errors:]
        return result

    def _dispatch(self, invocation: Invocation) -> Result:
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
        handler = VERBS[invocation.verb].handler
        assert handler is not None, invocation.verb  # a test holds every verb to one
        return handler(self, invocation)
