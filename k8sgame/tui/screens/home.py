"""Home: Continue, then every destination of the game (``tui/destinations.py``), and the
reviews due today."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.quiz.reviews import stamp
from k8sgame.tui.actions import localize
from k8sgame.tui.destinations import DESTINATIONS, destination
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp


class HomeScreen(UsesGameApp, Screen):
    def compose(self) -> ComposeResult:
        app = self.game_app
        language = app.language
        localize(self, "home", language)
        with Vertical(id="box"):
            yield Static(ui("app.title", language), classes="title", markup=False)
            yield Static(ui("app.tagline", language), classes="dim", markup=False)
            yield Static("", id="progress", classes="dim", markup=False)
            yield Static("", id="due", classes="dim", markup=False)
            if app.notice is not None:
                notice = app.notice
                yield Static(
                    ui(notice.key, language, path=notice.path, detail=notice.detail),
                    id="notice",
                    markup=False,
                )
            yield Static("", id="pack-error", markup=False)
            yield OptionList(id="menu", markup=False)  # a level title is data
        yield Footer()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown, so the menu is filled in once, here.
        self.refresh_menu()

    def refresh_menu(self) -> None:
        """Fill in progress and the menu. Until the level pack has loaded (on a thread, after
        the first frame) the progress line says so and Continue names no level yet."""
        app = self.game_app
        language = app.language
        saved = app.store.saved_game()
        continue_text = ui("home.continue", language)
        can_continue = saved is not None
        if app.pack_loaded:
            levels = app.levels()
            results = app.store.results()
            won = [level for level in levels if level.id in results]
            stars = sum(results[level.id].stars for level in won)
            progress = ui("home.progress", language, won=len(won), total=len(levels), stars=stars)
            saved_level = app.level(saved.level_id) if saved else None
            can_continue = saved_level is not None
            if saved_level is not None:
                continue_text = ui(
                    "home.continue_level", language, title=saved_level.title.get(language)
                )
        else:
            progress = ui("home.loading", language)
        self.query_one("#progress", Static).update(progress)
        due = self.query_one("#due", Static)
        count = app.store.due_count(stamp(app.wall_clock()))
        due.display = count > 0
        due.update(ui("destinations.reviews_due", language, count=count))
        error = self.query_one("#pack-error", Static)
        error.display = app.pack_error is not None
        if app.pack_error is not None:
            error.update(ui("home.pack_error", language, detail=app.pack_error))
        menu = self.query_one("#menu", OptionList)
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(
            [
                Option(continue_text, id="continue", disabled=not can_continue),
                *(Option(ui(f"destinations.{d.id}", language), id=d.id) for d in DESTINATIONS),
            ]
        )
        menu.highlighted = highlighted if highlighted is not None else (0 if can_continue else 1)
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "continue":
            self.game_app.continue_game()
        elif event.option.id:
            destination(event.option.id).open(self.game_app)
