"""The k8sgame application: screens, settings, the command palette and the progress store.

Start-up is kept close to a bare Textual app's: this module imports nothing from the engine,
kubectl or levels boxes, and the level pack loads on a thread after the first frame.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen

from k8sgame.content.language import LANGUAGES
from k8sgame.progress import OpenNotice, ProgressStore, open_progress
from k8sgame.tui.actions import bindings, localize
from k8sgame.tui.destinations import DESTINATIONS
from k8sgame.tui.text import default_language, ui

if TYPE_CHECKING:
    from k8sgame.levels.model import Level
    from k8sgame.levels.pack import Chapter
    from k8sgame.quiz.model import Bank, Item


class GameApp(App[None]):
    """``k8sgame``: home and the destinations of ``tui/destinations.py`` (campaign, sandbox,
    quiz, concepts, progress, settings, help), with the play and result screens."""

    # Absolute, so subclasses defined elsewhere (benchmarks, tests) find it too.
    CSS_PATH = str(Path(__file__).with_name("app.tcss"))
    TITLE = "k8sgame"
    BINDINGS: ClassVar[list[BindingType]] = [*bindings("app")]
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        *,
        store: ProgressStore | None = None,
        notice: OpenNotice | None = None,
        language: str | None = None,
        seed: int | None = None,
        pack_dir: Path | None = None,
        start: str | None = None,
        clock_running: bool = True,
    ) -> None:
        super().__init__()
        self._owns_store = store is None
        if store is None:
            store, notice = open_progress()
        self.store = store
        self.notice = notice
        self.language = language or store.setting("language") or default_language()
        if self.language not in LANGUAGES:
            self.language = "en"
        localize(self, "app", self.language)
        self.fixed_seed = seed
        self.pack_dir = pack_dir
        self.start = start
        # Whether a level's clock runs as soon as it opens (tests start it paused).
        self.clock_running = clock_running
        self._levels: list[Level] | None = None
        self._chapters: list[Chapter] | None = None
        self._pack_lock = threading.Lock()
        # What was wrong with the level pack, if it could not be loaded (shown on home).
        self.pack_error: str | None = None
        self._banks: list[Bank] | None = None
        self._bank_error: str | None = None
        theme = store.setting("theme")
        if theme and theme in self.available_themes:
            self.theme = theme

    # -- data -------------------------------------------------------------------------------

    @property
    def pack_loaded(self) -> bool:
        return self._levels is not None

    def levels(self) -> list[Level]:
        """The level pack. It loads on a thread after the first frame; a screen that needs it
        sooner waits here for that load (or does it) instead of loading it twice."""
        with self._pack_lock:
            if self._levels is None:
                from k8sgame.heap import freeze_startup_data
                from k8sgame.levels.loader import LevelError
                from k8sgame.levels.pack import default_pack_dir, load_chapters, load_pack

                root = self.pack_dir or default_pack_dir()
                try:
                    self._chapters = load_chapters(root)
                    self._levels = load_pack(root, try_start=False)
                except (LevelError, OSError) as error:
                    # The sandbox still works; the home screen says what is wrong and where.
                    self.pack_error = str(error)
                    self._chapters, self._levels = [], []
                freeze_startup_data()
            return self._levels

    def chapters(self) -> list[Chapter]:
        self.levels()
        assert self._chapters is not None
        return self._chapters

    def level(self, level_id: str) -> Level | None:
        return next((level for level in self.levels() if level.id == level_id), None)

    def next_level(self, level: Level) -> Level | None:
        levels = self.levels()
        for index, candidate in enumerate(levels):
            if candidate.id == level.id and index + 1 < len(levels):
                return levels[index + 1]
        return None

    def quiz_banks(self) -> tuple[list[Bank], str | None]:
        """The question banks, loaded once, and what was wrong if they could not be."""
        if self._banks is None:
            from k8sgame.quiz.loader import BankError, load_banks

            try:
                self._banks, self._bank_error = load_banks(), None
            except BankError as error:
                self._banks, self._bank_error = [], str(error)
        return self._banks, self._bank_error

    def wall_clock(self) -> datetime:
        """Now, in UTC: reviews fall due on the player's calendar (tests replace this)."""
        return datetime.now(UTC)

    def due_reviews(self) -> list[Item]:
        """The quiz items whose review is due now, most overdue first."""
        from k8sgame.quiz.reviews import stamp

        banks, _ = self.quiz_banks()
        by_id = {item.id: item for bank in banks for item in bank.items}
        return [by_id[i] for i in self.store.due_items(stamp(self.wall_clock())) if i in by_id]

    def due_levels(self) -> list[Level]:
        """Levels left with a goal line not met whose review is due now (replay them)."""
        from k8sgame.play.session import LEVEL_REVIEW_PREFIX
        from k8sgame.quiz.reviews import stamp

        due = self.store.due_items(stamp(self.wall_clock()))
        ids = [
            i.removeprefix(LEVEL_REVIEW_PREFIX) for i in due if i.startswith(LEVEL_REVIEW_PREFIX)
        ]
        return [level for level_id in ids if (level := self.level(level_id)) is not None]

    def new_seed(self) -> int:
        # The UI may pick seeds freely; the engine only ever sees the number.
        return self.fixed_seed if self.fixed_seed is not None else random.randrange(2**31)

    # -- screens ----------------------------------------------------------------------------

    def on_mount(self) -> None:
        from k8sgame.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.start == "sandbox":
            self.open_sandbox()
        self.call_after_refresh(self._load_pack_in_background)

    def _load_pack_in_background(self) -> None:
        self.run_worker(self._load_pack, thread=True, name="level pack", exit_on_error=False)

    def _load_pack(self) -> None:
        self.levels()
        self.call_from_thread(self._pack_ready)

    def _pack_ready(self) -> None:
        from k8sgame.tui.screens.home import HomeScreen

        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.refresh_menu()

    def play(self, level: Level, *, sandbox: bool = False, replace: bool = False) -> None:
        from k8sgame.tui.screens.play import PlayScreen

        screen = PlayScreen(level, self.new_seed(), sandbox=sandbox)
        if replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def open_sandbox(self, level: Level | None = None) -> None:
        from k8sgame.levels.sandbox_level import sandbox_level

        self.play(level or sandbox_level(), sandbox=True)

    def continue_game(self) -> None:
        from k8sgame.levels.play import Action
        from k8sgame.tui.screens.play import PlayScreen

        saved = self.store.saved_game()
        if saved is None:
            return
        level = self.level(saved.level_id)
        if level is None:
            self.store.clear_saved_game()
            return
        log = tuple(Action.from_data(action) for action in saved.log)
        self.push_screen(PlayScreen(level, saved.seed, log=log, until=saved.time))

    def action_help(self) -> None:
        from k8sgame.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def set_language(self, language: str) -> None:
        """Switch language: saved, and every screen rebuilt in the new words."""
        from k8sgame.tui.screens.home import HomeScreen

        self.language = language
        self.store.set_setting("language", language)
        localize(self, "app", language)
        while len(self.screen_stack) > 2:
            self.pop_screen()
        self.switch_screen(HomeScreen())

    def watch_theme(self, theme: str) -> None:
        store = getattr(self, "store", None)
        # Written only on a change: restoring the saved theme at start-up costs no write.
        if store is not None and store.setting("theme") != theme:
            store.set_setting("theme", theme)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        language = self.language
        from k8sgame.tui.screens.play import PlayScreen

        if isinstance(screen, PlayScreen) and screen.playing.level.concepts:
            # What the palette offers depends on where the player is: in a level, its concepts.
            yield SystemCommand(
                ui("palette.level_concepts", language),
                ui("palette.level_concepts_help", language),
                screen.action_concepts,
            )
        for place in DESTINATIONS:
            if place.palette:
                yield SystemCommand(
                    ui(
                        "destinations.go_to",
                        language,
                        name=ui(f"destinations.{place.id}", language),
                    ),
                    ui(f"destinations.{place.id}_about", language),
                    lambda place=place: place.open(self),
                )
        other = "ko" if language == "en" else "en"
        yield SystemCommand(
            ui("palette.switch_language", language),
            ui("palette.switch_language_help", language),
            lambda: self.set_language(other),
        )
        for level in self.levels():
            yield SystemCommand(
                ui("palette.go_to_level", language, title=level.title.get(language)),
                ui("palette.go_to_level_help", language),
                lambda level=level: self.play(level),
            )
        for name in sorted(self.available_themes):
            yield SystemCommand(
                ui("palette.theme", language, name=name),
                ui("palette.theme_help", language),
                lambda name=name: setattr(self, "theme", name),
            )
        yield from (
            command
            for command in super().get_system_commands(screen)
            if command.title not in ("Theme", "Quit", "Keys")
        )

    def on_unmount(self) -> None:
        if self._owns_store:
            self.store.close()
