"""Label selectors: ``matchLabels``/``matchExpressions`` and kubectl's ``-l`` string form.

Semantics follow ``apimachinery/pkg/labels/selector.go``: ``In`` needs the key with a listed
value; ``NotIn`` and ``!=`` also match when the key is absent; requirements are ANDed. A nil
``LabelSelector`` matches nothing, an empty one matches everything
(``metav1.LabelSelectorAsSelector``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


class SelectorError(ValueError):
    """A selector string or object that does not parse."""


@dataclass(frozen=True)
class Requirement:
    key: str
    operator: str  # In, NotIn, Exists, DoesNotExist, Gt, Lt
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        if self.operator == "In":
            return present and labels[self.key] in self.values
        if self.operator == "NotIn":
            return not present or labels[self.key] not in self.values
        if self.operator == "Exists":
            return present
        if self.operator == "DoesNotExist":
            return not present
        if self.operator in ("Gt", "Lt") and present:
            try:
                have, want = int(labels[self.key]), int(self.values[0])
            except ValueError:
                return False
            return have > want if self.operator == "Gt" else have < want
        return False

    def __str__(self) -> str:
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return "!" + self.key
        if self.operator == "In" and len(self.values) == 1:
            return f"{self.key}={self.values[0]}"
        if self.operator == "NotIn" and len(self.values) == 1:
            return f"{self.key}!={self.values[0]}"
        if self.operator in ("Gt", "Lt"):
            return f"{self.key}{'>' if self.operator == 'Gt' else '<'}{self.values[0]}"
        word = "in" if self.operator == "In" else "notin"
        return f"{self.key} {word} ({','.join(self.values)})"


@dataclass(frozen=True)
class Selector:
    """A conjunction of requirements; ``nothing`` marks the nil selector."""

    requirements: tuple[Requirement, ...] = ()
    nothing: bool = False

    def matches(self, labels: Mapping[str, str] | None) -> bool:
        if self.nothing:
            return False
        have = labels or {}
        return all(r.matches(have) for r in self.requirements)

    @property
    def empty(self) -> bool:
        return not self.nothing and not self.requirements

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)


NOTHING = Selector(nothing=True)


def from_label_selector(selector: Mapping[str, Any] | None) -> Selector:
    """Convert a ``metav1.LabelSelector`` dict; raises SelectorError for bad operators."""
    if selector is None:
        return NOTHING
    requirements: list[Requirement] = []
    for key, value in sorted((selector.get("matchLabels") or {}).items()):
        requirements.append(Requirement(str(key), "In", (str(value),)))
    for expr in selector.get("matchExpressions") or []:
        operator = expr.get("operator")
        if operator not in OPERATORS:
            raise SelectorError(f'"{operator}" is not a valid label selector operator')
        values = tuple(str(v) for v in expr.get("values") or [])
        if operator in ("In", "NotIn") and not values:
            raise SelectorError("for 'in', 'notin' operators, values set can't be empty")
        if operator in ("Exists", "DoesNotExist") and values:
            raise SelectorError("values set must be empty for exists and does not exist")
        requirements.append(Requirement(str(expr.get("key", "")), operator, values))
    return Selector(tuple(requirements))


_TOKEN = re.compile(r"\s*(!=|==|=|>|<|!|\(|\)|,|[^\s!=<>(),]+)")


def parse(text: str) -> Selector:
    """Parse kubectl's ``-l`` form: ``a=b,c!=d,e in (x,y),f notin (z),g,!h``."""
    tokens = _tokenize(text)
    requirements: list[Requirement] = []
    i = 0

    def expect_value(pos: int) -> tuple[str, int]:
        if pos < len(tokens) and tokens[pos] not in ("(", ")", ",", "=", "==", "!=", "!"):
            return tokens[pos], pos + 1
        if pos >= len(tokens) or tokens[pos] == ",":
            return "", pos
        raise SelectorError(
            f"unable to parse requirement: found '{tokens[pos]}', expected: identifier"
        )

    while i < len(tokens):
        if tokens[i] == "!":
            if i + 1 >= len(tokens) or tokens[i + 1] in ("(", ")", ",", "!"):
                raise SelectorError("unable to parse requirement: missing key after '!'")
            requirements.append(Requirement(tokens[i + 1], "DoesNotExist"))
            i += 2
        else:
            key = tokens[i]
            if key in ("(", ")", ",", "=", "==", "!=", ">", "<"):
                raise SelectorError(
                    f"unable to parse requirement: found '{key}', expected: identifier"
                )
            i += 1
            op = tokens[i] if i < len(tokens) else ","
            if op == ",":
                requirements.append(Requirement(key, "Exists"))
            elif op in ("=", "=="):
                value, i = expect_value(i + 1)
                requirements.append(Requirement(key, "In", (value,)))
            elif op == "!=":
                value, i = expect_value(i + 1)
                requirements.append(Requirement(key, "NotIn", (value,)))
            elif op in (">", "<"):
                value, i = expect_value(i + 1)
                if not re.fullmatch(r"-?[0-9]+", value):
                    raise SelectorError(
                        "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"
                    )
                requirements.append(Requirement(key, "Gt" if op == ">" else "Lt", (value,)))
            elif op in ("in", "notin"):
                if i + 1 >= len(tokens) or tokens[i + 1] != "(":
                    raise SelectorError("unable to parse requirement: found '', expected: '('")
                values: list[str] = []
                i += 2
                while i < len(tokens) and tokens[i] != ")":
                    if tokens[i] != ",":
                        values.append(tokens[i])
                    i += 1
                if i >= len(tokens):
                    raise SelectorError("unable to parse requirement: found '', expected: ')'")
                i += 1
                if not values:
                    raise SelectorError("for 'in', 'notin' operators, values set can't be empty")
                requirements.append(
                    Requirement(key, "In" if op == "in" else "NotIn", tuple(values))
                )
            else:
                raise SelectorError(
                    f"unable to parse requirement: found '{op}', expected: in, notin, =, ==, !=, gt, lt"
                )
        if i < len(tokens):
            if tokens[i] != ",":
                raise SelectorError(
                    f"unable to parse requirement: found '{tokens[i]}', expected: ','"
                )
            i += 1
            if i >= len(tokens):
                raise SelectorError("unable to parse requirement: found '', expected: identifier")
    return Selector(tuple(requirements))


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    stripped = text.strip()
    while pos < len(stripped):
        match = _TOKEN.match(stripped, pos)
        if not match or match.end() == pos:
            raise SelectorError(f"unable to parse requirement: unexpected character at {pos}")
        tokens.append(match.group(1))
        pos = match.end()
    return tokens
