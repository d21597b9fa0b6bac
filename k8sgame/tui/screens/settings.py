"""Settings: language and theme, saved in the progress database."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui

LANGUAGE_NAMES = {"en": "English", "ko": "한국어"}


class SettingsScreen(Screen):
    def compose(self) -> ComposeResult:
        language = self.app.language
        localize(self, "back", language)
        yield Static(ui("settings.title", language), classes="title", markup=False)
        yield Static(ui("settings.language", language), classes="dim", markup=False)
        yield OptionList(
            *[Option(name, id=code) for code, name in LANGUAGE_NAMES.items()], id="language"
        )
        yield Static(ui("settings.theme", language), classes="dim", markup=False)
        yield OptionList(
            *[Option(name, id=name) for name in sorted(self.app.available_themes)], id="theme"
        )
        yield Footer()

    def on_mount(self) -> None:
        languages = self.query_one("#language", OptionList)
        languages.highlighted = list(LANGUAGE_NAMES).index(self.app.language)
        themes = self.query_one("#theme", OptionList)
        names = sorted(self.app.available_themes)
        if self.app.theme in names:
            themes.highlighted = names.index(self.app.theme)
        languages.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "language":
            if event.option.id != self.app.language:
                self.app.set_language(event.option.id)
        else:
            self.app.theme = event.option.id
