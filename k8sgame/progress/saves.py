"""The saved game: a level, its seed, the cluster time reached and the timed log of what the
player did. The engine is deterministic, so replaying the log on a fresh start of the level
rebuilds the cluster exactly; nothing of the cluster itself is stored."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# The fields one logged action may carry, with their types (see k8sgame.levels.play.Action).
_ACTION_FIELDS: dict[str, type] = {
    "time": float,
    "kind": str,
    "text": str,
    "name": str,
    "base": str,
}
ACTION_KINDS = frozenset({"command", "file", "answer", "hint", "edit", "kubelet", "host"})


class SaveError(ValueError):
    """A saved log that cannot be read back."""


@dataclass(frozen=True)
class SavedGame:
    level_id: str
    seed: int
    time: float
    log: tuple[dict[str, Any], ...]


def encode_log(log: list[dict[str, Any]] | tuple[dict[str, Any], ...]) -> str:
    return json.dumps(list(log), ensure_ascii=False, separators=(",", ":"))


def decode_log(text: str) -> tuple[dict[str, Any], ...]:
    """The log's actions as plain dicts, checked field by field."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SaveError(f"the saved log is not JSON: {exc}") from None
    if not isinstance(data, list):
        raise SaveError("the saved log is not a list of actions")
    actions = []
    last_time = float("-inf")
    for index, entry in enumerate(data):
        if not isinstance(entry, dict) or set(entry) - set(_ACTION_FIELDS):
            raise SaveError(f"action {index} of the saved log is malformed")
        action: dict[str, Any] = {}
        for field, kind in _ACTION_FIELDS.items():
            if field not in entry:
                continue
            value = entry[field]
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind):
                raise SaveError(f"action {index} of the saved log has a bad {field}")
            action[field] = value
        if "time" not in action or action.get("kind") not in ACTION_KINDS:
            raise SaveError(f"action {index} of the saved log is malformed")
        if action["time"] < last_time:
            raise SaveError(f"action {index} of the saved log goes back in time")
        last_time = action["time"]
        actions.append(action)
    return tuple(actions)
