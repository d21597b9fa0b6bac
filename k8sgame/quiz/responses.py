"""Reading what the player typed as a response: option letters, an order of letters, a number
(or a duration, for seconds), or free text. Options and steps are shown in a shuffled order
that a seed fixes; letters name what is shown, responses name the question's own indices."""

from __future__ import annotations

import random
import re

from k8sgame.content.text import QUIZ_MESSAGES, Message, message
from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.quiz.grading import Response
from k8sgame.quiz.model import Question
from k8sgame.quiz.normalise import MAX_ANSWER_CHARACTERS

LETTERS = "abcdefghij"
# A number, and the units a player may type after it (seconds; a percentage).
_NUMBER = re.compile(
    r"\s*([-+]?\d+(?:\.\d+)?)\s*(s|sec|secs|seconds?|초|%|퍼센트)?\s*", re.IGNORECASE
)


class ResponseError(ValueError):
    """What the player typed is not a response to this question; ``reason`` says why."""

    def __init__(self, reason: Message) -> None:
        super().__init__(reason.render())
        self.reason = reason


def shown_order(question: Question, seed: int) -> tuple[int, ...]:
    """The order options or steps are shown in: steps always shuffled (never already in
    order), options shuffled too. The same seed gives the same order."""
    count = len(question.steps) if question.kind == "ordering" else len(question.options)
    order = list(range(count))
    if count < 2:
        return tuple(order)
    rng = random.Random(f"{question.id}/{seed}")
    rng.shuffle(order)
    if question.kind == "ordering" and order == sorted(order):
        order.reverse()
    return tuple(order)


def parse_response(question: Question, text: str, shown: tuple[int, ...] = ()) -> Response:
    """The response ``text`` stands for; raises ResponseError."""
    text = text[:MAX_ANSWER_CHARACTERS].strip()
    if not text:
        raise ResponseError(message("responses.empty", table=QUIZ_MESSAGES))
    kind = question.kind
    if kind == "short":
        return text
    if kind == "numeric":
        return _number(question, text)
    letters = _letters(text, len(shown))
    if kind == "single":
        if len(letters) != 1:
            raise ResponseError(message("responses.one_letter", table=QUIZ_MESSAGES))
        return shown[letters[0]]
    if kind == "multiple":
        return frozenset(shown[i] for i in letters)
    if sorted(letters) != list(range(len(shown))):
        last = LETTERS[len(shown) - 1]
        raise ResponseError(message("responses.every_letter", table=QUIZ_MESSAGES, last=last))
    return tuple(shown[i] for i in letters)


def _letters(text: str, count: int) -> list[int]:
    """Option letters in the order typed: ``a,c``, ``a c`` and ``ac`` are the same."""
    found = []
    for ch in text.casefold():
        if ch in ", ":
            continue
        index = LETTERS.find(ch)
        if index < 0 or index >= count:
            last = LETTERS[count - 1] if count else "a"
            raise ResponseError(message("responses.letters", table=QUIZ_MESSAGES, last=last))
        found.append(index)
    return found


def _number(question: Question, text: str) -> float:
    match = _NUMBER.fullmatch(text)
    if match is not None:
        return float(match.group(1))
    if question.unit == "s":
        try:
            return parse_go_duration(text.replace(" ", ""))
        except ValueError:
            pass
    raise ResponseError(message("responses.number", table=QUIZ_MESSAGES))
