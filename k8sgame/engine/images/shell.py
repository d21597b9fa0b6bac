"""A small, deterministic POSIX-shell subset that runs inside fake containers.

Nothing is executed for real: a script is interpreted into a timeline of events (log lines,
file changes, a program starting) in simulated seconds. Long or endless scripts are produced
lazily, and a loop whose state repeats exactly is turned into a periodic tail, so
``while true; do echo hello; sleep 10; done`` costs two iterations however long it runs.

Supported (anything else behaves as the real shell would for an unknown command,
``sh: foo: not found`` with status 127, or prints a clear "not supported" error, status 2):

* lists and operators: ``;``, newlines, ``&&``, ``||``, ``!``, ``|`` (one stage after the
  other: the left side's whole output becomes the right side's input), ``{ ...; }``,
  ``( ... )``, ``if/elif/else/fi``, ``while``/``until ...; do ...; done``,
  ``for x in ...; do ...; done``, ``break``, ``continue``, ``exit [N]``, comments;
* words: '...', "...", backslash escapes, ``$VAR``, ``${VAR}``, ``${VAR:-x}`` (also ``-``,
  ``:=``, ``=``, ``:+``, ``+``, ``${#VAR}``), ``$?``, ``$$``, ``$0``-``$9``, ``$#``,
  ``$@``, ``$(...)``, backticks and ``$((...))`` integer arithmetic; unquoted expansions
  split on whitespace; no globbing;
* assignments ``X=1``, ``X=1 cmd``; redirections ``>``, ``>>``, ``<``, ``2>&1``, ``>&2``,
  ``>/dev/null``;
* builtins: ``: true false exit echo printf test [ export unset set (-e) cd pwd exec wait``,
  ``read [-r] VAR...`` (from a ``<`` redirection or a pipe);
* utilities, where the image has them (busybox or GNU flavour, with their own error texts):
  ``sleep N`` (also ``1m``, ``infinity``), ``cat``, ``ls``, ``touch``, ``rm [-f] [-r]``,
  ``mkdir [-p]``, ``env``, ``printenv``, ``echo``, ``printf``, ``true``, ``false``, ``test``,
  ``hostname``, ``date``, ``whoami``, ``head``, ``tail [-f]``, ``grep [-qvicFE]`` (BRE subset);
* ``sh -c SCRIPT``, ``sh FILE``, ``bash -c`` where the image has bash, and the image's own
  programs (``exec nginx -g 'daemon off;'``).

Not supported: ``&`` background jobs, functions, ``case``, here-documents, globbing, ``trap``,
``kill``, ``ps``, networking tools (``wget``, ``curl``, ``nc``).

Simplifications: a loop iteration takes at least 0.01 s (a busy loop prints 100 lines a
second and burns a whole CPU); a file written with ``>>`` keeps its last 64 KiB.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from k8sgame.engine.images.catalog import ImageSpec, render_time

LOOP_QUANTUM = 0.01  # minimum duration of one loop iteration (seconds)
FILE_CAP = 64 * 1024  # bytes kept of a file that keeps growing
MAX_DEPTH = 40  # nested shells (sh -c "sh -c ...", a script running itself)
WS = " \t\n"
# The search path runc and the shells use when the environment has no PATH.
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

# ---------------------------------------------------------------------------------------------
# Events


@dataclass(frozen=True)
class LogEvent:
    at: float
    stream: str
    text: str


@dataclass(frozen=True)
class FileEvent:
    """A path's new state: file content, a directory (``directory``), or removed (None)."""

    at: float
    path: str
    content: str | None
    directory: bool = False


@dataclass(frozen=True)
class TickEvent:
    """Time has reached ``at`` (lets a lazy reader stop even when nothing else happens)."""

    at: float


@dataclass(frozen=True)
class StageEvent:
    """A program starts at ``at``; ``pid1`` when it replaced the container's main process."""

    at: float
    run: Any
    pid1: bool


@dataclass(frozen=True)
class NeverEndsEvent:
    """From here on the process provably runs forever (``while true`` with no way out)."""

    at: float


@dataclass(frozen=True)
class PeriodicEvent:
    """From ``at`` on, ``events`` (times relative to each period) repeat every ``period``."""

    at: float
    period: float
    events: tuple[LogEvent | FileEvent, ...]
    busy: bool


Event = LogEvent | FileEvent | TickEvent | StageEvent | NeverEndsEvent | PeriodicEvent
Gen = Generator[Event, None, int]


class Forever(Exception):
    """The process blocks forever from now on (a server, ``sleep infinity``, ``tail -f``)."""


class StartError(Exception):
    """The runtime cannot start the process; the message is containerd's."""


class _Exit(Exception):
    def __init__(self, code: int):
        self.code = code


class _LoopControl(Exception):
    def __init__(self, kind: str, levels: int):
        self.kind, self.levels = kind, levels


# ---------------------------------------------------------------------------------------------
# File system

ERRNO = {
    "ENOENT": "No such file or directory",
    "EROFS": "Read-only file system",
    "EISDIR": "Is a directory",
    "ENOTDIR": "Not a directory",
    "EEXIST": "File exists",
    "ENOTEMPTY": "Directory not empty",
}
SPECIAL_FILES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/zero")


class FileSystem:
    """The container's files: image files, mounted files, and what the process changed."""

    def __init__(
        self,
        files: Mapping[str, str],
        dirs: Iterable[str],
        read_only: Iterable[str] = (),
        writable: Iterable[str] = (),
    ):
        self.files: dict[str, str] = dict(files)
        self.dirs: set[str] = {"/"} | set(dirs)
        for path in list(self.files):
            self._add_parents(path)
        for d in list(self.dirs):
            self._add_parents(d)
        self.read_only = tuple(read_only)
        self.writable = tuple(writable)

    def _add_parents(self, path: str) -> None:
        parent = posixpath.dirname(path)
        while parent not in self.dirs:
            self.dirs.add(parent)
            parent = posixpath.dirname(parent)

    def copy(self) -> FileSystem:
        other = FileSystem.__new__(FileSystem)
        other.files, other.dirs = dict(self.files), set(self.dirs)
        other.read_only, other.writable = self.read_only, self.writable
        return other

    def key(self) -> tuple[Any, ...]:
        return (tuple(sorted(self.files.items())), tuple(sorted(self.dirs)))

    def is_file(self, path: str) -> bool:
        return path in self.files or path in SPECIAL_FILES

    def is_dir(self, path: str) -> bool:
        return path in self.dirs

    def exists(self, path: str) -> bool:
        return self.is_file(path) or self.is_dir(path)

    def read(self, path: str) -> str | None:
        if path in SPECIAL_FILES:
            return ""
        return self.files.get(path)

    def can_write(self, path: str) -> bool:
        best, verdict = -1, True
        for prefix, ok in [(p, False) for p in self.read_only] + [(p, True) for p in self.writable]:
            # The longest matching prefix decides; on a tie the later (writable) entry wins.
            if (path == prefix or path.startswith(prefix.rstrip("/") + "/")) and len(
                prefix
            ) >= best:
                best, verdict = len(prefix), ok
        return verdict

    def check_create(self, path: str) -> str | None:
        """Why a file cannot be written at ``path``, as an errno name, or None."""
        if path in SPECIAL_FILES:
            return None
        if path in self.dirs:
            return "EISDIR"
        parent = posixpath.dirname(path)
        if parent in self.files:
            return "ENOTDIR"
        if parent not in self.dirs:
            return "ENOENT"
        if not self.can_write(path):
            return "EROFS"
        return None

    def write(self, path: str, content: str) -> str | None:
        problem = self.check_create(path)
        if problem is None and path not in SPECIAL_FILES:
            if len(content) > FILE_CAP:
                content = content[-FILE_CAP:]
            self.files[path] = content
        return problem

    def remove(self, path: str, recursive: bool) -> str | None:
        if not self.exists(path):
            return "ENOENT"
        if not self.can_write(path):
            return "EROFS"
        if path in self.dirs:
            inside = [p for p in (*self.files, *self.dirs) if p.startswith(path.rstrip("/") + "/")]
            if not recursive:
                return "EISDIR"
            for p in inside:
                self.files.pop(p, None)
                self.dirs.discard(p)
            if path != "/":
                self.dirs.discard(path)
            return None
        self.files.pop(path, None)
        return None

    def mkdir(self, path: str, parents: bool) -> str | None:
        if self.exists(path):
            return None if parents and path in self.dirs else "EEXIST"
        parent = posixpath.dirname(path)
        if parent in self.files:
            return "ENOTDIR"
        if parent not in self.dirs:
            if not parents:
                return "ENOENT"
            problem = self.mkdir(parent, True)
            if problem:
                return problem
        if not self.can_write(path):
            return "EROFS"
        self.dirs.add(path)
        return None

    def listdir(self, path: str) -> list[str]:
        prefix = path.rstrip("/") + "/"
        names = {
            p[len(prefix) :].split("/", 1)[0]
            for p in (*self.files, *self.dirs)
            if p.startswith(prefix) and p != prefix
        }
        if path == "/dev":
            names |= {"null", "stdout", "stderr", "zero"}
        return sorted(n for n in names if n)

    def apply(self, event: FileEvent) -> None:
        if event.content is None:
            if event.directory:
                self.remove(event.path, True)
            else:
                self.files.pop(event.path, None)
        elif event.directory:
            self.dirs.add(event.path)
            self._add_parents(event.path)
        else:
            self.files[event.path] = event.content
            self._add_parents(event.path)


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


def _mentions(node: Any, names: set[str]) -> bool:
    """Does any simple command under ``node`` start with one of ``names``?"""
    if isinstance(node, Simple):
        if node.words and len(node.words[0]) == 1 and isinstance(node.words[0][0], Lit):
            return node.words[0][0].text in names
        return False
    if isinstance(node, ListNode):
        return any(_mentions(i, names) for i in node.items)
    if isinstance(node, AndOr):
        return _mentions(node.first, names) or any(_mentions(p, names) for _, p in node.rest)
    if isinstance(node, Pipeline):
        return any(_mentions(c, names) for c in (node.cmd, *node.rest))
    if isinstance(node, If):
        return any(_mentions(c, names) or _mentions(b, names) for c, b in node.clauses) or (
            node.otherwise is not None and _mentions(node.otherwise, names)
        )
    if isinstance(node, Loop):
        return _mentions(node.cond, names) or _mentions(node.body, names)
    if isinstance(node, For | Group):
        return _mentions(node.body, names)
    return False


def _is_literal(node: ListNode, word: str) -> bool:
    if len(node.items) != 1 or node.items[0].rest:
        return False
    pipe = node.items[0].first
    cmd = pipe.cmd
    if pipe.negate or pipe.rest or not isinstance(cmd, Simple) or cmd.assigns or cmd.redirs:
        return False
    return len(cmd.words) == 1 and cmd.words[0] == (Lit(word, False),)


# ---------------------------------------------------------------------------------------------
# The container the shell runs in


@dataclass(frozen=True)
class Stage:
    """What a program or entrypoint script does, as the process planner worked it out.

    ``lines`` are (seconds after the stage starts, stream, text). Exactly one outcome:
    ``exit`` (seconds, code); ``then_exec`` (argv to exec after ``seconds``); or neither,
    which means the stage runs forever.
    """

    lines: tuple[tuple[float, str, str], ...] = ()
    exit: tuple[float, int] | None = None
    then_exec: tuple[str, ...] | None = None
    seconds: float = 0.0
    run: Any = None
    exec_not_found: str = ""


class Host(Protocol):
    """What the shell needs from the process planner (``process.py`` implements it)."""

    image: ImageSpec
    started_at: float
    stdin: bool

    def stage(
        self,
        kind: str,
        target: Any,
        argv: list[str],
        env: dict[str, str],
        fs: FileSystem,
        at: float,
    ) -> Stage: ...


UTILITY_NAMES = (
    "[",
    "cat",
    "date",
    "echo",
    "env",
    "false",
    "grep",
    "head",
    "hostname",
    "ls",
    "mkdir",
    "printenv",
    "printf",
    "rm",
    "sleep",
    "tail",
    "test",
    "touch",
    "true",
    "whoami",
)
BUILTINS = (
    ":",
    "true",
    "false",
    "exit",
    "echo",
    "printf",
    "test",
    "[",
    "export",
    "unset",
    "set",
    "cd",
    "pwd",
    "exec",
    "wait",
    "read",
    "break",
    "continue",
)
_BIN_DIRS = ("/bin", "/usr/bin")


def binary_table(image: ImageSpec) -> dict[str, tuple[str, Any]]:
    """path -> (kind, detail) for everything executable in the image."""
    table: dict[str, tuple[str, Any]] = {}
    if image.utilities:
        for name in UTILITY_NAMES:
            for d in _BIN_DIRS:
                table[f"{d}/{name}"] = ("utility", name)
    if image.shell:
        for d in _BIN_DIRS:
            table[f"{d}/sh"] = ("shell", "sh")
        if image.bash:
            for d in _BIN_DIRS:
                table[f"{d}/bash"] = ("shell", "bash")
    if image.entrypoint_script:
        for p in image.entrypoint_script.paths:
            table[p] = ("entrypoint", image.entrypoint_script)
    for program in image.programs:
        for p in program.paths:
            table.setdefault(p, ("program", []))[1].append(program)
    return table


@dataclass
class Run:
    """The mutable state of one process run: time, files, half-written log lines."""

    host: Host
    fs: FileSystem
    now: float = 0.0
    partial: dict[str, str] = field(default_factory=lambda: {"stdout": "", "stderr": ""})
    taint: int = 0  # bumped by anything that makes a loop iteration not repeatable
    overlay: list[FileEvent] = field(default_factory=list)  # changes made by `kubectl exec`
    capture_depth: int = 0
    table: dict[str, tuple[str, Any]] = field(default_factory=dict)

    def sync_overlay(self) -> None:
        while self.overlay and self.overlay[0].at <= self.now:
            self.fs.apply(self.overlay.pop(0))

    def pending_overlay(self) -> bool:
        return bool(self.overlay)


# Output targets for file descriptors.
@dataclass(frozen=True)
class ToLog:
    stream: str


@dataclass(frozen=True)
class ToFile:
    path: str


@dataclass(frozen=True)
class ToNull:
    pass


@dataclass(eq=False)
class ToCapture:
    chunks: list[str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(self.chunks)


Target = ToLog | ToFile | ToNull | ToCapture


# ---------------------------------------------------------------------------------------------
# Message formats of busybox ash, dash and bash (and busybox vs GNU utilities)


class Messages:
    def __init__(self, shell: str, utils: str, arg0: str):
        self.shell, self.utils, self.arg0 = shell, utils, arg0
        self.script = False  # running a script file (busybox then numbers its lines)

    def prefix(self, line: int) -> str:
        if self.shell == "dash":
            return f"{self.arg0}: {line}: "
        if self.shell == "bash":
            return f"{self.arg0}: line {line}: "
        return f"{self.arg0}: "

    def not_found(self, name: str, line: int) -> str:
        if self.shell == "bash":
            return f"{self.prefix(line)}{name}: command not found"
        return f"{self.prefix(line)}{name}: not found"

    def builtin_error(self, builtin: str, text: str, line: int) -> str:
        if self.shell == "busybox":
            # ash names the builtin, then the line (0 for `sh -c` strings).
            return f"{self.arg0}: {builtin}: line {line if self.script else 0}: {text}"
        return f"{self.prefix(line)}{builtin}: {text}"

    def illegal_number(self, builtin: str, value: str, line: int) -> str:
        if self.shell == "bash":
            return f"{self.prefix(line)}{builtin}: {value}: numeric argument required"
        if self.shell == "busybox":
            return self.builtin_error(builtin, f"Illegal number: {value}", line)
        return f"{self.prefix(line)}{builtin}: Illegal number: {value}"

    def cannot_create(self, path: str, errno: str, line: int) -> str:
        if self.shell == "bash":
            return f"{self.prefix(line)}{path}: {ERRNO[errno]}"
        if self.shell == "dash":
            reason = "Directory nonexistent" if errno == "ENOENT" else ERRNO[errno]
            return f"{self.prefix(line)}cannot create {path}: {reason}"
        reason = "nonexistent directory" if errno == "ENOENT" else ERRNO[errno]
        return f"{self.prefix(line)}can't create {path}: {reason}"

    def cannot_open(self, path: str, line: int) -> str:
        if self.shell == "bash":
            return f"{self.prefix(line)}{path}: No such file or directory"
        if self.shell == "dash":
            return f"{self.prefix(line)}cannot open {path}: No such file"
        return f"{self.prefix(line)}can't open {path}: no such file"

    def syntax(self, err: ShellSyntaxError, source_name: str | None, source: str = "") -> str:
        line = err.line
        if self.shell == "bash":
            where = f"{self.arg0}: {source_name or '-c'}: line {line}: "
            if err.kind == "quote":
                return f"{where}unexpected EOF while looking for matching `{err.token}'"
            if err.kind == "eof":
                # bash notices the end of file on the line after the last one.
                last = source.rstrip("\n").count("\n") + 2
                return f"{self.arg0}: {source_name or '-c'}: line {last}: syntax error: unexpected end of file"
            if err.kind == "bad_sub":
                return f"{where}${{{err.token}}}: bad substitution"
            lines = source.split("\n")
            text = lines[line - 1] if 0 < line <= len(lines) else ""
            return f"{where}syntax error near unexpected token `{err.token}'\n{where}`{text}'"
        if self.shell == "dash":
            if err.kind == "quote":
                return f"{self.prefix(line)}Syntax error: Unterminated quoted string"
            if err.kind == "eof":
                expecting = f" (expecting {err.expecting})" if err.expecting else ""
                return f"{self.prefix(line)}Syntax error: end of file unexpected{expecting}"
            if err.kind == "bad_sub":
                return f"{self.prefix(line)}Syntax error: Bad substitution"
            return f'{self.prefix(line)}Syntax error: "{err.token}" unexpected'
        if err.kind == "quote":
            return f"{self.arg0}: syntax error: unterminated quoted string"
        if err.kind == "eof":
            expecting = f" (expecting {err.expecting})" if err.expecting else ""
            return f"{self.arg0}: syntax error: unexpected end of file{expecting}"
        if err.kind == "bad_sub":
            return f"{self.arg0}: syntax error: bad substitution"
        return f'{self.arg0}: syntax error: unexpected "{err.token}"'

    def unsupported(self, feature: str, line: int) -> str:
        return f"{self.prefix(line)}{feature}: not supported by the k8sgame simulated shell"


# ---------------------------------------------------------------------------------------------
# The interpreter


class Shell:
    """One shell process (or the runtime itself, when ``is_shell`` is False)."""

    def __init__(
        self,
        run: Run,
        env: Mapping[str, str],
        *,
        arg0: str = "sh",
        kind: str = "sh",
        is_shell: bool = True,
        positional: Iterable[str] = (),
        pid1: bool = False,
        fds: dict[int, Target] | None = None,
        depth: int = 0,
        cwd: str = "/",
    ):
        image = run.host.image
        self.run = run
        self.vars: dict[str, str] = dict(env)
        self.exported: set[str] = set(env)
        self.arg0 = arg0
        self.kind = kind
        self.is_shell = is_shell
        self.positional = list(positional)
        self.pid1 = pid1
        self.fds: dict[int, Target] = fds or {1: ToLog("stdout"), 2: ToLog("stderr")}
        self.stdin: str | None = None
        self.status = 0
        self.errexit = False
        self.depth = depth
        self.cwd = cwd
        self.line = 1
        self.cond = 0
        self.loops = 0
        flavour = ("bash" if kind == "bash" else image.shell) or "busybox"
        self.msg = Messages(flavour, image.utilities or "busybox", arg0)

    # -- output -----------------------------------------------------------------------------

    def write(self, fd: int, text: str) -> Generator[Event, None, None]:
        if not text:
            return
        target = self.fds.get(fd, ToNull())
        run = self.run
        if isinstance(target, ToLog):
            buf = run.partial[target.stream] + text
            *lines, rest = buf.split("\n")
            run.partial[target.stream] = rest
            for line in lines:
                yield LogEvent(run.now, target.stream, line)
        elif isinstance(target, ToFile):
            old = run.fs.read(target.path) or ""
            if run.fs.write(target.path, old + text) is None and target.path not in SPECIAL_FILES:
                yield FileEvent(run.now, target.path, run.fs.files[target.path])
        elif isinstance(target, ToCapture):
            target.chunks.append(text)

    def out(self, text: str) -> Generator[Event, None, None]:
        yield from self.write(1, text)

    def err(self, text: str) -> Generator[Event, None, None]:
        yield from self.write(2, text + "\n")

    def env(self) -> dict[str, str]:
        return {k: v for k, v in self.vars.items() if k in self.exported}

    def path(self, p: str) -> str:
        return posixpath.normpath(posixpath.join(self.cwd, p)) if p else p

    # -- entry points -----------------------------------------------------------------------

    def run_source(self, source: str, source_name: str | None = None) -> Gen:
        """Run a script; returns its exit status."""
        try:
            tree = parse(source)
        except ShellSyntaxError as exc:
            yield from self.err(self.msg.syntax(exc, source_name, source))
            return 2
        except Unsupported as exc:
            yield from self.err(self.msg.unsupported(exc.feature, exc.line))
            return 2
        try:
            return (yield from self._list(tree, tail=self.pid1))
        except _Exit as exc:
            return exc.code
        except _LoopControl:
            return 0

    def run_argv(self, argv: list[str], *, not_found: str | None = None) -> Gen:
        """Execute ``argv`` as the runtime (or ``exec``) would: no builtins, PATH lookup."""
        return (yield from self._external(argv, self.env(), self.pid1, not_found=not_found))

    # -- lists and compound commands --------------------------------------------------------

    def _list(self, node: ListNode, tail: bool = False) -> Gen:
        status = self.status
        for index, item in enumerate(node.items):
            last = tail and index == len(node.items) - 1 and not item.rest
            status = yield from self._and_or(item, last)
        return status

    def _and_or(self, node: AndOr, tail: bool) -> Gen:
        pipes = [("", node.first), *node.rest]
        status = 0
        ran_last = False
        for index, (op, pipe) in enumerate(pipes):
            if op == "&&" and status != 0:
                continue
            if op == "||" and status == 0:
                continue
            last = index == len(pipes) - 1
            if not last:
                self.cond += 1
            try:
                status = yield from self._pipeline(pipe, tail and last)
            finally:
                if not last:
                    self.cond -= 1
            self.status = status
            ran_last = last and not pipe.negate
        # set -e: only a failing last command of an and-or list, outside any condition, exits.
        if self.errexit and status != 0 and not self.cond and ran_last:
            raise _Exit(status)
        return status

    def _pipeline(self, pipe: Pipeline, tail: bool) -> Gen:
        if pipe.negate:
            self.cond += 1
            try:
                status = yield from self._stages(pipe, False)
            finally:
                self.cond -= 1
            self.status = 0 if status else 1
            return self.status
        status = yield from self._stages(pipe, tail)
        self.status = status
        return status

    def _stages(self, pipe: Pipeline, tail: bool) -> Gen:
        if not pipe.rest:
            return (yield from self._command(pipe.cmd, tail))
        # Each stage runs in a subshell after the previous one finished; its whole output
        # becomes the next one's input (no streaming: an endless stage blocks the rest).
        stdin = self.stdin
        stages = (pipe.cmd, *pipe.rest)
        status = 0
        for index, stage in enumerate(stages):
            last = index == len(stages) - 1
            capture = ToCapture()
            child = self._fork(None if last else {1: capture, 2: self.fds.get(2, ToNull())})
            child.stdin = stdin
            self.run.capture_depth += 1
            try:
                status = yield from child._command(stage, False)
            except _Exit as exc:
                status = exc.code
            except _LoopControl:
                status = 0
            finally:
                self.run.capture_depth -= 1
            stdin = capture.text()
        return status

    def _command(self, cmd: Any, tail: bool) -> Gen:
        if isinstance(cmd, Simple):
            return (yield from self._simple(cmd, tail))
        saved, saved_stdin = dict(self.fds), self.stdin
        try:
            problem = yield from self._apply_redirs(cmd.redirs)
            if problem is not None:
                return problem
            if isinstance(cmd, If):
                return (yield from self._if(cmd))
            if isinstance(cmd, Loop):
                return (yield from self._loop(cmd))
            if isinstance(cmd, For):
                return (yield from self._for(cmd))
            if cmd.subshell:
                return (yield from self._subshell(cmd.body))
            return (yield from self._list(cmd.body))
        finally:
            self.fds = saved
            # Input read by `read` inside stays consumed unless this command redirected it.
            if any(r.op == "<" for r in cmd.redirs):
                self.stdin = saved_stdin

    def _if(self, node: If) -> Gen:
        for cond, body in node.clauses:
            self.cond += 1
            try:
                status = yield from self._list(cond)
            finally:
                self.cond -= 1
            if status == 0:
                return (yield from self._list(body))
        if node.otherwise is not None:
            return (yield from self._list(node.otherwise))
        return 0

    def _subshell(self, body: ListNode) -> Gen:
        child = self._fork()
        try:
            status = yield from child._list(body)
        except _Exit as exc:
            status = exc.code
        except _LoopControl:
            status = 0
        return status

    def _fork(self, fds: dict[int, Target] | None = None) -> Shell:
        child = Shell.__new__(Shell)
        child.__dict__.update(self.__dict__)
        child.vars, child.exported = dict(self.vars), set(self.exported)
        child.positional, child.fds = list(self.positional), dict(fds or self.fds)
        child.pid1, child.loops = False, 0
        return child

    def _state(self) -> tuple[Any, ...]:
        run = self.run
        return (
            run.fs.key(),
            tuple(sorted(self.vars.items())),
            tuple(sorted(self.exported)),
            self.status,
            tuple(self.positional),
            tuple(sorted(run.partial.items())),
            tuple(sorted((k, repr(v)) for k, v in self.fds.items())),
            self.errexit,
            self.cwd,
            self.stdin,
        )

    def _never_ends(self, node: Loop) -> bool:
        endless = (
            _is_literal(node.cond, "false")
            if node.until
            else (_is_literal(node.cond, "true") or _is_literal(node.cond, ":"))
        )
        escapes = {"exit", "break", "exec", "set", "return"}
        return endless and not self.errexit and not _mentions(node.body, escapes)

    def _loop(self, node: Loop) -> Gen:
        run = self.run
        self.loops += 1
        status = 0
        previous: tuple[Any, float, list[Event], bool] | None = None
        announced = False
        try:
            while True:
                start = run.now
                run.sync_overlay()
                yield TickEvent(start)
                if not announced and self._never_ends(node):
                    announced = True
                    yield NeverEndsEvent(start)
                shortcut = not run.capture_depth and not run.pending_overlay()
                key = self._state() if shortcut else None
                if previous is not None and key is not None and previous[0] == key and previous[3]:
                    _, prev_start, events, _ = previous
                    period = start - prev_start
                    relative = tuple(
                        _shift(e, -prev_start)
                        for e in events
                        if isinstance(e, LogEvent | FileEvent)
                    )
                    busy = period <= LOOP_QUANTUM + 1e-12
                    yield PeriodicEvent(start, period, relative, busy)
                    raise Forever
                taint = run.taint
                recorded: list[Event] = []
                try:
                    self.cond += 1
                    try:
                        cond = yield from _tee(self._list(node.cond), recorded)
                    finally:
                        self.cond -= 1
                    if (cond == 0) == node.until:
                        break
                    status = yield from _tee(self._list(node.body), recorded)
                except _LoopControl as ctl:
                    if ctl.levels > 1:
                        ctl.levels -= 1
                        raise
                    if ctl.kind == "break":
                        break
                if run.now == start:
                    run.now += LOOP_QUANTUM
                clean = run.taint == taint and not any(
                    isinstance(e, StageEvent | PeriodicEvent | NeverEndsEvent) for e in recorded
                )
                previous = (key, start, recorded, clean and key is not None)
        finally:
            self.loops -= 1
        return status

    def _for(self, node: For) -> Gen:
        if node.words is None:
            values = list(self.positional)
        else:
            values = []
            for word in node.words:
                values.extend((yield from self._expand(word)))
        status = 0
        self.loops += 1
        try:
            for value in values:
                self.vars[node.name] = value
                try:
                    status = yield from self._list(node.body)
                except _LoopControl as ctl:
                    if ctl.levels > 1:
                        ctl.levels -= 1
                        raise
                    if ctl.kind == "break":
                        break
        finally:
            self.loops -= 1
        return status

    # -- words ------------------------------------------------------------------------------

    def _var(self, name: str) -> str | None:
        if name == "?":
            return str(self.status)
        if name == "$":
            return "1"
        if name == "!":
            return ""
        if name == "-":
            return "e" if self.errexit else ""
        if name == "#":
            return str(len(self.positional))
        if name == "0":
            return self.arg0
        if name.isdigit():
            index = int(name) - 1
            return self.positional[index] if index < len(self.positional) else None
        if name in ("@", "*"):
            return " ".join(self.positional)
        return self.vars.get(name)

    def _part_value(self, part: Var | CmdSub | Arith) -> Generator[Event, None, str]:
        if isinstance(part, CmdSub):
            return (yield from self._command_substitution(part))
        if isinstance(part, Arith):
            return (yield from self._arithmetic(part))
        value = self._var(part.name)
        op = part.op
        if op == "#":
            return str(len(value or ""))
        if op is None:
            return value or ""
        empty = value is None or (op.startswith(":") and value == "")
        if op in (":-", "-"):
            return (yield from self._join(part.arg or ())) if empty else (value or "")
        if op in (":=", "="):
            if empty:
                new = yield from self._join(part.arg or ())
                self.vars[part.name] = new
                return new
            return value or ""
        return "" if empty else (yield from self._join(part.arg or ()))

    def _join(self, word: Word) -> Generator[Event, None, str]:
        pieces = []
        for part in word:
            if isinstance(part, Lit):
                pieces.append(part.text)
            else:
                pieces.append((yield from self._part_value(part)))
        return "".join(pieces)

    def _expand(self, word: Word) -> Generator[Event, None, list[str]]:
        """Expand one word into fields (splitting unquoted expansions on whitespace)."""
        fields: list[str] = []
        cur, have = "", False
        for part in word:
            if isinstance(part, Lit):
                cur += part.text
                have = have or part.quoted or part.text != ""
                continue
            if isinstance(part, Var) and part.name == "@" and part.quoted and part.op is None:
                args = self.positional
                if args:
                    cur += args[0]
                    for arg in args[1:]:
                        fields.append(cur)
                        cur = arg
                    have = True
                continue
            value = yield from self._part_value(part)
            if part.quoted:
                cur += value
                have = True
                continue
            if not value:
                continue
            pieces = value.split()
            if not pieces:
                if have:
                    fields.append(cur)
                cur, have = "", False
                continue
            if value[0] in WS and have:
                fields.append(cur)
                cur = ""
            cur += pieces[0]
            have = True
            for piece in pieces[1:]:
                fields.append(cur)
                cur = piece
            if value[-1] in WS:
                fields.append(cur)
                cur, have = "", False
        if have:
            fields.append(cur)
        return fields

    def _arithmetic(self, part: Arith) -> Generator[Event, None, str]:
        text = part.expr
        # Parameter expansion happens first ($x, ${x}); bare names are looked up below.
        text = re.sub(
            r"\$\{?([A-Za-z_][A-Za-z0-9_]*|[?$#0-9])\}?",
            lambda m: self._var(m.group(1)) or "0",
            text,
        )
        try:
            return str(_Arithmetic(text, self).value())
        except _ArithError as exc:
            shell = self.msg.shell
            if shell == "dash" and exc.reason.startswith("Illegal number"):
                message = f"{self.msg.prefix(part.line)}{exc.reason}"
            elif shell == "dash":
                message = (
                    f'{self.msg.prefix(part.line)}arithmetic expression: {exc.reason}: "{text}"'
                )
            elif shell == "bash":
                message = f"{self.msg.prefix(part.line)}{text}: {exc.bash}"
            else:
                message = f"{self.arg0}: {exc.busybox}"
            yield from self.err(message)
            raise _Exit(1 if shell == "bash" else 2) from None

    def _command_substitution(self, part: CmdSub) -> Generator[Event, None, str]:
        capture = ToCapture()
        child = self._fork({1: capture, 2: self.fds.get(2, ToNull())})
        child.depth = self.depth + 1
        self.run.capture_depth += 1
        try:
            if child.depth > MAX_DEPTH:
                status = 2
            else:
                status = yield from child.run_source(part.source)
        finally:
            self.run.capture_depth -= 1
        self.status = status
        return capture.text().rstrip("\n")

    # -- simple commands --------------------------------------------------------------------

    def _apply_redirs(self, redirs: tuple[Redir, ...]) -> Generator[Event, None, int | None]:
        """Set up redirections; returns a failure status, or None when all went well."""
        fs = self.run.fs
        for r in redirs:
            target = yield from self._join(r.target)
            self.line = r.line
            if r.op in (">&", "<&"):
                if target == "-":
                    self.fds[r.fd] = ToNull()
                elif target.isdigit() and int(target) in (0, 1, 2):
                    self.fds[r.fd] = self.fds.get(int(target), ToNull())
                else:
                    yield from self.err(f"{self.msg.prefix(r.line)}{target}: bad file descriptor")
                    return 1
                continue
            path = self.path(target)
            if r.op == "<":
                content = fs.read(path)
                if content is None or fs.is_dir(path):
                    yield from self.err(self.msg.cannot_open(target, r.line))
                    return 2 if self.msg.shell == "dash" else 1
                self.stdin = content
                continue
            if path == "/dev/stdout":
                self.fds[r.fd] = self.fds.get(1, ToNull())
                continue
            if path == "/dev/stderr":
                self.fds[r.fd] = self.fds.get(2, ToNull())
                continue
            if path in ("/dev/null", "/dev/zero"):
                self.fds[r.fd] = ToNull()
                continue
            content = fs.read(path) if r.op == ">>" else None
            problem = fs.write(path, content or "")
            if problem:
                yield from self.err(self.msg.cannot_create(target, problem, r.line))
                return 2 if self.msg.shell == "dash" else 1
            yield FileEvent(self.run.now, path, fs.files[path])
            self.fds[r.fd] = ToFile(path)
        return None

    def _simple(self, node: Simple, tail: bool) -> Gen:
        self.line = node.line
        self.run.sync_overlay()
        argv: list[str] = []
        for word in node.words:
            argv.extend((yield from self._expand(word)))
        assigns = []
        for name, word in node.assigns:
            assigns.append((name, (yield from self._join(word))))
        if not argv:
            for name, value in assigns:
                self.vars[name] = value
            saved = dict(self.fds)
            try:
                problem = yield from self._apply_redirs(node.redirs)
            finally:
                self.fds = saved
            return problem if problem is not None else self.status if node.words else 0
        saved, saved_stdin = dict(self.fds), self.stdin
        try:
            problem = yield from self._apply_redirs(node.redirs)
            if problem is not None:
                return problem
            name = argv[0]
            if name in BUILTINS and name not in ("exec",):
                if name in ("export", "unset", "set", "cd", "exit", "break", "continue", "read"):
                    for key, value in assigns:
                        self.vars[key] = value
                return (yield from self._builtin(name, argv))
            if name == "exec":
                for key, value in assigns:
                    self.vars[key] = value
                    self.exported.add(key)
                if len(argv) == 1:
                    return 0
                not_found = self.msg.builtin_error("exec", "{{name}}: not found", node.line)
                status = yield from self._external(
                    argv[1:], self.env(), self.pid1, not_found=not_found
                )
                raise _Exit(status)
            env = self.env()
            env.update(assigns)
            return (yield from self._external(argv, env, self.pid1 and tail))
        finally:
            self.fds = saved
            if any(r.op == "<" for r in node.redirs):
                self.stdin = saved_stdin

    # -- running binaries -------------------------------------------------------------------

    def _lookup(self, name: str, env: Mapping[str, str]) -> tuple[str, tuple[str, Any]] | None:
        run = self.run
        table = run.table
        if "/" in name:
            path = self.path(name)
            found = table.get(path)
            if found is None and path in run.fs.files and run.fs.files[path].startswith("#!"):
                return path, ("script", None)
            return (path, found) if found else None
        for d in env.get("PATH", DEFAULT_PATH).split(":"):
            if not d:
                continue
            path = posixpath.join(d, name)
            found = table.get(path)
            if found:
                return path, found
            if path in run.fs.files and run.fs.files[path].startswith("#!"):
                return path, ("script", None)
        return None

    def _external(
        self, argv: list[str], env: dict[str, str], pid1: bool, *, not_found: str | None = None
    ) -> Gen:
        found = self._lookup(argv[0], env)
        if found is None:
            if not_found is not None:
                if not_found:
                    yield from self.err(not_found.replace("{{name}}", argv[0]))
                return 127
            if not self.is_shell:
                raise StartError(argv[0])
            yield from self.err(self.msg.not_found(argv[0], self.line))
            return 127
        path, (kind, detail) = found
        if kind == "utility":
            return (yield from Utilities(self, env).run(detail, argv))
        if kind == "shell":
            return (yield from self._run_shell(detail, argv, env, pid1))
        if kind == "script":
            return (yield from self._run_script_file(path, argv, env, pid1))
        if kind == "program":
            program = _pick_program(detail, argv)
            stage = self.run.host.stage("program", program, argv, env, self.run.fs, self.run.now)
            return (yield from self._stage(stage, env, pid1))
        stage = self.run.host.stage("entrypoint", detail, argv, env, self.run.fs, self.run.now)
        return (yield from self._stage(stage, env, pid1))

    def _stage(self, stage: Stage, env: dict[str, str], pid1: bool) -> Gen:
        run = self.run
        start = run.now
        if stage.run is not None:
            yield StageEvent(start, stage.run, pid1)
            run.taint += 1
        for rel, stream, text in stage.lines:
            run.now = max(run.now, start + rel)
            yield from self.write(1 if stream == "stdout" else 2, text + "\n")
        if stage.then_exec is not None:
            run.now = max(run.now, start + stage.seconds)
            child = self._fork()
            child.is_shell, child.pid1 = True, pid1
            if not stage.then_exec:
                return 0
            return (
                yield from child._external(
                    list(stage.then_exec), env, pid1, not_found=stage.exec_not_found
                )
            )
        if stage.exit is None:
            raise Forever
        run.now = max(run.now, start + stage.exit[0])
        return stage.exit[1]

    def _shell_child(
        self, kind: str, arg0: str, env: Mapping[str, str], positional: list[str], pid1: bool
    ) -> Shell:
        child = Shell(
            self.run,
            env,
            arg0=arg0,
            kind=kind,
            positional=positional,
            pid1=pid1,
            fds=dict(self.fds),
            depth=self.depth + 1,
            cwd=self.cwd,
        )
        child.stdin = self.stdin
        return child

    def _run_shell(self, kind: str, argv: list[str], env: dict[str, str], pid1: bool) -> Gen:
        arg0 = argv[0]
        errexit = False
        command: str | None = None
        i = 1
        while i < len(argv) and argv[i].startswith(("-", "+")) and argv[i] not in ("-", "--"):
            flags = argv[i]
            i += 1
            if flags in ("-o", "+o"):
                i += 1
                continue
            if "e" in flags[1:]:
                errexit = flags.startswith("-")
            if "c" in flags[1:]:
                if i >= len(argv):
                    probe = self._shell_child(kind, arg0, env, [], pid1)
                    if probe.msg.shell == "bash":
                        text = f"{arg0}: -c: option requires an argument"
                    elif probe.msg.shell == "dash":
                        text = f"{arg0}: 0: -c requires an argument"
                    else:
                        text = f"{arg0}: -c requires an argument"
                    yield from self.err(text)
                    return 2
                command = argv[i]
                i += 1
        if i < len(argv) and argv[i] == "--":
            i += 1
        rest = argv[i:]
        if self.depth + 1 > MAX_DEPTH:
            yield from self.err(f"{arg0}: can't fork: Resource temporarily unavailable")
            return 2
        if command is not None:
            child = self._shell_child(kind, rest[0] if rest else arg0, env, rest[1:], pid1)
            child.errexit = errexit
            return (yield from child.run_source(command))
        if rest:
            path = self.path(rest[0])
            child = self._shell_child(kind, arg0, env, rest[1:], pid1)
            content = self.run.fs.read(path)
            if content is None or self.run.fs.is_dir(path):
                if child.msg.shell == "bash":
                    yield from self.err(f"{arg0}: {rest[0]}: No such file or directory")
                    return 127
                if child.msg.shell == "dash":
                    yield from self.err(f"{arg0}: 0: cannot open {rest[0]}: No such file")
                    return 2
                yield from self.err(f"{arg0}: can't open '{rest[0]}': No such file or directory")
                return 2
            child.arg0 = rest[0]
            child.msg.arg0 = rest[0]
            child.msg.script = True
            child.errexit = errexit
            return (yield from child.run_source(content, rest[0]))
        # No script and no file: the shell reads commands from stdin.
        if self.stdin is not None:
            child = self._shell_child(kind, arg0, env, [], pid1)
            return (yield from child.run_source(self.stdin))
        if self.run.host.stdin and pid1:
            raise Forever
        return 0

    def _run_script_file(self, path: str, argv: list[str], env: dict[str, str], pid1: bool) -> Gen:
        content = self.run.fs.files.get(path, "")
        first = content.split("\n", 1)[0][2:].strip().split()
        interp = first[0] if first else "/bin/sh"
        found = self._lookup(interp, env)
        if found is None or found[1][0] != "shell":
            if not self.is_shell:
                raise StartError(argv[0])
            yield from self.err(f"{self.msg.prefix(self.line)}{argv[0]}: not found")
            return 127
        kind = found[1][1]
        child = self._shell_child(kind, path, env, argv[1:], pid1)
        return (yield from child.run_source(content, path))

    # -- builtins ---------------------------------------------------------------------------

    def _builtin(self, name: str, argv: list[str]) -> Gen:
        args = argv[1:]
        line = self.line
        if name in (":", "true"):
            return 0
        if name == "false":
            return 1
        if name == "exit":
            if not args:
                raise _Exit(self.status)
            try:
                code = int(args[0])
                if code < 0 and self.msg.shell != "bash":
                    raise ValueError
            except ValueError:
                yield from self.err(self.msg.illegal_number("exit", args[0], line))
                raise _Exit(2) from None
            raise _Exit(code & 0xFF)
        if name in ("break", "continue"):
            if not self.loops:
                return 0
            levels = int(args[0]) if args and args[0].isdigit() and int(args[0]) > 0 else 1
            raise _LoopControl(name, min(levels, self.loops))
        if name == "export":
            for arg in args:
                if arg == "-p":
                    continue
                key, eq, value = arg.partition("=")
                if eq:
                    self.vars[key] = value
                self.exported.add(key)
            return 0
        if name == "unset":
            for arg in args:
                if arg in ("-v", "-f"):
                    continue
                self.vars.pop(arg, None)
                self.exported.discard(arg)
            return 0
        if name == "set":
            i = 0
            while i < len(args):
                arg = args[i]
                if arg in ("-o", "+o"):
                    i += 2
                    continue
                if arg.startswith(("-", "+")) and len(arg) > 1 and arg != "--":
                    if "e" in arg:
                        self.errexit = arg.startswith("-")
                    i += 1
                    continue
                if arg == "--":
                    i += 1
                self.positional = args[i:]
                break
            return 0
        if name == "cd":
            target = args[0] if args else self.vars.get("HOME", "/")
            path = self.path(target)
            if not self.run.fs.is_dir(path):
                shell = self.msg.shell
                if shell == "bash":
                    yield from self.err(
                        self.msg.builtin_error("cd", f"{target}: No such file or directory", line)
                    )
                elif shell == "dash":
                    yield from self.err(self.msg.builtin_error("cd", f"can't cd to {target}", line))
                    return 2
                else:
                    yield from self.err(
                        self.msg.builtin_error(
                            "cd", f"can't cd to {target}: No such file or directory", line
                        )
                    )
                    return 2
                return 1
            self.cwd = path
            self.vars["PWD"] = path
            return 0
        if name == "pwd":
            yield from self.out(self.cwd + "\n")
            return 0
        if name == "wait":
            return 0
        if name == "read":
            names = [a for a in args if not a.startswith("-")] or ["REPLY"]
            if not self.stdin:
                for key in names:
                    self.vars[key] = ""
                return 1
            text, _, self.stdin = self.stdin.partition("\n")
            fields = text.split(None, len(names) - 1) if len(names) > 1 else [text.strip()]
            for index, key in enumerate(names):
                self.vars[key] = fields[index] if index < len(fields) else ""
            return 0
        # echo, printf, test and [ behave like the utilities, with the shell's own flavour.
        return (yield from Utilities(self, self.env(), builtin=True).run(name, argv))


def _pick_program(programs: list[Any], argv: list[str]) -> Any:
    second = argv[1] if len(argv) > 1 else None
    for program in programs:
        if program.subcommand is not None and program.subcommand == second:
            return program
    for program in programs:
        if program.subcommand is None:
            return program
    return programs[0]


def _shift(event: Any, delta: float) -> Any:
    if isinstance(event, LogEvent):
        return LogEvent(event.at + delta, event.stream, event.text)
    return FileEvent(event.at + delta, event.path, event.content, event.directory)


def _tee(gen: Gen, recorded: list[Event]) -> Gen:
    while True:
        try:
            event = next(gen)
        except StopIteration as stop:
            return stop.value
        recorded.append(event)
        yield event


# ---------------------------------------------------------------------------------------------
# Utilities (busybox and GNU coreutils flavours)

_SLEEP_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
BUSYBOX_BANNER = "BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary."
_BUSYBOX_TOUCH_USAGE = (
    BUSYBOX_BANNER + "\n\nUsage: touch [-cham] [-d DATE] [-t DATE] [-r FILE] FILE...\n\n"
    "Update mtime of FILEs\n\n"
    "\t-c\tDon't create files\n\t-h\tDon't follow links\n\t-a\tChange only atime\n"
    "\t-m\tChange only mtime\n\t-d DT\tDate/time to use\n\t-t DT\tDate/time to use\n"
    "\t-r FILE\tUse FILE's date/time"
)
_BUSYBOX_RM_USAGE = (
    BUSYBOX_BANNER + "\n\nUsage: rm [-irf] FILE...\n\nRemove (unlink) FILEs\n\n"
    "\t-i\tAlways prompt before removing\n\t-f\tNever prompt\n\t-R,-r\tRecurse"
)
_BUSYBOX_SLEEP_USAGE = (
    BUSYBOX_BANNER + "\n\n"
    "Usage: sleep [N]...\n\n"
    "Pause for a time equal to the total of the args given, where each arg can\n"
    "have an optional suffix of (s)econds, (m)inutes, (h)ours, or (d)ays"
)


class Utilities:
    """cat, ls, sleep... with the error texts of the image's busybox or GNU coreutils."""

    def __init__(self, shell: Shell, env: Mapping[str, str], builtin: bool = False):
        self.sh = shell
        self.env = dict(env)
        self.gnu = (shell.run.host.image.utilities or "busybox") == "gnu"
        self.builtin = builtin
        self.fs = shell.run.fs

    def run(self, name: str, argv: list[str]) -> Gen:
        handler: Callable[[list[str]], Gen] = getattr(self, "u_" + {"[": "bracket"}.get(name, name))
        return (yield from handler(argv[1:]))

    def err(self, text: str) -> Generator[Event, None, None]:
        yield from self.sh.err(text)

    def out(self, text: str) -> Generator[Event, None, None]:
        yield from self.sh.out(text)

    def path(self, p: str) -> str:
        return self.sh.path(p)

    def _quote(self, p: str) -> str:
        return f"'{p}'"

    def u_true(self, args: list[str]) -> Gen:
        return 0
        yield  # pragma: no cover

    def u_false(self, args: list[str]) -> Gen:
        return 1
        yield  # pragma: no cover

    def u_echo(self, args: list[str]) -> Gen:
        newline, escapes = True, False
        dash_builtin = self.builtin and self.sh.msg.shell == "dash"
        if dash_builtin:
            escapes = True
        while args and re.fullmatch(r"-[neE]+", args[0]) and not (dash_builtin and args[0] != "-n"):
            flags = args.pop(0)[1:]
            for f in flags:
                if f == "n":
                    newline = False
                elif f == "e":
                    escapes = True
                elif f == "E":
                    escapes = False
        text = " ".join(args)
        if escapes:
            text, stop = _escapes(text)
            if stop:
                newline = False
        yield from self.out(text + ("\n" if newline else ""))
        return 0

    def u_printf(self, args: list[str]) -> Gen:
        if not args:
            if self.builtin and self.sh.msg.shell == "bash":
                text = self.sh.msg.builtin_error(
                    "printf", "usage: printf [-v var] format [arguments]", self.sh.line
                )
            elif self.gnu and not self.builtin:
                text = "printf: missing operand\nTry 'printf --help' for more information."
            elif self.builtin and self.sh.msg.shell == "busybox":
                text = "sh: usage: printf FORMAT [ARGUMENT...]"
            elif self.builtin and self.sh.msg.shell == "dash":
                text = self.sh.msg.builtin_error(
                    "printf", "usage: printf format [arg ...]", self.sh.line
                )
            else:
                text = "printf: usage: printf format [arg ...]"
            yield from self.err(text)
            return 2 if self.builtin else 1
        fmt, rest = args[0], args[1:]
        out: list[str] = []
        bad: list[str] = []
        while True:
            text, used = _printf_once(fmt, rest, bad)
            out.append(text)
            rest = rest[used:]
            if not rest or used == 0:
                break
        yield from self.out("".join(out))
        for value in bad:
            shell = self.sh.msg.shell if self.builtin else "gnu"
            if shell == "dash":
                yield from self.err(
                    self.sh.msg.builtin_error(
                        "printf", f"{value}: expected numeric value", self.sh.line
                    )
                )
            elif shell == "bash":
                yield from self.err(
                    self.sh.msg.builtin_error("printf", f"{value}: invalid number", self.sh.line)
                )
            elif shell == "busybox":
                yield from self.err(f"sh: invalid number '{value}'")
            else:
                yield from self.err(f"printf: '{value}': expected a numeric value")
        return 1 if bad else 0

    def u_sleep(self, args: list[str]) -> Gen:
        if not args:
            if self.gnu:
                yield from self.err(
                    "sleep: missing operand\nTry 'sleep --help' for more information."
                )
            else:
                yield from self.err(_BUSYBOX_SLEEP_USAGE)
            return 1
        total = 0.0
        for arg in args:
            seconds = _sleep_seconds(arg)
            if seconds is None:
                if self.gnu:
                    yield from self.err(
                        f"sleep: invalid time interval '{arg}'\nTry 'sleep --help' for more information."
                    )
                else:
                    yield from self.err(f"sleep: invalid number '{arg}'")
                return 1
            total += seconds
        if total == float("inf"):
            raise Forever
        self.sh.run.now += total
        return 0

    def _read(self, name: str, label: str) -> Generator[Event, None, str | None]:
        path = self.path(name)
        if self.fs.is_dir(path):
            if self.gnu:
                yield from self.err(f"{label}: {name}: Is a directory")
            else:
                yield from self.err(f"{label}: read error: Is a directory")
            return None
        content = self.fs.read(path)
        if content is None:
            if self.gnu:
                if label == "cat":
                    yield from self.err(f"cat: {name}: No such file or directory")
                else:
                    yield from self.err(
                        f"{label}: cannot open '{name}' for reading: No such file or directory"
                    )
            elif label == "head":
                yield from self.err(f"head: {name}: No such file or directory")
            else:
                yield from self.err(f"{label}: can't open '{name}': No such file or directory")
            return None
        return content

    def u_cat(self, args: list[str]) -> Gen:
        files = [a for a in args if a == "-" or not a.startswith("-")]
        if not files:
            if self.sh.stdin is not None:
                yield from self.out(self.sh.stdin)
                return 0
            if self.sh.run.host.stdin and self.sh.pid1:
                raise Forever
            return 0
        status = 0
        for name in files:
            if name == "-":
                yield from self.out(self.sh.stdin or "")
                continue
            content = yield from self._read(name, "cat")
            if content is None:
                status = 1
            else:
                yield from self.out(content)
        return status

    def u_ls(self, args: list[str]) -> Gen:
        show_all = any(a.startswith("-") and "a" in a for a in args)
        names = [a for a in args if not a.startswith("-") or a == "-"] or ["."]
        status = 0
        blocks: list[str] = []
        files_out: list[str] = []
        for name in names:
            path = self.path(name)
            if self.fs.is_dir(path):
                entries = self.fs.listdir(path)
                if show_all:
                    entries = [".", "..", *entries]
                blocks.append(
                    (f"{name}:\n" if len(names) > 1 else "") + "".join(e + "\n" for e in entries)
                )
            elif self.fs.is_file(path):
                files_out.append(name + "\n")
            else:
                if self.gnu:
                    yield from self.err(f"ls: cannot access '{name}': No such file or directory")
                    status = 2
                else:
                    yield from self.err(f"ls: {name}: No such file or directory")
                    status = 1
        parts = ["".join(files_out)] if files_out else []
        parts += blocks
        yield from self.out("\n".join(parts))
        return status

    def _cannot(self, tool: str, verb: str, name: str, errno: str) -> str:
        if self.gnu:
            return f"{tool}: cannot {verb} '{name}': {ERRNO[errno]}"
        return f"{tool}: can't {verb} '{name}': {ERRNO[errno]}"

    def u_touch(self, args: list[str]) -> Gen:
        names = [a for a in args if not a.startswith("-")]
        if not names:
            yield from self.err(
                "touch: missing file operand\nTry 'touch --help' for more information."
                if self.gnu
                else _BUSYBOX_TOUCH_USAGE
            )
            return 1
        status = 0
        for name in names:
            path = self.path(name)
            created = False
            if self.fs.exists(path):
                # Only the timestamp changes, which still needs a writable mount.
                problem = None if self.fs.can_write(path) else "EROFS"
            else:
                problem = self.fs.write(path, "")
                created = problem is None
            if problem:
                if self.gnu:
                    yield from self.err(f"touch: cannot touch '{name}': {ERRNO[problem]}")
                else:
                    yield from self.err(f"touch: {name}: {ERRNO[problem]}")
                status = 1
            elif created:
                yield FileEvent(self.sh.run.now, path, "")
        return status

    def u_rm(self, args: list[str]) -> Gen:
        flags = "".join(a[1:] for a in args if a.startswith("-") and len(a) > 1)
        force, recursive = "f" in flags, "r" in flags or "R" in flags
        names = [a for a in args if not a.startswith("-") or len(a) == 1]
        if not names:
            if force:
                return 0
            yield from self.err(
                "rm: missing operand\nTry 'rm --help' for more information."
                if self.gnu
                else _BUSYBOX_RM_USAGE
            )
            return 1
        status = 0
        for name in names:
            path = self.path(name)
            if not self.fs.exists(path):
                if not force:
                    yield from self.err(self._cannot("rm", "remove", name, "ENOENT"))
                    status = 1
                continue
            is_dir = self.fs.is_dir(path)
            if is_dir and not recursive:
                if self.gnu:
                    yield from self.err(f"rm: cannot remove '{name}': Is a directory")
                else:
                    yield from self.err(f"rm: '{name}' is a directory")
                status = 1
                continue
            problem = self.fs.remove(path, recursive)
            if problem:
                yield from self.err(self._cannot("rm", "remove", name, problem))
                status = 1
            else:
                yield FileEvent(self.sh.run.now, path, None, is_dir)
        return status

    def u_mkdir(self, args: list[str]) -> Gen:
        parents = any(a.startswith("-") and "p" in a for a in args)
        names = [a for a in args if not a.startswith("-")]
        status = 0
        for name in names:
            path = self.path(name)
            problem = self.fs.mkdir(path, parents)
            if problem:
                yield from self.err(self._cannot("mkdir", "create directory", name, problem))
                status = 1
            else:
                yield FileEvent(self.sh.run.now, path, "", True)
        return status

    def u_env(self, args: list[str]) -> Gen:
        env = dict(self.env)
        i = 0
        while i < len(args) and args[i] in ("-i", "-", "--ignore-environment", "-u"):
            if args[i] == "-u" and i + 1 < len(args):
                env.pop(args[i + 1], None)
                i += 1
            elif args[i] != "-u":
                env = {}
            i += 1
        while i < len(args) and "=" in args[i] and not args[i].startswith("="):
            key, _, value = args[i].partition("=")
            env[key] = value
            i += 1
        if i < len(args):
            runner = self.sh._fork()
            runner.is_shell = True
            not_found = (
                f"env: '{args[i]}': No such file or directory"
                if self.gnu
                else f"env: can't execute '{args[i]}': No such file or directory"
            )
            return (yield from runner._external(args[i:], env, False, not_found=not_found))
        yield from self.out("".join(f"{k}={v}\n" for k, v in env.items()))
        return 0

    def u_printenv(self, args: list[str]) -> Gen:
        if not args:
            yield from self.out("".join(f"{k}={v}\n" for k, v in self.env.items()))
            return 0
        status = 0
        for name in args:
            if name in self.env:
                yield from self.out(self.env[name] + "\n")
            else:
                status = 1
        return status

    def u_hostname(self, args: list[str]) -> Gen:
        name = (
            self.env.get("HOSTNAME") or (self.fs.read("/etc/hostname") or "").strip() or "localhost"
        )
        yield from self.out(name + "\n")
        return 0

    def u_whoami(self, args: list[str]) -> Gen:
        yield from self.out(self.sh.run.host.image.user + "\n")
        return 0

    def u_date(self, args: list[str]) -> Gen:
        run = self.sh.run
        run.taint += 1
        instant = run.host.started_at + run.now
        fmt = next((a[1:] for a in args if a.startswith("+")), None)
        if fmt is None:
            yield from self.out(render_time("date", instant) + "\n")
            return 0
        yield from self.out(_strftime(fmt, instant) + "\n")
        return 0

    def _lines_arg(self, args: list[str]) -> tuple[int, bool, list[str]]:
        count, follow, names = 10, False, []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg in ("-f", "-F"):
                follow = True
            elif arg == "-n" and i + 1 < len(args):
                count = (
                    int(args[i + 1].lstrip("+-") or 10)
                    if args[i + 1].lstrip("+-").isdigit()
                    else 10
                )
                i += 1
            elif arg.startswith("-n") and arg[2:].isdigit():
                count = int(arg[2:])
            elif arg.startswith("-") and arg[1:].isdigit():
                count = int(arg[1:])
            elif arg.startswith("-") and len(arg) > 1:
                follow = follow or "f" in arg or "F" in arg
            else:
                names.append(arg)
            i += 1
        return count, follow, names

    def u_head(self, args: list[str]) -> Gen:
        count, _, names = self._lines_arg(args)
        status = 0
        sources = names or ["-"]
        for name in sources:
            content = self.sh.stdin or "" if name == "-" else (yield from self._read(name, "head"))
            if content is None:
                status = 1
                continue
            lines = content.splitlines(keepends=True)[:count]
            yield from self.out("".join(lines))
        return status

    def u_tail(self, args: list[str]) -> Gen:
        count, follow, names = self._lines_arg(args)
        status = 0
        for name in names or ["-"]:
            content = self.sh.stdin or "" if name == "-" else (yield from self._read(name, "tail"))
            if content is None:
                status = 1
                continue
            lines = content.splitlines(keepends=True)
            yield from self.out("".join(lines[-count:] if count else []))
        if follow:
            if names and status and len(names) == 1:
                yield from self.err("tail: no files remaining" if self.gnu else "tail: no files")
                return 1
            raise Forever
        return status

    def u_grep(self, args: list[str]) -> Gen:
        flags, rest = "", []
        i = 0
        pattern: str | None = None
        while i < len(args):
            arg = args[i]
            if arg == "-e" and i + 1 < len(args):
                pattern = args[i + 1]
                i += 2
                continue
            if arg.startswith("-") and len(arg) > 1 and arg != "--":
                flags += arg[1:]
            else:
                rest.append(arg)
            i += 1
        if pattern is None:
            if not rest:
                yield from self.err(
                    "Usage: grep [OPTION]... PATTERNS [FILE]...\nTry 'grep --help' for more information."
                    if self.gnu
                    else "grep: no pattern"
                )
                return 2
            pattern = rest.pop(0)
        regex = _grep_regex(pattern, "F" in flags, "E" in flags, "i" in flags)
        status, found, count = 0, False, 0
        sources = rest or ["-"]
        out: list[str] = []
        for name in sources:
            content: str | None
            if name == "-":
                content = self.sh.stdin or ""
            else:
                path = self.path(name)
                content = self.fs.read(path)
                if content is None or self.fs.is_dir(path):
                    if "s" not in flags:
                        reason = (
                            "Is a directory"
                            if self.fs.is_dir(path)
                            else "No such file or directory"
                        )
                        yield from self.err(f"grep: {name}: {reason}")
                    status = 2
                    continue
            for line in content.splitlines():
                hit = bool(regex.search(line)) != ("v" in flags)
                if hit:
                    found = True
                    count += 1
                    prefix = f"{name}:" if len(sources) > 1 else ""
                    out.append(prefix + line + "\n")
        if "q" in flags:
            return 0 if found else (status or 1)
        if "c" in flags:
            yield from self.out(f"{count}\n")
        else:
            yield from self.out("".join(out))
        return status if status and not found else (0 if found else 1)

    def u_test(self, args: list[str]) -> Gen:
        return (yield from self._test(args, False))

    def u_bracket(self, args: list[str]) -> Gen:
        return (yield from self._test(args, True))

    def _test(self, args: list[str], bracket: bool) -> Gen:
        name = "[" if bracket else "test"
        sh = self.sh
        if bracket:
            if not args or args[-1] != "]":
                if sh.msg.shell == "bash" and self.builtin:
                    yield from self.err(sh.msg.builtin_error("[", "missing `]'", sh.line))
                elif sh.msg.shell == "dash" and self.builtin:
                    yield from self.err(sh.msg.builtin_error("[", "missing ]", sh.line))
                else:
                    yield from self.err(
                        "[: missing ']'" if self.gnu and not self.builtin else "sh: missing ]"
                    )
                return 2
            args = args[:-1]
        try:
            return 0 if _evaluate_test(args, self) else 1
        except _TestError as exc:
            yield from self.err(self._test_message(name, exc))
            return 2

    def _test_message(self, name: str, exc: _TestError) -> str:
        sh = self.sh
        shell = sh.msg.shell if self.builtin else ("gnu" if self.gnu else "busybox")
        if exc.kind == "number":
            if shell == "bash":
                return sh.msg.builtin_error(
                    name, f"{exc.value}: integer expression expected", sh.line
                )
            if shell == "dash":
                return sh.msg.builtin_error(name, f"Illegal number: {exc.value}", sh.line)
            if shell == "gnu":
                return f"{name}: invalid integer '{exc.value}'"
            return f"sh: {exc.value}: bad number"
        if shell == "bash":
            return sh.msg.builtin_error(name, f"{exc.value}: {exc.kind} operator expected", sh.line)
        if shell == "dash":
            return sh.msg.builtin_error(name, f"{exc.value}: unexpected operator", sh.line)
        if shell == "gnu":
            return f"{name}: {exc.value}: {exc.kind} operator expected"
        return f"sh: {exc.value}: unknown operand"


class _TestError(Exception):
    def __init__(self, kind: str, value: str):
        super().__init__(kind)
        self.kind, self.value = kind, value


_UNARY = {"-n", "-z", "-f", "-e", "-d", "-s", "-r", "-w", "-x", "-L", "-h"}
_BINARY = {"=", "==", "!=", "-eq", "-ne", "-lt", "-le", "-gt", "-ge"}


def _evaluate_test(args: list[str], u: Utilities) -> bool:
    if "-o" in args[1:-1]:
        i = args.index("-o", 1)
        return _evaluate_test(args[:i], u) or _evaluate_test(args[i + 1 :], u)
    if "-a" in args[1:-1]:
        i = args.index("-a", 1)
        return _evaluate_test(args[:i], u) and _evaluate_test(args[i + 1 :], u)
    n = len(args)
    if n == 0:
        return False
    if n == 1:
        return args[0] != ""
    if args[0] == "!":
        return not _evaluate_test(args[1:], u)
    if n == 2:
        op, value = args
        if op not in _UNARY:
            # busybox names the second word, the others the first.
            busybox = (
                u.sh.msg.shell if u.builtin else ("gnu" if u.gnu else "busybox")
            ) == "busybox"
            raise _TestError("unary", value if busybox else op)
        return _unary(op, value, u)
    if n == 3:
        if args[0] == "(" and args[2] == ")":
            return _evaluate_test([args[1]], u)
        left, op, right = args
        if op not in _BINARY:
            # dash names the first operand, bash and coreutils the operator.
            dash = u.builtin and u.sh.msg.shell == "dash"
            raise _TestError("binary", left if dash else op)
        if op in ("=", "=="):
            return left == right
        if op == "!=":
            return left != right
        a, b = _test_int(left), _test_int(right)
        return {
            "-eq": a == b,
            "-ne": a != b,
            "-lt": a < b,
            "-le": a <= b,
            "-gt": a > b,
            "-ge": a >= b,
        }[op]
    raise _TestError("binary", args[1])


def _test_int(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise _TestError("number", value) from None


def _unary(op: str, value: str, u: Utilities) -> bool:
    if op == "-n":
        return value != ""
    if op == "-z":
        return value == ""
    path = u.path(value) if value else ""
    fs = u.fs
    if op == "-f":
        return fs.is_file(path)
    if op == "-d":
        return fs.is_dir(path)
    if op == "-s":
        return bool(fs.read(path))
    if op == "-x":
        return path in u.sh.run.table or fs.is_dir(path)
    if op in ("-L", "-h"):
        return False
    return fs.exists(path)


def _sleep_seconds(arg: str) -> float | None:
    text = arg.strip()
    if text.lower() in ("inf", "infinity"):
        return float("inf")
    unit = 1
    if text and text[-1] in _SLEEP_UNITS:
        unit = _SLEEP_UNITS[text[-1]]
        text = text[:-1]
    if not re.fullmatch(r"(\d+\.?\d*|\.\d+)", text):
        return None
    return float(text) * unit


def _escapes(text: str) -> tuple[str, bool]:
    """Backslash escapes of echo -e / dash echo; True when ``\\c`` stops the output."""
    out: list[str] = []
    i = 0
    table = {
        "n": "\n",
        "t": "\t",
        "\\": "\\",
        "a": "\a",
        "b": "\b",
        "r": "\r",
        "v": "\v",
        "f": "\f",
        "e": "\x1b",
    }
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text):
            nxt = text[i + 1]
            if nxt == "c":
                return "".join(out), True
            if nxt in table:
                out.append(table[nxt])
                i += 2
                continue
            if nxt == "0":
                m = re.match(r"[0-7]{0,3}", text[i + 2 :])
                digits = m.group(0) if m else ""
                out.append(chr(int(digits or "0", 8)))
                i += 2 + len(digits)
                continue
        out.append(c)
        i += 1
    return "".join(out), False


def _printf_once(fmt: str, args: list[str], bad: list[str]) -> tuple[str, int]:
    out, used, i = [], 0, 0
    while i < len(fmt):
        c = fmt[i]
        if c == "\\" and i + 1 < len(fmt):
            text, _ = _escapes(fmt[i : i + 2])
            out.append(text)
            i += 2
            continue
        if c == "%" and i + 1 < len(fmt):
            m = re.match(r"%([-+ 0#]*)(\d*)(?:\.(\d+))?([sdicxXuof%b])", fmt[i:])
            if m:
                conv = m.group(4)
                if conv == "%":
                    out.append("%")
                else:
                    arg = args[used] if used < len(args) else ""
                    used += 1
                    spec = "%" + m.group(1) + m.group(2) + (f".{m.group(3)}" if m.group(3) else "")
                    if conv in "dicxXuo":
                        try:
                            number = int(arg or "0")
                        except ValueError:
                            number = 0
                            bad.append(arg)
                        pyconv = {"i": "d", "u": "d", "c": "c"}.get(conv, conv)
                        out.append((spec + pyconv) % (chr(number) if pyconv == "c" else number))
                    elif conv == "f":
                        try:
                            out.append((spec + "f") % float(arg or "0"))
                        except ValueError:
                            out.append((spec + "f") % 0.0)
                            bad.append(arg)
                    elif conv == "b":
                        out.append(_escapes(arg)[0])
                    else:
                        out.append((spec + "s") % arg)
                i += m.end()
                continue
        out.append(c)
        i += 1
    return "".join(out), used


def _grep_regex(pattern: str, fixed: bool, extended: bool, ignore_case: bool) -> re.Pattern[str]:
    flags = re.IGNORECASE if ignore_case else 0
    if fixed:
        return re.compile(re.escape(pattern), flags)
    if not extended:
        # Basic regular expressions: + ? | ( ) { } are literal unless backslashed.
        converted, i = [], 0
        while i < len(pattern):
            c = pattern[i]
            if c == "\\" and i + 1 < len(pattern):
                nxt = pattern[i + 1]
                converted.append(nxt if nxt in "+?|(){}" else "\\" + nxt)
                i += 2
                continue
            converted.append("\\" + c if c in "+?|(){}" else c)
            i += 1
        pattern = "".join(converted)
    try:
        return re.compile(pattern, flags)
    except re.error:
        return re.compile(re.escape(pattern), flags)


def _strftime(fmt: str, instant: float) -> str:
    from datetime import timedelta

    from k8sgame.engine.timefmt import EPOCH

    t = EPOCH + timedelta(microseconds=round(instant * 1_000_000))
    out: list[str] = []
    i = 0
    table = {
        "Y": f"{t.year:04d}",
        "m": f"{t.month:02d}",
        "d": f"{t.day:02d}",
        "e": f"{t.day:2d}",
        "H": f"{t.hour:02d}",
        "M": f"{t.minute:02d}",
        "S": f"{t.second:02d}",
        "T": t.strftime("%H:%M:%S"),
        "F": t.strftime("%Y-%m-%d"),
        "s": render_time("unix", instant),
        "Z": "UTC",
        "z": "+0000",
        "a": render_time("date", instant)[:3],
        "b": render_time("date", instant)[4:7],
        "N": f"{t.microsecond * 1000:09d}",
        "%": "%",
    }
    while i < len(fmt):
        if fmt[i] == "%" and i + 1 < len(fmt) and fmt[i + 1] in table:
            out.append(table[fmt[i + 1]])
            i += 2
        else:
            out.append(fmt[i])
            i += 1
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# $((...)) arithmetic: integers, C operators and precedence, no assignment.


class _ArithError(Exception):
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


class _Arithmetic:
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
                raise _ArithError(
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
            raise _ArithError(
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
            raise _ArithError(
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
                raise _ArithError(
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
                raise _ArithError(f"Illegal number: {raw}", "", f"invalid number '{raw}'") from None
        raise _ArithError(
            "expecting primary",
            f'syntax error: operand expected (error token is "{token}")',
            "arithmetic syntax error",
        )


def _apply(op: str, a: int, b: int) -> int:
    if op in ("/", "%"):
        if b == 0:
            raise _ArithError(
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
