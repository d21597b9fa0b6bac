"""Where the progress database lives: the platform's user data directory, unless
``K8SGAME_DATA_DIR`` points elsewhere (tests and portable installs)."""

from __future__ import annotations

import os
from pathlib import Path

DATABASE_NAME = "progress.db"
DATA_DIR_VARIABLE = "K8SGAME_DATA_DIR"


def data_dir() -> Path:
    """The directory that holds the game's own files (created on first write)."""
    override = os.environ.get(DATA_DIR_VARIABLE)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("k8sgame", appauthor=False))


def database_path() -> Path:
    return data_dir() / DATABASE_NAME
