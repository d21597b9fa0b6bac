"""The campaign map: chapters and their levels, won or not, with stars."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from k8sgame.tui.actions import localize
from k8sgame.tui.text import ui
from k8sgame.tui.typed_app import UsesGameApp


def stars_text(stars: int) -> str:
    return "★" * stars + "☆" * (3 - stars)


class CampaignScreen(UsesGameApp, Screen):
    def compose(self) -> ComposeResult:
        language = self.game_app.language
        localize(self, "campaign", language)
        yield Static(ui("campaign.title", language), classes="title", markup=False)
        yield OptionList(id="levels", markup=False)
        yield Static("", id="details", markup=False)
        yield Footer()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown, so the map is filled in once, here.
        self.fill()

    def fill(self) -> None:
        app = self.game_app
        language = app.language
        results = app.store.results()
        options: list[Option] = []
        first_open = None
        for number, chapter in enumerate(app.chapters(), 1):
            heading = ui(
                "campaign.chapter", language, number=number, title=chapter.title.get(language)
            )
            options.append(Option(Text(heading, style="bold"), disabled=True))
            for level in app.levels():
                if level.chapter != chapter.id:
                    continue
                result = results.get(level.id)
                label = Text(
                    ui(
                        "campaign.level",
                        language,
                        order=level.order,
                        title=level.title.get(language),
                    )
                )
                if result:
                    label.append(f"  {stars_text(result.stars)} ", style="bold yellow")
                    label.append(ui("campaign.won", language), style="green")
                else:
                    label.append(f"  {stars_text(0)} ", style="dim")
                    label.append(ui("campaign.open", language), style="dim")
                    first_open = first_open or level.id
                options.append(Option(label, id=level.id))
        menu = self.query_one("#levels", OptionList)
        keep = menu.highlighted
        menu.clear_options()
        menu.add_options(options)
        if keep is None:
            target = first_open or next((o.id for o in options if o.id), None)
            keep = next(i for i, o in enumerate(options) if o.id == target)
        menu.highlighted = keep
        menu.focus()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        app = self.game_app
        language = app.language
        level = app.level(event.option.id or "")  # chapter headings have no id
        if level is None:
            return
        lines = [
            level.title.get(language),
            ui(
                "campaign.details",
                language,
                difficulty=level.difficulty,
                minutes=level.estimated_minutes,
                par=level.par,
            ),
        ]
        result = app.store.results().get(level.id)
        if result:
            lines.append(
                ui(
                    "campaign.best",
                    language,
                    changes=result.best_changes,
                    commands=result.best_commands,
                    hints=result.fewest_hints,
                )
            )
        lines.append(ui("campaign.play", language))
        self.query_one("#details", Static).update("\n".join(lines))

    def _highlighted_level(self):
        menu = self.query_one("#levels", OptionList)
        if menu.highlighted is None:
            return None
        return self.game_app.level(menu.get_option_at_index(menu.highlighted).id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        level = self.game_app.level(event.option.id or "")
        if level is not None:
            self.game_app.play(level)

    def action_sandbox_start(self) -> None:
        level = self._highlighted_level()
        if level is not None:
            self.game_app.open_sandbox(level)

    def action_back(self) -> None:
        self.game_app.pop_screen()
