"""argv to a command object, with kubectl's (cobra/pflag) flag rules and error texts.

No cluster and no output. Each verb declares the flags it models; ``-n``/``--namespace`` is
global. A word that is not one of those is looked up in the catalog of real kubectl commands
and flags (``flag_catalog``): a real one the sandbox does not model is parsed by its real type
and reported as such (the session says so in the player's language), anything else gets
kubectl's "unknown flag" or "unknown command" line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.kubectl import flag_catalog
from k8sgame.kubectl.errors import KubectlError, NotModelledError
from k8sgame.kubectl.verbs import ALIASES, VERBS


@dataclass(frozen=True)
class Flag:
    name: str
    kind: str = "str"  # str, bool, int
    short: str = ""
    default: Any = None
    repeat: bool = False  # may be given several times (values collected in a list)
    # pflag's NoOptDefVal: the value of the bare flag (``--dry-run`` is ``unchanged``).
    optional_value: str | None = None


@dataclass
class Invocation:
    verb: str
    args: list[str]
    flags: dict[str, Any]
    rest: list[str] = field(default_factory=list)  # after "--"
    # Real kubectl flags given with a value other than their default, which the sandbox
    # does not model: ``--watch``, ``--chunk-size=10``.
    unmodelled: list[str] = field(default_factory=list)

    def flag(self, name: str) -> Any:
        return self.flags.get(name)


# strconv.ParseBool, which pflag uses for bool flags.
TRUE_WORDS = ("1", "t", "T", "TRUE", "true", "True")
FALSE_WORDS = ("0", "f", "F", "FALSE", "false", "False")


GLOBAL_FLAGS = (
    Flag("namespace", short="n"),
    # The kubeconfig's context and user for this command, and whom to impersonate: the
    # session chooses its client by them (a command's own --user shadows the global one).
    Flag("context"),
    Flag("user"),
    Flag("as"),
    Flag("as-group", repeat=True),
    # The simulated API server answers at once, so no request runs into a timeout.
    Flag("request-timeout"),
)


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
    if words and words[0].startswith("-"):
        real = flag_catalog.global_flags().values()
        takes_value |= {f"--{f.name}" for f in real if f.takes_value}
        takes_value |= {f"-{f.short}" for f in real if f.takes_value and f.short}
    i = 0
    while i < len(words):
        if not words[i].startswith("-"):
            return i
        i += 2 if words[i] in takes_value else 1
    return None


def _missing_command(name: str, following: list[str]) -> NotModelledError:
    """The notice for a real command the sandbox lacks, named as deep as the words go
    (``rollout status``, ``create service clusterip``)."""
    for word in following:
        deeper = flag_catalog.real_command(f"{name} {word}")
        if deeper is None:
            break
        name = deeper.name
    return NotModelledError("command_not_modelled", command=name)


def _command(words: list[str], verb_index: int) -> str:
    """The verb and its subcommands (``create secret generic``), taken out of ``words``."""
    word = words[verb_index]
    verb = ALIASES.get(word, word)
    if verb not in VERBS:
        if flag_catalog.real_command(word) is not None:
            raise _missing_command(word, words[verb_index + 1 :])
        raise _unknown_verb(word)
    while verb_index + 1 < len(words):
        compound = ALIASES.get(f"{verb} {words[verb_index + 1]}", f"{verb} {words[verb_index + 1]}")
        if compound not in VERBS:
            if flag_catalog.real_command(compound) is not None:
                raise _missing_command(verb, words[verb_index + 1 :])
            break
        verb = compound
        del words[verb_index + 1]
    return verb


def _as_spec(real: flag_catalog.RealFlag) -> Flag:
    """A parse rule for a real flag the sandbox does not model, from its recorded type."""
    kind = {"bool": "bool", "int": "int", "duration": "duration"}.get(real.type, "str")
    return Flag(real.name, kind, real.short, optional_value=real.optional_value)


def _is_default(real: flag_catalog.RealFlag, value: Any) -> bool:
    if real.type == "bool":
        return str(value).lower() == real.default
    return real.type != "list" and str(value) == real.default


def _convert(spec: Flag, value: str, has_value: bool, label: str, usage: str) -> Any:
    """A flag's value as pflag reads it, with pflag's error for a bad one."""

    def invalid(detail: str) -> KubectlError:
        return KubectlError(f'invalid argument "{value}" for "{label}" flag: {detail}', usage)

    if spec.kind == "bool":
        if not has_value or value in TRUE_WORDS:
            return True
        if value in FALSE_WORDS:
            return False
        raise invalid(f'strconv.ParseBool: parsing "{value}": invalid syntax')
    if spec.kind == "int":
        try:
            return int(value)
        except ValueError:
            raise invalid(f'strconv.ParseInt: parsing "{value}": invalid syntax') from None
    if spec.kind == "duration":
        try:
            parse_go_duration(value)
        except ValueError:
            raise invalid(f'time: invalid duration "{value}"') from None
    return value


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
    verb = _command(words, verb_index)
    specs = {f.name: f for f in (*GLOBAL_FLAGS, *VERBS[verb].flags)}
    shorts = {f.short: f for f in specs.values() if f.short}
    flags: dict[str, Any] = {f.name: ([] if f.repeat else f.default) for f in specs.values()}
    args: list[str] = []
    rest: list[str] = []
    unmodelled: list[str] = []
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
            name, equals, value = token[2:].partition("=")
            has_value = bool(equals)
            spec = specs.get(name)
            real = None if spec else flag_catalog.real_flag(verb, name=name)
            if spec is None and real is None:
                raise KubectlError(f"unknown flag: --{name}", usage)
            spec = spec or _as_spec(real)  # type: ignore[arg-type]
            missing = f"--{name}"
        elif token.startswith("-") and len(token) > 1:
            letter = token[1]
            spec = shorts.get(letter)
            real = None if spec else flag_catalog.real_flag(verb, short=letter)
            if spec is None and real is None:
                raise KubectlError(f"unknown shorthand flag: '{letter}' in {token}", usage)
            spec = spec or _as_spec(real)  # type: ignore[arg-type]
            remainder = token[2:]
            if spec.kind == "bool" and remainder and not remainder.startswith("="):
                # pflag reads ``-it`` as ``-i -t``: a bool shorthand leaves the rest as flags.
                tokens.insert(i, "-" + remainder)
                remainder = ""
            has_value = bool(remainder)
            value = remainder[1:] if remainder.startswith("=") else remainder
            missing = f"'{letter}' in -{letter}"
        else:
            args.append(token)
            continue
        # pflag names a flag with a shorthand "-w, --watch" in its value errors.
        label = f"-{spec.short}, --{spec.name}" if spec.short else f"--{spec.name}"
        if spec.kind != "bool" and not has_value:
            if spec.optional_value is not None:
                value, has_value = spec.optional_value, True
            elif i >= len(tokens):
                raise KubectlError(f"flag needs an argument: {missing}", usage)
            else:
                value, has_value = tokens[i], True
                i += 1
        result = _convert(spec, value, bool(has_value), label, usage)
        if real is not None:
            if not _is_default(real, result):
                unmodelled.append(f"--{real.name}")
            continue
        if spec.repeat:
            flags[spec.name].append(result)
        else:
            flags[spec.name] = result
    return Invocation(verb, args, flags, rest, unmodelled)
