"""The kubectl prompt: an input line with history (↑/↓) and Tab completion."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input

from k8sgame.kubectl.completion import Completion
from k8sgame.tui.actions import bindings


class Prompt(Input):
    """Enter submits (``Input.Submitted``); Tab completes; ↑/↓ walk the history."""

    BINDINGS: ClassVar[list[BindingType]] = [*bindings("prompt")]

    class Candidates(Message):
        """Several completions fit: the screen shows them."""

        def __init__(self, candidates: tuple[str, ...]) -> None:
            super().__init__()
            self.candidates = candidates

    def __init__(
        self, history: list[str], completer: Callable[[str], Completion], **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        self.history = history
        self.completer = completer
        self._position = len(history)
        self._draft = ""

    def remember(self, line: str) -> None:
        if line and (not self.history or self.history[-1] != line):
            self.history.append(line)
        self._position = len(self.history)
        self._draft = ""

    def action_complete(self) -> None:
        completion = self.completer(self.value[: self.cursor_position])
        rest = self.value[self.cursor_position :]
        self.value = completion.line + rest
        self.cursor_position = len(completion.line)
        if completion.candidates:
            self.post_message(self.Candidates(completion.candidates))

    def action_history_back(self) -> None:
        if self._position == len(self.history):
            self._draft = self.value
        if self._position > 0:
            self._position -= 1
            self.value = self.history[self._position]
            self.cursor_position = len(self.value)

    def action_history_forward(self) -> None:
        if self._position < len(self.history):
            self._position += 1
            self.value = (
                self._draft if self._position == len(self.history) else self.history[self._position]
            )
            self.cursor_position = len(self.value)
