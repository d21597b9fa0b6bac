"""The quiz's front page: practice every topic or one area, a mock interview, the reviews due
(questions, and levels left with a goal line not met, to replay)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.content.concepts import load_areas
from k8sgame.quiz.practice import ask, draw, items_for, mixed
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp

PRACTICE_COUNT = 10
MOCK_COUNT = 10
MOCK_MINUTES = 20


class QuizMenuScreen(UsesGameApp, Screen):
    CSS_PATH = "quiz.tcss"

    def compose(self) -> ComposeResult:
        localize(self, "back", self.game_app.language)
        yield Static(ui("quiz.title", self.game_app.language), classes="title", markup=False)
        yield Static("", id="quiz-error", markup=False)
        yield OptionList(id="quiz-menu", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        # Also sent when first shown; the due count changes after every session.
        self.fill()

    def fill(self) -> None:
        app = self.game_app
        language = app.language
        banks, error = app.quiz_banks()
        notice = self.query_one("#quiz-error", Static)
        notice.display = error is not None
        if error is not None:
            notice.update(ui("quiz.bank_error", language, detail=error))
        options = [
            Option(ui("quiz.practice_all", language, count=len(items_for(banks, None))), id="all")
        ]
        for area in load_areas():
            count = len(items_for(banks, area.id))
            if count:
                label = ui(
                    "quiz.practice_area", language, area=area.title.get(language), count=count
                )
                options.append(Option(label, id=f"area:{area.id}"))
        options.append(
            Option(ui("quiz.mock", language, count=MOCK_COUNT, minutes=MOCK_MINUTES), id="mock")
        )
        due = len(app.due_reviews())
        options.append(
            Option(
                ui("quiz.reviews", language, count=due) if due else ui("quiz.no_reviews", language),
                id="reviews",
                disabled=not due,
            )
        )
        options.extend(
            Option(
                ui("quiz.replay_level", language, title=level.title.get(language)),
                id=f"level:{level.id}",
            )
            for level in app.due_levels()
        )
        menu = self.query_one("#quiz-menu", OptionList)
        menu.clear_options()
        menu.add_options(options)
        menu.highlighted = 0
        menu.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from k8sgame.tui.screens.quiz import QuizScreen

        app = self.game_app
        banks, _ = app.quiz_banks()
        choice = event.option.id or ""
        seed = app.new_seed()
        if choice.startswith("level:"):
            level = app.level(choice.removeprefix("level:"))
            if level is not None:
                app.play(level)
        elif choice == "mock":
            asked = mixed(items_for(banks, None), MOCK_COUNT, seed)
            app.push_screen(QuizScreen(asked, "mock", minutes=MOCK_MINUTES))
        elif choice == "reviews":
            app.push_screen(QuizScreen(ask(app.due_reviews(), seed), "review"))
        else:
            topic = choice.removeprefix("area:") if choice.startswith("area:") else None
            app.push_screen(QuizScreen(draw(items_for(banks, topic), PRACTICE_COUNT, seed), "quiz"))

    def action_back(self) -> None:
        self.game_app.pop_screen()
