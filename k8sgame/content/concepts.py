"""The concept glossary (``assets/concepts.yaml``): the ids levels, quiz questions and the
concept browser refer to, each with a title and a one-paragraph summary in English and Korean,
and the study-note topics it covers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from k8sgame.content.assets import load_yaml
from k8sgame.content.text import Text

CONCEPTS_FILE = "concepts.yaml"


@dataclass(frozen=True)
class Concept:
    id: str
    area: str
    title: Text
    summary: Text
    explain: tuple[str, ...] = ()  # kubectl explain paths of the fields it is about


@lru_cache(maxsize=1)
def load_concepts() -> dict[str, Concept]:
    """Every concept by id, in file order."""
    data = load_yaml(CONCEPTS_FILE)
    concepts = {}
    for area in data["areas"]:
        for entry in area["concepts"]:
            concepts[entry["id"]] = Concept(
                entry["id"],
                area["id"],
                Text.from_data(entry["title"]),
                Text.from_data(entry["summary"]),
                tuple(entry.get("explain") or ()),
            )
    return concepts


@dataclass(frozen=True)
class Area:
    """A group of concepts (the glossary's top level): the quiz's and browser's topics."""

    id: str
    title: Text
    concepts: tuple[str, ...]


@lru_cache(maxsize=1)
def load_areas() -> tuple[Area, ...]:
    """Every area, in file order, with its concept ids."""
    return tuple(
        Area(
            area["id"],
            Text.from_data(area["title"]),
            tuple(entry["id"] for entry in area["concepts"]),
        )
        for area in load_yaml(CONCEPTS_FILE)["areas"]
    )


def concept_ids() -> frozenset[str]:
    return frozenset(load_concepts())
