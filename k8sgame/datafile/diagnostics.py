"""Problems in a data file, each at its place: ``file:line:column: message``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from k8sgame.datafile.located import Located
from k8sgame.datafile.schema import Problem, render_path


@dataclass(frozen=True)
class Diagnostic:
    """One problem in one file."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        return f"{where}: {self.message}"


class DataFileError(ValueError):
    """A data file that cannot be used; ``diagnostics`` says every problem found."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        super().__init__("\n".join(str(d) for d in diagnostics))
        self.diagnostics = diagnostics


def locate(source: str, located: Located, problems: list[Problem]) -> list[Diagnostic]:
    """Each schema problem at the line and column where its value (or key) was written."""
    found = []
    for problem in problems:
        line, column = located.where(problem.path, problem.at_key)
        found.append(
            Diagnostic(source, line, column, f"{render_path(problem.path)}: {problem.message}")
        )
    return found


def read_data_text(path: Path, error: type[DataFileError] = DataFileError) -> str:
    """A data file's text; raises ``error`` (never OSError or UnicodeError)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error([Diagnostic(str(path), 0, 0, f"cannot read: {exc.strerror or exc}")]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error([Diagnostic(str(path), line, 1, "not UTF-8 text")]) from None
