"""What a kind's table is made of (``kubectl get``); each kind declares its own in
``k8sgame.kubectl.kinds``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from k8sgame.kubectl.describers.registry import Describer
from k8sgame.kubectl.duration import since

Row = Callable[[dict[str, Any], float], list[str]]


@dataclass(frozen=True)
class TableSpec:
    headers: tuple[str, ...]
    row: Row
    wide_headers: tuple[str, ...] = ()
    wide_row: Row | None = None
    # Events print a different row with -o wide instead of extra columns.
    wide_replaces: bool = False


def age(obj: dict[str, Any], now: float) -> str:
    """The AGE column: time since ``creationTimestamp``."""
    return since(obj["metadata"].get("creationTimestamp"), now)


@dataclass(frozen=True)
class KindView:
    """How kubectl shows one kind: its table and its describer (None: the generic one).
    Short names are the API server's (discovery), declared with the kind in the engine."""

    kind: str
    table: TableSpec
    describer: Describer | None
