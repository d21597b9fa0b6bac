"""What the progress screen says about the quiz: accuracy per area of the glossary, and the
streak of days with at least one answer. Pure functions over the logged answers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from k8sgame.content.concepts import load_concepts
from k8sgame.quiz.model import Item


@dataclass(frozen=True)
class Logged:
    """One logged answer: the item, its UTC day, and whether it was right."""

    item_id: str
    day: date
    correct: bool


def accuracy_by_area(
    answers: Iterable[Logged], items: Iterable[Item]
) -> dict[str, tuple[int, int]]:
    """``area -> (right, answered)``, counting an answer once for each area its item's
    concepts fall in; answers to items no bank has any more are left out."""
    concepts = load_concepts()
    areas_of = {
        item.id: {concepts[c].area for c in item.concepts if c in concepts} for item in items
    }
    totals: dict[str, tuple[int, int]] = {}
    for answer in answers:
        for area in sorted(areas_of.get(answer.item_id, ())):
            right, answered = totals.get(area, (0, 0))
            totals[area] = (right + answer.correct, answered + 1)
    return totals


def streak(days: Iterable[date], today: date) -> int:
    """Days in a row, ending today or yesterday, with at least one answer."""
    active = set(days)
    day = today if today in active else today - timedelta(days=1)
    count = 0
    while day in active:
        count += 1
        day -= timedelta(days=1)
    return count
