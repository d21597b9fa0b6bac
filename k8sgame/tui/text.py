"""The game screen's words (``assets/ui.json`` in the content box's message tables) and the
language the screen starts in.

Kubernetes words (Running, Pending, NotReady, event reasons) stay in English, as kubectl
prints them.
"""

from __future__ import annotations

import locale
import os
from typing import Any

from k8sgame.content.text import SCREEN_WORDS, message_table, say


def ui(key: str, language: str, **fields: Any) -> str:
    """The text for ``key`` in ``language`` with ``fields`` filled in (plain text: callers
    put it in widgets with markup off)."""
    return say(key, language, table=SCREEN_WORDS, **fields)


def keys() -> list[str]:
    return sorted(message_table(SCREEN_WORDS))


def default_language(environ: dict[str, str] | None = None) -> str:
    """Korean when the locale says so (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English."""
    environ = dict(os.environ) if environ is None else environ
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = environ.get(variable)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    if environ is not os.environ:
        return "en"
    code = locale.getlocale()[0] or ""
    return "ko" if code.lower().startswith("ko") else "en"
