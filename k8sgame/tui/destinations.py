"""Where the game can take the player, in one table: the home menu lists it, the command
palette offers it, and the help screen describes it. Adding a screen is one entry here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sgame.tui.app import GameApp


@dataclass(frozen=True)
class Destination:
    """``name`` and ``about`` are keys of ui.json's ``destinations`` group (``about`` is
    the palette's and help's line); ``open`` takes the player there."""

    id: str
    open: Callable[[GameApp], None]
    palette: bool = True  # Quit, for one, is a menu entry only


def _campaign(app: GameApp) -> None:
    from k8sgame.tui.screens.campaign import CampaignScreen

    app.push_screen(CampaignScreen())


def _sandbox(app: GameApp) -> None:
    app.open_sandbox()


def _quiz(app: GameApp) -> None:
    from k8sgame.tui.screens.quiz_menu import QuizMenuScreen

    app.push_screen(QuizMenuScreen())


def _concepts(app: GameApp) -> None:
    from k8sgame.tui.screens.concepts import ConceptsScreen

    app.push_screen(ConceptsScreen())


def _progress(app: GameApp) -> None:
    from k8sgame.tui.screens.progress import ProgressScreen

    app.push_screen(ProgressScreen())


def _settings(app: GameApp) -> None:
    from k8sgame.tui.screens.settings import SettingsScreen

    app.push_screen(SettingsScreen())


def _help(app: GameApp) -> None:
    app.action_help()


def _quit(app: GameApp) -> None:
    app.exit()


DESTINATIONS: tuple[Destination, ...] = (
    Destination("campaign", _campaign),
    Destination("sandbox", _sandbox),
    Destination("quiz", _quiz),
    Destination("concepts", _concepts),
    Destination("progress", _progress),
    Destination("settings", _settings),
    Destination("help", _help, palette=False),  # the palette has F1's own entry
    Destination("quit", _quit, palette=False),
)


def destination(destination_id: str) -> Destination:
    return next(d for d in DESTINATIONS if d.id == destination_id)
