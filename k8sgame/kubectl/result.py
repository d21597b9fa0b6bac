"""What one kubectl command returns: its two streams and exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Result:
    stdout: str = ""
    stderr: str = ""
    exit_code: int = 0

    def add(self, other: Result) -> None:
        self.stdout += other.stdout
        self.stderr += other.stderr
        self.exit_code = max(self.exit_code, other.exit_code)
