"""The goal as a checklist: each line marked met (✔), not yet (…) or not met (✘), in words as
well as colour, with the engine's reason under a line that is not met."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from k8sgame.content.text import say
from k8sgame.levels.checker import MET, NOT_YET
from k8sgame.play.session import ChecklistLine, state_label

_STYLE = {MET: "bold green", NOT_YET: "yellow"}


def checklist_text(lines: list[ChecklistLine], language: str) -> Text:
    text = Text()
    for line in lines:
        style = _STYLE.get(line.state, "bold red")
        state = say(f"states.{line.state}", language)
        text.append(f"{state_label(line.state)} ", style=style)
        text.append(line.text)
        text.append(f"  [{state}]\n", style=style)
        if line.state != MET and line.reason:
            text.append(f"   {line.reason}\n", style="dim")
    text.rstrip()
    return text


class Checklist(Static):
    def __init__(self, language: str, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.language = language
        self._shown = ""

    def show(self, lines: list[ChecklistLine]) -> None:
        text = checklist_text(lines, self.language)
        if text.plain != self._shown:
            self._shown = text.plain
            self.update(text)
