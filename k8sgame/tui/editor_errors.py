"""Where in the editor's YAML an apply or edit error points: a YAML error's line, or the line
of the field an ``Invalid`` error names (``spec.containers[0].image: Required value``)."""

from __future__ import annotations

import re

from k8sgame.datafile.located import LocatedError, load_located

_LINE = re.compile(r"\bline (\d+)")
# kubectl's Invalid causes: "...is invalid: <field>: <detail>" or "* <field>: <detail>".
_FIELD = re.compile(r"(?:is invalid: |^\* )([A-Za-z][\w.\[\]-]*): ", re.MULTILINE)
_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def field_path(field: str) -> tuple[str | int, ...]:
    """``spec.containers[0].image`` -> ("spec", "containers", 0, "image")."""
    return tuple(
        int(index) if index else name for name, index in _PART.findall(field) if name or index
    )


def error_lines(text: str, stderr: str) -> list[tuple[int, str]]:
    """(line, message) for every error in ``stderr`` that points into ``text`` (line 0 when it
    points nowhere in particular). Comment lines at the top count, as the editor shows them."""
    messages = [line for line in stderr.splitlines() if line.strip()]
    found: list[tuple[int, str]] = []
    located = None
    for message in messages:
        match = _LINE.search(message)
        if match:
            # kubectl edit drops '#' lines before parsing: its line numbers skip the header.
            shift = _documents(text)[1] if "edited object" in message else 0
            found.append((int(match.group(1)) + shift, message))
            continue
        fields = _FIELD.findall(message)
        if not fields:
            found.append((0, message))
            continue
        if located is None:
            try:
                located = load_located(_documents(text)[0])
            except LocatedError:
                found.append((0, message))
                continue
        offset = _documents(text)[1]
        for field in fields:
            line, _column = located.where(field_path(field))
            found.append((line + offset, message))
    return found


def _documents(text: str) -> tuple[str, int]:
    """The first YAML document and how many lines come before it (kubectl's comment header)."""
    lines = text.splitlines(keepends=True)
    skipped = 0
    while skipped < len(lines) and lines[skipped].lstrip().startswith(("#", "---")):
        skipped += 1
    body = "".join(lines[skipped:])
    return body.split("\n---", 1)[0], skipped
