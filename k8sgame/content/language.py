"""The languages every player-facing text exists in."""

from __future__ import annotations

from typing import Literal

Language = Literal["en", "ko"]
LANGUAGES: tuple[Language, ...] = ("en", "ko")
DEFAULT_LANGUAGE: Language = "en"
