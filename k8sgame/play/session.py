"""One level (or the sandbox) being played: the run, the checklist the player sees, hints,
skipping to the next event, saving and wins. Every rule of the game itself comes from the
levels box (``LevelRun``, ``check``, ``observe``); this holds what a person playing adds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from k8sgame.content.prompt_words import CAT, LS, SLEEP
from k8sgame.content.prose import reflow
from k8sgame.content.text import SCREEN_WORDS, say
from k8sgame.heap import collect_while_idle
from k8sgame.kubectl.commands.edit import EditSession
from k8sgame.kubectl.result import Result
from k8sgame.levels.checker import MET, NOT_MET, NOT_YET, Report, check, observe
from k8sgame.levels.model import Level
from k8sgame.levels.play import Action, LevelRun, replay
from k8sgame.progress import ProgressStore, SavedGame
from k8sgame.quiz.grading import Grade
from k8sgame.quiz.reviews import record_review


def say_ui(key: str, language: str, **fields: object) -> str:
    """A line of the game screen's words (``assets/ui.json``)."""
    return say(key, language, table=SCREEN_WORDS, **fields)


def level_review_id(level_id: str) -> str:
    """The review card of a level (quiz items have no ``:`` in their ids)."""
    return f"{LEVEL_REVIEW_PREFIX}{level_id}"


LEVEL_REVIEW_PREFIX = "level:"

# How far "skip to next event" looks before giving up (cluster seconds).
SKIP_LIMIT = 600.0


@dataclass(frozen=True)
class ChecklistLine:
    """A goal line or choice as shown: its text, state and the engine's reason."""

    id: str
    text: str
    state: str
    reason: str


class PlaySession:
    """A level on screen. ``sandbox`` plays its start with no goal, no grading, no save."""

    def __init__(
        self,
        level: Level,
        seed: int,
        language: str,
        store: ProgressStore,
        *,
        sandbox: bool = False,
        log: tuple[Action, ...] = (),
        until: float | None = None,
    ) -> None:
        self.level = level
        self.seed = seed
        self.language = language
        self.store = store
        self.sandbox = sandbox
        self.run = (
            replay(level, seed, list(log), until=until, language=language)
            if log or until is not None
            else LevelRun(level, seed, language)
        )
        self.report: Report | None = None
        self._ahead: dict[str, tuple[str, str]] = {}
        self._ahead_until = float("-inf")
        self._event_changes = 0
        self.run.cluster.api.watch(self._count_event, ("Event",))
        self.recorded = False
        if not sandbox:
            self.report = check(self.run)
            self._remember_ahead(self.report)

    # -- what the player does ---------------------------------------------------------------

    def submit(self, line: str) -> Result:
        """A prompt line: kubectl, ``sleep``, ``hint`` or ``answer``."""
        before = len(self.run.log)
        result = self.run.run_line(line)
        if len(self.run.log) != before or line.split()[:1] == [SLEEP.word]:
            self.after_action()
        return result

    def open_edit(self, target: str) -> EditSession | Result:
        return self.run.open_edit(target)

    def save_edit(self, target: str, base: str, text: str) -> Result:
        result = self.run.save_edit(target, base, text)
        self.after_action()
        return result

    def write_file(self, name: str, text: str) -> None:
        """The editor saved a file in the working directory."""
        self.run.write_file(name, text)
        self.save()

    def write_and_apply(self, name: str, text: str) -> Result:
        """The editor's new manifest: saved as a file in the working directory, then applied."""
        self.run.write_file(name, text)
        result = self.run.kubectl(f"apply -f {name}")
        self.after_action()
        return result

    def shell(self, words: list[str]) -> Result | None:
        """``ls`` and ``cat FILE`` on the level's working directory, in a shell's words (GNU
        cat's message for a missing file); None for any other line."""
        files = self.run.files
        if words == [LS.word]:
            if not files:
                return Result(stdout=say_ui("play.no_files", self.language))
            return Result(stdout="  ".join(sorted(files)))
        if len(words) == 2 and words[0] == CAT.word:
            if words[1] in files:
                return Result(stdout=files[words[1]])
            return Result(
                stderr=say_ui("play.no_such_file", self.language, name=words[1]), exit_code=1
            )
        return None

    def restarted(self) -> PlaySession:
        """The level from its start with a new run. Hints already taken stay taken (they are
        logged again at the start), so a reset cannot buy back a star; the next hint is the
        next tier."""
        fresh = PlaySession(self.level, self.seed, self.language, self.store, sandbox=self.sandbox)
        for _ in range(self.run.tally.hints):
            fresh.run.take_hint()
        fresh.save()
        return fresh

    def hint(self) -> str:
        hint = self.run.take_hint()
        self.after_action()
        if hint is None:
            return say_ui("play.no_more_hints", self.language)
        return say_ui(
            "play.hint",
            self.language,
            number=self.run.tally.hints,
            text=reflow(hint.get(self.language)),
        )

    def advance(self, seconds: float) -> None:
        """Let cluster time pass (the running clock)."""
        self.run.advance(seconds)
        if not self.sandbox:
            self.report = observe(self.run)

    def skip_to_next_event(self) -> float:
        """Run until the next Kubernetes Event is recorded (or ``SKIP_LIMIT``); returns the
        cluster seconds that passed."""
        start = self.run.cluster.now
        seen = self._event_changes
        self.run.cluster.run_until(lambda: self._event_changes != seen, SKIP_LIMIT)
        self.advance(0)
        return self.run.cluster.now - start

    def prepare_look_ahead(self) -> None:
        """Make the copy the next check runs ahead on (``LevelRun.prepare_fork``); the screen
        calls it once it has shown an answer, so the check after the next action is quick."""
        if not self.sandbox and not self.run.fork_ready:
            self.run.prepare_fork()
            collect_while_idle()

    @property
    def look_ahead_ready(self) -> bool:
        return self.sandbox or self.run.fork_ready

    def _count_event(self, _event) -> None:
        self._event_changes += 1

    def after_action(self) -> None:
        """Re-check the goal (looking ahead) and save."""
        if self.sandbox:
            return
        self.report = check(self.run)
        self._remember_ahead(self.report)
        self.save()

    # -- what the player sees ---------------------------------------------------------------

    def _remember_ahead(self, report: Report) -> None:
        self._ahead = {
            line.id: (line.state, line.reason.render(self.language)) for line in report.entries()
        }
        self._ahead_until = report.time + self.level.horizon

    def checklist(self) -> list[ChecklistLine]:
        """Goal lines and choices with their states: met now, or what the last look-ahead
        said while its horizon lasts, else not met with the engine's reason now."""
        if self.report is None:
            return []
        shown = []
        within = self.run.cluster.now <= self._ahead_until
        for line in self.report.lines:
            state, reason = line.state, line.reason.render(self.language)
            if state != MET and within and line.id in self._ahead:
                ahead_state, ahead_reason = self._ahead[line.id]
                if ahead_state == NOT_YET:
                    state = NOT_YET
                elif ahead_state == NOT_MET:
                    reason = ahead_reason
            shown.append(ChecklistLine(line.id, line.text.get(self.language), state, reason))
        for choice in self.report.choices:
            shown.append(
                ChecklistLine(
                    choice.id,
                    choice.question.get(self.language),
                    choice.state,
                    choice.reason.render(self.language),
                )
            )
        return shown

    @property
    def won(self) -> bool:
        return self.report is not None and self.report.won

    def record_win(self, now: datetime | None = None) -> bool:
        """Store a win once; returns whether this call stored it. ``now`` (UTC) also marks
        the level's review card, if it has one, as recalled."""
        win = self.run.win
        if win is None or self.recorded or self.sandbox:
            return False
        self.store.record_win(self.level.id, win.stars, win.commands, win.hints, win.changes)
        self.store.clear_saved_game()
        self.recorded = True
        if now is not None:
            # A level that was due for review again counts as recalled.
            record_review(self.store, level_review_id(self.level.id), Grade(True, 1.0), now)
        return True

    def leave(self, now: datetime) -> bool:
        """The player leaves the level unwon: a goal line the engine sees as not met makes
        the level a review card (due again soon, then at growing intervals). Returns whether
        it did."""
        if self.sandbox or self.recorded or self.report is None:
            return False
        if not any(line.state == NOT_MET for line in self.checklist()):
            return False
        record_review(self.store, level_review_id(self.level.id), Grade(False, 0.0), now)
        return True

    def save(self) -> None:
        """Keep the game to continue (not for the sandbox, nor once won)."""
        if self.sandbox or self.recorded:
            return
        self.store.save_game(
            SavedGame(
                self.level.id,
                self.seed,
                self.run.cluster.now,
                tuple(action.to_data() for action in self.run.log),
            )
        )


def state_label(state: str) -> str:
    """The mark shown before a checklist line (text, so it does not depend on colour)."""
    return {MET: "✔", NOT_YET: "…", NOT_MET: "✘"}.get(state, "?")
