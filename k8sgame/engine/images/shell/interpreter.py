"""The interpreter: runs a parsed script against its container, producing the timeline."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from k8sgame.engine.images.catalog import ImageSpec
from k8sgame.engine.images.identity import Identity
from k8sgame.engine.images.shell.arithmetic import ArithError, Arithmetic
from k8sgame.engine.images.shell.coreutils import Utilities
from k8sgame.engine.images.shell.filesystem import SPECIAL_FILES, FileSystem
from k8sgame.engine.images.shell.messages import Messages
from k8sgame.engine.images.shell.net_tools import BUSYBOX_NET_TOOLS, run_net_tool
from k8sgame.engine.images.shell.syntax import (
    AndOr,
    Arith,
    CmdSub,
    For,
    If,
    ListNode,
    Lit,
    Loop,
    Pipeline,
    Redir,
    ShellSyntaxError,
    Simple,
    Unsupported,
    Var,
    Word,
    is_literal,
    mentions,
    parse,
)
from k8sgame.engine.images.shell.timeline import (
    DEFAULT_PATH,
    LOOP_QUANTUM,
    MAX_DEPTH,
    WS,
    Event,
    FileEvent,
    Forever,
    Gen,
    LogEvent,
    LoopControl,
    NeverEndsEvent,
    PeriodicEvent,
    ShellExit,
    StageEvent,
    StartError,
    TickEvent,
    WaitEvent,
)

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
    identity: Identity

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
    "id",
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
    if image.utilities == "busybox":
        for name in BUSYBOX_NET_TOOLS:
            for d in _BIN_DIRS:
                table[f"{d}/{name}"] = ("net_tool", name)
    if image.curl:
        table["/usr/bin/curl"] = ("net_tool", "curl")
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
    # The pod's network (``network.client.PodNetwork``) for the client programs; None where
    # the kubelet gave none.
    net: Any = None
    # The cluster's clock (absolute seconds) for a container's own process, which is planned
    # ahead of it: a network call waits until the cluster gets there. None for ``exec`` and
    # probes, which run at the cluster's present.
    clock: Any = None

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
    # The output goes to a terminal (the game prompt's own shells), not a pipe: curl then
    # shows no progress meter around a body it writes there.
    terminal: bool = False

    def text(self) -> str:
        return "".join(self.chunks)


Target = ToLog | ToFile | ToNull | ToCapture


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
        except ShellExit as exc:
            return exc.code
        except LoopControl:
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
            raise ShellExit(status)
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
            except ShellExit as exc:
                status = exc.code
            except LoopControl:
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
        except ShellExit as exc:
            status = exc.code
        except LoopControl:
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
            is_literal(node.cond, "false")
            if node.until
            else (is_literal(node.cond, "true") or is_literal(node.cond, ":"))
        )
        escapes = {"exit", "break", "exec", "set", "return"}
        return endless and not self.errexit and not mentions(node.body, escapes)

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
                except LoopControl as ctl:
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
                except LoopControl as ctl:
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
            return str(Arithmetic(text, self).value())
        except ArithError as exc:
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
            raise ShellExit(1 if shell == "bash" else 2) from None

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
                raise ShellExit(status)
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
        if kind == "net_tool":
            return (yield from run_net_tool(self, env, detail, argv))
        if kind == "shell":
            return (yield from self._run_shell(detail, argv, env, pid1))
        if kind == "script":
            return (yield from self._run_script_file(path, argv, env, pid1))
        if kind == "program":
            program = _pick_program(detail, argv)
            if self.run.clock is not None and any(
                r.kind in ("connect_each", "api_each") for r in program.requires
            ):
                # The program dials its dependencies (or asks the API server) as it starts:
                # the plan waits for the cluster to get there, and no loop around it repeats.
                self.run.taint += 1
                while self.run.host.started_at + self.run.now > self.run.clock() + 1e-9:
                    yield WaitEvent(self.run.now)
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
                raise ShellExit(self.status)
            try:
                code = int(args[0])
                if code < 0 and self.msg.shell != "bash":
                    raise ValueError
            except ValueError:
                yield from self.err(self.msg.illegal_number("exit", args[0], line))
                raise ShellExit(2) from None
            raise ShellExit(code & 0xFF)
        if name in ("break", "continue"):
            if not self.loops:
                return 0
            levels = int(args[0]) if args and args[0].isdigit() and int(args[0]) > 0 else 1
            raise LoopControl(name, min(levels, self.loops))
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
