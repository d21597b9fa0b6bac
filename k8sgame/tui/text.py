"""The game screen's words, from ``assets/ui.json`` (English and Korean).

Every entry has ``en`` and ``ko`` (a test checks); ``{name}`` fields are filled in here.
Kubernetes words (Running, Pending, NotReady, event reasons) stay in English, as kubectl
prints them. The file is JSON, unlike the other assets, because it is read before the first
frame: the standard library's parser loads in a few milliseconds, PyYAML's import alone takes
over twenty (``benchmarks/startup.py``).
"""

from __future__ import annotations

import locale
import os
from functools import lru_cache
from typing import Any

from k8sgame.content.assets import load_json

UI_FILE = "ui.json"


@lru_cache(maxsize=1)
def _texts() -> dict[str, dict[str, str]]:
    data = load_json(UI_FILE)
    return {
        f"{group}.{key}": texts for group, entries in data.items() for key, texts in entries.items()
    }


def ui(key: str, language: str, **fields: Any) -> str:
    """The text for ``key`` in ``language`` with ``fields`` filled in (plain text: callers
    put it in widgets with markup off)."""
    texts = _texts()[key]
    template = texts.get(language) or texts["en"]
    return template.format(**fields) if fields else template


def keys() -> list[str]:
    return sorted(_texts())


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
