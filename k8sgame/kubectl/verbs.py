"""The verb registry: everything the sandbox knows about each kubectl verb, in one place.

Each command module declares its verbs with ``register_verb`` (name, flags, aliases, what
running it does to the world, what its arguments name) and binds its handler with
``@handles``. The parser, tab completion, the levels box's par count and the game screen
all read this registry; nobody keeps a list of verbs of their own.

A subcommand is registered with its parent's words: ``"create namespace"``, with aliases
spelled the same way (``"create ns"``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from k8sgame.kubectl.parser import Flag, Invocation
    from k8sgame.kubectl.result import Result


class Effect(Enum):
    """What running a verb does besides printing."""

    READS = "reads"  # only reads the cluster
    CHANGES = "changes"  # may write to the cluster (counts against a level's par)
    CONFIGURES = "configures"  # changes the kubeconfig (current context, namespace)
    WAITS = "waits"  # lets simulated time pass until a condition holds


class Args(Enum):
    """What a verb's positional arguments name (tab completion offers these)."""

    RESOURCE = "resource"  # a kind, then names, or kind/name
    POD = "pod"  # a pod name first (logs, exec)
    NODE = "node"  # node names (cordon, drain)
    NONE = "none"  # nothing worth completing


Handler = Callable[[Any, "Invocation"], "Result"]


@dataclass(frozen=True)
class Verb:
    name: str
    flags: tuple[Flag, ...]
    aliases: tuple[str, ...] = ()
    effect: Effect = Effect.READS
    args: Args = Args.RESOURCE
    handler: Handler | None = None


VERBS: dict[str, Verb] = {}
ALIASES: dict[str, str] = {}


def register_verb(
    name: str,
    flags: Sequence[Flag],
    aliases: Sequence[str] = (),
    effect: Effect = Effect.READS,
    args: Args = Args.RESOURCE,
) -> None:
    """Declare a verb: its flags, aliases, effect and argument kind."""
    VERBS[name] = Verb(name, tuple(flags), tuple(aliases), effect, args)
    for alias in aliases:
        ALIASES[alias] = name


def handles(*names: str) -> Callable[[Handler], Handler]:
    """Bind the decorated function as the handler of the named (registered) verbs."""

    def bind(function: Handler) -> Handler:
        for name in names:
            VERBS[name] = replace(VERBS[name], handler=function)
        return function

    return bind


def verb(name: str) -> Verb:
    """A registered verb by name or alias; KeyError if there is none."""
    return VERBS[ALIASES.get(name, name)]
