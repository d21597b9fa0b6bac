"""argv to a command object, with kubectl's (cobra/pflag) flag rules and error texts.

Pure: no cluster, no I/O. Each verb declares its flags; ``-n``/``--namespace`` is global.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sgame.kubectl.errors import KubectlError


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str = "str"  # str, bool, int
    short: str = ""
    default: Any = None
    repeat: bool = False  # may be given several times (values collected in a list)


@dataclass
class Invocation:
    verb: str
    args: list[str]
    flags: dict[str, Any]
    rest: list[str] = field(default_factory=list)  # after "--"

    def flag(self, name: str) -> Any:
        return self.flags.get(name)


GLOBAL_FLAGS = (
    Flag("namespace", short="n"),
    Flag("context"),
    Flag("kubeconfig"),
    Flag("request-timeout"),
)

VERBS: dict[str, tuple[Flag, ...]] = {}
ALIASES: dict[str, str] = {}


def register_verb(name: str, flags: Sequence[Flag], aliases: Sequence[str] = ()) -> None:
    """Declare a verb and its flags (verbs added by later features use this too).

    A subcommand is registered with its parent's words: ``"create namespace"``, with aliases
    spelled the same way (``"create ns"``)."""
    VERBS[name] = tuple(flags)
    for alias in aliases:
        ALIASES[alias] = name


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def suggestions(word: str, candidates: Sequence[str]) -> list[str]:
    """cobra's ``SuggestionsFor``: Levenshtein distance <= 2, or a shared prefix."""
    lowered = word.lower()
    return [c for c in sorted(candidates) if _distance(lowered, c) <= 2 or c.startswith(lowered)]


def _unknown_verb(word: str) -> KubectlError:
    message = f'unknown command "{word}" for "kubectl"'
    near = suggestions(word, list(VERBS))
    hint = ""
    if near:
        hint = "\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in near)
    hint += "\nRun 'kubectl --help' for usage."
    return KubectlError(message, hint)


def _verb_position(words: list[str]) -> int | None:
    """The first word that is neither a flag nor the value of a global flag before the verb
    (``kubectl -n dev get pods``)."""
    takes_value = {f"--{f.name}" for f in GLOBAL_FLAGS} | {f"-{f.short}" for f in GLOBAL_FLAGS}
    i = 0
    while i < len(words):
        if not words[i].startswith("-"):
            return i
        i += 2 if words[i] in takes_value else 1
    return None


def parse(argv: Sequence[str]) -> Invocation:
    """Parse a kubectl command line (without the leading ``kubectl``)."""
    words = list(argv)
    if words and words[0] == "kubectl":
        words = words[1:]
    if not words:
        raise KubectlError(
            "You must specify the type of resource to get.", "Run 'kubectl --help' for usage."
        )
    verb_index = _verb_position(words)
    if verb_index is None:
        raise KubectlError("You must specify a command.", "Run 'kubectl --help' for usage.")
    verb = ALIASES.get(words[verb_index], words[verb_index])
    if verb not in VERBS:
        raise _unknown_verb(words[verb_index])
    # Subcommands (``create namespace``, ``create secret generic``) follow their parent.
    while verb_index + 1 < len(words):
        compound = f"{verb} {words[verb_index + 1]}"
        compound = ALIASES.get(compound, compound)
        if compound not in VERBS:
            break
        verb = compound
        del words[verb_index + 1]
    specs = {f.name: f for f in (*GLOBAL_FLAGS, *VERBS[verb])}
    shorts = {f.short: f for f in specs.values() if f.short}
    flags: dict[str, Any] = {f.name: ([] if f.repeat else f.default) for f in specs.values()}
    args: list[str] = []
    rest: list[str] = []
    tokens = words[:verb_index] + words[verb_index + 1 :]
    usage = f"See 'kubectl {verb} --help' for usage."
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            rest = tokens[i:]
            break
        if token.startswith("--"):
            name, has_value, value = token[2:].partition("=")
            spec = specs.get(name)
            if spec is None:
                raise KubectlError(f"unknown flag: --{name}", usage)
            label = f"--{name}"
        elif token.startswith("-") and len(token) > 1:
            letter = token[1]
            spec = shorts.get(letter)
            if spec is None:
                raise KubectlError(f"unknown shorthand flag: '{letter}' in {token}", usage)
            remainder = token[2:]
            if spec.kind == "bool" and remainder and not remainder.startswith("="):
                # pflag reads ``-it`` as ``-i -t``: a bool shorthand leaves the rest as flags.
                tokens.insert(i, "-" + remainder)
                remainder = ""
            has_value = bool(remainder)
            value = remainder[1:] if remainder.startswith("=") else remainder
            label = f"'{letter}' in -{letter}"
        else:
            args.append(token)
            continue
        if spec.kind == "bool":
            if has_value and value not in ("true", "false"):
                raise KubectlError(
                    f'invalid argument "{value}" for "{label}" flag: strconv.ParseBool: parsing "{value}": invalid syntax',
                    usage,
                )
            result: Any = value != "false" if has_value else True
        else:
            if not has_value:
                if i >= len(tokens):
                    raise KubectlError(f"flag needs an argument: {label}", usage)
                value = tokens[i]
                i += 1
            if spec.kind == "int":
                try:
                    result = int(value)
                except ValueError:
                    raise KubectlError(
                        f'invalid argument "{value}" for "{label}" flag: strconv.ParseInt: parsing "{value}": invalid syntax',
                        usage,
                    ) from None
            else:
                result = value
        if spec.repeat:
            flags[spec.name].append(result)
        else:
            flags[spec.name] = result
    return Invocation(verb, args, flags, rest)
