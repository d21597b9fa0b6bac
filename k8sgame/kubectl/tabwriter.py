"""Columns as kubectl prints them: Go's ``text/tabwriter`` with minwidth 6, padding 3
(``printers.GetNewTabWriter``); the last cell of a row is not padded. Widths count characters
(runes), as Go's tabwriter does; object names are ASCII anyway."""

from __future__ import annotations

from collections.abc import Sequence

MIN_WIDTH = 6
PADDING = 3


def render(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells to aligned text, one line per row, each ending in a newline."""
    if not rows:
        return ""
    columns = max(len(r) for r in rows)
    widths = [0] * columns
    for row in rows:
        for index, cell in enumerate(row[:-1]):
            widths[index] = max(widths[index], len(cell) + PADDING, MIN_WIDTH)
    lines = []
    for row in rows:
        parts = [cell + " " * (widths[i] - len(cell)) for i, cell in enumerate(row[:-1])]
        parts.append(row[-1] if row else "")
        lines.append("".join(parts))
    return "\n".join(lines) + "\n"
