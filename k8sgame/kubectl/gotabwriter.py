"""Go's ``text/tabwriter`` column algorithm, for text written with tabs (``describe``).

Cells are separated by ``\\t``; the last cell of a line is never padded. A column is aligned
over each block of consecutive lines that have a tab-terminated cell in it, to the widest
cell of the block plus the padding (kubectl describe: minwidth 0, padding 2).
"""

from __future__ import annotations


def render(text: str, padding: int = 2, min_width: int = 0) -> str:
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
