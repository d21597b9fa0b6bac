"""Playing a level: the live cluster, the player's files, and the timed log of everything the
player did. The log is the save: the engine is deterministic, so replaying it on a fresh start
gives the same cluster, which is also how the checker copies the cluster to look ahead."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from k8sgame.content.prompt_words import ANSWER, HINT, SLEEP, START_KUBELET, STOP_KUBELET, TRACE
from k8sgame.content.text import Text, say
from k8sgame.datafile.schema import duration_seconds
from k8sgame.host_prompt import is_host_line, run_host_line
from k8sgame.kubectl.commands.edit import EditSession, open_edit, save_edit
from k8sgame.kubectl.errors import KubectlError
from k8sgame.kubectl.parser import parse
from k8sgame.kubectl.result import Result
from k8sgame.kubectl.session import KubectlSession
from k8sgame.kubectl.trace import render_trace
from k8sgame.kubectl.verbs import VERBS, Effect
from k8sgame.levels.model import Answer, Level
from k8sgame.levels.predicates import Scene
from k8sgame.levels.start import read_working_files, start_cluster


def reads_only(command: str) -> bool:
    """Whether a command line only reads the cluster (so a look-ahead copy may skip it)."""
    try:
        return VERBS[parse(shlex.split(command)).verb].effect is Effect.READS
    except (KubectlError, ValueError):
        return False


@dataclass(frozen=True)
class Action:
    """One thing the player did, at a cluster time: a kubectl ``command``, a ``file`` written
    (``name`` and ``text``), an ``answer`` or a ``hint`` taken, or an ``edit`` saved from the
    game's editor (``name`` is the target such as ``pod/web``, ``base`` the text the editor
    was opened with and ``text`` what was saved), a ``kubelet`` stopped or started, or a
    ``host`` line (``curl`` on the player's machine, ``ssh NODE ...``)."""

    time: float
    kind: str
    text: str = ""
    name: str = ""
    base: str = ""

    def to_data(self) -> dict[str, Any]:
        """A plain dict for the save file (empty fields left out)."""
        data: dict[str, Any] = {"time": self.time, "kind": self.kind}
        for field in ("text", "name", "base"):
            if getattr(self, field):
                data[field] = getattr(self, field)
        return data

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Action:
        return cls(
            float(data["time"]),
            str(data["kind"]),
            str(data.get("text", "")),
            str(data.get("name", "")),
            str(data.get("base", "")),
        )


@dataclass
class Tally:
    commands: int = 0
    changes: int = 0
    hints: int = 0


@dataclass(frozen=True)
class WinRecord:
    """What a win is scored on; ``time`` is cluster time since the player started."""

    time: float
    commands: int
    changes: int
    hints: int
    par: int

    @property
    def stars(self) -> int:
        """Three for par or better without hints; one less for going over par, one less for
        using hints."""
        return max(1, 3 - (self.changes > self.par) - (self.hints > 0))


class LevelRun:
    """One play of a level on one seed."""

    def __init__(self, level: Level, seed: int = 0, language: str = "en") -> None:
        self.level = level
        self.seed = seed
        self.language = language
        self.cluster = start_cluster(level, seed)
        self.start = self.cluster.now
        self.fix = self.start
        self.files: dict[str, str] = dict(level.files)
        self.session = KubectlSession(
            self.cluster, level.cluster.namespace, self._read_files, language
        )
        self.log: list[Action] = []
        self.tally = Tally()
        self.answers: dict[str, tuple[int, ...]] = {}
        self.win: WinRecord | None = None
        # The copy the next ``fork`` hands out, made ahead of time; and how many of this
        # run's logged actions it has replayed.
        self._spare: LevelRun | None = None
        self._spare_actions = 0

    # -- what the player does ---------------------------------------------------------------

    def _read_files(self, path: str) -> list[tuple[str, str]]:
        """``-f PATH``: the player's files (a name, or a directory prefix)."""
        return read_working_files(self.files, path)

    def kubectl(self, command: str) -> Result:
        """Run one kubectl command line (without the leading ``kubectl``)."""
        self.log.append(Action(self.cluster.now, "command", command))
        return self._kubectl(command)

    def _kubectl(self, command: str) -> Result:
        self.tally.commands += 1
        self.cluster.tracer.mark()
        result = self.session.run(command)
        # A command that wrote to the cluster (not a dry run) counts against par.
        if result.changed:
            self.tally.changes += 1
            self.fix = self.cluster.now
        return result

    def open_edit(self, target: str) -> EditSession | Result:
        """Start ``kubectl edit TARGET`` in the game's editor: the YAML to show, or kubectl's
        error when the target cannot be edited."""
        from k8sgame.engine.errors import ApiError
        from k8sgame.kubectl.errors import server_error

        try:
            return open_edit(self.session, parse(["edit", *shlex.split(target)]))
        except ValueError as exc:
            return Result(stderr=f"error: {exc}\n", exit_code=1)
        except KubectlError as error:
            return Result(stderr=error.render(), exit_code=1)
        except ApiError as error:
            return Result(stderr=server_error(error), exit_code=1)

    def save_edit(self, target: str, base: str, text: str) -> Result:
        """The editor opened on ``base`` for ``target`` was saved with ``text``: send it as
        ``kubectl edit`` does (a patch of the differences) and log it for replays."""
        self.log.append(Action(self.cluster.now, "edit", text, target, base))
        return self._save_edit(target, base, text)

    def _save_edit(self, target: str, base: str, text: str) -> Result:
        from k8sgame.manifests import load_value

        self.tally.commands += 1
        edit = self.open_edit(target)
        if isinstance(edit, Result):
            return edit
        edit.original = load_value(base)
        edit.text = base
        result = save_edit(self.session, edit, text)
        if result.exit_code == 0 and result.stdout.endswith(" edited\n"):
            self.tally.changes += 1
            self.fix = self.cluster.now
        return result

    def write_file(self, name: str, text: str) -> None:
        """The player saved a file in the working directory (the game's editor)."""
        self.log.append(Action(self.cluster.now, "file", text, name))
        self.files[name] = text

    def advance(self, seconds: float) -> None:
        """Let cluster time pass (and the prepared copy's with it, so that a running clock
        does not pile up work for the next check)."""
        self.cluster.run_for(seconds)
        if self._spare is not None:
            self._catch_up(self._spare)

    def advance_to(self, time: float) -> None:
        if time > self.cluster.now:
            self.cluster.run_for(time - self.cluster.now)

    def take_hint(self) -> Text | None:
        """The next hint, or None when all were shown."""
        if self.tally.hints >= len(self.level.hints):
            return None
        self.log.append(Action(self.cluster.now, "hint"))
        hint = self.level.hints[self.tally.hints]
        self.tally.hints += 1
        return hint

    def answer(self, choice_id: str, picks: tuple[int, ...]) -> bool:
        """Record an answer to a choice (0-based option numbers); returns whether it is right."""
        from k8sgame.levels.choices import is_right

        self.level.choice(choice_id)
        self.log.append(Action(self.cluster.now, "answer", ",".join(map(str, picks)), choice_id))
        self.answers[choice_id] = tuple(sorted(set(picks)))
        return is_right(self, choice_id, self.answers[choice_id])

    def run_line(self, line: str) -> Result:
        """A script line: a kubectl command, ``sleep DURATION``, ``answer CHOICE a[,b]`` or
        ``hint``; returns what a terminal would show."""
        words = line.split()
        if not words:
            return Result()
        if is_host_line(line):
            return self.host(line)
        if words[0] == "kubectl":
            line = line.split(None, 1)[1] if len(words) > 1 else ""
            words = words[1:]
        if words and words[0] == SLEEP.word:
            seconds = duration_seconds(words[1]) if len(words) == 2 else None
            if seconds is None:
                return self._error("cli.sleep_usage")
            self.advance(seconds)
            return Result()
        if words and words[0] == HINT.word and len(words) == 1:
            hint = self.take_hint()
            if hint is None:
                return Result(stdout=say("cli.no_more_hints", self.language) + "\n")
            return Result(
                stdout=say(
                    "cli.hint", self.language, number=self.tally.hints, text=hint.get(self.language)
                )
                + "\n"
            )
        if words and words[0] == ANSWER.word:
            return self._answer_line(words)
        if words == [TRACE.word]:
            return Result(stdout=render_trace(self.cluster.tracer, self.language))
        if words and words[0] in (STOP_KUBELET.word, START_KUBELET.word):
            if len(words) != 2:
                return self._error("cli.kubelet_usage", word=words[0])
            return self.kubelet(words[0], words[1])
        return self.kubectl(line)

    def host(self, line: str) -> Result:
        """A ``curl`` line on the player's machine or an ``ssh NODE`` line."""
        self.log.append(Action(self.cluster.now, "host", line))
        return self._host(line)

    def _host(self, line: str) -> Result:
        self.tally.commands += 1
        self.cluster.tracer.mark()
        return run_host_line(self.cluster, line, self.language)

    def kubelet(self, word: str, node: str) -> Result:
        """Stop or start a node's kubelet (the ``stop-kubelet``/``start-kubelet`` words)."""
        self.log.append(Action(self.cluster.now, "kubelet", word, node))
        return self._kubelet(word, node)

    def _kubelet(self, word: str, node: str) -> Result:
        self.cluster.tracer.mark()
        act = self.cluster.stop_kubelet if word == STOP_KUBELET.word else self.cluster.start_kubelet
        if not act(node):
            return self._error("cli.no_kubelet", node=node)
        self.tally.changes += 1
        self.fix = self.cluster.now
        key = "cli.kubelet_stopped" if word == STOP_KUBELET.word else "cli.kubelet_started"
        return Result(stdout=say(key, self.language, node=node) + "\n")

    def _error(self, key: str, **fields: Any) -> Result:
        """An ``error: ...`` line in the player's language, from levels.yaml."""
        return Result(stderr=f"error: {say(key, self.language, **fields)}\n", exit_code=1)

    def _answer_line(self, words: list[str]) -> Result:
        if len(words) != 3:
            return self._error("cli.answer_usage")
        try:
            choice = self.level.choice(words[1])
        except KeyError:
            known = ", ".join(c.id for c in self.level.choices) or "-"
            return self._error("cli.no_such_choice", choice=words[1], known=known)
        picks = []
        for letter in words[2].split(","):
            index = ord(letter) - ord("a") if len(letter) == 1 else -1
            if not 0 <= index < len(choice.options):
                last = chr(ord("a") + len(choice.options) - 1)
                return self._error("cli.not_an_option", letter=letter, last=last)
            picks.append(index)
        self.answer(choice.id, tuple(picks))
        shown = ", ".join(chr(ord("a") + i) for i in sorted(set(picks)))
        return Result(
            stdout=say("cli.answer_recorded", self.language, choice=choice.id, picked=shown) + "\n"
        )

    # -- looking at it ----------------------------------------------------------------------

    def scene(self) -> Scene:
        return Scene(self.cluster, self.level.cluster.namespace, self.start, self.fix)

    def fork(self) -> LevelRun:
        """A copy of this run at the same cluster time, made by replaying the log — or the
        copy ``prepare_fork`` made earlier, brought up to date with the actions and time
        since (the same replay, done in two parts)."""
        spare, self._spare = self._spare, None
        if spare is None:
            return replay(
                self.level, self.seed, self.log, until=self.cluster.now, language=self.language
            )
        self._catch_up(spare)
        return spare

    def _catch_up(self, spare: LevelRun) -> None:
        """Replay on ``spare`` what happened here since it was made, up to now."""
        for action in self.log[self._spare_actions :]:
            replay_action(spare, action)
        self._spare_actions = len(self.log)
        spare.advance_to(self.cluster.now)

    @property
    def fork_ready(self) -> bool:
        """Whether ``prepare_fork`` has made the next fork's copy."""
        return self._spare is not None

    def prepare_fork(self) -> None:
        """Make the next ``fork``'s copy now, while the player reads the last answer: the
        replay of the whole log is the slow part of a look-ahead check, and the copy only
        has to catch up with what happens before the next check."""
        if self._spare is None:
            self._spare = replay(
                self.level, self.seed, self.log, until=self.cluster.now, language=self.language
            )
            self._spare_actions = len(self.log)


def replay(
    level: Level,
    seed: int,
    log: list[Action],
    until: float | None = None,
    language: str = "en",
    skip_reads: bool = False,
) -> LevelRun:
    """A run rebuilt from a start and a log (a save file, or a copy for looking ahead, which
    may skip commands that only read and so cannot change what happens)."""
    run = LevelRun(level, seed, language)
    for action in list(log):
        replay_action(run, action, skip_reads)
    if until is not None:
        run.advance_to(until)
    return run


def replay_action(run: LevelRun, action: Action, skip_reads: bool = False) -> None:
    """Do one logged action again on ``run``, at its time."""
    run.advance_to(action.time)
    if action.kind == "command":
        if skip_reads and reads_only(action.text):
            return
        run.kubectl(action.text)
    elif action.kind == "file":
        run.write_file(action.name, action.text)
    elif action.kind == "edit":
        run.save_edit(action.name, action.base, action.text)
    elif action.kind == "host":
        run.host(action.text)
    elif action.kind == "kubelet":
        run.kubelet(action.text, action.name)
    elif action.kind == "hint":
        run.take_hint()
    elif action.kind == "answer":
        picks = tuple(int(p) for p in action.text.split(",") if p)
        run.answers[action.name] = picks
        run.log.append(action)


def perform(run: LevelRun, answer: Answer) -> list[Result]:
    """Play an answer (a solution, a wrong answer, an option): write its files as the player
    would in the editor, then run its lines."""
    for name, text in sorted(answer.files.items()):
        run.write_file(name, text)
    return [run.run_line(line) for line in answer.commands]
