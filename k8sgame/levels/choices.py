"""Choice steps: questions whose right answers the engine works out, never an answer key.

Every option is tried on a copy of the level's starting cluster (same level, same seed):
a *value* option is compared with what the engine measures there (the delay before a restart,
a field's value), a *commands* option is played and counts as right when the goal lines it is
judged on are met after the level's horizon.
"""

from __future__ import annotations

from typing import Any

from k8sgame.content.text import Message, message
from k8sgame.datafile.schema import duration_seconds
from k8sgame.levels.model import Choice, Level
from k8sgame.levels.predicates import evaluate
from k8sgame.measure import field_value, restart_delay

_TRUTH: dict[tuple[int, int], tuple[Level, dict[str, tuple[bool, ...]]]] = {}


def _fresh(level: Level, seed: int) -> Any:
    from k8sgame.levels.play import LevelRun

    return LevelRun(level, seed)


def _restart_delay(level: Level, seed: int, params: dict[str, Any]) -> float:
    run = _fresh(level, seed)
    return restart_delay(
        run.cluster,
        run.level.cluster.namespace,
        str(params["pod"]),
        int(params["restart"]),
        params.get("container"),
    )


def _field(level: Level, seed: int, params: dict[str, Any]) -> Any:
    run = _fresh(level, seed)
    run.advance(duration_seconds(params.get("after", 0)) or 0.0)
    namespace = run.level.cluster.namespace
    return field_value(
        run.cluster, str(params["kind"]), str(params["name"]), namespace, str(params["path"])
    )


def measure(level: Level, seed: int, choice: Choice) -> Any:
    """What the engine measures for a value choice."""
    ((name, params),) = (choice.measure or {}).items()
    if name == "restart_delay":
        return _restart_delay(level, seed, params)
    return _field(level, seed, params)


def _value_matches(value: Any, measured: Any, tolerance: float) -> bool:
    if isinstance(measured, float):
        seconds = duration_seconds(value)
        return seconds is not None and abs(seconds - measured) <= tolerance + 1e-6
    return str(value) == str(measured)


def _option_works(level: Level, seed: int, choice: Choice, index: int) -> bool:
    from k8sgame.levels.play import perform

    option = choice.options[index]
    run = _fresh(level, seed)
    assert option.answer is not None
    perform(run, option.answer)
    run.advance(level.horizon)
    scene = run.scene()
    wanted = choice.lines or tuple(line.id for line in level.goal)
    return all(evaluate(level.line(line_id).check, scene).ok for line_id in wanted)


def truth(level: Level, seed: int) -> dict[str, tuple[bool, ...]]:
    """For every choice, which options are right (computed once per level and seed)."""
    cached = _TRUTH.get((id(level), seed))
    if cached is not None and cached[0] is level:
        return cached[1]
    result: dict[str, tuple[bool, ...]] = {}
    for choice in level.choices:
        if choice.measure is not None:
            measured = measure(level, seed, choice)
            result[choice.id] = tuple(
                _value_matches(option.value, measured, choice.tolerance)
                for option in choice.options
            )
        else:
            result[choice.id] = tuple(
                _option_works(level, seed, choice, index) for index in range(len(choice.options))
            )
    _TRUTH[(id(level), seed)] = (level, result)
    return result


def is_right(run: Any, choice_id: str, picks: tuple[int, ...]) -> bool:
    """Whether ``picks`` (0-based) is the right answer to the choice."""
    right = truth(run.level, run.seed)[choice_id]
    choice = run.level.choice(choice_id)
    chosen = set(picks)
    if choice.single:
        return len(chosen) == 1 and right[next(iter(chosen))]
    return chosen == {index for index, ok in enumerate(right) if ok}


def letters(picks: tuple[int, ...]) -> str:
    return ",".join(chr(ord("a") + index) for index in picks)


def choice_report(run: Any, choice_id: str) -> tuple[str, Message]:
    """(state, reason) of a choice for the checklist."""
    picks = run.answers.get(choice_id)
    if picks is None:
        return "not_met", message("reasons.choice_unanswered")
    if is_right(run, choice_id, picks):
        return "met", message("reasons.choice_right", picked=letters(picks))
    return "not_met", message("reasons.choice_wrong", picked=letters(picks))
