"""``k8sgame quiz``: a practice session in any terminal, without the game screen (Rich prints
and prompts; every text from the banks is printed as plain text, never as markup).

``levels_for`` tells which levels teach a concept; the command line passes it in, so the quiz
box needs nothing from the levels box.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from k8sgame.content.concepts import load_concepts
from k8sgame.content.text import QUIZ_MESSAGES, Message, say
from k8sgame.quiz.grading import Grade
from k8sgame.quiz.loader import BankError, load_banks
from k8sgame.quiz.model import Bank, Question
from k8sgame.quiz.practice import (
    DEFAULT_COUNT,
    Asked,
    Practice,
    Report,
    UnknownTopic,
    ask,
    draw,
    items_for,
    mixed,
    topic_concepts,
)
from k8sgame.quiz.presenting import (
    LevelsFor,
    Line,
    choices,
    feedback_lines,
    heading,
    how_to_answer,
    report_lines,
)
from k8sgame.quiz.responses import ResponseError, parse_response
from k8sgame.quiz.reviews import QuizBook, record_review, stamp

if TYPE_CHECKING:
    from rich.console import Console

# A mock interview allows this much time per question unless --minutes says otherwise.
MOCK_MINUTES_PER_QUESTION = 2


def _no_levels(concept: str, language: str) -> list[str]:
    return []


def _utc_now() -> datetime:
    # The quiz runs on the player's calendar: reviews fall due in real days.
    return datetime.now(UTC)


def main(
    args: Sequence[str],
    console: Console | None = None,
    levels_for: LevelsFor = _no_levels,
    book: QuizBook | None = None,
    clock: Callable[[], datetime] = _utc_now,
    notice: Message | None = None,
) -> int:
    """``k8sgame quiz [topics|review|mock] [--topic T] [--count N] [--seed S] [--lang en|ko]
    [--banks DIR]``. Answers and review cards go to ``book`` (the progress store) when given;
    ``notice`` is what opening it had to say."""
    from rich.console import Console

    parser = argparse.ArgumentParser(
        prog="k8sgame quiz", description="Practise Kubernetes interview questions."
    )
    parser.add_argument(
        "what",
        nargs="?",
        choices=["topics", "review", "mock"],
        help="topics: list the topics; review: the questions due for review; "
        "mock: a timed mock interview over every topic",
    )
    parser.add_argument("--topic", help="a concept or an area (see: k8sgame quiz topics)")
    parser.add_argument("--count", type=int, default=DEFAULT_COUNT, help="how many questions")
    parser.add_argument(
        "--minutes", type=float, help="a mock interview's time (default: 2 per question)"
    )
    parser.add_argument("--seed", type=int, help="the same seed asks the same questions")
    parser.add_argument("--lang", choices=["en", "ko"], default="en", help="language")
    parser.add_argument(
        "--banks", type=Path, help="a directory of question banks (default: the shipped ones)"
    )
    try:
        options = parser.parse_args(list(args))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    console = console or Console(highlight=False)
    language = options.lang
    if notice is not None:  # about the progress file: answers may not be kept
        console.print(notice.render(language), style="yellow", markup=False)
    try:
        banks = load_banks(options.banks)
    except BankError as error:
        console.print(_say("bank_error", language), style="red", markup=False)
        for diagnostic in error.diagnostics:
            console.print(str(diagnostic), markup=False)
        return 1
    if options.what == "topics":
        _topics(console, banks, language)
        return 0
    # Not the engine: a session without --seed may differ each time, and prints its seed.
    seed = options.seed if options.seed is not None else random.SystemRandom().randrange(10**6)
    if options.what == "review":
        return _review(console, banks, seed, language, levels_for, book, clock)
    try:
        items = items_for(banks, options.topic)
    except UnknownTopic:
        console.print(
            "error: " + _say("unknown_topic", language, topic=options.topic), markup=False
        )
        return 2
    if not items:
        console.print(_say("no_questions", language, topic=options.topic or ""), markup=False)
        return 1
    count = max(1, options.count)
    if options.what == "mock":
        minutes = options.minutes if options.minutes else MOCK_MINUTES_PER_QUESTION * count
        practice = Practice(mixed(items, count, seed))
        console.print(
            _say("mock_heading", language, count=len(practice.asked), minutes=f"{minutes:g}"),
            markup=False,
        )
        deadline = clock() + timedelta(minutes=minutes)
        _run(console, practice, language, _recorder(book, clock, "mock"), deadline, clock)
        unanswered = len(practice.asked) - len(practice.answers)
        report = practice.report(unanswered_count=True)
        _report(console, report, language, levels_for, unanswered)
        return 0
    practice = Practice(draw(items, count, seed))
    _run(console, practice, language, _recorder(book, clock, "quiz"))
    _report(console, practice.report(), language, levels_for)
    repeat = [f"--seed {seed}", f"--count {count}"]
    if options.topic:
        repeat.insert(0, f"--topic {options.topic}")
    if language != "en":
        repeat.append(f"--lang {language}")
    console.print(_say("replay", language, arguments=" ".join(repeat)), style="dim", markup=False)
    return 0


Recorder = Callable[[Question, Grade], None]


def _recorder(book: QuizBook | None, clock: Callable[[], datetime], source: str) -> Recorder:
    """Log each answer and schedule its review (nothing without a progress store)."""

    def record(question: Question, grade: Grade) -> None:
        if book is None:
            return
        now = clock()
        book.record_answer(question.id, stamp(now), grade.correct, grade.score, source)
        record_review(book, question.id, grade, now)

    return record


def _review(
    console: Console,
    banks: list[Bank],
    seed: int,
    language: str,
    levels_for: LevelsFor,
    book: QuizBook | None,
    clock: Callable[[], datetime],
) -> int:
    """Ask the questions due for review, most overdue first; say how many other reviews
    (levels to replay) wait in the game."""
    by_id = {item.id: item for bank in banks for item in bank.items}
    due_ids = [] if book is None else book.due_items(stamp(clock()))
    due = [by_id[i] for i in due_ids if i in by_id]
    elsewhere = len(due_ids) - len(due)
    if elsewhere:
        console.print(_say("due_in_game", language, count=elsewhere), markup=False)
    if not due:
        if not elsewhere:
            console.print(_say("nothing_due", language), markup=False)
        return 0
    practice = Practice(ask(due, seed))
    _run(console, practice, language, _recorder(book, clock, "review"))
    _report(console, practice.report(), language, levels_for)
    return 0


def _say(key: str, language: str, **fields: Any) -> str:
    return say(f"cli.{key}", language, table=QUIZ_MESSAGES, **fields)


def _run(
    console: Console,
    practice: Practice,
    language: str,
    record: Recorder,
    deadline: datetime | None = None,
    clock: Callable[[], datetime] = _utc_now,
) -> None:
    """Ask until every question is answered, the input ends, or the deadline passes (an
    answer typed after it does not count)."""
    while (asked := practice.current) is not None:
        number = len(practice.answers) + 1
        left = None
        if deadline is not None:
            left = (deadline - clock()).total_seconds()
            if left <= 0:
                return
        _ask(console, asked, number, len(practice.asked), language, left)
        while True:
            try:
                typed = console.input("> ")
            except EOFError:
                console.print()
                return
            if deadline is not None and clock() > deadline:
                return
            try:
                response = parse_response(asked.question, typed, asked.shown)
            except ResponseError as error:
                console.print(error.reason.render(language), style="yellow", markup=False)
                continue
            break
        result = practice.answer(response)
        record(asked.question, result)
        _print_lines(console, feedback_lines(asked, result, language))
        console.print()


_STYLES = {"right": "green", "wrong": "red", "bold": "bold", "dim": "dim", "": ""}


def _print_lines(console: Console, lines: list[Line]) -> None:
    for text, style in lines:
        console.print(text, style=_STYLES[style], markup=False)


def _ask(
    console: Console,
    asked: Asked,
    number: int,
    total: int,
    language: str,
    seconds_left: float | None = None,
) -> None:
    console.rule(heading(asked, number, total, language, seconds_left))
    console.print(asked.question.prompt.get(language), markup=False)
    console.print()
    for letter, text in choices(asked, language):
        console.print(f"  {letter}) {text}", markup=False)
    console.print(_say(how_to_answer(asked.question), language), style="dim", markup=False)


def _report(
    console: Console, report: Report, language: str, levels_for: LevelsFor, unanswered: int = 0
) -> None:
    console.rule()
    _print_lines(console, report_lines(report, language, levels_for, unanswered))


def _topics(console: Console, banks: list[Bank], language: str) -> None:
    console.print(_say("topics_heading", language), markup=False)
    concepts = load_concepts()
    areas: dict[str, list[str]] = {}
    for concept in concepts.values():
        areas.setdefault(concept.area, []).append(concept.id)
    for area, ids in areas.items():
        in_area = topic_concepts(area) or frozenset()
        count = sum(1 for bank in banks for item in bank.items if in_area & set(item.concepts))
        console.print(f"{area} ({count})", markup=False)
        for concept_id in ids:
            count = len(items_for(banks, concept_id))
            title = concepts[concept_id].title.get(language)
            console.print(f"  {concept_id} ({count}): {title}", markup=False)
