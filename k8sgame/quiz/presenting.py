"""What any front end shows of a question: its options or steps with their letters, how to
answer it, and the right answer in words. Textual-free: the command line and the game screen
both use it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from k8sgame.content.concepts import load_concepts
from k8sgame.content.text import QUIZ_MESSAGES, Text, say
from k8sgame.quiz.grading import Grade
from k8sgame.quiz.model import Question
from k8sgame.quiz.practice import Asked, Report
from k8sgame.quiz.responses import LETTERS

# (concept, language) -> titles of the levels that teach it; the front end knows the levels.
LevelsFor = Callable[[str, str], list[str]]
# A line to show and how: "" plain, "right", "wrong", "bold" or "dim".
Line = tuple[str, str]


def words(key: str, language: str, **fields: Any) -> str:
    """A line of a quiz session (``session.*`` of the quiz's message table)."""
    return say(f"session.{key}", language, table=QUIZ_MESSAGES, **fields)


def heading(
    asked: Asked, number: int, total: int, language: str, seconds_left: float | None = None
) -> str:
    """``Question 2 of 10 · Pods`` and, in a mock interview, the time left."""
    concepts = concept_titles(asked.question.concepts, language)
    text = words("heading", language, number=number, total=total, concepts=concepts)
    if seconds_left is not None:
        whole = max(0, math.ceil(seconds_left))
        text += " · " + words("time_left", language, time=f"{whole // 60}:{whole % 60:02d}")
    return text


def feedback_lines(asked: Asked, grade: Grade, language: str) -> list[Line]:
    """Right or not, what was missing or the right answer, a model answer, the explanation."""
    question = asked.question
    lines: list[Line] = []
    if grade.correct:
        lines.append((words("right", language), "right"))
    else:
        lines.append((words("wrong", language), "wrong"))
        if question.kind != "short":
            lines.append((words("the_answer", language, answer=answer_text(asked, language)), ""))
        elif grade.missed:
            points = ", ".join(point.get(language) for point in grade.missed)
            lines.append((words("missed", language, points=points), ""))
    if question.kind == "short" and question.model_answer is not None:
        model = question.model_answer.get(language)
        lines.append((words("model_answer", language, answer=model), ""))
    lines.append(("", ""))
    lines.append((question.explanation.get(language), "dim"))
    return lines


def report_lines(
    report: Report, language: str, levels_for: LevelsFor, unanswered: int = 0
) -> list[Line]:
    """The end of a session: time up (a mock interview), the score, what to study next."""
    lines: list[Line] = []
    if unanswered:
        lines.append((words("time_up", language, unanswered=unanswered), ""))
    lines.append((words("score", language, right=report.right, asked=report.asked), "bold"))
    weak = report.weak_concepts
    if not weak:
        if report.asked:
            lines.append((words("all_right", language), ""))
        return lines
    lines.append((words("study_next", language), "bold"))
    titles = load_concepts()
    for concept in weak:
        right, asked = report.by_concept[concept]
        title = titles[concept].title.get(language) if concept in titles else concept
        line = "  - " + words("weak_concept", language, title=title, right=right, asked=asked)
        levels = levels_for(concept, language)
        if levels:
            line += "; " + words("levels", language, levels=", ".join(levels))
        lines.append((line, ""))
    return lines


def choices(asked: Asked, language: str) -> list[tuple[str, str]]:
    """``(letter, text)`` of each option or step, in the order shown."""
    question = asked.question
    texts: Sequence[Text] = (
        question.steps if question.kind == "ordering" else [o.text for o in question.options]
    )
    return [
        (LETTERS[position], texts[index].get(language))
        for position, index in enumerate(asked.shown)
    ]


def how_to_answer(question: Question) -> str:
    """The key (``how_single`` …) of the line that says how to answer."""
    if question.kind == "numeric":
        return "how_seconds" if question.unit == "s" else "how_numeric"
    return f"how_{question.kind}"


def answer_text(asked: Asked, language: str) -> str:
    """The right answer as the player would give it: letters with their text, the order of
    letters, the number with its unit, or the model answer."""
    question = asked.question
    letter = {index: LETTERS[position] for position, index in enumerate(asked.shown)}
    if question.kind in ("single", "multiple"):
        return ", ".join(
            f"{letter[i]}) {o.text.get(language)}"
            for i, o in enumerate(question.options)
            if o.correct
        )
    if question.kind == "ordering":
        return " → ".join(letter[i] for i in range(len(question.steps)))
    if question.kind == "numeric":
        return f"{question.number:g}{' ' + question.unit if question.unit else ''}"
    return question.model_answer.get(language) if question.model_answer else ""


def concept_titles(concepts: Sequence[str], language: str) -> str:
    """The concepts' titles, comma-separated (an unknown id as it is)."""
    known = load_concepts()
    return ", ".join(known[c].title.get(language) if c in known else c for c in concepts)
