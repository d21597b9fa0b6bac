"""Grading a response to a question: right or not, a score for partial credit, and the key
points a short answer missed.

A response is what the player chose, in the question's own terms: an option index
(``single``), a set of option indices (``multiple``), step indices in the order the player
put them (``ordering``), a number (``numeric``) or text (``short``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

from k8sgame.content.text import Text
from k8sgame.quiz.model import Question
from k8sgame.quiz.normalise import says

Response = int | frozenset[int] | tuple[int, ...] | float | str

# Numbers are compared with this much slack besides the question's tolerance (0.1 + 0.2).
EPSILON = 1e-9


@dataclass(frozen=True)
class Grade:
    """``score`` runs from 0 to 1; ``missed`` names the key points a short answer lacked."""

    correct: bool
    score: float
    missed: tuple[Text, ...] = ()


def grade(question: Question, response: Response) -> Grade:
    """Grade ``response``; a response of the wrong shape for the kind is simply wrong."""
    kind = question.kind
    if kind == "single" and isinstance(response, int) and not isinstance(response, bool):
        right = 0 <= response < len(question.options) and question.options[response].correct
        return Grade(right, float(right))
    if kind == "multiple" and isinstance(response, frozenset):
        return _multiple(question, response)
    if kind == "ordering" and isinstance(response, tuple):
        return _ordering(question, response)
    if kind == "numeric" and isinstance(response, int | float) and not isinstance(response, bool):
        right = abs(float(response) - question.number) <= question.tolerance + EPSILON
        return Grade(right, float(right))
    if kind == "short" and isinstance(response, str):
        return _short(question, response)
    return Grade(False, 0.0)


def _multiple(question: Question, chosen: frozenset[int]) -> Grade:
    right = {i for i, option in enumerate(question.options) if option.correct}
    hits = len(chosen & right)
    wrong = len(chosen - right)
    score = max(0.0, (hits - wrong) / len(right))
    return Grade(chosen == right, score)


def _ordering(question: Question, order: tuple[int, ...]) -> Grade:
    steps = len(question.steps)
    if sorted(order) != list(range(steps)):
        return Grade(False, 0.0)
    # Partial credit: the share of step pairs the player put the right way round.
    pairs = list(combinations(order, 2))
    in_order = sum(first < second for first, second in pairs)
    return Grade(order == tuple(range(steps)), in_order / len(pairs))


def _short(question: Question, answer: str) -> Grade:
    found = [point for point in question.key_points if any(says(answer, f) for f in point.accept)]
    missed = tuple(point.label for point in question.key_points if point not in found)
    needed = question.needed or len(question.key_points)
    return Grade(len(found) >= needed, len(found) / len(question.key_points), missed)
