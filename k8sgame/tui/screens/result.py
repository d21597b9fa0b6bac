"""The result of a won level: stars, the score against par, the explanation and the debrief."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from k8sgame.content.prose import reflow
from k8sgame.engine.timefmt import go_duration
from k8sgame.levels.model import Level
from k8sgame.levels.play import WinRecord
from k8sgame.tui.actions import localize
from k8sgame.tui.screens.campaign import stars_text
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp


def result_text(level: Level, win: WinRecord, language: str) -> Text:
    text = Text()
    text.append(
        ui(
            "result.score",
            language,
            changes=win.changes,
            par=win.par,
            commands=win.commands,
            hints=win.hints,
            time=go_duration(round(win.time)),
        )
        + "\n"
    )
    text.append(ui("result.why_stars", language) + "\n\n", style="dim")
    text.append(ui("result.explanation", language) + "\n", style="bold")
    text.append(reflow(level.explanation.get(language)) + "\n\n")
    text.append(ui("result.debrief", language) + "\n", style="bold")
    text.append(reflow(level.debrief.get(language)) + "\n")
    if level.interview:
        text.append("\n" + ui("result.interview", language) + "\n", style="bold")
        for item in level.interview:
            text.append(
                ui("result.question", language, text=reflow(item.question.get(language))) + "\n",
                style="cyan",
            )
            text.append(
                ui("result.answer", language, text=reflow(item.answer.get(language))) + "\n\n"
            )
    text.rstrip()
    return text


class ResultScreen(UsesGameApp, Screen):
    CSS_PATH = "result.tcss"

    def __init__(self, level: Level, win: WinRecord) -> None:
        super().__init__()
        self.level = level
        self.win = win

    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "back", language)
        yield Static(
            ui("result.title", language, title=self.level.title.get(language)),
            classes="title",
            markup=False,
        )
        yield Static(
            f"{stars_text(self.win.stars)}  " + ui("result.stars", language, stars=self.win.stars),
            id="stars",
            markup=False,
        )
        with VerticalScroll(id="result-body"):
            yield Static(result_text(self.level, self.win, language), markup=False)
        following = self.game_app.next_level(self.level)
        with Horizontal(id="buttons"):
            if following is not None:
                yield Button(ui("result.next", language), id="next", variant="primary")
            yield Button(ui("result.again", language), id="again")
            yield Button(ui("result.campaign", language), id="campaign")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        app = self.game_app
        # Leave the result and the finished play screen.
        app.pop_screen()
        app.pop_screen()
        if event.button.id == "next":
            following = app.next_level(self.level)
            if following is not None:
                app.play(following)
        elif event.button.id == "again":
            app.play(self.level)
        elif event.button.id == "campaign":
            from k8sgame.tui.screens.campaign import CampaignScreen

            if not any(isinstance(s, CampaignScreen) for s in app.screen_stack):
                app.push_screen(CampaignScreen())
