"""Driving the game screen as a player does: keys only."""

from __future__ import annotations

from textual.pilot import Pilot


async def type_text(pilot: Pilot, text: str) -> None:
    """Type ``text`` key by key (as a player would at the prompt or in the editor)."""
    await pilot.press(*[{" ": "space", "\n": "enter"}.get(char, char) for char in text])


async def command(pilot: Pilot, line: str) -> None:
    """Type a prompt line and press Enter."""
    await type_text(pilot, line)
    await pilot.press("enter")
    await pilot.pause()


async def paste(pilot: Pilot, line: str) -> None:
    """Paste a whole prompt line at once and press Enter (for long lines; typing them key by
    key is what ``command`` does, and costs a frame per key)."""
    prompt = pilot.app.screen.query_one("#prompt")
    prompt.focus()
    prompt.value = line
    await pilot.press("enter")
    await pilot.pause()


def output_text(app) -> str:
    """What the terminal pane shows, with the pane's wrapping undone (lines wrap at its width,
    so words are joined by single spaces: compare messages, not layout)."""
    lines = (strip.text for strip in app.screen.query_one("#output").lines)
    return " ".join(" ".join(lines).split())


def screen_text(app) -> str:
    """The whole screen as text (what a player sees, without colour)."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())
