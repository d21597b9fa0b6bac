"""Spaced repetition (FSRS, the ``fsrs`` package): a question answered wrong becomes a review
card; every later answer to it is a review that schedules the next one.

Deterministic: cards are numbered by the store (``Card()`` would read the wall clock), every
time is passed in (UTC), and the scheduler's interval fuzz draws from a generator seeded by
the card and the review time instead of the global ``random`` module.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import fsrs

    from k8sgame.quiz.grading import Grade

# Partial credit at or above this is a hard recall rather than a lapse.
HARD_SCORE = 0.5


class ReviewBook(Protocol):
    """Where cards are kept (the progress store)."""

    def review_card(self, item_id: str) -> str | None: ...

    def save_review_card(self, item_id: str, card_id: int, card: str, due: str) -> None: ...

    def next_card_id(self) -> int: ...


class QuizBook(ReviewBook, Protocol):
    """The progress store as the quiz uses it: reviews plus the log of answers."""

    def record_answer(
        self, item_id: str, answered_at: str, correct: bool, score: float, source: str
    ) -> None: ...

    def due_items(self, now: str) -> list[str]: ...


def stamp(moment: datetime) -> str:
    """A UTC time as stored: fixed width, so stored times sort as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rating(grade: Grade) -> fsrs.Rating:
    """Right is Good; a wrong answer with at least half the credit is Hard; else Again."""
    import fsrs

    if grade.correct:
        return fsrs.Rating.Good
    return fsrs.Rating.Hard if grade.score >= HARD_SCORE else fsrs.Rating.Again


@contextmanager
def _seeded_fuzz(card_id: int, moment: datetime) -> Iterator[None]:
    # fsrs draws its fuzz from ``random.random`` bound at import in fsrs.scheduler.
    import fsrs.scheduler

    saved = fsrs.scheduler.random
    fsrs.scheduler.random = random.Random(f"{card_id}/{stamp(moment)}").random
    try:
        yield
    finally:
        fsrs.scheduler.random = saved


def record_review(book: ReviewBook, item_id: str, grade: Grade, now: datetime) -> datetime | None:
    """Schedule ``item_id`` after an answer graded ``grade`` at ``now`` (UTC): a card is made
    on the first wrong answer; returns when the item is next due (None: no card)."""
    import fsrs  # on first use: the home screen shows due counts without loading it

    stored = book.review_card(item_id)
    if stored is None:
        if grade.correct:
            return None
        card = fsrs.Card(card_id=book.next_card_id(), due=now)
    else:
        card = fsrs.Card.from_json(stored)
    with _seeded_fuzz(card.card_id, now):
        card, _ = fsrs.Scheduler().review_card(card, rating(grade), now)
    book.save_review_card(item_id, card.card_id, card.to_json(), stamp(card.due))
    return card.due
