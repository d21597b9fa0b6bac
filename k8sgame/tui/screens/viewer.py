"""A full view of one command's output (describe, logs, YAML), as k9s opens one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, RichLog, Static

from k8sgame.kubectl.result import Result
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp


class ViewerScreen(UsesGameApp, ModalScreen[None]):
    CSS_PATH = "modals.tcss"

    def __init__(self, command: str, result: Result) -> None:
        super().__init__()
        self.command = command
        self.result = result

    def compose(self) -> ComposeResult:
        localize(self, "back", self.game_app.language)
        with Vertical(id="viewer-frame"):
            yield Static(f"kubectl {self.command}", classes="title", markup=False)
            # As in k9s: describe and YAML open at the top, logs at the newest line.
            yield RichLog(
                id="viewer-text",
                markup=False,
                wrap=False,
                highlight=False,
                auto_scroll=self.command.startswith("logs"),
            )
            yield Static(ui("viewer.keys", self.game_app.language), classes="dim", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        log = self.query_one(RichLog)
        if self.result.stdout:
            log.write(Text(self.result.stdout.rstrip("\n")))
        if self.result.stderr:
            log.write(Text(self.result.stderr.rstrip("\n"), style="red"))
        log.scroll_home(animate=False)
        log.focus()
