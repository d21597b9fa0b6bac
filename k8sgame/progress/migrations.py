"""The database schema as a list of steps; ``PRAGMA user_version`` records how many ran.

A step is never edited once released: a change to the schema is a new step at the end.
"""

from __future__ import annotations

import sqlite3

STEPS: tuple[str, ...] = (
    # 1: results, settings, prompt history and the saved game.
    """
    CREATE TABLE results (
        level_id TEXT PRIMARY KEY,
        stars INTEGER NOT NULL,
        best_commands INTEGER NOT NULL,
        fewest_hints INTEGER NOT NULL,
        best_changes INTEGER NOT NULL,
        wins INTEGER NOT NULL
    );
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        line TEXT NOT NULL
    );
    CREATE TABLE saved_game (
        slot TEXT PRIMARY KEY,
        level_id TEXT NOT NULL,
        seed INTEGER NOT NULL,
        time REAL NOT NULL,
        log TEXT NOT NULL
    );
    """,
    # 2: quiz answers and spaced-repetition review cards (FSRS). Times are UTC ISO 8601.
    """
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        item_id TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        correct INTEGER NOT NULL,
        score REAL NOT NULL,
        source TEXT NOT NULL
    );
    CREATE TABLE review_cards (
        item_id TEXT PRIMARY KEY,
        card_id INTEGER NOT NULL UNIQUE,
        card TEXT NOT NULL,
        due TEXT NOT NULL
    );
    CREATE INDEX review_cards_due ON review_cards (due);
    """,
)

VERSION = len(STEPS)


def schema_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection) -> None:
    """Run the steps this database has not had yet, each with its version bump in one
    transaction (SQLite's DDL is transactional, so a step half done rolls back)."""
    version = schema_version(connection)
    for number, step in enumerate(STEPS[version:], version + 1):
        statements = [part.strip() for part in step.split(";") if part.strip()]
        connection.execute("BEGIN")
        try:
            for statement in statements:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number}")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
