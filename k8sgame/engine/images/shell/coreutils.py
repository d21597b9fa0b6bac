"""The utilities a script may call, in busybox and GNU coreutils flavours."""

from __future__ import annotations

import re
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING

from k8sgame.engine.images.catalog import render_time

if TYPE_CHECKING:
    from k8sgame.engine.images.shell.interpreter import Shell
from k8sgame.engine.images.identity import group_name
from k8sgame.engine.images.shell.filesystem import ERRNO
from k8sgame.engine.images.shell.timeline import Event, FileEvent, Forever, Gen

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
                problem = self.fs.write_problem(path)
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
        who = self.sh.run.host.identity
        if who.name is None:
            yield from self.err(
                f"whoami: cannot find name for user ID {who.uid}"
                if self.gnu
                else f"whoami: unknown uid {who.uid}"
            )
            return 1
        yield from self.out(who.name + "\n")
        return 0

    def u_id(self, args: list[str]) -> Gen:
        """``id`` with ``-u``/``-g``/``-G`` and ``-n``: the container's user and groups."""
        who = self.sh.run.host.identity
        flags = "".join(a[1:] for a in args if a.startswith("-"))
        names = "n" in flags

        def show(number: int, name: str | None) -> str:
            return f"{number}({name})" if name is not None else str(number)

        def group(gid: int) -> str | None:
            return group_name(self.fs.files, gid)

        # GNU lists the primary group first; busybox prints getgroups() as the kernel sorts it.
        groups = list(who.groups)
        if self.gnu and who.gid in groups:
            groups = [who.gid, *(g for g in groups if g != who.gid)]
        if "u" in flags or "g" in flags or "G" in flags:
            if "u" in flags:
                values = [(who.uid, who.name)]
            elif "g" in flags:
                values = [(who.gid, group(who.gid))]
            else:
                values = [(g, group(g)) for g in groups]
            if names:
                missing = next((v for v, n in values if n is None), None)
                if missing is not None:
                    kind = "user" if "u" in flags else "group"
                    yield from self.err(
                        f"id: cannot find name for {kind} ID {missing}"
                        if self.gnu
                        else f"id: unknown ID {missing}"
                    )
                    return 1
                yield from self.out(" ".join(str(n) for _, n in values) + "\n")
            else:
                yield from self.out(" ".join(str(v) for v, _ in values) + "\n")
            return 0
        text = (
            f"uid={show(who.uid, who.name)} gid={show(who.gid, group(who.gid))} groups="
            + ",".join(show(g, group(g)) for g in groups)
        )
        yield from self.out(text + "\n")
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
