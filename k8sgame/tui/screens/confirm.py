"""A yes/no question over the current screen (reset the level?)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp


class ConfirmScreen(UsesGameApp, ModalScreen[bool]):
    """Dismissed with True by the confirm button, False by Cancel or esc. Cancel has the focus
    first, so a stray Enter loses nothing."""

    CSS_PATH = "modals.tcss"

    def __init__(self, question: str, confirm: str) -> None:
        super().__init__()
        self.question = question
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "confirm", language)
        with Vertical(id="confirm-frame"):
            yield Static(self.question, markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(self.confirm, id="confirm", variant="error")
                yield Button(ui("keys.cancel", language), id="cancel")
            yield Static(ui("confirm.keys", language), classes="dim", markup=False)

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm")

    def action_cancel(self) -> None:
        self.dismiss(False)
