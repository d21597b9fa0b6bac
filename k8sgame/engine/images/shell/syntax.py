"""The shell's lexer and parser: words, tokens and the syntax tree of a script."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------------------------
# Lexer and parser


class ShellSyntaxError(Exception):
    def __init__(self, kind: str, token: str, line: int, expecting: str = ""):
        super().__init__(kind)
        self.kind, self.token, self.line, self.expecting = kind, token, line, expecting


class Unsupported(Exception):
    def __init__(self, feature: str, line: int):
        super().__init__(feature)
        self.feature, self.line = feature, line


@dataclass(frozen=True)
class Lit:
    text: str
    quoted: bool


@dataclass(frozen=True)
class Var:
    name: str
    op: str | None
    arg: tuple[Any, ...] | None
    quoted: bool


@dataclass(frozen=True)
class CmdSub:
    source: str
    quoted: bool
    line: int


@dataclass(frozen=True)
class Arith:
    expr: str
    quoted: bool
    line: int


Word = tuple[Lit | Var | CmdSub | Arith, ...]


@dataclass(frozen=True)
class Tok:
    kind: str  # WORD, OP, NL, EOF
    value: str  # operator text, or the raw word
    line: int
    word: Word = ()
    io: int | None = None  # a redirection's file descriptor ("2>")


_OPS = ("&&", "||", ";;", ">>", ">&", "<&", "<<", ">|", "<>", ";", "&", "|", "(", ")", "<", ">")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_RESERVED = {
    "if",
    "then",
    "elif",
    "else",
    "fi",
    "while",
    "until",
    "do",
    "done",
    "for",
    "in",
    "{",
    "}",
    "!",
}


class Lexer:
    def __init__(self, source: str):
        self.s, self.i, self.line = source, 0, 1

    def _peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.s[j] if j < len(self.s) else ""

    def tokens(self) -> list[Tok]:
        out: list[Tok] = []
        while True:
            c = self._peek()
            if c == "":
                out.append(Tok("EOF", "", self.line))
                return out
            if c in " \t":
                self.i += 1
            elif c == "\\" and self._peek(1) == "\n":
                self.i += 2
                self.line += 1
            elif c == "#":
                while self._peek() not in ("", "\n"):
                    self.i += 1
            elif c == "\n":
                out.append(Tok("NL", "\n", self.line))
                self.i += 1
                self.line += 1
            else:
                op = next((o for o in _OPS if self.s.startswith(o, self.i)), None)
                if op:
                    if op == "<<":
                        raise Unsupported("here-documents (<<)", self.line)
                    self.i += len(op)
                    out.append(Tok("OP", op, self.line))
                else:
                    out.append(self._word())

    def _word(self) -> Tok:
        line, start = self.line, self.i
        parts: list[Lit | Var | CmdSub | Arith] = []
        buf: list[str] = []

        def flush(quoted: bool = False) -> None:
            if buf:
                parts.append(Lit("".join(buf), quoted))
                buf.clear()

        while True:
            c = self._peek()
            if c == "" or c in " \t\n" or c in ";&|()<>":
                if c and c in "<>" and buf and not parts and "".join(buf).isdigit():
                    io = int("".join(buf))
                    op = next(o for o in _OPS if self.s.startswith(o, self.i))
                    self.i += len(op)
                    return Tok("OP", op, line, io=io)
                break
            if c == "\\":
                nxt = self._peek(1)
                self.i += 2
                if nxt == "\n":
                    self.line += 1
                    continue
                flush()
                parts.append(Lit(nxt, True))
            elif c == "'":
                flush()
                end = self.s.find("'", self.i + 1)
                if end < 0:
                    raise ShellSyntaxError("quote", "'", line)
                text = self.s[self.i + 1 : end]
                self.line += text.count("\n")
                parts.append(Lit(text, True))
                self.i = end + 1
            elif c == '"':
                flush()
                self.i += 1
                parts.extend(self._double())
            elif c == "$":
                flush()
                parts.append(self._dollar(False))
            elif c == "`":
                flush()
                parts.append(self._backtick(False))
            else:
                buf.append(c)
                self.i += 1
        flush()
        return Tok("WORD", self.s[start : self.i], line, tuple(parts))

    def _double(self) -> list[Lit | Var | CmdSub | Arith]:
        parts: list[Lit | Var | CmdSub | Arith] = []
        buf: list[str] = []
        start_line = self.line
        while True:
            c = self._peek()
            if c == "":
                raise ShellSyntaxError("quote", '"', start_line)
            if c == '"':
                self.i += 1
                break
            if c == "\\" and self._peek(1) and self._peek(1) in '$`"\\\n':
                if self._peek(1) == "\n":
                    self.line += 1
                else:
                    buf.append(self._peek(1))
                self.i += 2
            elif c == "$":
                if buf:
                    parts.append(Lit("".join(buf), True))
                    buf.clear()
                parts.append(self._dollar(True))
            elif c == "`":
                if buf:
                    parts.append(Lit("".join(buf), True))
                    buf.clear()
                parts.append(self._backtick(True))
            else:
                if c == "\n":
                    self.line += 1
                buf.append(c)
                self.i += 1
        parts.append(Lit("".join(buf), True))  # keeps "" as an (empty) argument
        return parts

    def _dollar(self, quoted: bool) -> Lit | Var | CmdSub | Arith:
        self.i += 1
        c = self._peek()
        if c == "(":
            line = self.line
            if self._peek(1) == "(":
                inner = self._balanced("(", ")")
                if inner.startswith("(") and inner.endswith(")"):
                    return Arith(inner[1:-1], quoted, line)
                return CmdSub(inner, quoted, line)
            source = self._balanced("(", ")")
            return CmdSub(source, quoted, line)
        if c == "{":
            return self._braced(quoted)
        if c and c in "?$#@*!-0123456789":
            self.i += 1
            return Var(c, None, None, quoted)
        m = _NAME.match(self.s, self.i)
        if m:
            self.i = m.end()
            return Var(m.group(0), None, None, quoted)
        return Lit("$", quoted)

    def _balanced(self, open_: str, close: str) -> str:
        depth, j, quote = 0, self.i, ""
        while j < len(self.s):
            ch = self.s[j]
            if quote:
                if ch == "\\" and quote == '"':
                    j += 1
                elif ch == quote:
                    quote = ""
            elif ch in "'\"":
                quote = ch
            elif ch == "\\":
                j += 1
            elif ch == open_:
                depth += 1
            elif ch == close:
                depth -= 1
                if depth == 0:
                    inner = self.s[self.i + 1 : j]
                    self.line += inner.count("\n")
                    self.i = j + 1
                    return inner
            j += 1
        raise ShellSyntaxError("eof", "", self.line, close)

    def _braced(self, quoted: bool) -> Var:
        line = self.line
        inner = self._balanced("{", "}")
        if inner.startswith("#") and _NAME.fullmatch(inner[1:]):
            return Var(inner[1:], "#", None, quoted)
        m = _NAME.match(inner) or re.match(r"[?$#@*!0-9]", inner)
        if not m:
            raise ShellSyntaxError("bad_sub", inner, line)
        name, rest = m.group(0), inner[m.end() :]
        if not rest:
            return Var(name, None, None, quoted)
        op = next((o for o in (":-", ":=", ":+", "-", "=", "+") if rest.startswith(o)), None)
        if op is None:
            raise Unsupported(f"the parameter expansion ${{{inner}}}", line)
        sub = Lexer(rest[len(op) :])
        arg = sub._word_all(quoted)
        return Var(name, op, arg, quoted)

    def _word_all(self, quoted: bool) -> Word:
        """The whole string as one word (the ``x`` of ``${V:-x}``); spaces are literal."""
        parts: list[Lit | Var | CmdSub | Arith] = []
        buf: list[str] = []
        while self.i < len(self.s):
            c = self._peek()
            if c == "$":
                if buf:
                    parts.append(Lit("".join(buf), quoted))
                    buf.clear()
                parts.append(self._dollar(quoted))
            elif c == "'" and not quoted:
                end = self.s.find("'", self.i + 1)
                if end < 0:
                    raise ShellSyntaxError("quote", "'", self.line)
                buf.append(self.s[self.i + 1 : end])
                self.i = end + 1
            elif c == '"':
                if buf:
                    parts.append(Lit("".join(buf), quoted))
                    buf.clear()
                self.i += 1
                parts.extend(self._double())
            else:
                buf.append(c)
                self.i += 1
        if buf:
            parts.append(Lit("".join(buf), quoted))
        return tuple(parts)

    def _backtick(self, quoted: bool) -> CmdSub:
        line = self.line
        end = self.s.find("`", self.i + 1)
        if end < 0:
            raise ShellSyntaxError("quote", "`", line)
        source = self.s[self.i + 1 : end]
        self.i = end + 1
        return CmdSub(source, quoted, line)


@dataclass(frozen=True)
class Redir:
    fd: int
    op: str
    target: Word
    line: int


@dataclass(frozen=True)
class Simple:
    assigns: tuple[tuple[str, Word], ...]
    words: tuple[Word, ...]
    redirs: tuple[Redir, ...]
    line: int


@dataclass(frozen=True)
class Pipeline:
    negate: bool
    cmd: Any
    rest: tuple[Any, ...] = ()  # further stages after "|"


@dataclass(frozen=True)
class AndOr:
    first: Pipeline
    rest: tuple[tuple[str, Pipeline], ...]


@dataclass(frozen=True)
class ListNode:
    items: tuple[AndOr, ...]


@dataclass(frozen=True)
class If:
    clauses: tuple[tuple[ListNode, ListNode], ...]
    otherwise: ListNode | None
    redirs: tuple[Redir, ...] = ()


@dataclass(frozen=True)
class Loop:
    until: bool
    cond: ListNode
    body: ListNode
    redirs: tuple[Redir, ...] = ()


@dataclass(frozen=True)
class For:
    name: str
    words: tuple[Word, ...] | None
    body: ListNode
    redirs: tuple[Redir, ...] = ()


@dataclass(frozen=True)
class Group:
    body: ListNode
    subshell: bool
    redirs: tuple[Redir, ...] = ()


_REDIR_OPS = {">", ">>", "<", ">&", "<&", ">|", "<>"}


class Parser:
    def __init__(self, tokens: list[Tok]):
        self.toks, self.i = tokens, 0

    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def _next(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def _reserved(self, tok: Tok | None = None) -> str | None:
        tok = tok or self.tok
        if tok.kind == "WORD" and tok.value in _RESERVED and len(tok.word) == 1:
            part = tok.word[0]
            if isinstance(part, Lit) and not part.quoted:
                return tok.value
        return None

    def _unexpected(self, expecting: str = "") -> ShellSyntaxError:
        tok = self.tok
        if tok.kind == "EOF":
            return ShellSyntaxError("eof", "", tok.line, expecting)
        text = "newline" if tok.kind == "NL" else tok.value
        return ShellSyntaxError("unexpected", text, tok.line, expecting)

    def _newlines(self) -> None:
        while self.tok.kind == "NL":
            self.i += 1

    def parse(self) -> ListNode:
        node = self.list_(set())
        if self.tok.kind != "EOF":
            raise self._unexpected()
        return node

    def _at_stop(self, stops: set[str]) -> bool:
        if self.tok.kind == "EOF":
            return True
        if self.tok.kind == "OP" and self.tok.value == ")" and ")" in stops:
            return True
        word = self._reserved()
        return word is not None and word in stops

    def list_(self, stops: set[str]) -> ListNode:
        items: list[AndOr] = []
        self._newlines()
        while not self._at_stop(stops):
            items.append(self.and_or())
            tok = self.tok
            if tok.kind == "OP" and tok.value == "&":
                raise Unsupported("background jobs (&)", tok.line)
            if tok.kind == "OP" and tok.value == ";":
                self.i += 1
                self._newlines()
            elif tok.kind == "NL":
                self._newlines()
            else:
                break
        return ListNode(tuple(items))

    def and_or(self) -> AndOr:
        first = self.pipeline()
        rest = []
        while self.tok.kind == "OP" and self.tok.value in ("&&", "||"):
            op = self._next().value
            self._newlines()
            rest.append((op, self.pipeline()))
        return AndOr(first, tuple(rest))

    def pipeline(self) -> Pipeline:
        negate = False
        if self._reserved() == "!":
            self.i += 1
            negate = True
        cmd = self.command()
        rest = []
        while self.tok.kind == "OP" and self.tok.value == "|":
            self.i += 1
            self._newlines()
            rest.append(self.command())
        return Pipeline(negate, cmd, tuple(rest))

    def _expect_word(self, word: str, expecting: str) -> None:
        if self._reserved() != word:
            raise self._unexpected(expecting)
        self.i += 1

    def command(self) -> Any:
        word = self._reserved()
        tok = self.tok
        if word == "if":
            self.i += 1
            clauses = []
            cond = self.list_({"then"})
            self._expect_word("then", '"then"')
            body = self.list_({"elif", "else", "fi"})
            clauses.append((cond, body))
            otherwise = None
            while True:
                nxt = self._reserved()
                if nxt == "elif":
                    self.i += 1
                    cond = self.list_({"then"})
                    self._expect_word("then", '"then"')
                    clauses.append((cond, self.list_({"elif", "else", "fi"})))
                elif nxt == "else":
                    self.i += 1
                    otherwise = self.list_({"fi"})
                else:
                    break
            self._expect_word("fi", '"fi"')
            if not all(c.items for c, _ in clauses):
                raise ShellSyntaxError("unexpected", "then", tok.line)
            return If(tuple(clauses), otherwise, self._redirs())
        if word in ("while", "until"):
            self.i += 1
            cond = self.list_({"do"})
            self._expect_word("do", '"do"')
            body = self.list_({"done"})
            self._expect_word("done", '"done"')
            if not cond.items or not body.items:
                raise ShellSyntaxError("unexpected", "do" if not cond.items else "done", tok.line)
            return Loop(word == "until", cond, body, self._redirs())
        if word == "for":
            self.i += 1
            name_tok = self._next()
            if name_tok.kind != "WORD" or not _NAME.fullmatch(name_tok.value):
                self.i -= 1
                raise self._unexpected()
            words: tuple[Word, ...] | None = None
            self._newlines()
            if self._reserved() == "in":
                self.i += 1
                collected = []
                while self.tok.kind == "WORD":
                    collected.append(self._next().word)
                words = tuple(collected)
                if self.tok.kind == "OP" and self.tok.value == ";":
                    self.i += 1
            elif self.tok.kind == "OP" and self.tok.value == ";":
                self.i += 1
            self._newlines()
            self._expect_word("do", '"do"')
            body = self.list_({"done"})
            self._expect_word("done", '"done"')
            return For(name_tok.value, words, body, self._redirs())
        if word == "{":
            self.i += 1
            body = self.list_({"}"})
            self._expect_word("}", '"}"')
            return Group(body, False, self._redirs())
        if tok.kind == "OP" and tok.value == "(":
            self.i += 1
            body = self.list_({")"})
            if not (self.tok.kind == "OP" and self.tok.value == ")"):
                raise self._unexpected('")"')
            self.i += 1
            return Group(body, True, self._redirs())
        if word is not None and word not in ("!",):
            raise self._unexpected()
        return self.simple()

    def _redirs(self) -> tuple[Redir, ...]:
        out = []
        while self.tok.kind == "OP" and self.tok.value in _REDIR_OPS:
            out.append(self._redir())
        return tuple(out)

    def _redir(self) -> Redir:
        op_tok = self._next()
        target = self.tok
        if target.kind != "WORD":
            raise self._unexpected()
        self.i += 1
        op = ">" if op_tok.value == ">|" else op_tok.value
        if op == "<>":
            raise Unsupported("the <> redirection", op_tok.line)
        fd = op_tok.io if op_tok.io is not None else (0 if op.startswith("<") else 1)
        return Redir(fd, op, target.word, op_tok.line)

    def simple(self) -> Simple:
        line = self.tok.line
        assigns: list[tuple[str, Word]] = []
        words: list[Word] = []
        redirs: list[Redir] = []
        while True:
            tok = self.tok
            if tok.kind == "OP" and tok.value in _REDIR_OPS:
                redirs.append(self._redir())
            elif tok.kind == "WORD":
                if not words and _assignment(tok):
                    name, _, _ = tok.value.partition("=")
                    assigns.append((name, _strip_assign(tok.word, len(name) + 1)))
                else:
                    words.append(tok.word)
                self.i += 1
                if len(words) == 1 and self.tok.kind == "OP" and self.tok.value == "(":
                    raise Unsupported("functions", tok.line)
            else:
                break
        if not (assigns or words or redirs):
            raise self._unexpected()
        return Simple(tuple(assigns), tuple(words), tuple(redirs), line)


def _assignment(tok: Tok) -> bool:
    first = tok.word[0] if tok.word else None
    if not isinstance(first, Lit) or first.quoted or "=" not in first.text:
        return False
    return bool(_NAME.fullmatch(first.text.split("=", 1)[0]))


def _strip_assign(word: Word, n: int) -> Word:
    first = word[0]
    assert isinstance(first, Lit)
    rest = first.text[n:]
    return ((Lit(rest, False),) if rest else ()) + word[1:]


def parse(source: str) -> ListNode:
    return Parser(Lexer(source).tokens()).parse()


def mentions(node: Any, names: set[str]) -> bool:
    """Does any simple command under ``node`` start with one of ``names``?"""
    if isinstance(node, Simple):
        if node.words and len(node.words[0]) == 1 and isinstance(node.words[0][0], Lit):
            return node.words[0][0].text in names
        return False
    if isinstance(node, ListNode):
        return any(mentions(i, names) for i in node.items)
    if isinstance(node, AndOr):
        return mentions(node.first, names) or any(mentions(p, names) for _, p in node.rest)
    if isinstance(node, Pipeline):
        return any(mentions(c, names) for c in (node.cmd, *node.rest))
    if isinstance(node, If):
        return any(mentions(c, names) or mentions(b, names) for c, b in node.clauses) or (
            node.otherwise is not None and mentions(node.otherwise, names)
        )
    if isinstance(node, Loop):
        return mentions(node.cond, names) or mentions(node.body, names)
    if isinstance(node, For | Group):
        return mentions(node.body, names)
    return False


def is_literal(node: ListNode, word: str) -> bool:
    if len(node.items) != 1 or node.items[0].rest:
        return False
    pipe = node.items[0].first
    cmd = pipe.cmd
    if pipe.negate or pipe.rest or not isinstance(cmd, Simple) or cmd.assigns or cmd.redirs:
        return False
    return len(cmd.words) == 1 and cmd.words[0] == (Lit(word, False),)
