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


def render_tabbed(text: str) -> str:
    """Text written with tabs, through the same writer: every ``\\t``-terminated cell is padded,
    including the last one of a line when the line ends ``\\t\\n`` (as ``kubectl top`` writes
    its rows, so those lines end in padding); the text after a line's last tab is not.
    Columns are aligned per block of consecutive lines that have them, as Go does."""
    from k8sgame.kubectl.gotabwriter import render as go_render

    return go_render(text, padding=PADDING, min_width=MIN_WIDTH)
