"""Go's ``strconv.Atoi`` as kubectl runs it (a 64-bit build): the one integer parser the
commands share for port numbers and ``intstr.Parse``-style values (``expose --port``,
``create ingress`` backends, ``port-forward`` remote ports)."""

from __future__ import annotations

import re

from k8sgame.engine.errors import go_quote

_DECIMAL = re.compile(r"[+-]?[0-9]+")
_INT64 = 1 << 63


def atoi(text: str) -> int | None:
    """``strconv.Atoi``: an optional sign and decimal digits within int64, else None."""
    if not _DECIMAL.fullmatch(text):
        return None
    value = int(text)
    return value if -_INT64 <= value < _INT64 else None


def atoi_error(text: str) -> str:
    """The ``*NumError`` text ``strconv.Atoi`` returns for ``text`` it does not take:
    ``value out of range`` for decimal digits past int64, else ``invalid syntax``."""
    problem = "value out of range" if _DECIMAL.fullmatch(text) else "invalid syntax"
    return f"strconv.Atoi: parsing {go_quote(text)}: {problem}"
