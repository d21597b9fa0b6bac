"""The concept glossary (``assets/concepts.yaml``): the ids levels, quiz questions and the
concept browser refer to, each with a title and a one-paragraph summary in English and Korean,
and the study-note topics it covers."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from k8sgame.assets import assets_dir
from k8sgame.levels.text import Text

CONCEPTS_FILE = "concepts.yaml"


@dataclass(frozen=True)
class Concept:
    id: str
    area: str
    title: Text
    summary: Text


@lru_cache(maxsize=1)
def load_concepts() -> dict[str, Concept]:
    """Every concept by id, in file order."""
    with (assets_dir() / CONCEPTS_FILE).open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    concepts = {}
    for area in data["areas"]:
        for entry in area["concepts"]:
            concepts[entry["id"]] = Concept(
                entry["id"],
                area["id"],
                Text.from_data(entry["title"]),
                Text.from_data(entry["summary"]),
            )
    return concepts


def concept_ids() -> frozenset[str]:
    return frozenset(load_concepts())
