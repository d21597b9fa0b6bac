"""Help: what the game is, and every key, generated from the action registry."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sgame.tui.actions import ACTIONS, GameAction, localize
from k8sgame.tui.destinations import DESTINATIONS
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp

_SCOPES = {
    "app": "help.everywhere",
    "play": "help.scope_play",
    "cluster": "help.scope_cluster",
    "prompt": "help.scope_prompt",
    "campaign": "help.scope_campaign",
    "back": "help.scope_screens",
    "editor": "help.scope_editor",
    "confirm": "help.scope_confirm",
}


_KEY_NAMES = {
    "question_mark": "?",
    "colon": ":",
    "escape": "esc",
    "up": "↑",
    "down": "↓",
    "tab": "Tab",
}


def key_name(key: str) -> str:
    if key.startswith("ctrl+"):
        return "^" + key.removeprefix("ctrl+")
    if key[:1] == "f" and key[1:].isdigit():
        return key.upper()
    return _KEY_NAMES.get(key, key.replace("_", " "))


def key_names(action: GameAction) -> str:
    """Every key of the action (the footer may show only the first)."""
    return "/".join(key_name(key) for key in action.keys.split(","))


def help_text(language: str) -> Text:
    text = Text()
    text.append(ui("help.intro", language) + "\n\n")
    text.append(ui("help.extra_words", language) + "\n\n")

    text.append(ui("help.keys", language) + "\n", style="bold")
    scope = None
    for action in ACTIONS:
        if action.scope != scope:
            scope = action.scope
            text.append(f"\n{ui(_SCOPES[scope], language)}\n", style="bold underline")
        text.append(f"  {key_names(action):<10}", style="bold cyan")
        text.append(ui(f"keys.{action.text}", language) + "\n")
    text.append("\n" + ui("help.places", language) + "\n", style="bold")
    for place in DESTINATIONS:
        text.append(f"  {ui(f'destinations.{place.id}', language)}", style="bold cyan")
        text.append(f": {ui(f'destinations.{place.id}_about', language)}\n")
    text.rstrip()
    return text


class HelpScreen(UsesGameApp, Screen):
    CSS_PATH = "result.tcss"

    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "back", language)
        yield Static(ui("help.title", language), classes="title", markup=False)
        with VerticalScroll(id="help-body"):
            yield Static(help_text(language), markup=False)
        yield Footer()
