"""Every real kubectl command and flag (``assets/kubectl-flags.yaml``, recorded from kubectl
1.35's help), so the parser can tell a real flag or command the sandbox does not model from a
typo. Read only when a word is not one of the sandbox's own, so a normal command costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from k8sgame.content.assets import load_yaml

CATALOG_FILE = "kubectl-flags.yaml"


@dataclass(frozen=True)
class RealFlag:
    """A flag as kubectl's help lists it: ``type`` is bool, string, int, duration or list;
    ``optional_value`` is the value a bare ``--flag`` takes (pflag's NoOptDefVal)."""

    name: str
    type: str
    default: str
    short: str = ""
    optional_value: str | None = None

    @property
    def takes_value(self) -> bool:
        return self.type != "bool" and self.optional_value is None


@dataclass(frozen=True)
class RealCommand:
    name: str
    flags: dict[str, RealFlag]
    aliases: tuple[str, ...] = ()


def _flag(entry: dict[str, Any]) -> RealFlag:
    return RealFlag(
        name=entry["name"],
        type=entry["type"],
        default=str(entry["default"]),
        short=entry.get("short", ""),
        optional_value=entry.get("optional_value"),
    )


@lru_cache(maxsize=1)
def _catalog() -> tuple[dict[str, RealFlag], dict[str, RealCommand], dict[str, str]]:
    data = load_yaml(CATALOG_FILE)
    global_flags = {entry["name"]: _flag(entry) for entry in data["global"]}
    commands: dict[str, RealCommand] = {}
    aliases: dict[str, str] = {}
    for name, entry in data["commands"].items():
        flags = {f["name"]: _flag(f) for f in entry.get("flags") or []}
        command = RealCommand(name, flags, tuple(entry.get("aliases") or ()))
        commands[name] = command
        parent = name.rsplit(" ", 1)[0] + " " if " " in name else ""
        for alias in command.aliases:
            aliases[parent + alias] = name
    return global_flags, commands, aliases


def recorded_with() -> str:
    """Which kubectl the catalog was recorded from."""
    return str(load_yaml(CATALOG_FILE)["recorded_with"])


def real_command(words: str) -> RealCommand | None:
    """The real command named by ``words`` (``"rollout status"``, or an alias such as
    ``"create deploy"``), or None."""
    _, commands, aliases = _catalog()
    return commands.get(aliases.get(words, words))


def real_commands() -> dict[str, RealCommand]:
    """All real commands by their full names."""
    return dict(_catalog()[1])


def global_flags() -> dict[str, RealFlag]:
    """kubectl's global options (``kubectl options``)."""
    return dict(_catalog()[0])


def real_flag(command: str, name: str = "", short: str = "") -> RealFlag | None:
    """The real flag ``--name`` (or ``-short``) of ``command`` or of the global options."""
    global_options, _, _ = _catalog()
    found = real_command(command)
    candidates = [*(found.flags.values() if found else ()), *global_options.values()]
    for flag in candidates:
        if (name and flag.name == name) or (short and flag.short == short):
            return flag
    return None
