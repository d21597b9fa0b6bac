"""A kubectl session against one simulated cluster: parse, run, and render errors."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import ANONYMOUS, UNAUTHENTICATED, Impersonation, UserInfo
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl import (
    commands,  # noqa: F401  (registers every verb)
    flag_catalog,
)
from k8sgame.kubectl.cluster_view import ClusterView
from k8sgame.kubectl.errors import KubectlError, NotModelledError, server_error
from k8sgame.kubectl.files import FileSource, no_files
from k8sgame.kubectl.kubeconfig import Context, KubeConfig
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


# What a request carries without a client certificate (a kubeconfig user the file lacks).
NO_CREDENTIALS = UserInfo(ANONYMOUS, (UNAUTHENTICATED,))


@dataclass(frozen=True)
class Overrides:
    """One command line's global options over the kubeconfig (clientcmd's ConfigOverrides):
    ``--context``, ``--user``, ``--as`` and ``--as-group``."""

    context: str = ""
    user: str = ""
    impersonate: str = ""
    groups: tuple[str, ...] = ()


def _global(invocation: Invocation, name: str) -> Any:
    """A global option's value, unless the command has a flag of that name of its own
    (``create rolebinding --user``, ``config set-context --user``), which shadows it."""
    if any(flag.name == name for flag in VERBS[invocation.verb].flags):
        return None
    return invocation.flag(name)


def overrides(invocation: Invocation) -> Overrides:
    return Overrides(
        context=_global(invocation, "context") or "",
        user=_global(invocation, "user") or "",
        impersonate=_global(invocation, "as") or "",
        groups=tuple(_global(invocation, "as-group") or ()),
    )


def _configuration_error(errors: list[str]) -> Result:
    """cmdutil.CheckErr on an invalid configuration (MultilineError): one error on the
    prefix's line, several as a list under it."""
    if len(errors) == 1:
        text = f"Error in configuration: {errors[0]}\n"
    else:
        text = "Error in configuration: \n" + "".join(f"* {e}\n" for e in errors)
    return Result(stderr=text, exit_code=1)


class KubectlSession:
    """kubectl pointed at a cluster through a kubeconfig: the current context's user and
    namespace, unless a command line's global options say otherwise."""

    def __init__(
        self,
        cluster: ClusterView,
        namespace: str = "default",
        files: FileSource = no_files,
        language: str = "en",
        kubeconfig: KubeConfig | None = None,
    ) -> None:
        if kubeconfig is None:
            kubeconfig = KubeConfig.default("" if namespace == "default" else namespace)
        elif namespace != "default" and kubeconfig.context() is not None:
            kubeconfig.contexts[kubeconfig.current_context].namespace = namespace
        self.kubeconfig = kubeconfig
        # The cluster itself: its ``api`` is the admin's; commands talk through
        # ``self.api``, the kubeconfig user's client.
        self.cluster = cluster
        self.files = files
        # The game's own prose (explain descriptions, notices) is in "en" or "ko".
        self.language = language
        # The running command line's global options (none between commands).
        self.overrides = Overrides()
        # One client per identity (and impersonation), so that a command's writes and
        # warnings are counted on the client it talked through.
        self._clients: dict[tuple[UserInfo, Impersonation | None], Client] = {}

    # -- the kubeconfig as this command line uses it ------------------------------------------

    def context(self) -> Context | None:
        """The context this command uses (``--context``, else the current one)."""
        return self.kubeconfig.context(self.overrides.context)

    def user_name(self) -> str:
        """The kubeconfig user this command authenticates as (``--user``, else the
        context's)."""
        if self.overrides.user:
            return self.overrides.user
        context = self.context()
        return context.user if context else ""

    @property
    def namespace(self) -> str:
        """The context's namespace (``default`` when it names none)."""
        context = self.context()
        return (context.namespace if context else "") or "default"

    @namespace.setter
    def namespace(self, value: str) -> None:
        context = self.kubeconfig.context()
        if context is not None:
            context.namespace = value

    @property
    def namespace_set(self) -> bool:
        """Whether the context names a namespace (``config set-context --namespace``)."""
        context = self.context()
        return bool(context and context.namespace)

    @namespace_set.setter
    def namespace_set(self, value: bool) -> None:
        context = self.kubeconfig.context()
        if context is not None and not value:
            context.namespace = ""

    @property
    def api(self) -> Client:
        """The client this command talks through: the kubeconfig user's, asking to act as
        someone else when the command line has ``--as``."""
        identity = self.kubeconfig.users.get(self.user_name(), NO_CREDENTIALS)
        impersonation = None
        if self.overrides.impersonate:
            impersonation = Impersonation(self.overrides.impersonate, self.overrides.groups)
        key = (identity, impersonation)
        client = self._clients.get(key)
        if client is None:
            engine_api = self.cluster.api
            base = engine_api if identity == engine_api.user else self._base(identity)
            client = base if impersonation is None else base.impersonating(impersonation)
            self._clients[key] = client
        return client

    def _base(self, identity: UserInfo) -> Client:
        key = (identity, None)
        if key not in self._clients:
            self._clients[key] = self.cluster.client_for(identity)
        return self._clients[key]

    # -- running commands --------------------------------------------------------------------

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
            try:
                invocation = parse(argv)
                if not invocation.verb.startswith("config"):
                    # kubectl config reads and writes the file; the global options choose
                    # the client of the other commands.
                    self.overrides = overrides(invocation)
                    if self.api is not api:
                        api = self.api
                        writes, errors = api.writes, len(api.field_errors)
                        api.take_warnings()
                dry_run = str(invocation.flag("dry-run") or "none") != "none"
                result = self._dispatch(invocation)
            except KubectlError as error:
                result = Result(stderr=error.render(self.language), exit_code=1)
            except ApiError as error:
                result = Result(stderr=server_error(error), exit_code=1)
            else:
                self.cluster.settle()
        finally:
            self.overrides = Overrides()
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
        if not invocation.verb.startswith("config"):
            failed = self._client_config_error(invocation)
            if failed is not None:
                return failed
        handler = VERBS[invocation.verb].handler
        assert handler is not None, invocation.verb  # a test holds every verb to one
        return handler(self, invocation)

    def _confirm_usable(self) -> list[str]:
        """clientcmd's DirectClientConfig.ConfirmUsable: the context must exist, and the
        user must not ask for groups without a user to impersonate (validateAuthInfo)."""
        problems = []
        name = self.overrides.context or self.kubeconfig.current_context
        if name and name not in self.kubeconfig.contexts:
            problems.append(f"context was not found for specified context: {name}")
        if self.overrides.groups and not self.overrides.impersonate:
            problems.append(
                f"requesting uid, groups or user-extra for {self.user_name()} without"
                " impersonating a user"
            )
        return problems

    def _client_config_error(self, invocation: Invocation) -> Result | None:
        """What client-go says of the kubeconfig and the global options before any request:
        the namespace is read first (which checks the configuration unless -n names it),
        then the client is built (a --user or --context that does not exist)."""
        if not invocation.flag("namespace"):
            problems = self._confirm_usable()
            if problems:
                return _configuration_error(problems)
        user, context = self.overrides.user, self.overrides.context
        if user and user not in self.kubeconfig.users:
            return Result(stderr=f'error: auth info "{user}" does not exist\n', exit_code=1)
        if context and context not in self.kubeconfig.contexts:
            return Result(stderr=f'error: context "{context}" does not exist\n', exit_code=1)
        problems = self._confirm_usable()
        return _configuration_error(problems) if problems else None
