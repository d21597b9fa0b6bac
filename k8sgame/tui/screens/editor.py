"""The YAML editor: ``kubectl edit`` of an object, or a new manifest saved and applied. Errors
are shown under the text with their line, and the cursor goes to the first one."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Static, TextArea

from k8sgame.kubectl.result import Result
from k8sgame.play.session import PlaySession
from k8sgame.tui.actions import localize
from k8sgame.tui.editor_errors import error_lines
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp

FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.ya?ml")
NEW_MANIFEST = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \nspec:\n  containers:\n  - name: \n    image: \n"


class EditorScreen(UsesGameApp, ModalScreen[tuple[str, Result] | None]):
    """Dismissed with (the command it stands for, its result) once the cluster took it."""

    CSS_PATH = "modals.tcss"

    def __init__(
        self,
        game: PlaySession,
        *,
        target: str | None = None,
        text: str | None = None,
        name: str = "manifest.yaml",
    ) -> None:
        super().__init__()
        self.game = game
        self.target = target
        self.base = text or ""
        self.file_name = name

    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "editor", language)
        with Vertical(id="editor-frame"):
            if self.target:
                title = ui("editor.edit_title", language, target=self.target)
            else:
                title = ui("editor.new_title", language)
            yield Static(title, classes="title", markup=False)
            if not self.target:
                yield Input(
                    self.file_name, id="editor-name", placeholder=ui("editor.file_name", language)
                )
            yield TextArea.code_editor(
                self.base if self.target else self.game.run.files.get(self.file_name, NEW_MANIFEST),
                language="yaml",
                id="editor-text",
                soft_wrap=False,
            )
            yield Static("", id="editor-errors", markup=False)
            keys = "editor.edit_keys" if self.target else "editor.keys"
            yield Static(ui(keys, language), classes="dim", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Naming a file that exists opens it."""
        name = event.value.strip()
        if name in self.game.run.files:
            self.query_one(TextArea).load_text(self.game.run.files[name])
        self.query_one(TextArea).focus()

    def _file_name(self) -> str | None:
        name = self.query_one("#editor-name", Input).value.strip()
        if not FILE_NAME.fullmatch(name):
            self.show_errors([(0, ui("editor.bad_name", self.game_app.language))])
            return None
        return name

    def action_save(self) -> None:
        """kubectl edit: send the edit. A file: save it in the working directory."""
        text = self.query_one(TextArea).text
        if self.target:
            self._finish(
                f"edit {self.target}", text, self.game.save_edit(self.target, self.base, text)
            )
            return
        name = self._file_name()
        if name is not None:
            self.game.write_file(name, text)
            saved = Result(stdout=ui("editor.saved", self.game_app.language, name=name) + "\n")
            self.dismiss((f"# {ui('editor.saved', self.game_app.language, name=name)}", saved))

    def action_apply(self) -> None:
        """A file: save it and ``kubectl apply -f`` it (kubectl edit: the same as saving)."""
        if self.target:
            self.action_save()
            return
        name = self._file_name()
        if name is not None:
            text = self.query_one(TextArea).text
            self._finish(f"apply -f {name}", text, self.game.write_and_apply(name, text))

    def _finish(self, command: str, text: str, result: Result) -> None:
        if result.exit_code == 0:
            self.dismiss((command, result))
            return
        self.show_errors(error_lines(text, result.stderr))

    def show_errors(self, errors: list[tuple[int, str]]) -> None:
        language = self.game_app.language
        shown = [
            ui("editor.at_line", language, line=line, message=message) if line else message
            for line, message in errors
        ]
        self.query_one("#editor-errors", Static).update("\n".join(shown))
        lines = [line for line, _ in errors if line]
        if lines:
            area = self.query_one(TextArea)
            area.move_cursor((lines[0] - 1, 0))
            area.focus()
