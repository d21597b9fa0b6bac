"""Choice steps: questions whose right answers the engine works out, never an answer key.

Every option is tried on a copy of the level's starting cluster (same level, same seed):
a *value* option is compared with what the engine measures there (the delay before a restart,
a field's value), a *commands* option is played and counts as right when the goal lines it is
judged on are met after the level's horizon.
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.jsonpath import JsonPathError
from k8sgame.levels.model import Choice, Level
from k8sgame.levels.predicates import evaluate
from k8sgame.levels.predicates.objects import jsonpath_values
from k8sgame.levels.schema import duration_seconds
from k8sgame.levels.text import Message, message

# How long the engine may run a copy to see a measured event happen (restarts back off up to
# five minutes, so a dozen restarts fit).
MEASURE_LIMIT = 3 * 3600.0

_TRUTH: dict[tuple[int, int], tuple[Level, dict[str, tuple[bool, ...]]]] = {}


class MeasureError(ValueError):
    """The engine could not take the measurement (the event never happened in time)."""


def _fresh(level: Level, seed: int) -> Any:
    from k8sgame.levels.play import LevelRun

    return LevelRun(level, seed)


def _status(run: Any, pod: str, container: str | None) -> dict[str, Any] | None:
    obj = run.cluster.api.peek("Pod", pod, run.level.cluster.namespace)
    if obj is None:
        return None
    statuses = (obj.get("status") or {}).get("containerStatuses") or []
    for status in statuses:
        if container is None or status.get("name") == container:
            return status
    return None


def _restart_delay(level: Level, seed: int, params: dict[str, Any]) -> float:
    run = _fresh(level, seed)
    wanted = int(params["restart"])
    pod, container = str(params["pod"]), params.get("container")

    def reached() -> bool:
        status = _status(run, pod, container)
        return status is not None and int(status.get("restartCount") or 0) >= wanted

    if not run.cluster.run_until(reached, MEASURE_LIMIT):
        raise MeasureError(f"pod {pod} never reached restart {wanted}")
    status = _status(run, pod, container) or {}
    if int(status.get("restartCount") or 0) != wanted:
        raise MeasureError(f"pod {pod} was already past restart {wanted} when the level starts")
    state = status.get("state") or {}
    started = (state.get("running") or state.get("terminated") or {}).get("startedAt")
    finished = ((status.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
    if not started or not finished:
        raise MeasureError(f"pod {pod} has no start or finish time to measure")
    return parse_rfc3339(started) - parse_rfc3339(finished)


def _field(level: Level, seed: int, params: dict[str, Any]) -> Any:
    run = _fresh(level, seed)
    run.advance(duration_seconds(params.get("after", 0)) or 0.0)
    info = run.cluster.api.kind_info(str(params["kind"]))
    namespace = run.level.cluster.namespace if info.namespaced else ""
    obj = run.cluster.api.peek(info.kind, str(params["name"]), namespace)
    if obj is None:
        raise MeasureError(f"{params['kind']} {params['name']} does not exist")
    try:
        values = jsonpath_values(obj, str(params["path"]))
    except JsonPathError as error:
        raise MeasureError(error.message) from None
    return values[0] if len(values) == 1 else " ".join(str(v) for v in values)


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
