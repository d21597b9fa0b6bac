"""One quiz session in the game screen: a question at a time, graded as it is answered, then
the report. The session's rules (drawing, grading, the report) are the quiz box's; this
screen shows them. A mock interview shows its clock in the heading and ends when time is up."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.quiz.grading import Grade, Response
from k8sgame.quiz.practice import Asked, Practice
from k8sgame.quiz.presenting import (
    Line,
    choices,
    feedback_lines,
    heading,
    how_to_answer,
    report_lines,
)
from k8sgame.quiz.responses import ResponseError, parse_response
from k8sgame.quiz.reviews import record_review, stamp
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp


class QuizScreen(UsesGameApp, Screen):
    """``mode`` is what answers are logged as: quiz, mock or review."""

    CSS_PATH = "quiz.tcss"

    def __init__(self, asked: list[Asked], mode: str, minutes: float | None = None) -> None:
        super().__init__()
        self.practice = Practice(asked)
        self.mode = mode
        self.minutes = minutes
        self.deadline: datetime | None = None
        self.finished = False

    def compose(self) -> ComposeResult:
        localize(self, "back", self.game_app.language)
        yield Static("", id="quiz-heading", classes="title", markup=False)
        with VerticalScroll(id="quiz-body"):
            yield Static("", id="quiz-prompt", markup=False)
            yield OptionList(id="quiz-options", markup=False)  # bank text is data
            yield Static("", id="quiz-how", classes="dim", markup=False)
            yield Input(id="quiz-answer")
            yield Static("", id="quiz-feedback", markup=False)
            yield Button("", id="quiz-next", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        if self.minutes is not None:
            self.deadline = self.game_app.wall_clock() + timedelta(minutes=self.minutes)
            self.set_interval(1.0, self.tick)
        self.show_question()

    # -- asking -----------------------------------------------------------------------------

    def show_question(self) -> None:
        asked = self.practice.current
        if asked is None:
            self.show_report()
            return
        language = self.game_app.language
        question = asked.question
        self.update_heading()
        self.query_one("#quiz-prompt", Static).update(question.prompt.get(language))
        options = self.query_one("#quiz-options", OptionList)
        options.clear_options()
        letters = choices(asked, language)
        single = question.kind == "single"
        options.display = bool(letters)
        options.add_options(
            [Option(f"{letter}) {text}", id=str(i)) for i, (letter, text) in enumerate(letters)]
        )
        options.disabled = not single
        answer = self.query_one("#quiz-answer", Input)
        answer.value = ""
        answer.display = not single
        answer.disabled = False
        self.query_one("#quiz-how", Static).update(ui(f"quiz.{how_to_answer(question)}", language))
        self.query_one("#quiz-feedback", Static).display = False
        self.query_one("#quiz-next", Button).display = False
        if single:
            options.highlighted = 0
            options.focus()
        else:
            answer.focus()

    def update_heading(self) -> None:
        asked = self.practice.current
        if asked is None:
            return
        text = heading(
            asked,
            len(self.practice.answers) + 1,
            len(self.practice.asked),
            self.game_app.language,
            self.seconds_left(),
        )
        self.query_one("#quiz-heading", Static).update(text)

    def seconds_left(self) -> float | None:
        if self.deadline is None:
            return None
        return (self.deadline - self.game_app.wall_clock()).total_seconds()

    def tick(self) -> None:
        """Once a second in a mock interview: the clock in the heading, and the end."""
        if self.finished:
            return
        left = self.seconds_left()
        if left is not None and left <= 0:
            self.show_report()
        else:
            self.update_heading()

    # -- answering --------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        asked = self.practice.current
        if asked is None or event.option_list.disabled:
            return
        self.submit(asked.shown[int(event.option.id or 0)])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        asked = self.practice.current
        if asked is None:
            return
        try:
            response = parse_response(asked.question, event.value, asked.shown)
        except ResponseError as error:
            feedback = self.query_one("#quiz-feedback", Static)
            feedback.update(Text(error.reason.render(self.game_app.language), style="yellow"))
            feedback.display = True
            return
        self.submit(response)

    def submit(self, response: Response) -> None:
        left = self.seconds_left()
        if left is not None and left <= 0:
            self.show_report()  # typed after the time was up: it does not count
            return
        asked = self.practice.current
        assert asked is not None
        result = self.practice.answer(response)
        app = self.game_app
        now = app.wall_clock()
        app.store.record_answer(
            asked.question.id, stamp(now), result.correct, result.score, self.mode
        )
        record_review(app.store, asked.question.id, result, now)
        self.show_feedback(asked, result)

    def show_feedback(self, asked: Asked, result: Grade) -> None:
        language = self.game_app.language
        text = _styled(feedback_lines(asked, result, language))
        feedback = self.query_one("#quiz-feedback", Static)
        feedback.update(text)
        feedback.display = True
        self.query_one("#quiz-options", OptionList).disabled = True
        self.query_one("#quiz-answer", Input).disabled = True
        last = self.practice.current is None
        button = self.query_one("#quiz-next", Button)
        button.label = ui("quiz.finish" if last else "quiz.next", language)
        button.display = True
        button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "quiz-next":
            self.show_question()

    # -- the end ----------------------------------------------------------------------------

    def show_report(self) -> None:
        if self.finished:
            return
        self.finished = True
        app = self.game_app
        language = app.language
        unanswered = len(self.practice.asked) - len(self.practice.answers)
        mock = self.mode == "mock"
        report = self.practice.report(unanswered_count=mock)
        text = _styled(report_lines(report, language, self._levels_for, unanswered if mock else 0))
        self.query_one("#quiz-heading", Static).update(ui("quiz.title", language))
        self.query_one("#quiz-prompt", Static).update(text)
        for selector in (
            "#quiz-options",
            "#quiz-how",
            "#quiz-answer",
            "#quiz-feedback",
            "#quiz-next",
        ):
            self.query_one(selector).display = False

    def _levels_for(self, concept: str, language: str) -> list[str]:
        return [
            lvl.title.get(language) for lvl in self.game_app.levels() if concept in lvl.concepts
        ]

    def action_back(self) -> None:
        self.game_app.pop_screen()


_STYLES = {"right": "bold green", "wrong": "bold red", "bold": "bold", "dim": "dim", "": ""}


def _styled(lines: list[Line]) -> Text:
    """The quiz's lines as one rich Text (plain text: never read as markup)."""
    text = Text()
    for line, style in lines:
        text.append(line + "\n", style=_STYLES[style])
    text.rstrip()
    return text
