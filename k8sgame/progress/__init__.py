"""The player's progress, settings, prompt history and saved game, in SQLite under the
platform data directory. Every write is one transaction; a file that cannot be read is moved
aside and the game starts fresh."""

from k8sgame.progress.saves import SavedGame, decode_log, encode_log
from k8sgame.progress.store import LevelResult, OpenNotice, ProgressStore, open_progress

__all__ = [
    "LevelResult",
    "OpenNotice",
    "ProgressStore",
    "SavedGame",
    "decode_log",
    "encode_log",
    "open_progress",
]
