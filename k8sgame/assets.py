"""Where the shipped data (``assets/``, ``levels/``) is, without importing any other box."""

from __future__ import annotations

from pathlib import Path

import k8sgame


def shipped_dir(name: str) -> Path:
    """A top-level data directory of the project: inside the installed package first (a wheel
    carries it as ``k8sgame/_data/<name>``), then the source checkout."""
    package = Path(k8sgame.__file__).resolve().parent
    for candidate in (package / "_data" / name, package.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"no {name} directory next to {package}")


def assets_dir() -> Path:
    """The texts, image catalog and other data files the game reads."""
    return shipped_dir("assets")
