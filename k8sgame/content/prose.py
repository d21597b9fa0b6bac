"""Level prose for a pane of any width: the line breaks an author typed to keep a level file
narrow are joined, so the pane wraps each paragraph at its own width."""

from __future__ import annotations

import re

# A list item or an indented line (a command, a manifest) keeps its own line.
_OWN_LINE = re.compile(r"^(\s|[-*•] |\d+[.)] )")


def reflow(text: str) -> str:
    """Join the lines of each paragraph with a space. Blank lines, list items and indented
    lines stay as written; a line after an indented one starts a new line too."""
    paragraphs = []
    for block in re.split(r"\n[ \t]*\n", text.strip("\n")):
        lines: list[str] = []
        for line in block.split("\n"):
            joins = lines and not _OWN_LINE.match(line) and not lines[-1].startswith((" ", "\t"))
            if joins:
                lines[-1] = f"{lines[-1]} {line.strip()}"
            else:
                lines.append(line.rstrip())
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)
