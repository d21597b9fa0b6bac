"""Settings: language and theme, saved in the progress database."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp

LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


class SettingsScreen(UsesGameApp, Screen):
    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "back", language)
        yield Static(ui("settings.title", language), classes="title", markup=False)
        yield Static(ui("settings.language", language), classes="dim", markup=False)
        yield OptionList(
            *[Option(name, id=code) for code, name in LANGUAGE_NAMES.items()], id="language"
        )
        yield Static(ui("settings.theme", language), classes="dim", markup=False)
        yield OptionList(
            *[Option(name, id=name) for name in sorted(self.game_app.available_themes)], id="theme"
        )
        yield Footer()

    def on_mount(self) -> None:
        languages = self.query_one("#language", OptionList)
        languages.highlighted = list(LANGUAGE_NAMES).index(self.game_app.language)
        themes = self.query_one("#theme", OptionList)
        names = sorted(self.game_app.available_themes)
        if self.game_app.theme in names:
            themes.highlighted = names.index(self.game_app.theme)
        languages.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id or ""
        if event.option_list.id == "language":
            if chosen != self.game_app.language:
                self.game_app.set_language(chosen)
        else:
            self.game_app.theme = chosen
