"""Which container a pod command means when ``-c`` is not given."""

from __future__ import annotations

from typing import Any


def default_container(pod: dict[str, Any], wanted: str | None) -> tuple[str, str]:
    """(container name, kubectl's ``Defaulted container`` notice or "")."""
    names = [c.get("name", "") for c in (pod.get("spec") or {}).get("containers") or []]
    if wanted:
        return wanted, ""
    notice = (
        f'Defaulted container "{names[0]}" out of: {", ".join(names)}\n' if len(names) > 1 else ""
    )
    return names[0], notice
