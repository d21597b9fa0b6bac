"""kubectl's human durations (AGE, ``3 (10s ago)``), K8S-FACTS §12. Go duration text both ways
(``time.ParseDuration``, ``Duration.String``) is ``engine/timefmt.py``'s.

``apimachinery/pkg/util/duration.HumanDuration`` and kubectl's ``translateTimestampSince``.
"""

from __future__ import annotations

from k8sgame.engine.timefmt import parse_rfc3339


def human_duration(seconds: float) -> str:
    """``HumanDuration`` for a span given in (simulated) seconds."""
    whole = int(seconds)
    if whole < -1:
        return "<invalid>"
    if whole < 0:
        return "0s"
    if whole < 120:
        return f"{whole}s"
    minutes = whole // 60
    if minutes < 10:
        rest = whole % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = whole // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def since(timestamp: str | None, now: float) -> str:
    """``translateTimestampSince``: ``<unknown>`` for a missing time, else the age."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_rfc3339(timestamp))
