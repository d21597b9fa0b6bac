"""The timeline a script becomes: log, file, tick, stage and periodic events, and the
exceptions that end a run early; the limits the interpreter keeps to."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

LOOP_QUANTUM = 0.01  # minimum duration of one loop iteration (seconds)
FILE_CAP = 64 * 1024  # bytes kept of a file that keeps growing
MAX_DEPTH = 40  # nested shells (sh -c "sh -c ...", a script running itself)
WS = " \t\n"
# The search path runc and the shells use when the environment has no PATH.
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# ---------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class LogEvent:
    at: float
    stream: str
    text: str


@dataclass(frozen=True)
class FileEvent:
    """A path's new state: file content, a directory (``directory``), or removed (None)."""

    at: float
    path: str
    content: str | None
    directory: bool = False


@dataclass(frozen=True)
class TickEvent:
    """Time has reached ``at`` (lets a lazy reader stop even when nothing else happens)."""

    at: float


@dataclass(frozen=True)
class StageEvent:
    """A program starts at ``at``; ``pid1`` when it replaced the container's main process."""

    at: float
    run: Any
    pid1: bool


@dataclass(frozen=True)
class NeverEndsEvent:
    """From here on the process provably runs forever (``while true`` with no way out)."""

    at: float


@dataclass(frozen=True)
class PeriodicEvent:
    """From ``at`` on, ``events`` (times relative to each period) repeat every ``period``."""

    at: float
    period: float
    events: tuple[LogEvent | FileEvent, ...]
    busy: bool


@dataclass(frozen=True)
class WaitEvent:
    """The run needs the cluster at ``at`` (a network call): nothing after it can be planned
    before the cluster's clock gets there."""

    at: float


Event = LogEvent | FileEvent | TickEvent | StageEvent | NeverEndsEvent | PeriodicEvent | WaitEvent
Gen = Generator[Event, None, int]


class Forever(Exception):
    """The process blocks forever from now on (a server, ``sleep infinity``, ``tail -f``)."""


class StartError(Exception):
    """The runtime cannot start the process; the message is containerd's."""


class ShellExit(Exception):
    def __init__(self, code: int):
        self.code = code


class LoopControl(Exception):
    def __init__(self, kind: str, levels: int):
        self.kind, self.levels = kind, levels
