"""What one kubectl command returns: its two streams, in the order it wrote to them, and its
exit code.

kubectl writes a warning to stderr before the lines that follow it on stdout (``delete
--force``, ``drain``), and a terminal shows them in that order; so a result keeps the pieces
in order, and ``stdout``/``stderr`` are those pieces joined. Appending with ``+=`` records a
new piece."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from k8sgame.engine.errors import FieldError

OUT, ERR = "stdout", "stderr"


class Result:
    def __init__(self, stdout: str = "", stderr: str = "", exit_code: int = 0) -> None:
        self._pieces: list[tuple[str, str]] = []
        self.exit_code = exit_code
        # What the command did, for callers that must not read its text: whether it wrote to
        # the cluster, whether it was a dry run, and the field errors the API server gave.
        self.changed = False
        self.dry_run = False
        self.field_errors: list[FieldError] = []
        if stdout:
            self._pieces.append((OUT, stdout))
        if stderr:
            self._pieces.append((ERR, stderr))

    def _joined(self, stream: str) -> str:
        return "".join(text for name, text in self._pieces if name == stream)

    def _set(self, stream: str, value: str) -> None:
        current = self._joined(stream)
        if value.startswith(current):
            if len(value) > len(current):
                self._pieces.append((stream, value[len(current) :]))
            return
        # Not an append: the stream is replaced, at the place of its last piece.
        self._pieces = [p for p in self._pieces if p[0] != stream] + [(stream, value)]

    @property
    def stdout(self) -> str:
        return self._joined(OUT)

    @stdout.setter
    def stdout(self, value: str) -> None:
        self._set(OUT, value)

    @property
    def stderr(self) -> str:
        return self._joined(ERR)

    @stderr.setter
    def stderr(self, value: str) -> None:
        self._set(ERR, value)

    def prepend_stderr(self, text: str) -> None:
        """Put ``text`` on stderr before everything the command wrote (a warning header
        printed as the answer arrived)."""
        if text:
            self._pieces.insert(0, (ERR, text))

    def pieces(self) -> Iterator[tuple[str, str]]:
        """(``"stdout"`` or ``"stderr"``, text) in the order the command wrote them."""
        yield from self._pieces

    def add(self, other: Result) -> None:
        self._pieces.extend(other.pieces())
        self.exit_code = max(self.exit_code, other.exit_code)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Result):
            return NotImplemented
        return (self.stdout, self.stderr, self.exit_code) == (
            other.stdout,
            other.stderr,
            other.exit_code,
        )

    def __repr__(self) -> str:
        return f"Result(stdout={self.stdout!r}, stderr={self.stderr!r}, exit_code={self.exit_code})"


def write_in_order(result: Result, out: TextIO, err: TextIO) -> None:
    """Both streams in the order the command wrote them, as a terminal shows them."""
    for stream, text in result.pieces():
        target = out if stream == OUT else err
        target.write(text)
        target.flush()
