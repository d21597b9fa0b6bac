"""A practice session: questions drawn for a topic (a concept or a concept area) with a seed,
graded one by one, and a report of what to study next. Textual-free: the command line and
the game screen both drive it.

The same seed draws the same questions, shows their options in the same order and asks the
generators for the same variants, so a session can be replayed and compared.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from k8sgame.content.concepts import load_concepts
from k8sgame.quiz.generators import generate
from k8sgame.quiz.grading import Grade, Response, grade
from k8sgame.quiz.model import Bank, GeneratedItem, Item, Question
from k8sgame.quiz.responses import shown_order

DEFAULT_COUNT = 10


class UnknownTopic(ValueError):
    """The topic names neither a concept nor a concept area."""


def topic_concepts(topic: str | None) -> frozenset[str] | None:
    """The concept ids a topic stands for: an area's concepts, or the one concept; None for
    every topic."""
    if topic is None:
        return None
    concepts = load_concepts()
    if topic in concepts:
        return frozenset({topic})
    in_area = frozenset(c.id for c in concepts.values() if c.area == topic)
    if not in_area:
        raise UnknownTopic(topic)
    return in_area


def items_for(banks: Iterable[Bank], topic: str | None) -> list[Item]:
    """Every item of the banks that teaches a concept of ``topic``."""
    wanted = topic_concepts(topic)
    return [
        item
        for bank in banks
        for item in bank.items
        if wanted is None or wanted.intersection(item.concepts)
    ]


@dataclass(frozen=True)
class Asked:
    """A drawn question as shown: its options or steps in ``shown`` order."""

    question: Question
    shown: tuple[int, ...]


def draw(items: list[Item], count: int, seed: int) -> list[Asked]:
    """``count`` items (all when fewer) in a seeded order; generated items become the variant
    their generator makes for a seed derived from this one."""
    rng = random.Random(seed)
    return ask(rng.sample(items, min(count, len(items))), seed)


def mixed(items: list[Item], count: int, seed: int) -> list[Asked]:
    """A mock interview's draw: ``count`` items spread over the glossary's areas in turn
    (each area's items in a seeded order), so no one topic fills the interview."""
    rng = random.Random(seed)
    areas: dict[str, list[Item]] = {}
    concepts = load_concepts()
    for item in items:
        first = item.concepts[0]
        areas.setdefault(concepts[first].area if first in concepts else first, []).append(item)
    queues = [rng.sample(group, len(group)) for _, group in sorted(areas.items())]
    rng.shuffle(queues)
    chosen: list[Item] = []
    while len(chosen) < count and any(queues):
        for queue in queues:
            if queue and len(chosen) < count:
                chosen.append(queue.pop())
    return ask(chosen, seed)


def ask(items: list[Item], seed: int) -> list[Asked]:
    """``items`` in this order, as shown to the player for ``seed``."""
    rng = random.Random(seed)
    asked = []
    for item in items:
        if isinstance(item, GeneratedItem):
            # The bank's id, so progress and reviews follow the item, not one variant.
            question = _as_item(generate(item.generator, rng.randrange(2**31)), item)
        else:
            question = item
        asked.append(Asked(question, shown_order(question, seed)))
    return asked


def _as_item(question: Question, item: GeneratedItem) -> Question:
    return replace(question, id=item.id, topics=item.topics or question.topics)


@dataclass(frozen=True)
class Answer:
    question: Question
    response: Response
    grade: Grade


@dataclass
class Practice:
    """The questions of one session and the answers given so far."""

    asked: list[Asked]
    answers: list[Answer] = field(default_factory=list)

    @property
    def current(self) -> Asked | None:
        """The next question to answer, or None when the session is over."""
        return self.asked[len(self.answers)] if len(self.answers) < len(self.asked) else None

    def answer(self, response: Response) -> Grade:
        """Grade ``response`` to the current question and move on."""
        current = self.current
        if current is None:
            raise IndexError("every question is answered")
        result = grade(current.question, response)
        self.answers.append(Answer(current.question, response, result))
        return result

    def report(self, unanswered_count: bool = False) -> Report:
        """How it went; with ``unanswered_count`` (a mock interview whose time ran out) the
        questions not reached count as wrong."""
        report = Report.of(self.answers)
        if not unanswered_count:
            return report
        missed = [asked.question for asked in self.asked[len(self.answers) :]]
        return Report.of([*self.answers, *(Answer(q, "", Grade(False, 0.0)) for q in missed)])


@dataclass(frozen=True)
class Report:
    """How a session went: right answers, and per concept right / asked; weak concepts are
    those with a wrong answer, worst first."""

    right: int
    asked: int
    by_concept: dict[str, tuple[int, int]]

    @classmethod
    def of(cls, answers: Iterable[Answer]) -> Report:
        by_concept: dict[str, tuple[int, int]] = {}
        right = asked = 0
        for answer in answers:
            asked += 1
            right += answer.grade.correct
            for concept in answer.question.concepts:
                got, total = by_concept.get(concept, (0, 0))
                by_concept[concept] = (got + answer.grade.correct, total + 1)
        return cls(right, asked, by_concept)

    @property
    def weak_concepts(self) -> list[str]:
        weak = [c for c, (got, total) in self.by_concept.items() if got < total]
        return sorted(weak, key=lambda c: (self.by_concept[c][0] / self.by_concept[c][1], c))
