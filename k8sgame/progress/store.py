"""The progress database. One ``ProgressStore`` per running game; every write is a single
transaction, so a crash or a kill leaves either the old data or the new, never half of it."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from k8sgame.progress.location import database_path
from k8sgame.progress.migrations import VERSION, migrate, schema_version
from k8sgame.progress.saves import SavedGame, SaveError, decode_log, encode_log

HISTORY_LIMIT = 1000
CONTINUE_SLOT = "continue"


@dataclass(frozen=True)
class LevelResult:
    """A level's best results over every win."""

    level_id: str
    stars: int
    best_commands: int
    fewest_hints: int
    best_changes: int
    wins: int


@dataclass(frozen=True)
class AnswerRecord:
    """One logged answer to a quiz item."""

    item_id: str
    answered_at: str
    correct: bool
    score: float
    source: str


@dataclass(frozen=True)
class OpenNotice:
    """Something the player should be told about opening the database: a ``key`` into the UI
    text (``progress.*``) and the values that fill it in."""

    key: str
    path: str
    detail: str = ""


class ProgressStore:
    """Reads and writes the player's progress."""

    def __init__(self, connection: sqlite3.Connection, path: Path | None) -> None:
        self._connection = connection
        self.path = path

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def close(self) -> None:
        self._connection.close()

    # -- settings ---------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self._connection.execute(
            "SELECT value FROM settings WHERE key = ?", (key,)
        ).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def settings(self) -> dict[str, str]:
        """Every setting."""
        return dict(self._connection.execute("SELECT key, value FROM settings ORDER BY key"))

    # -- results ----------------------------------------------------------------------------

    def record_win(
        self, level_id: str, stars: int, commands: int, hints: int, changes: int
    ) -> None:
        """Add a win; each figure keeps the player's best."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO results VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(level_id) DO UPDATE SET "
                "stars = MAX(stars, excluded.stars), "
                "best_commands = MIN(best_commands, excluded.best_commands), "
                "fewest_hints = MIN(fewest_hints, excluded.fewest_hints), "
                "best_changes = MIN(best_changes, excluded.best_changes), "
                "wins = wins + 1",
                (level_id, stars, commands, hints, changes),
            )

    def results(self) -> dict[str, LevelResult]:
        rows = self._connection.execute(
            "SELECT level_id, stars, best_commands, fewest_hints, best_changes, wins FROM results"
        )
        return {row[0]: LevelResult(*row) for row in rows}

    # -- prompt history ---------------------------------------------------------------------

    def add_history(self, line: str) -> None:
        """Remember a prompt line (the newest ``HISTORY_LIMIT`` are kept)."""
        with self._transaction() as db:
            db.execute("INSERT INTO history (line) VALUES (?)", (line,))
            db.execute(
                "DELETE FROM history WHERE id <= (SELECT MAX(id) FROM history) - ?",
                (HISTORY_LIMIT,),
            )

    def history(self) -> list[str]:
        """Prompt lines, oldest first."""
        return [row[0] for row in self._connection.execute("SELECT line FROM history ORDER BY id")]

    # -- the saved game ---------------------------------------------------------------------

    def save_game(self, game: SavedGame) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO saved_game VALUES (?, ?, ?, ?, ?) ON CONFLICT(slot) DO UPDATE SET "
                "level_id = excluded.level_id, seed = excluded.seed, time = excluded.time, "
                "log = excluded.log",
                (CONTINUE_SLOT, game.level_id, game.seed, game.time, encode_log(game.log)),
            )

    def saved_game(self) -> SavedGame | None:
        """The game to continue, or None (also when the stored log cannot be read back)."""
        row = self._connection.execute(
            "SELECT level_id, seed, time, log FROM saved_game WHERE slot = ?", (CONTINUE_SLOT,)
        ).fetchone()
        if row is None:
            return None
        try:
            return SavedGame(str(row[0]), int(row[1]), float(row[2]), decode_log(row[3]))
        except (SaveError, TypeError, ValueError):
            return None

    def clear_saved_game(self) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM saved_game WHERE slot = ?", (CONTINUE_SLOT,))

    # -- quiz answers and review cards -------------------------------------------------------

    def record_answer(
        self, item_id: str, answered_at: str, correct: bool, score: float, source: str
    ) -> None:
        """Log one answer (``source``: quiz, review or level) at a UTC ISO 8601 time."""
        with self._transaction() as db:
            db.execute(
                "INSERT INTO answers (item_id, answered_at, correct, score, source) "
                "VALUES (?, ?, ?, ?, ?)",
                (item_id, answered_at, int(correct), float(score), source),
            )

    def answers(self) -> list[AnswerRecord]:
        """Every answer logged, oldest first."""
        rows = self._connection.execute(
            "SELECT item_id, answered_at, correct, score, source FROM answers ORDER BY id"
        )
        return [AnswerRecord(row[0], row[1], bool(row[2]), float(row[3]), row[4]) for row in rows]

    def review_card(self, item_id: str) -> str | None:
        """The stored FSRS card of an item (its JSON), or None."""
        row = self._connection.execute(
            "SELECT card FROM review_cards WHERE item_id = ?", (item_id,)
        ).fetchone()
        return str(row[0]) if row else None

    def save_review_card(self, item_id: str, card_id: int, card: str, due: str) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO review_cards VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET "
                "card = excluded.card, due = excluded.due",
                (item_id, card_id, card, due),
            )

    def next_card_id(self) -> int:
        """A card id no card has (cards are numbered, not stamped with the wall clock)."""
        row = self._connection.execute("SELECT MAX(card_id) FROM review_cards").fetchone()
        return int(row[0] or 0) + 1

    def review_cards(self) -> list[tuple[str, int, str, str]]:
        """Every card as (item id, card id, card JSON, due)."""
        rows = self._connection.execute(
            "SELECT item_id, card_id, card, due FROM review_cards ORDER BY card_id"
        )
        return [(str(r[0]), int(r[1]), str(r[2]), str(r[3])) for r in rows]

    def merge(
        self,
        results: Iterable[LevelResult],
        settings: dict[str, str],
        history: Iterable[str],
        saved_game: SavedGame | None,
        answers: Iterable[AnswerRecord],
        review_cards: Iterable[tuple[str, int, str, str]],
    ) -> None:
        """Add another database's progress in one transaction: best figures per level (wins
        too: importing twice changes nothing), the given settings, history lines not yet
        here, the saved game only if there is none, answers not yet logged, and the given
        cards as they are (the caller has chosen between two copies of a card)."""
        with self._transaction() as db:
            for r in results:
                db.execute(
                    "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(level_id) DO "
                    "UPDATE SET stars = MAX(stars, excluded.stars), "
                    "best_commands = MIN(best_commands, excluded.best_commands), "
                    "fewest_hints = MIN(fewest_hints, excluded.fewest_hints), "
                    "best_changes = MIN(best_changes, excluded.best_changes), "
                    "wins = MAX(wins, excluded.wins)",
                    (r.level_id, r.stars, r.best_commands, r.fewest_hints, r.best_changes, r.wins),
                )
            db.executemany(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                sorted(settings.items()),
            )
            known = {row[0] for row in db.execute("SELECT line FROM history")}
            db.executemany(
                "INSERT INTO history (line) VALUES (?)",
                [(line,) for line in dict.fromkeys(history) if line not in known],
            )
            db.execute(
                "DELETE FROM history WHERE id <= (SELECT MAX(id) FROM history) - ?",
                (HISTORY_LIMIT,),
            )
            if saved_game is not None:
                db.execute(
                    "INSERT INTO saved_game VALUES (?, ?, ?, ?, ?) ON CONFLICT(slot) DO NOTHING",
                    (
                        CONTINUE_SLOT,
                        saved_game.level_id,
                        saved_game.seed,
                        saved_game.time,
                        encode_log(saved_game.log),
                    ),
                )
            db.executemany(
                "INSERT INTO answers (item_id, answered_at, correct, score, source) "
                "SELECT :item, :at, :correct, :score, :source WHERE NOT EXISTS (SELECT 1 FROM "
                "answers WHERE item_id = :item AND answered_at = :at AND source = :source)",
                [
                    {
                        "item": a.item_id,
                        "at": a.answered_at,
                        "correct": int(a.correct),
                        "score": a.score,
                        "source": a.source,
                    }
                    for a in answers
                ],
            )
            db.executemany(
                "INSERT INTO review_cards VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE "
                "SET card_id = excluded.card_id, card = excluded.card, due = excluded.due",
                list(review_cards),
            )

    def due_count(self, now: str) -> int:
        """How many reviews are due at ``now`` (the home screen's count; no bank needed)."""
        row = self._connection.execute(
            "SELECT COUNT(*) FROM review_cards WHERE due <= ?", (now,)
        ).fetchone()
        return int(row[0])

    def due_items(self, now: str) -> list[str]:
        """Items whose review is due at ``now`` (UTC ISO 8601), most overdue first."""
        rows = self._connection.execute(
            "SELECT item_id FROM review_cards WHERE due <= ? ORDER BY due, item_id", (now,)
        )
        return [row[0] for row in rows]


def _connect(path: Path | None) -> sqlite3.Connection:
    # isolation_level=None: the store opens and commits its own transactions.
    connection = sqlite3.connect(":memory:" if path is None else str(path), isolation_level=None)
    connection.execute("PRAGMA synchronous = FULL")
    return connection


def _check(connection: sqlite3.Connection) -> None:
    """Raise sqlite3.DatabaseError unless the file is a sound SQLite database."""
    verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
    if verdict != "ok":
        raise sqlite3.DatabaseError(verdict)
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    if (
        schema_version(connection)
        and not {"results", "settings", "history", "saved_game"} <= tables
    ):
        raise sqlite3.DatabaseError("tables are missing")


def _aside(path: Path) -> Path:
    """A free name next to ``path`` for a file that could not be read."""
    number = 1
    while True:
        target = path.with_name(f"{path.name}.unreadable-{number}")
        if not target.exists():
            return target
        number += 1


def in_memory() -> ProgressStore:
    """A store that keeps nothing after the game ends."""
    connection = _connect(None)
    migrate(connection)
    return ProgressStore(connection, None)


def open_progress(path: Path | None = None) -> tuple[ProgressStore, OpenNotice | None]:
    """Open (or create) the database. A file that is not a sound database is renamed aside
    and a fresh one started; one written by a newer game, or a directory that cannot be
    written, leaves the file alone and plays without saving. Never raises for a bad file."""
    path = database_path() if path is None else path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return in_memory(), OpenNotice("progress.unwritable", str(path), str(exc))
    notice = None
    for _attempt in range(2):
        connection = None
        try:
            connection = _connect(path)
            _check(connection)
            version = schema_version(connection)
            if version > VERSION:
                connection.close()
                return in_memory(), OpenNotice("progress.newer", str(path), str(version))
            migrate(connection)
            return ProgressStore(connection, path), notice
        except sqlite3.DatabaseError as exc:
            if connection is not None:
                connection.close()
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                return in_memory(), OpenNotice("progress.unwritable", str(path), str(exc))
            try:
                target = _aside(path)
                path.rename(target)
                for suffix in ("-journal", "-wal", "-shm"):
                    sidecar = path.with_name(path.name + suffix)
                    if sidecar.exists():
                        sidecar.rename(target.with_name(target.name + suffix))
            except OSError as move_error:
                return in_memory(), OpenNotice("progress.unwritable", str(path), str(move_error))
            notice = OpenNotice("progress.moved_aside", str(path), str(target))
        except OSError as exc:
            return in_memory(), OpenNotice("progress.unwritable", str(path), str(exc))
    return in_memory(), notice
