"""Shared by the generator tests: the right and a wrong response to a generated question, and
the YAML a prompt shows."""

from __future__ import annotations

import yaml

from k8sgame.quiz.grading import Response
from k8sgame.quiz.model import Question


def right_response(question: Question) -> Response:
    if question.kind == "numeric":
        return question.number
    if question.kind == "single":
        return next(i for i, option in enumerate(question.options) if option.correct)
    return frozenset(i for i, option in enumerate(question.options) if option.correct)


def wrong_response(question: Question) -> Response:
    if question.kind == "numeric":
        return question.number + question.tolerance + 1
    if question.kind == "single":
        return next(i for i, option in enumerate(question.options) if not option.correct)
    return frozenset(i for i, option in enumerate(question.options) if not option.correct)


def shown_yaml(question: Question, index: int = 1) -> object:
    """The ``index``-th block of the English prompt (blocks are separated by blank lines),
    parsed as YAML: the manifest or node list the question shows."""
    return yaml.safe_load(question.prompt.en.split("\n\n")[index])


def answer_text(question: Question) -> str:
    return next(option.text.en for option in question.options if option.correct)
