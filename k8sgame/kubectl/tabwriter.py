"""Go's ``text/tabwriter``, the one column writer kubectl's output goes through.

kubectl's printers use it with minwidth 6 and padding 3 (``printers.GetNewTabWriter``:
``get``, ``top``, ``config``, ``api-resources``, custom columns); ``describe`` with minwidth 0
and padding 2. Widths count characters (runes), as Go's tabwriter does.
"""

from __future__ import annotations

from collections.abc import Sequence

MIN_WIDTH = 6
PADDING = 3


def render(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as kubectl's printers align them, each line ending in a newline."""
    if not rows:
        return ""
    columns = len(rows[0])
    if columns == 0:
        return "\n" * len(rows)
    if any(len(row) != columns for row in rows):
        return render_text("\n".join("\t".join(row) for row in rows), PADDING, MIN_WIDTH) + "\n"
    # Every line has every column: one block per column, so each width is the column's
    # widest cell (what render_text finds, without walking the blocks).
    widths = [MIN_WIDTH] * (columns - 1)
    for row in rows:
        for index in range(columns - 1):
            widths[index] = max(widths[index], len(row[index]) + PADDING)
    lines = [
        "".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + row[-1]
        for row in rows
    ]
    return "\n".join(lines) + "\n"


def render_tabbed(text: str) -> str:
    """Text written with tabs, through kubectl's printer settings: every ``\\t``-terminated
    cell is padded, including the last one of a line when the line ends ``\\t\\n`` (as
    ``kubectl top`` writes its rows, so those lines end in padding)."""
    return render_text(text, PADDING, MIN_WIDTH)


def render_text(text: str, padding: int = 2, min_width: int = 0) -> str:
    """Go's ``text/tabwriter`` over text written with tabs: cells are separated by ``\\t``; the
    last cell of a line is never padded; a column is aligned over each block of consecutive
    lines that have a tab-terminated cell in it, to the widest cell of the block plus the
    padding (never under ``min_width``)."""
    lines = [line.split("\t") for line in text.split("\n")]
    widths: list[list[int]] = [[] for _ in lines]

    def format_column(column: int, start: int, end: int) -> None:
        line = start
        while line < end:
            if len(lines[line]) - 1 <= column:
                line += 1
                continue
            block_end = line
            width = min_width
            while block_end < end and len(lines[block_end]) - 1 > column:
                width = max(width, len(lines[block_end][column]) + padding)
                block_end += 1
            for index in range(line, block_end):
                widths[index].append(width)
            format_column(column + 1, line, block_end)
            line = block_end

    format_column(0, 0, len(lines))
    out = []
    for cells, cell_widths in zip(lines, widths, strict=True):
        parts = [
            cell.ljust(cell_widths[i]) if i < len(cell_widths) else cell
            for i, cell in enumerate(cells)
        ]
        out.append("".join(parts))
    return "\n".join(out)
