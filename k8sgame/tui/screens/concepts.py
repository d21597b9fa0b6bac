"""The concept browser: every concept of the glossary by area, each with its summary, the
levels that teach it and its quiz questions (enter practises them)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.content.concepts import load_areas, load_concepts
from k8sgame.content.prose import reflow
from k8sgame.quiz.practice import draw, items_for
from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp

PRACTICE_COUNT = 5


class ConceptsScreen(UsesGameApp, Screen):
    """``concept`` is highlighted first (a level's goal line can open the browser there)."""

    CSS_PATH = "quiz.tcss"

    def __init__(self, concept: str | None = None) -> None:
        super().__init__()
        self.start_concept = concept

    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "back", language)
        yield Static(ui("concepts.title", language), classes="title", markup=False)
        with Horizontal(id="concepts-body"):
            yield OptionList(id="concepts-list", markup=False)
            yield Static("", id="concept-details", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        language = self.game_app.language
        concepts = load_concepts()
        options: list[Option] = []
        for area in load_areas():
            options.append(Option(Text(area.title.get(language), style="bold"), disabled=True))
            options.extend(
                Option("  " + concepts[c].title.get(language), id=c) for c in area.concepts
            )
        menu = self.query_one("#concepts-list", OptionList)
        menu.add_options(options)
        ids = [option.id for option in options]
        known = [i for i in ids if i is not None]
        start = self.start_concept if self.start_concept in known else known[0]
        menu.highlighted = ids.index(start)
        menu.focus()
        self.show(start)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self.show(event.option.id)

    def show(self, concept_id: str) -> None:
        app = self.game_app
        language = app.language
        concept = load_concepts()[concept_id]
        banks, _ = app.quiz_banks()
        levels = [
            level.title.get(language) for level in app.levels() if concept_id in level.concepts
        ]
        questions = len(items_for(banks, concept_id))
        text = Text()
        text.append(concept.title.get(language) + "\n\n", style="bold")
        text.append(reflow(concept.summary.get(language)) + "\n\n")
        text.append(ui("concepts.levels", language) + " ", style="bold")
        text.append((", ".join(levels) or ui("concepts.none", language)) + "\n")
        if concept.explain:
            text.append(ui("concepts.explain", language) + "\n", style="bold")
            for path in concept.explain:
                text.append(f"  kubectl explain {path}\n")
        text.append(ui("concepts.questions", language, count=questions) + "\n", style="bold")
        if questions:
            text.append(ui("concepts.practice", language), style="dim")
        self.query_one("#concept-details", Static).update(text)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from k8sgame.tui.screens.quiz import QuizScreen

        concept_id = event.option.id or ""
        banks, _ = self.game_app.quiz_banks()
        items = items_for(banks, concept_id)
        if items:
            asked = draw(items, PRACTICE_COUNT, self.game_app.new_seed())
            self.game_app.push_screen(QuizScreen(asked, "quiz"))

    def action_back(self) -> None:
        self.game_app.pop_screen()
