"""The progress screen: levels won, quiz accuracy by area, reviews due and the streak."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from k8sgame.content.concepts import load_areas
from k8sgame.quiz.stats import Logged, accuracy_by_area, streak
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp

if TYPE_CHECKING:
    pass


def progress_text(app, language: str) -> Text:
    store = app.store
    levels = app.levels()
    results = store.results()
    won = [level for level in levels if level.id in results]
    stars = sum(results[level.id].stars for level in won)
    logged = [
        Logged(a.item_id, date.fromisoformat(a.answered_at[:10]), a.correct)
        for a in store.answers()
    ]
    banks, _ = app.quiz_banks()
    accuracy = accuracy_by_area(logged, (item for bank in banks for item in bank.items))
    today = app.wall_clock().date()
    text = Text()
    text.append(ui("home.progress", language, won=len(won), total=len(levels), stars=stars) + "\n")
    text.append(ui("progress_screen.due", language, count=len(app.due_reviews())) + "\n")
    text.append(
        ui("progress_screen.streak", language, days=streak((a.day for a in logged), today)) + "\n\n"
    )
    text.append(ui("progress_screen.accuracy", language) + "\n", style="bold")
    if not accuracy:
        text.append("  " + ui("progress_screen.no_answers", language) + "\n")
    for area in load_areas():
        if area.id in accuracy:
            right, answered = accuracy[area.id]
            percent = round(100 * right / answered)
            line = ui(
                "progress_screen.area",
                language,
                area=area.title.get(language),
                right=right,
                answered=answered,
                percent=percent,
            )
            text.append(f"  {line}\n")
    return text


class ProgressScreen(UsesGameApp, Screen):
    CSS_PATH = "quiz.tcss"

    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "back", language)
        yield Static(ui("destinations.progress", language), classes="title", markup=False)
        with VerticalScroll(id="progress-body"):
            yield Static(progress_text(self.game_app, language), markup=False)
        yield Footer()

    def action_back(self) -> None:
        self.game_app.pop_screen()
