"""Every shipped level is replayed on every run: the start is not already won, the reference
solution wins within par, each known wrong answer loses on the goal line it declares, the
verdicts do not depend on the seed, and every choice has engine-computed right answers."""

from __future__ import annotations

import pytest
from level_helpers import component_refusals, play, verdict

from k8sgame.levels.checker import MET, check
from k8sgame.levels.choices import truth
from k8sgame.levels.pack import default_pack_dir, load_pack
from k8sgame.levels.play import LevelRun

LEVELS = load_pack(default_pack_dir())
IDS = [level.id for level in LEVELS]


@pytest.mark.parametrize("level", LEVELS, ids=IDS)
def test_start_is_not_won(level):
    run = LevelRun(level)
    report = check(run)
    assert not report.won
    assert any(line.state != MET for line in report.lines)
    _, idle = play(level, None)
    assert not idle.won, "doing nothing must not win"


@pytest.mark.parametrize("level", LEVELS, ids=IDS)
def test_solution_wins_within_par(level):
    run, report = play(level, level.solution)
    unmet = [(line.id, line.reason.render()) for line in report.lines if line.state != MET]
    assert report.won, f"solution did not win: {unmet}"
    assert report.win.changes <= level.par
    # Every component did its part without a Forbidden: RBAC is on, as in a real cluster.
    assert component_refusals(run.cluster) == []


@pytest.mark.parametrize(
    ("level", "wrong"),
    [(level, wrong) for level in LEVELS for wrong in level.wrong],
    ids=[f"{level.id}:{wrong.id}" for level in LEVELS for wrong in level.wrong],
)
def test_wrong_answer_fails_on_its_line(level, wrong):
    run, report = play(level, wrong.answer)
    assert component_refusals(run.cluster) == []
    assert not report.won
    assert report.line(wrong.fails).state != MET, report.line(wrong.fails).reason.render()


@pytest.mark.parametrize("level", LEVELS, ids=IDS)
def test_verdicts_do_not_depend_on_the_seed(level):
    answers = [level.solution, *(wrong.answer for wrong in level.wrong)]
    for answer in answers:
        assert verdict(play(level, answer, seed=0)[1]) == verdict(play(level, answer, seed=7)[1])
    assert truth(level, 0) == truth(level, 7)


@pytest.mark.parametrize(
    "level", [lv for lv in LEVELS if lv.choices], ids=[lv.id for lv in LEVELS if lv.choices]
)
def test_choices_have_engine_answers(level):
    right = truth(level, 0)
    for choice in level.choices:
        count = sum(right[choice.id])
        assert count >= 1, f"{choice.id}: the engine finds no right option"
        if choice.single:
            assert count == 1, f"{choice.id}: {count} options are right"


def test_chapter_one_has_at_least_twelve_levels():
    assert len([level for level in LEVELS if level.chapter == "pods"]) >= 12
