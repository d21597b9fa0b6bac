"""The shape of a question bank file, written once: the loader checks banks against it and
``assets/quiz/schema.json`` (for editors, through yaml-language-server) is generated from it."""

from __future__ import annotations

import math
from typing import Any

from k8sgame.datafile.schema import (
    Bool,
    Field,
    Int,
    ListOf,
    Number,
    Obj,
    Problem,
    Str,
    Text,
)

ID_PATTERN = r"[a-z0-9]([-a-z0-9]*[a-z0-9])?"
ID_HINT = "lowercase letters, digits and '-'"
ITEM_ID = Str("the question's id, stable across releases", pattern=ID_PATTERN, pattern_hint=ID_HINT)

OPTION = Obj(
    {
        "text": Field(Text("what the player reads", 600), required=True),
        "correct": Field(Bool("whether this option is right (default false)")),
    },
    "an option",
)

SINGLE = Obj(
    {"options": Field(ListOf(OPTION, "the options (a, b, c…)", 2, 8), required=True)},
    "one option is right",
)
MULTIPLE = Obj(
    {"options": Field(ListOf(OPTION, "the options (a, b, c…)", 2, 8), required=True)},
    "every right option, and no other, must be chosen",
)
ORDERING = Obj(
    {
        "steps": Field(
            ListOf(Text("a step", 600), "the steps in their right order", 3, 10), required=True
        )
    },
    "the steps are shown shuffled; the player puts them in order",
)
NUMERIC = Obj(
    {
        "answer": Field(Number("the right number"), required=True),
        "tolerance": Field(Number("how far an answer may be from it (default 0)")),
        "unit": Field(Str("the unit; 's' also takes durations such as 1m30s", max_length=20)),
    },
    "a number",
)
KEY_POINT = Obj(
    {
        "label": Field(Text("the point, shown when it is missing", 300), required=True),
        "accept": Field(
            ListOf(
                Str("a word or phrase that makes the point", max_length=100),
                "forms that count, in English and Korean",
                1,
                30,
            ),
            required=True,
        ),
    },
    "something a right answer says",
)
SHORT = Obj(
    {
        "key_points": Field(ListOf(KEY_POINT, "what a right answer says", 1, 10), required=True),
        "needed": Field(Int("how many key points make a right answer (default: all)", 1, 10)),
        "model_answer": Field(Text("a model answer shown afterwards"), required=True),
    },
    "a free answer, graded by the key points it names",
)

KIND_FIELDS = {
    "single": SINGLE,
    "multiple": MULTIPLE,
    "ordering": ORDERING,
    "numeric": NUMERIC,
    "short": SHORT,
}


def _kind_rules(value: dict[str, Any], path: tuple, problems: list[Problem]) -> None:
    """Rules a schema cannot say: a generated item has no text of its own, a written one
    needs its prompt and explanation; choices have the right number of right options."""
    if "generator" in value:
        for name in ("prompt", "explanation"):
            if name in value:
                problems.append(
                    Problem((*path, name), "a generated question writes its own text", True)
                )
        return
    for name in ("prompt", "explanation"):
        if name not in value:
            problems.append(Problem(path, f'missing required field "{name}"'))
    for kind in ("single", "multiple"):
        if kind in value:
            right = sum(bool(o.get("correct")) for o in value[kind]["options"])
            if kind == "single" and right != 1:
                problems.append(
                    Problem(
                        (*path, kind, "options"), f"needs exactly one right option, has {right}"
                    )
                )
            if kind == "multiple" and right < 1:
                problems.append(Problem((*path, kind, "options"), "needs a right option"))
    numeric = value.get("numeric")
    if numeric:
        if not math.isfinite(numeric["answer"]):
            problems.append(Problem((*path, "numeric", "answer"), "must be a finite number"))
        tolerance = numeric.get("tolerance", 0)
        if not math.isfinite(tolerance) or tolerance < 0:
            problems.append(
                Problem((*path, "numeric", "tolerance"), "must be a finite number, at least 0")
            )
    short = value.get("short")
    if short and short.get("needed", 0) > len(short["key_points"]):
        problems.append(
            Problem((*path, "short", "needed"), "is more than the number of key points")
        )


ITEM = Obj(
    {
        "id": Field(ITEM_ID, required=True),
        "concepts": Field(
            ListOf(Str(pattern=ID_PATTERN), "concept ids from assets/concepts.yaml", 1, 10),
            required=True,
        ),
        "difficulty": Field(Int("1 (first steps) to 5 (expert)", 1, 5), required=True),
        "topics": Field(
            ListOf(
                Str("a heading or term of the study notes", max_length=200),
                "the study-note topics this item covers",
                max_items=10,
            )
        ),
        "prompt": Field(Text("the question", 4000)),
        "explanation": Field(Text("why the answer is right, shown after answering")),
        **{kind: Field(schema) for kind, schema in KIND_FIELDS.items()},
        "generator": Field(
            Str(
                "a generator (k8sgame/quiz/generators/) that makes a fresh variant each time",
                pattern=ID_PATTERN,
                pattern_hint=ID_HINT,
            )
        ),
    },
    "a question: one of single, multiple, ordering, numeric, short, or a generator",
    exactly_one_of=(*KIND_FIELDS, "generator"),
    extra=_kind_rules,
)

BANK = Obj(
    {
        "bank": Field(
            Str("the bank's id, also the file name", pattern=ID_PATTERN, pattern_hint=ID_HINT),
            required=True,
        ),
        "title": Field(Text("the bank's title", 120), required=True),
        "questions": Field(ListOf(ITEM, "the questions", 1, 500), required=True),
    },
    "a k8sgame question bank",
)

SCHEMA_ID = "https://k8sgame.dev/quiz/schema.json"


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a bank file, as published in ``assets/quiz/schema.json``."""
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "k8sgame question bank",
        **BANK.json(),
    }
