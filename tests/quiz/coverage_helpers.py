"""What the coverage tests of the four banks share: where the study notes and banks are, and
the two checks between a bank and its topic table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from k8sgame.quiz.model import Item

BANKS = Path(__file__).resolve().parents[2] / "assets" / "quiz"
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

needs_notes = pytest.mark.skipif(
    not SEEDS.is_dir(), reason="the study notes live in ../shared (CI has them)"
)


def unlisted(
    items: Iterable[Item], table: Mapping[str, Iterable[str]]
) -> list[tuple[str, str, str]]:
    """Table entries that point nowhere: (topic, item id, why) for an id no item has, or an
    item that does not name the topic it is listed under. An empty list is fine."""
    by_id = {item.id: item for item in items}
    problems = []
    for topic, ids in table.items():
        if not list(ids):
            problems.append((topic, "", "no question"))
        for item_id in ids:
            item = by_id.get(item_id)
            if item is None:
                problems.append((topic, item_id, "no such question"))
            elif topic not in item.topics:
                problems.append((topic, item_id, "topic not in its topics"))
    return problems


def stray(items: Iterable[Item], table: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """(item id, topic) for every topic an item names that the table does not list it under."""
    return [
        (item.id, topic)
        for item in items
        for topic in item.topics
        if item.id not in table.get(topic, ())
    ]
