"""Message formats of busybox ash, dash and bash (and busybox vs GNU utilities)."""

from __future__ import annotations

from k8sgame.engine.images.shell.filesystem import ERRNO
from k8sgame.engine.images.shell.syntax import ShellSyntaxError

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
