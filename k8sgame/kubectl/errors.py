"""kubectl's error lines and exit codes."""

from __future__ import annotations

from k8sgame.engine.errors import ApiError


class KubectlError(Exception):
    """A client-side error: printed as ``error: {message}``, exit code 1."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def render(self) -> str:
        text = f"error: {self.message}\n"
        if self.hint:
            text += self.hint + "\n"
        return text


def server_error(error: ApiError, action: str = "", source: str = "") -> str:
    """``Error from server (Reason): message``; Invalid errors list their causes as kubectl
    does (one cause inline, several as ``* field: detail`` lines)."""
    if error.reason == "Invalid" and error.causes:
        head = error.message.split(" is invalid:", 1)[0] + " is invalid"
        if len(error.causes) == 1:
            return f"{head}: {error.causes[0]}\n"
        return f"{head}: \n" + "".join(f"* {cause}\n" for cause in error.causes)
    where = f'error when {action} "{source}": ' if action and source else ""
    return f"Error from server ({error.reason}): {where}{error.message}\n"
