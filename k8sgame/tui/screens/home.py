"""Home: Continue, Campaign, Sandbox, Settings, Help, Quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui


class HomeScreen(Screen):
    def compose(self) -> ComposeResult:
        app = self.app
        language = app.language
        localize(self, "home", language)
        with Vertical(id="box"):
            yield Static(ui("app.title", language), classes="title", markup=False)
            yield Static(ui("app.tagline", language), classes="dim", markup=False)
            yield Static("", id="progress", classes="dim", markup=False)
            if app.notice is not None:
                notice = app.notice
                yield Static(
                    ui(notice.key, language, path=notice.path, detail=notice.detail),
                    id="notice",
                    markup=False,
                )
            yield OptionList(id="menu")
        yield Footer()

    def on_mount(self) -> None:
        self.refresh_menu()

    def on_screen_resume(self) -> None:
        self.refresh_menu()

    def refresh_menu(self) -> None:
        app = self.app
        language = app.language
        levels = app.levels()
        results = app.store.results()
        won = [level for level in levels if level.id in results]
        stars = sum(results[level.id].stars for level in won)
        self.query_one("#progress", Static).update(
            ui("home.progress", language, won=len(won), total=len(levels), stars=stars)
        )
        saved = app.store.saved_game()
        saved_level = app.level(saved.level_id) if saved else None
        continue_text = (
            ui("home.continue_level", language, title=saved_level.title.get(language))
            if saved_level
            else ui("home.continue", language)
        )
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(
            [
                Option(continue_text, id="continue", disabled=saved_level is None),
                Option(ui("home.campaign", language), id="campaign"),
                Option(ui("home.sandbox", language), id="sandbox"),
                Option(ui("home.settings", language), id="settings"),
                Option(ui("home.help", language), id="help"),
                Option(ui("home.quit", language), id="quit"),
            ]
        )
        menu.highlighted = highlighted if highlighted is not None else (0 if saved_level else 1)
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        app = self.app
        choice = event.option.id
        if choice == "continue":
            app.continue_game()
        elif choice == "campaign":
            from k8sgame.tui.screens.campaign import CampaignScreen

            app.push_screen(CampaignScreen())
        elif choice == "sandbox":
            app.open_sandbox()
        elif choice == "settings":
            from k8sgame.tui.screens.settings import SettingsScreen

            app.push_screen(SettingsScreen())
        elif choice == "help":
            app.action_help()
        elif choice == "quit":
            app.exit()
