"""Every key the game answers to, in one registry: screens take their bindings from it, the
footer shows the ones marked for it, and the help screen lists them all."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

from k8sgame.tui.text import ui


@dataclass(frozen=True)
class GameAction:
    """A key (or keys, comma-separated as Textual writes them) bound to an action in a scope:
    ``app`` (everywhere), ``play``, ``cluster``, ``prompt`` or ``campaign``."""

    scope: str
    keys: str
    action: str
    text: str  # key into ui.json's ``keys`` group
    footer: bool = True
    key_display: str | None = None
    priority: bool = False


ACTIONS: tuple[GameAction, ...] = (
    GameAction("app", "f1,question_mark", "help", "help", key_display="f1"),
    # Quit and the briefing stay out of the footer so the play screen's keys fit 80 columns;
    # the help screen lists them (ctrl+q is every Textual app's quit).
    GameAction("app", "ctrl+q", "quit", "quit", key_display="^q", priority=True, footer=False),
    # Not in the footer: Textual's footer shows the palette key on its right already.
    GameAction("app", "ctrl+p", "command_palette", "palette", key_display="^p", footer=False),
    GameAction("play", "escape", "back", "back", key_display="esc"),
    GameAction("play", "f2", "hint", "hint"),
    GameAction("play", "f3", "briefing", "briefing", footer=False),
    GameAction("play", "f4", "new_manifest", "new_manifest"),
    GameAction("play", "f5", "pause", "pause"),
    GameAction("play", "f6", "speed", "speed"),
    GameAction("play", "f7", "skip", "skip"),
    GameAction("play", "f8", "reset", "reset", footer=False),
    GameAction("play", "f9", "focus_cluster", "focus_cluster", footer=False),
    GameAction("play", "f10", "concepts", "concepts", footer=False),
    GameAction("cluster", "d", "describe", "describe"),
    GameAction("cluster", "l", "logs", "logs"),
    GameAction("cluster", "p", "previous", "previous"),
    GameAction("cluster", "y", "yaml", "yaml"),
    GameAction("cluster", "e", "edit", "edit"),
    GameAction("cluster", "colon", "focus_prompt", "focus_prompt", key_display=":"),
    GameAction("prompt", "tab", "complete", "complete", footer=False),
    GameAction("prompt", "up", "history_back", "history_back", footer=False),
    GameAction("prompt", "down", "history_forward", "history_forward", footer=False),
    GameAction("campaign", "s", "sandbox_start", "sandbox_start"),
    GameAction("campaign", "escape", "back", "back", key_display="esc"),
    GameAction("back", "escape", "app.pop_screen", "back", key_display="esc"),
    GameAction("editor", "ctrl+s", "save", "save", key_display="^s"),
    GameAction("editor", "ctrl+r", "apply", "apply", key_display="^r"),
    GameAction("editor", "escape", "cancel", "back", key_display="esc", priority=True),
    GameAction("confirm", "escape", "cancel", "cancel", key_display="esc"),
)


def in_scope(scope: str) -> tuple[GameAction, ...]:
    return tuple(action for action in ACTIONS if action.scope == scope)


def bindings(scope: str, language: str = "en", prefix: str = "") -> list[Binding]:
    """Textual bindings for one scope, described in ``language``; ``prefix`` names where the
    action lives (``screen.`` for a widget's key that the screen handles)."""
    return [
        Binding(
            action.keys,
            prefix + action.action,
            ui(f"keys.{action.text}", language),
            show=action.footer,
            key_display=action.key_display,
            priority=action.priority,
        )
        for action in in_scope(scope)
    ]


def localize(node, scope: str, language: str, prefix: str = "") -> None:
    """Give a screen, widget or the app its scope's bindings described in ``language``, on top
    of the bindings its class declares (the language can change while the game runs). A class
    binding for one of the scope's actions is replaced, not doubled."""
    from textual.binding import BindingsMap

    localized = bindings(scope, language, prefix)
    actions = {binding.action for binding in localized}
    merged = type(node)._merged_bindings
    keep = (
        []
        if merged is None
        else [
            binding
            for group in merged.key_to_bindings.values()
            for binding in group
            if binding.action not in actions
        ]
    )
    node._bindings = BindingsMap([*keep, *localized])
    if getattr(node, "is_mounted", False):
        node.refresh_bindings()
