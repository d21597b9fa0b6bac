"""The generator registry: each generator turns a seed into a concrete question whose answer
the engine works out (by running a copy of a cluster, or by the rule the engine itself
follows). Later features add generators with ``@generator`` and nothing else changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from k8sgame.heap import young_collections_only
from k8sgame.quiz.model import Question

Make = Callable[[int], Question]


@dataclass(frozen=True)
class Generator:
    """``make(seed)`` returns the variant for that seed; one seed always gives the same one."""

    name: str
    concepts: tuple[str, ...]
    make: Make


GENERATORS: dict[str, Generator] = {}


def generator(name: str, concepts: tuple[str, ...]) -> Callable[[Make], Make]:
    """Register ``make`` under ``name``; ``concepts`` are ids from assets/concepts.yaml."""

    def register(make: Make) -> Make:
        if name in GENERATORS:
            raise ValueError(f"generator {name!r} registered twice")
        GENERATORS[name] = Generator(name, concepts, make)
        return make

    return register


def generate(name: str, seed: int) -> Question:
    """The question generator ``name`` makes for ``seed``. Most run a small cluster: no
    full garbage collection lands in the middle (it comes after, as after a goal check)."""
    with young_collections_only():
        return GENERATORS[name].make(seed)
