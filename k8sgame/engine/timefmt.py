"""Simulated time as Kubernetes writes it: RFC 3339 timestamps and Go duration strings.

Simulated second 0 is a fixed instant (``EPOCH``), never the wall clock, so every run of the
same inputs prints the same timestamps.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache

# Simulated second 0. A fixed date keeps timestamps realistic and reproducible.
EPOCH = datetime(2026, 1, 5, 9, 0, 0, tzinfo=UTC)
EPOCH_UNIX = int(EPOCH.timestamp())


def rfc3339(seconds: float) -> str:
    """``metav1.Time`` serialisation: whole seconds, UTC, ``Z`` suffix."""
    return _rfc3339_second(int(seconds // 1))


@lru_cache(maxsize=1024)
def _rfc3339_second(second: int) -> str:
    # Kept: the components stamp many writes within the same simulated second.
    return (EPOCH + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_in_zone(seconds: float, offset: int) -> str:
    """``Time.In(zone).Format(time.RFC3339)``: ``2026-01-05T18:00:00+09:00``, or ``Z`` in UTC."""
    if offset == 0:
        return rfc3339(seconds)
    local = EPOCH + timedelta(seconds=int(seconds // 1) + offset)
    sign = "+" if offset > 0 else "-"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return f"{local:%Y-%m-%dT%H:%M:%S}{sign}{hours:02d}:{minutes:02d}"


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc1123z(seconds: float) -> str:
    """Go's ``Time.Format(time.RFC1123Z)`` in UTC: ``Mon, 05 Jan 2026 09:00:00 +0000`` (English
    names whatever the machine's locale)."""
    instant = EPOCH + timedelta(seconds=int(seconds // 1))
    return (
        f"{_WEEKDAYS[instant.weekday()]}, {instant.day:02d} {_MONTH_NAMES[instant.month - 1]} "
        f"{instant.year} {instant:%H:%M:%S} +0000"
    )


def rfc3339_micro(seconds: float) -> str:
    """``metav1.MicroTime`` serialisation: microseconds, UTC, ``Z`` suffix."""
    micros = round(seconds * 1_000_000)
    whole, fraction = divmod(micros, 1_000_000)
    # The whole second's text is cached (node leases renew on the same seconds' grid).
    return f"{_rfc3339_second(whole)[:-1]}.{fraction:06d}Z"


@lru_cache(maxsize=4096)
def parse_rfc3339(text: str) -> float:
    """Simulated seconds for a timestamp this module wrote (or any RFC 3339 UTC time)."""
    stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return (stamp - EPOCH).total_seconds()


def unix_nanos(seconds: float) -> int:
    """Unix time in nanoseconds for a simulated instant (used in Event names)."""
    return EPOCH_UNIX * 1_000_000_000 + round(seconds * 1_000_000_000)


def go_duration(seconds: float) -> str:
    """Go's ``time.Duration.String()``: ``10s``, ``1m20s``, ``5m0s``, ``1h0m0s``, ``862ms``, ``2.5s``."""
    nanos = round(seconds * 1_000_000_000)
    if nanos == 0:
        return "0s"
    sign = "-" if nanos < 0 else ""
    nanos = abs(nanos)
    if nanos < 1_000_000_000:
        for unit, size in (("ms", 1_000_000), ("µs", 1_000), ("ns", 1)):
            if nanos >= size:
                return sign + _trim(nanos, size) + unit
    hours, rest = divmod(nanos, 3600 * 1_000_000_000)
    minutes, rest = divmod(rest, 60 * 1_000_000_000)
    text = _trim(rest, 1_000_000_000) + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return sign + text


def _trim(amount: int, unit: int) -> str:
    whole, frac = divmod(amount, unit)
    if not frac:
        return str(whole)
    digits = len(str(unit)) - 1
    return f"{whole}." + f"{frac:0{digits}d}".rstrip("0")


_GO_UNITS = {
    "ns": 1e-9,
    "us": 1e-6,
    "µs": 1e-6,
    "μs": 1e-6,
    "ms": 1e-3,
    "s": 1.0,
    "m": 60.0,
    "h": 3600.0,
}
_GO_PART = re.compile(r"(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)")


def parse_go_duration(text: str) -> float:
    """Go's ``time.ParseDuration`` in seconds (``90s``, ``1m30s``, ``1.5h``, ``-1s``, ``0``);
    raises ValueError with Go's message."""
    body = text[1:] if text[:1] in "+-" else text
    if body == "0":
        return 0.0
    if not body:
        raise ValueError(f'time: invalid duration "{text}"')
    total, position = 0.0, 0
    while position < len(body):
        match = _GO_PART.match(body, position)
        if match is None:
            rest = body[position:]
            if re.fullmatch(r"\d+\.?\d*|\.\d+", rest):
                raise ValueError(f'time: missing unit in duration "{text}"')
            unit = re.match(r"[\d.]*([^\d.]+)", rest)
            if unit and not unit.group(1)[0].isdigit() and re.match(r"[\d.]+", rest):
                raise ValueError(f'time: unknown unit "{unit.group(1)}" in duration "{text}"')
            raise ValueError(f'time: invalid duration "{text}"')
        total += float(match.group(1)) * _GO_UNITS[match.group(2)]
        position = match.end()
    return -total if text.startswith("-") else total
