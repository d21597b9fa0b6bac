"""A quiz question as the game holds it, whether read from a bank or made by a generator.

Kinds: ``single`` (one right option), ``multiple`` (every right option and no other),
``ordering`` (steps put in their order), ``numeric`` (a number within a tolerance) and
``short`` (a free answer graded by the key points it names).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from k8sgame.content.text import Text

Kind = Literal["single", "multiple", "ordering", "numeric", "short"]
KINDS: tuple[Kind, ...] = ("single", "multiple", "ordering", "numeric", "short")


@dataclass(frozen=True)
class Option:
    """An option of a single or multiple choice question."""

    text: Text
    correct: bool


@dataclass(frozen=True)
class KeyPoint:
    """One thing a short answer must say: ``label`` names it in feedback; ``accept`` are the
    forms that count (English and Korean, compared after normalising)."""

    label: Text
    accept: tuple[str, ...]


@dataclass(frozen=True)
class Question:
    """One question with its answer; only the fields of its ``kind`` are filled."""

    id: str
    kind: Kind
    prompt: Text
    explanation: Text
    concepts: tuple[str, ...]
    difficulty: int
    topics: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()  # single, multiple
    steps: tuple[Text, ...] = ()  # ordering, in the right order
    number: float = 0.0  # numeric
    tolerance: float = 0.0
    unit: str = ""  # numeric: "s" lets the player answer with a duration (1m30s)
    key_points: tuple[KeyPoint, ...] = ()  # short
    needed: int = 0  # short: how many key points make a right answer
    model_answer: Text | None = None  # short: shown after answering
    generator: str = ""  # the generator that made it, "" for a bank question
    seed: int | None = None  # the generator's seed


@dataclass(frozen=True)
class GeneratedItem:
    """A bank entry that asks a generator for a fresh variant each time it is drawn."""

    id: str
    generator: str
    concepts: tuple[str, ...]
    difficulty: int
    topics: tuple[str, ...] = ()


Item = Question | GeneratedItem


@dataclass(frozen=True)
class Bank:
    """One question bank file."""

    id: str
    title: Text
    items: tuple[Item, ...]
    source: str = ""
