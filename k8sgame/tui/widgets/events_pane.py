"""The events pane: the namespace's Events, newest first, warnings marked in words and colour."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from k8sgame.kubectl.kinds.event import event_columns
from k8sgame.tui.text import ui

SHOWN = 50


def _newest(event: dict[str, Any]) -> tuple[str, str]:
    return (
        str(event.get("lastTimestamp") or event["metadata"].get("creationTimestamp") or ""),
        event["metadata"]["resourceVersion"].rjust(12, "0"),
    )


def events_text(events: list[dict[str, Any]], now: float, language: str) -> Text:
    """One line per event: when, type, reason, object, message."""
    if not events:
        return Text(ui("play.no_events", language), style="dim")
    text = Text()
    for event in sorted(events, key=_newest, reverse=True)[:SHOWN]:
        seen, kind, reason, target, message = event_columns(event, now)
        warning = kind == "Warning"
        text.append(f"{seen:>6} ", style="dim")
        text.append("⚠ Warning " if warning else "  Normal  ", style="bold red" if warning else "")
        text.append(f"{reason} ", style="bold")
        text.append(f"{target}: ", style="cyan")
        text.append(message + "\n")
    text.rstrip()
    return text


class EventsPane(Static):
    def __init__(self, language: str, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)
        self.language = language
        self._shown = ""

    def show(self, events: list[dict[str, Any]], now: float) -> None:
        text = events_text(events, now, self.language)
        if text.plain != self._shown:
            self._shown = text.plain
            self.update(text)
