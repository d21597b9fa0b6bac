"""``$((...))`` arithmetic: integers, C operators and precedence, no assignment."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from k8sgame.engine.images.shell.interpreter import Shell


# ---------------------------------------------------------------------------------------------
# $((...)) arithmetic: integers, C operators and precedence, no assignment.


class ArithError(Exception):
    def __init__(self, reason: str, bash: str, busybox: str):
        super().__init__(reason)
        self.reason, self.bash, self.busybox = reason, bash, busybox


_ARITH_TOKEN = re.compile(
    r"\s*(0[xX][0-9a-fA-F]+|\d+|[A-Za-z_][A-Za-z0-9_]*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%()<>!~&|^])"
)
_BINARY_LEVELS = (
    ("||",),
    ("&&",),
    ("|",),
    ("^",),
    ("&",),
    ("==", "!="),
    ("<", "<=", ">", ">="),
    ("<<", ">>"),
    ("+", "-"),
    ("*", "/", "%"),
)


class Arithmetic:
    """A small precedence-climbing evaluator (never ``eval``): shell arithmetic on ints."""

    def __init__(self, text: str, shell: Shell):
        self.shell = shell
        self.tokens: list[str] = []
        pos = 0
        text = text.rstrip()
        while pos < len(text):
            match = _ARITH_TOKEN.match(text, pos)
            if match is None:
                bad = text[pos:].strip()[:1]
                raise ArithError(
                    "expecting EOF",
                    f'syntax error: invalid arithmetic operator (error token is "{bad}")',
                    "arithmetic syntax error",
                )
            self.tokens.append(match.group(1))
            pos = match.end()
        self.i = 0

    def value(self) -> int:
        if not self.tokens:
            return 0
        result = self._binary(0)
        if self.i != len(self.tokens):
            token = self.tokens[self.i]
            raise ArithError(
                "expecting EOF",
                f'syntax error in expression (error token is "{token}")',
                "arithmetic syntax error",
            )
        return result

    def _binary(self, level: int) -> int:
        if level == len(_BINARY_LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while self.i < len(self.tokens) and self.tokens[self.i] in _BINARY_LEVELS[level]:
            op = self.tokens[self.i]
            self.i += 1
            right = self._binary(level + 1)
            left = _apply(op, left, right)
        return left

    def _unary(self) -> int:
        if self.i >= len(self.tokens):
            last = self.tokens[-1] if self.tokens else ""
            raise ArithError(
                "expecting primary",
                f'syntax error: operand expected (error token is "{last}")',
                "arithmetic syntax error",
            )
        token = self.tokens[self.i]
        self.i += 1
        if token == "-":
            return -self._unary()
        if token == "+":
            return self._unary()
        if token == "!":
            return int(not self._unary())
        if token == "~":
            return ~self._unary()
        if token == "(":
            inner = self._binary(0)
            if self.i >= len(self.tokens) or self.tokens[self.i] != ")":
                raise ArithError(
                    "expecting ')'",
                    "syntax error: missing `)'",
                    "arithmetic syntax error",
                )
            self.i += 1
            return inner
        if token[0].isdigit():
            return (
                int(token, 16)
                if token[:2].lower() == "0x"
                else int(token, 8 if len(token) > 1 and token[0] == "0" else 10)
            )
        if token[0].isalpha() or token[0] == "_":
            raw = (self.shell.vars.get(token) or "").strip()
            if not raw:
                return 0
            try:
                return int(raw)
            except ValueError:
                if self.shell.msg.shell != "dash":
                    return 0
                raise ArithError(f"Illegal number: {raw}", "", f"invalid number '{raw}'") from None
        raise ArithError(
            "expecting primary",
            f'syntax error: operand expected (error token is "{token}")',
            "arithmetic syntax error",
        )


def _apply(op: str, a: int, b: int) -> int:
    if op in ("/", "%"):
        if b == 0:
            raise ArithError(
                "division by zero", f'division by 0 (error token is "{b}")', "divide by zero"
            )
        quotient = abs(a) // abs(b) * (1 if (a >= 0) == (b >= 0) else -1)
        return quotient if op == "/" else a - quotient * b
    table = {
        "+": a + b,
        "-": a - b,
        "*": a * b,
        "<<": a << b if b >= 0 else 0,
        ">>": a >> b if b >= 0 else 0,
        "<": int(a < b),
        "<=": int(a <= b),
        ">": int(a > b),
        ">=": int(a >= b),
        "==": int(a == b),
        "!=": int(a != b),
        "&": a & b,
        "^": a ^ b,
        "|": a | b,
        "&&": int(bool(a) and bool(b)),
        "||": int(bool(a) or bool(b)),
    }
    return table[op]
