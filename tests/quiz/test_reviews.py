"""Review cards (FSRS): a wrong answer makes a card due within minutes, right answers push it
further out, and the schedule is the same on every run (numbered cards, passed-in times,
seeded fuzz)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from itertools import pairwise

from k8sgame.progress.store import in_memory
from k8sgame.quiz.grading import Grade
from k8sgame.quiz.reviews import record_review, stamp

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
RIGHT, WRONG, HALF = Grade(True, 1.0), Grade(False, 0.0), Grade(False, 0.5)


def test_a_right_first_answer_makes_no_card():
    store = in_memory()
    assert record_review(store, "q", RIGHT, START) is None
    assert store.review_card("q") is None


def test_a_wrong_answer_is_due_again_after_the_first_learning_step():
    store = in_memory()
    due = record_review(store, "q", WRONG, START)
    assert due == START + timedelta(minutes=1)  # fsrs' first learning step
    assert store.due_items(stamp(START)) == []
    assert store.due_items(stamp(START + timedelta(minutes=1))) == ["q"]
    # Right twice: through the 10-minute step, then out of learning to days.
    due = record_review(store, "q", RIGHT, due)
    assert due == START + timedelta(minutes=11)
    due = record_review(store, "q", RIGHT, due)
    assert due - (START + timedelta(minutes=11)) >= timedelta(days=1)


def _schedule(grades):
    store = in_memory()
    now, dues = START, []
    for grade in grades:
        due = record_review(store, "q", grade, now)
        dues.append(due)
        now = due
    return dues


def test_the_schedule_is_the_same_every_time_and_leaves_the_global_random_alone():
    grades = [WRONG, RIGHT, RIGHT, RIGHT, HALF, RIGHT, RIGHT, RIGHT, RIGHT]
    random.seed(1)
    before = random.random()
    random.seed(1)
    first = _schedule(grades)
    assert random.random() == before
    assert _schedule(grades) == first
    # Intervals grow with right answers; a half-right answer does not reset to minutes.
    gaps = [later - earlier for earlier, later in pairwise(first)]
    assert gaps[-1] > gaps[-2] > gaps[-3] > timedelta(days=1)
    assert gaps[4] >= timedelta(hours=1)


def test_cards_are_numbered_and_due_items_come_most_overdue_first():
    store = in_memory()
    record_review(store, "b", WRONG, START)
    record_review(store, "a", WRONG, START + timedelta(seconds=30))
    assert store.next_card_id() == 3
    later = stamp(START + timedelta(hours=1))
    assert store.due_items(later) == ["b", "a"]
