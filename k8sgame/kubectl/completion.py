"""Tab completion for the game's kubectl prompt: verbs, subcommands, flags, kinds, object
names and file names. A pure function of the line and a snapshot of what exists, so it is
tested without a screen; the game builds the snapshot from the cluster when Tab is pressed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from k8sgame.content.prompt_words import PROMPT_WORDS
from k8sgame.kubectl import session as _session  # noqa: F401  (registers every verb)
from k8sgame.kubectl.parser import GLOBAL_FLAGS, Flag
from k8sgame.kubectl.verbs import ALIASES, VERBS, Args

# The game's own prompt words that the level run handles (``sleep``, ``hint``, ``answer``);
# the game screen's (``edit``, ``ls``, ``cat``) are not offered at a bare prompt.
GAME_WORDS = tuple(w.word for w in PROMPT_WORDS.values() if w.runs_in == "level")

OUTPUT_FORMATS = ("json", "yaml", "wide", "name", "jsonpath=", "custom-columns=")


@dataclass(frozen=True)
class Kind:
    """A kind as the prompt may spell it."""

    plural: str
    singular: str
    short_names: tuple[str, ...] = ()

    def spellings(self) -> tuple[str, ...]:
        return (self.singular, self.plural, *self.short_names)


@dataclass(frozen=True)
class Snapshot:
    """What exists, for completing names: kinds, names by plural in the current namespace,
    namespaces and the player's files."""

    kinds: tuple[Kind, ...] = ()
    names: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    namespaces: tuple[str, ...] = ()
    files: tuple[str, ...] = ()

    def kind(self, word: str) -> Kind | None:
        lowered = word.lower()
        for kind in self.kinds:
            if lowered in kind.spellings():
                return kind
        return None


@dataclass(frozen=True)
class Completion:
    """The line after completing, and the candidates when more than one fits."""

    line: str
    candidates: tuple[str, ...] = ()


def _verbs() -> list[str]:
    words = {name.split()[0] for name in VERBS} | {name.split()[0] for name in ALIASES}
    return sorted(words | set(GAME_WORDS))


def _verb_of(words: list[str]) -> tuple[str, int]:
    """The verb (with subcommand words) and how many words it takes."""
    for length in (3, 2, 1):
        name = " ".join(words[:length])
        if len(words) >= length and (name in VERBS or name in ALIASES):
            return ALIASES.get(name, name), length
    return (words[0] if words else ""), min(1, len(words))


def _subcommands(verb: str) -> list[str]:
    prefix = verb + " "
    found = {n[len(prefix) :].split()[0] for n in VERBS if n.startswith(prefix)}
    return sorted(found)


def _flags(verb: str) -> tuple[Flag, ...]:
    return (*GLOBAL_FLAGS, *(VERBS[verb].flags if verb in VERBS else ()))


def _flag_named(verb: str, word: str) -> Flag | None:
    for flag in _flags(verb):
        if word == f"--{flag.name}" or (flag.short and word == f"-{flag.short}"):
            return flag
    return None


def _values_for(flag: Flag, snapshot: Snapshot) -> tuple[str, ...]:
    if flag.name == "filename":
        return snapshot.files
    if flag.name == "namespace":
        return snapshot.namespaces
    if flag.name == "output":
        return OUTPUT_FORMATS
    return ()


def _positional(args: list[str], verb: str) -> list[str]:
    """Arguments already typed that are not flags or flag values."""
    found = []
    skip = False
    for word in args:
        if skip:
            skip = False
            continue
        if word.startswith("-"):
            flag = _flag_named(verb, word)
            skip = flag is not None and flag.kind != "bool" and "=" not in word
            continue
        found.append(word)
    return found


def _object_candidates(verb: str, before: list[str], word: str, snapshot: Snapshot) -> list[str]:
    args = VERBS[verb].args if verb in VERBS else Args.NONE
    if args is Args.NONE:
        return []
    if args is Args.POD:
        return list(snapshot.names.get("pods", ())) if not before else []
    if args is Args.NODE:
        return list(snapshot.names.get("nodes", ()))
    if "/" in word:
        kind = snapshot.kind(word.split("/", 1)[0])
        if kind is None:
            return []
        head = word.split("/", 1)[0]
        return [f"{head}/{name}" for name in snapshot.names.get(kind.plural, ())]
    if not before:
        spellings = sorted({s for kind in snapshot.kinds for s in kind.spellings()})
        return spellings
    kind = snapshot.kind(before[0])
    if kind is None or "/" in before[0]:
        return []
    return list(snapshot.names.get(kind.plural, ()))


def _finish(prefix: str, word: str, candidates: list[str]) -> Completion:
    fitting = sorted({c for c in candidates if c.startswith(word)})
    if not fitting:
        return Completion(prefix + word)
    if len(fitting) == 1:
        only = fitting[0]
        ending = "" if only.endswith(("/", "=")) else " "
        return Completion(prefix + only + ending)
    common = fitting[0]
    for other in fitting[1:]:
        while not other.startswith(common):
            common = common[:-1]
    return Completion(prefix + common, tuple(fitting))


def complete(line: str, snapshot: Snapshot) -> Completion:
    """Complete the last word of ``line`` (a line ending in a space completes a new word)."""
    cut = len(line) - len(line.split(" ")[-1])
    prefix, word = line[:cut], line[cut:]
    words = prefix.split()
    if words and words[0] == "kubectl":
        words = words[1:]
    if not words:
        return _finish(prefix, word, _verbs())
    verb, taken = _verb_of(words)
    if verb in GAME_WORDS:
        return Completion(line)
    # Right after a verb or subcommand: its subcommands (``create service `` -> clusterip...).
    if len(words) == taken and _subcommands(verb) and not word.startswith("-"):
        return _finish(prefix, word, _subcommands(verb))
    args = words[taken:]
    if word.startswith("--") and "=" in word:
        name, value = word.split("=", 1)
        flag = _flag_named(verb, name)
        values = _values_for(flag, snapshot) if flag else ()
        return _finish(prefix + name + "=", value, list(values))
    if word.startswith("-"):
        names = [f"--{flag.name}" for flag in _flags(verb)]
        return _finish(prefix, word, names)
    if args and args[-1].startswith("-") and "=" not in args[-1]:
        flag = _flag_named(verb, args[-1])
        if flag is not None and flag.kind != "bool":
            return _finish(prefix, word, list(_values_for(flag, snapshot)))
    before = _positional(args, verb)
    return _finish(prefix, word, _object_candidates(verb, before, word, snapshot))
