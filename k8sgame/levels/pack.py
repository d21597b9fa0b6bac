"""A level pack: ``<root>/<chapter>/<id>.yaml`` files. Finds, loads and cross-checks them
(unique ids, unique order within a chapter)."""

from __future__ import annotations

from pathlib import Path

import k8sgame
from k8sgame.levels.loader import LEVEL_SUFFIXES, Diagnostic, LevelError, load_level
from k8sgame.levels.model import Level


def default_pack_dir() -> Path:
    """The shipped levels: inside the installed package first, then the source checkout."""
    package = Path(k8sgame.__file__).resolve().parent
    for candidate in (package / "_data" / "levels", package.parent / "levels"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no levels directory next to {package}")


def level_files(root: Path) -> list[Path]:
    """Every level file of a pack, by chapter directory then name."""
    return sorted(
        path
        for path in root.glob("*/*")
        if path.suffix in LEVEL_SUFFIXES and path.is_file() and not path.name.startswith(".")
    )


def load_pack(root: Path, *, try_start: bool = True) -> list[Level]:
    """Load every level; raises LevelError listing every problem in every file."""
    levels: list[Level] = []
    problems: list[Diagnostic] = []
    for path in level_files(root):
        try:
            levels.append(load_level(path, root, try_start=try_start))
        except LevelError as error:
            problems.extend(error.diagnostics)
    problems.extend(cross_check(levels))
    if problems:
        raise LevelError(problems)
    return sorted(levels, key=lambda level: (level.chapter, level.order))


def cross_check(levels: list[Level]) -> list[Diagnostic]:
    """Rules between level files: ids are unique, and so is each order within a chapter."""
    problems = []
    by_id: dict[str, Level] = {}
    by_order: dict[tuple[str, int], Level] = {}
    for level in levels:
        if level.id in by_id:
            problems.append(
                Diagnostic(
                    level.source,
                    0,
                    0,
                    f'duplicate level id "{level.id}" (also {by_id[level.id].source})',
                )
            )
        by_id.setdefault(level.id, level)
        key = (level.chapter, level.order)
        if key in by_order:
            problems.append(
                Diagnostic(
                    level.source,
                    0,
                    0,
                    f"order {level.order} is also used by {by_order[key].source} in chapter {level.chapter}",
                )
            )
        by_order.setdefault(key, level)
    return problems


def find_level(name: str, root: Path | None = None) -> Level:
    """A level by id (in the pack) or by file path."""
    candidate = Path(name)
    if candidate.suffix in LEVEL_SUFFIXES and candidate.is_file():
        return load_level(candidate)
    root = root or default_pack_dir()
    for path in level_files(root):
        if path.stem == name:
            return load_level(path, root)
    raise LevelError(
        [Diagnostic(name, 0, 0, f'no level "{name}" in {root} (see k8sgame levels list)')]
    )
