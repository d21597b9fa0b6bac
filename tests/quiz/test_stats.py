"""The progress screen's figures: accuracy per area and the streak of days."""

from __future__ import annotations

from datetime import date

from quiz_helpers import BASE

from k8sgame.quiz.stats import Logged, accuracy_by_area, streak

TODAY = date(2026, 12, 7)


def test_a_streak_counts_days_in_a_row_ending_today_or_yesterday():
    days = [date(2026, 12, d) for d in (1, 4, 5, 6)]
    assert streak(days, TODAY) == 3  # 4, 5 and 6: yesterday still counts
    assert streak([*days, TODAY], TODAY) == 4
    assert streak(days, date(2026, 12, 8)) == 0
    assert streak([], TODAY) == 0


def test_accuracy_counts_each_area_an_items_concepts_fall_in():
    pods = BASE.__class__(**{**vars(BASE), "id": "p", "concepts": ("pods", "liveness-probe")})
    etcd = BASE.__class__(**{**vars(BASE), "id": "e", "concepts": ("etcd",)})
    answers = [
        Logged("p", TODAY, True),
        Logged("p", TODAY, False),
        Logged("e", TODAY, True),
        Logged("gone", TODAY, True),  # an item no bank has any more
    ]
    assert accuracy_by_area(answers, [pods, etcd]) == {
        "pods": (1, 2),
        "health": (1, 2),
        "architecture": (1, 1),
    }
