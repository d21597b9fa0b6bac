"""YAML read safely, with the line and column of every value kept for error messages.

Level files come from strangers: only PyYAML's safe constructors run, tags that ask for Python
objects are refused with the place they were found, aliases are refused (they are how a small
file expands into a huge one), and duplicate keys are errors rather than silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from k8sgame.manifests import NoDatesLoader

Path = tuple[str | int, ...]

# Plenty for a level; a bigger file is almost certainly not a level.
MAX_BYTES = 512 * 1024


class LocatedError(ValueError):
    """A problem at a place in a file: ``line`` and ``column`` are 1-based (0: unknown)."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Located:
    """A document and where each part of it was written."""

    data: Any
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: Path, key: bool = False) -> tuple[int, int]:
        """The (line, column) of the value at ``path`` (or of its key), else of the nearest
        enclosing value that was written down."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), (1, 1))


# Safe loading with timestamps kept as strings, as kubectl reads YAML.
_Loader = NoDatesLoader

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def load_located(text: str, files: str = "level files") -> Located:
    """Parse one YAML document; raises ``LocatedError`` with the line of the problem.
    ``files`` names what is read in the messages ("level files", "question banks")."""
    if len(text.encode("utf-8", errors="replace")) > MAX_BYTES:
        raise LocatedError(f"file is larger than {MAX_BYTES // 1024} KiB")
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise LocatedError(
            f"not valid YAML: character #x{exc.character:04x} is not allowed", line, 1
        ) from None
    try:
        try:
            node = loader.get_single_node()
        except yaml.composer.ComposerError as exc:
            if "expected a single document" in str(exc.context):
                mark = exc.problem_mark
                raise LocatedError(
                    f"{files} hold one YAML document each (found a second '---')",
                    mark.line + 1 if mark else 0,
                    1,
                ) from None
            raise _yaml_error(exc) from None
        except yaml.YAMLError as exc:
            raise _yaml_error(exc) from None
        located = Located(None)
        if node is not None:
            located.data = _build(node, (), located, set(), files)
        return located
    finally:
        loader.dispose()


def _yaml_error(exc: yaml.YAMLError) -> LocatedError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"{context}: {problem}" if context and "while" not in context else str(problem)
    if mark is None:
        return LocatedError(f"not valid YAML: {text}")
    return LocatedError(f"not valid YAML: {text}", mark.line + 1, mark.column + 1)


def _build(node: yaml.Node, path: Path, located: Located, seen: set[int], files: str) -> Any:
    line, column = _mark(node)
    if id(node) in seen:
        # The composer hands back the anchored node itself for an alias.
        raise LocatedError(
            f"YAML anchors and aliases (&name, *name) are not allowed in {files}: write the value out",
            *_mark(node),
        )
    seen.add(id(node))
    located.values[path] = (line, column)
    if node.tag not in _SAFE_TAGS:
        raise LocatedError(
            f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} is not allowed: {files} "
            "are plain data (strings, numbers, lists and mappings)",
            line,
            column,
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LocatedError(f"merge keys (<<) are not allowed in {files}", *_mark(key_node))
            if not isinstance(key_node, yaml.ScalarNode):
                raise LocatedError("mapping keys must be plain strings", *_mark(key_node))
            key = str(key_node.value)
            if key in result:
                raise LocatedError(f'duplicate key "{key}"', *_mark(key_node))
            located.keys[(*path, key)] = _mark(key_node)
            result[key] = _build(value_node, (*path, key), located, seen, files)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, index), located, seen, files)
            for index, item in enumerate(node.value)
        ]
    assert isinstance(node, yaml.ScalarNode)  # a composed node is a mapping, sequence or scalar
    return _scalar(node)


_SCALAR_LOADER = _Loader("")


def _scalar(node: yaml.ScalarNode) -> Any:
    return _SCALAR_LOADER.construct_object(node, deep=True)
