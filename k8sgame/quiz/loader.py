"""Loading question banks (``assets/quiz/*.yaml``): safe YAML, the schema, the rules between
fields, known concepts and generators, and ids unique across banks. Every problem is reported
as ``file:line:column: message``; nothing in a bank is ever executed. Text is data: whoever
shows it escapes Rich/Textual markup."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from k8sgame.assets import assets_dir
from k8sgame.content.concepts import concept_ids
from k8sgame.content.text import Text
from k8sgame.datafile.diagnostics import DataFileError, Diagnostic, locate, read_data_text
from k8sgame.datafile.located import LocatedError, load_located
from k8sgame.datafile.schema import Problem
from k8sgame.quiz.generators import GENERATORS
from k8sgame.quiz.model import KINDS, Bank, GeneratedItem, Item, KeyPoint, Option, Question
from k8sgame.quiz.spec import BANK

BANK_SUFFIX = ".yaml"


class BankError(DataFileError):
    """A question bank that cannot be used; ``diagnostics`` says every problem found."""


def quiz_dir() -> Path:
    """Where the shipped banks are."""
    return assets_dir() / "quiz"


def load_bank(path: Path) -> Bank:
    """Load and check one bank file."""
    return load_bank_text(read_data_text(Path(path), BankError), str(path))


def load_bank_text(text: str, source: str) -> Bank:
    """Load a bank from its text; ``source`` names it in messages."""
    try:
        located = load_located(text, "question banks")
    except LocatedError as error:
        raise BankError([Diagnostic(source, error.line, error.column, error.message)]) from None
    data = located.data
    if not isinstance(data, dict):
        raise BankError(
            [Diagnostic(source, 1, 1, "a bank is a mapping (bank: ..., questions: ...)")]
        )
    problems: list[Problem] = []
    BANK.check(data, (), problems, {})
    if not problems:
        _check_rules(data, source, problems)
    if problems:
        raise BankError(locate(source, located, problems))
    items = tuple(_item(entry) for entry in data["questions"])
    return Bank(data["bank"], Text.from_data(data["title"]), items, source)


def load_banks(directory: Path | None = None) -> list[Bank]:
    """Every bank of a directory, in file-name order; item ids must be unique across them."""
    directory = quiz_dir() if directory is None else directory
    if not directory.is_dir():
        raise BankError([Diagnostic(str(directory), 0, 0, "not a directory of question banks")])
    banks: list[Bank] = []
    diagnostics: list[Diagnostic] = []
    for path in sorted(directory.glob(f"*{BANK_SUFFIX}")):
        try:
            banks.append(load_bank(path))
        except BankError as error:
            diagnostics.extend(error.diagnostics)
    seen: dict[str, str] = {}
    for bank in banks:
        for item in bank.items:
            if item.id in seen:
                diagnostics.append(
                    Diagnostic(
                        bank.source, 0, 0, f'question id "{item.id}" is also in {seen[item.id]}'
                    )
                )
            seen.setdefault(item.id, bank.source)
    if diagnostics:
        raise BankError(diagnostics)
    return banks


def _check_rules(data: dict[str, Any], source: str, problems: list[Problem]) -> None:
    """Rules a schema cannot say: the file name, known concepts and generators, unique ids."""
    name = Path(source).name
    if name.endswith(BANK_SUFFIX) and name[: -len(BANK_SUFFIX)] != data["bank"]:
        problems.append(Problem(("bank",), f'"{data["bank"]}" must match the file name "{name}"'))
    known = concept_ids()
    ids: set[str] = set()
    for index, entry in enumerate(data["questions"]):
        path = ("questions", index)
        if entry["id"] in ids:
            problems.append(Problem((*path, "id"), f'duplicate question id "{entry["id"]}"'))
        ids.add(entry["id"])
        for position, concept in enumerate(entry["concepts"]):
            if concept not in known:
                problems.append(
                    Problem(
                        (*path, "concepts", position),
                        f'unknown concept id "{concept}" (see assets/concepts.yaml)',
                    )
                )
        name = entry.get("generator")
        if name is not None and name not in GENERATORS:
            listed = ", ".join(sorted(GENERATORS))
            problems.append(
                Problem((*path, "generator"), f'unknown generator "{name}" (known: {listed})')
            )


def _item(entry: dict[str, Any]) -> Item:
    common = {
        "concepts": tuple(entry["concepts"]),
        "difficulty": entry["difficulty"],
        "topics": tuple(entry.get("topics") or ()),
    }
    if "generator" in entry:
        return GeneratedItem(entry["id"], entry["generator"], **common)
    kind = next(kind for kind in KINDS if kind in entry)
    body = entry[kind]
    question = Question(
        id=entry["id"],
        kind=kind,
        prompt=Text.from_data(entry["prompt"]),
        explanation=Text.from_data(entry["explanation"]),
        **common,
    )
    if kind in ("single", "multiple"):
        options = tuple(
            Option(Text.from_data(o["text"]), bool(o.get("correct"))) for o in body["options"]
        )
        return replace(question, options=options)
    if kind == "ordering":
        return replace(question, steps=tuple(Text.from_data(s) for s in body["steps"]))
    if kind == "numeric":
        return replace(
            question,
            number=float(body["answer"]),
            tolerance=float(body.get("tolerance", 0)),
            unit=str(body.get("unit", "")),
        )
    points = tuple(
        KeyPoint(Text.from_data(p["label"]), tuple(str(a) for a in p["accept"]))
        for p in body["key_points"]
    )
    return replace(
        question,
        key_points=points,
        needed=int(body.get("needed", len(points))),
        model_answer=Text.from_data(body["model_answer"]),
    )
