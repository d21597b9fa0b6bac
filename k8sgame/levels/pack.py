"""A level pack: ``<root>/<chapter>/<id>.yaml`` files. Finds, loads and cross-checks them
(unique ids, unique order within a chapter)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from k8sgame.assets import shipped_dir
from k8sgame.content.text import Text
from k8sgame.datafile.located import LocatedError, load_located
from k8sgame.datafile.schema import Field, ListOf, Obj, Problem, Str, render_path
from k8sgame.datafile.schema import Text as TextSchema
from k8sgame.levels.loader import (
    LEVEL_SUFFIXES,
    Diagnostic,
    LevelError,
    load_level,
    read_level_text,
)
from k8sgame.levels.model import Level
from k8sgame.levels.spec import ID_HINT, ID_PATTERN


def default_pack_dir() -> Path:
    """The shipped levels: inside the installed package first, then the source checkout."""
    return shipped_dir("levels")


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
    problems.extend(chapter_check(root, levels))
    if problems:
        raise LevelError(problems)
    order = {chapter.id: index for index, chapter in enumerate(load_chapters(root))}
    return sorted(levels, key=lambda level: (order.get(level.chapter, len(order)), level.order))


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


def chapter_check(root: Path, levels: list[Level]) -> list[Diagnostic]:
    """Every level's chapter is listed in the pack's chapters.yaml."""
    try:
        known = {chapter.id for chapter in load_chapters(root)}
    except LevelError as error:
        return error.diagnostics
    return [
        Diagnostic(
            level.source, 0, 0, f'chapter "{level.chapter}" is not in {root / CHAPTERS_FILE}'
        )
        for level in levels
        if level.chapter not in known
    ]


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


CHAPTERS_FILE = "chapters.yaml"


@dataclass(frozen=True)
class Chapter:
    id: str
    title: Text
    summary: Text


def load_chapters(root: Path) -> list[Chapter]:
    """The pack's chapters in play order (``<root>/chapters.yaml``); raises LevelError."""
    path = root / CHAPTERS_FILE
    try:
        located = load_located(read_level_text(path))
    except LocatedError as error:
        raise LevelError([Diagnostic(str(path), error.line, error.column, error.message)]) from None
    problems: list[Problem] = []
    CHAPTERS.check(located.data, (), problems, {})
    if problems:
        raise LevelError(
            [
                Diagnostic(
                    str(path),
                    *located.where(p.path, p.at_key),
                    f"{render_path(p.path)}: {p.message}",
                )
                for p in problems
            ]
        )
    return [
        Chapter(item["id"], Text.from_data(item["title"]), Text.from_data(item["summary"]))
        for item in located.data["chapters"]
    ]


CHAPTERS = Obj(
    {
        "chapters": Field(
            ListOf(
                Obj(
                    {
                        "id": Field(
                            Str("the chapter id", pattern=ID_PATTERN, pattern_hint=ID_HINT),
                            required=True,
                        ),
                        "title": Field(TextSchema("the chapter title", 120), required=True),
                        "summary": Field(TextSchema("one line about the chapter"), required=True),
                    }
                ),
                min_items=1,
            ),
            required=True,
        )
    }
)
