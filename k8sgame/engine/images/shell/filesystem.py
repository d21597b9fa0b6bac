"""A container's file system as the shell sees it: files, directories, special devices."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.images.shell.timeline import FILE_CAP, FileEvent

# ---------------------------------------------------------------------------------------------
# File system

ERRNO = {
    "ENOENT": "No such file or directory",
    "EROFS": "Read-only file system",
    "EACCES": "Permission denied",
    "EISDIR": "Is a directory",
    "ENOTDIR": "Not a directory",
    "EEXIST": "File exists",
    "ENOTEMPTY": "Directory not empty",
}
SPECIAL_FILES = ("/dev/null", "/dev/stdout", "/dev/stderr", "/dev/zero")
# Where a non-root user may write in an image's own file system: the sticky world-writable
# directories (file ownership is not modelled otherwise: the rest belongs to root).
WORLD_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm")


@dataclass(frozen=True)
class MountedTree:
    """A shared volume as one container sees it at its mount point ``path``: a directory with
    ``files`` and ``dirs`` below it (container paths), or for a file mount (``directory``
    false) the one file at ``path``."""

    path: str
    files: Mapping[str, str]
    dirs: tuple[str, ...] = ()
    directory: bool = True
    read_only: bool = False


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix.rstrip("/") + "/")


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
        # Who writes (securityContext): a non-root uid writes only below WORLD_WRITABLE, its
        # home and writable mounts; a read-only root file system leaves only writable mounts.
        self.uid = 0
        self.home = ""
        self.root_read_only = False

    def _add_parents(self, path: str) -> None:
        parent = posixpath.dirname(path)
        while parent not in self.dirs:
            self.dirs.add(parent)
            parent = posixpath.dirname(parent)

    def copy(self) -> FileSystem:
        other = FileSystem.__new__(FileSystem)
        other.files, other.dirs = dict(self.files), set(self.dirs)
        other.read_only, other.writable = self.read_only, self.writable
        other.uid, other.home, other.root_read_only = self.uid, self.home, self.root_read_only
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
        return self.write_problem(path) is None

    def write_problem(self, path: str) -> str | None:
        """Why ``path`` cannot be written or created, as an errno name (``EROFS`` for a
        read-only mount or root file system, ``EACCES`` for a non-root user outside the
        places it owns), or None."""
        best, verdict = -1, None
        for prefix, ok in [(p, False) for p in self.read_only] + [(p, True) for p in self.writable]:
            # The longest matching prefix decides; on a tie the later (writable) entry wins.
            if _under(path, prefix) and len(prefix) >= best:
                best, verdict = len(prefix), ok
        if verdict is not None:
            return None if verdict else "EROFS"
        if self.root_read_only:
            return "EROFS"
        if self.uid != 0:
            own = [*WORLD_WRITABLE, *([self.home] if self.home not in ("", "/") else [])]
            # The directory itself belongs to root: only what is below it is the user's.
            if not any(path != p and _under(path, p) for p in own):
                return "EACCES"
        return None

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
        return self.write_problem(path)

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
        problem = self.write_problem(path)
        if problem:
            return problem
        if path in self.dirs:
            if not recursive:
                return "EISDIR"
            self._drop_tree(path)
            return None
        self.files.pop(path, None)
        return None

    def _drop_tree(self, path: str) -> None:
        prefix = path.rstrip("/") + "/"
        for p in [p for p in self.files if p.startswith(prefix)]:
            del self.files[p]
        self.dirs -= {d for d in self.dirs if d.startswith(prefix) and d != path}
        if path != "/":
            self.dirs.discard(path)

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
        problem = self.write_problem(path)
        if problem:
            return problem
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

    def graft(self, tree: MountedTree) -> None:
        """Show ``tree`` at its mount point, hiding what was there before (the image's files,
        or the volume as the container last saw it)."""
        self.files.pop(tree.path, None)
        self._drop_tree(tree.path)
        if tree.directory:
            self.dirs.add(tree.path)
            self.dirs.update(tree.dirs)
        self.files.update(tree.files)
        for path in (tree.path, *tree.files, *tree.dirs):
            self._add_parents(path)

    def apply(self, event: FileEvent) -> None:
        """Replay a change that already happened (no permission check: a read-only mount
        still shows what changed underneath it)."""
        if event.content is None:
            self.files.pop(event.path, None)
            if event.directory:
                self._drop_tree(event.path)
        elif event.directory:
            self.dirs.add(event.path)
            self._add_parents(event.path)
        else:
            self.files[event.path] = event.content
            self._add_parents(event.path)
