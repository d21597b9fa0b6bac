"""Checking a level: each goal line is *met* (true on the live cluster now), *not yet* (not
true now, but true on a copy of the cluster run ahead by the level's horizon, with nothing
more done) or *not met* (still false there; the reason is what the copy shows then). A level is
won when every line is met at once on the live cluster and every choice is answered right."""

from __future__ import annotations

from dataclasses import dataclass

from k8sgame.content.text import Message, Text, message
from k8sgame.engine.timefmt import go_duration
from k8sgame.heap import young_collections_only
from k8sgame.levels.choices import choice_report
from k8sgame.levels.play import LevelRun, WinRecord
from k8sgame.levels.predicates import evaluate

MET = "met"
NOT_YET = "not_yet"
NOT_MET = "not_met"


@dataclass(frozen=True)
class LineReport:
    id: str
    text: Text
    state: str
    reason: Message


@dataclass(frozen=True)
class ChoiceReport:
    id: str
    question: Text
    state: str
    reason: Message


@dataclass(frozen=True)
class Report:
    """The goal checklist at one cluster time."""

    time: float
    lines: tuple[LineReport, ...]
    choices: tuple[ChoiceReport, ...]
    win: WinRecord | None

    @property
    def won(self) -> bool:
        return self.win is not None

    def entries(self) -> tuple[LineReport | ChoiceReport, ...]:
        """The goal lines, then the choices."""
        return (*self.lines, *self.choices)

    def line(self, line_id: str) -> LineReport | ChoiceReport:
        """A goal line's report, or a choice's (goal lines and choices have distinct ids)."""
        for line in self.entries():
            if line.id == line_id:
                return line
        raise KeyError(line_id)


def evaluate_lines(run: LevelRun) -> tuple[LineReport, ...]:
    """Every goal line on the live cluster now: met or not met (no looking ahead)."""
    scene = run.scene()
    reports = []
    for line in run.level.goal:
        outcome = evaluate(line.check, scene)
        reports.append(
            LineReport(line.id, line.text, MET if outcome.ok else NOT_MET, outcome.reason)
        )
    return tuple(reports)


def _choices(run: LevelRun) -> tuple[ChoiceReport, ...]:
    return tuple(
        ChoiceReport(choice.id, choice.question, *choice_report(run, choice.id))
        for choice in run.level.choices
    )


def _record_win(
    run: LevelRun, lines: tuple[LineReport, ...], choices: tuple[ChoiceReport, ...]
) -> None:
    entries: tuple[LineReport | ChoiceReport, ...] = (*lines, *choices)
    if run.win is None and all(r.state == MET for r in entries):
        run.win = WinRecord(
            run.cluster.now - run.start,
            run.tally.commands,
            run.tally.changes,
            run.tally.hints,
            run.level.par,
        )


def observe(run: LevelRun) -> Report:
    """The checklist now, without looking ahead (cheap: for a clock that is running)."""
    lines = evaluate_lines(run)
    choices = _choices(run)
    _record_win(run, lines, choices)
    return Report(run.cluster.now, lines, choices, run.win)


def check(run: LevelRun) -> Report:
    """The checklist after a player action: lines not met now are looked up on a copy of the
    cluster run ahead by the level's horizon."""
    report = observe(run)
    if all(line.state == MET for line in report.lines):
        return report
    with young_collections_only():
        ahead = run.fork()
        ahead.advance(run.level.horizon)
        future = {line.id: line for line in evaluate_lines(ahead)}
    lines = tuple(
        line if line.state == MET else _looked_ahead(line, future[line.id], run.level.horizon)
        for line in report.lines
    )
    return Report(report.time, lines, report.choices, run.win)


# Reasons that describe a moment on the way (a container being created, a pod not yet bound,
# a window not yet long enough): for a line that stays unmet, what the copy shows at the end
# of the horizon says more.
_PASSING = frozenset(
    {
        "reasons.starting",
        "reasons.not_scheduled_yet",
        "reasons.terminating",
        "reasons.ready_too_short",
        "reasons.running_too_short",
    }
)


def _looked_ahead(now: LineReport, ahead: LineReport, horizon: float) -> LineReport:
    if ahead.state == MET:
        return LineReport(now.id, now.text, NOT_YET, now.reason)
    reason = now.reason
    if _PASSING & set(now.reason.keys()):
        reason = message("reasons.ahead", ahead.reason, horizon=go_duration(horizon))
    return LineReport(now.id, now.text, NOT_MET, reason)


def finish(run: LevelRun) -> Report:
    """Let the live cluster run (up to the horizon) until the level is won or time is up;
    the headless checker's last step after a script."""
    if run.win is None:

        def won() -> bool:
            return observe(run).won

        run.cluster.run_until(won, run.level.horizon)
    report = observe(run)
    if report.won:
        return report
    # Not won: the reasons are the engine's view at the end of the horizon.
    return Report(
        report.time,
        tuple(
            line if line.state == MET else LineReport(line.id, line.text, NOT_MET, line.reason)
            for line in report.lines
        ),
        report.choices,
        None,
    )
