"""kubectl's error lines and exit codes."""

from __future__ import annotations

import dataclasses

from k8sgame.content.text import KUBECTL_NOTICES, message
from k8sgame.engine.errors import ApiError, go_quote


class KubectlError(Exception):
    """A client-side error: printed as ``error: {message}``, exit code 1."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self, language: str = "en") -> str:
        """The error's lines; ``language`` is the player's, for the game's own notices
        (kubectl's words stay in English)."""
        text = f"error: {self.message}\n"
        if self.hint:
            text += self.hint + "\n"
        return text


class PlainError(KubectlError):
    """An error CheckErr prints without ``error: `` before it: a NoResourceMatchError that
    reaches it unwrapped (``kubectl taint node/x ...``)."""

    def render(self, language: str = "en") -> str:
        return f"{self.message}\n" + (self.hint + "\n" if self.hint else "")


class NotModelledError(KubectlError):
    """Something real kubectl does that the sandbox does not: an ``error: `` line with the
    notice ``key`` of ``assets/kubectl.yaml``, in the player's language."""

    def __init__(self, key: str, **fields: str) -> None:
        self.notice = message(key, None, table=KUBECTL_NOTICES, **fields)
        super().__init__(self.notice.render())

    def render(self, language: str = "en") -> str:
        return f"error: {self.notice.render(language)}\n"


def server_error(error: ApiError, action: str = "", source: str = "") -> str:
    """``Error from server (Reason): message``; Invalid errors list their causes as kubectl
    does (one cause inline, several as ``* field: detail`` lines)."""
    if error.reason == "Invalid" and error.causes:
        # checkErr names the kind without its group: The Deployment "web" is invalid.
        if error.kind:
            head = f"The {error.kind} {go_quote(error.name)} is invalid"
        else:
            head = error.message.split(" is invalid:", 1)[0] + " is invalid"
        if len(error.causes) == 1:
            return f"{head}: {error.causes[0]}\n"
        return f"{head}: \n" + "".join(f"* {cause}\n" for cause in error.causes)
    where = f'error when {action} "{source}": ' if action and source else ""
    return f"Error from server ({error.reason}): {where}{error.message}\n"


@dataclasses.dataclass(frozen=True)
class Sourced:
    """A server error about an object that came from a file (cmdutil.AddSourceToErr adds
    ``error when creating "pod.yaml": `` to its message)."""

    error: ApiError
    action: str
    source: str


Collected = KubectlError | ApiError | Sourced | list[KubectlError]


def _standard(error: ApiError, action: str = "", source: str = "") -> str:
    """StandardErrorMessage, which an aggregate's errors get: no Invalid special form (and
    the API server's own message has no "The " before the kind)."""
    message = error.message.removeprefix("The ") if error.reason == "Invalid" else error.message
    where = f'error when {action} "{source}": ' if action and source else ""
    return f"Error from server ({error.reason}): {where}{message}"


def _message(error: Collected) -> str:
    if isinstance(error, list):  # utilerrors.Aggregate.Error(): "[a, b]"
        return "[" + ", ".join(e.message for e in error) + "]"
    if isinstance(error, Sourced):
        return _standard(error.error, error.action, error.source)
    return error.message if isinstance(error, KubectlError) else _standard(error)


def aggregate(errors: list[Collected]) -> str:
    """The errors a ContinueOnError command collected, as ``cmdutil.CheckErr`` prints them
    (``pkg/cmd/util/helpers.go`` checkErr and MultipleErrors). An aggregate of one is
    unwrapped (so one object's own list of errors prints as if alone); one error prints
    alone (``error: `` before a client-side one, the Invalid form for an invalid object);
    several print a line each, without ``error: ``. An item that is a list is one object's
    own aggregate."""
    if len(errors) == 1 and isinstance(errors[0], list):
        errors = list(errors[0])
    if not errors:
        return ""
    if len(errors) == 1:
        only = errors[0]
        if isinstance(only, KubectlError):
            return only.render()
        if isinstance(only, Sourced):
            return server_error(only.error, only.action, only.source)
        if isinstance(only, ApiError):
            return server_error(only)
    return "".join(_message(error) + "\n" for error in errors)
