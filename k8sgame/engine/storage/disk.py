"""A disk: one file tree that containers mount parts of, a node's own or the cluster's network
storage.

What a container's own processes write reaches the tree lazily: ``sync`` pulls each user's
changes up to now, all users' in time order, before anything reads the tree or changes it.
A process's timeline is deterministic, so the tree at a moment is the same however late it is
pulled, and looking at a volume never changes what happens. What ``exec`` writes is known at
once: it waits until its time comes, and the other containers mounting the disk are handed it,
so their processes see it from then on. What another container's own processes write after a
container started reaches that container's processes at their next start (``exec`` and new
containers see it at once).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from k8sgame.engine.clock import SimClock
from k8sgame.engine.images.shell import FileEvent, FileSystem


@dataclass(frozen=True)
class Change:
    """A path's new state on the disk at simulated time ``at``: file content, a directory, or
    removed (None). ``keep_dir``: a mount point was emptied; what it held goes, it stays."""

    at: float
    path: str
    content: str | None
    directory: bool = False
    keep_dir: bool = False


class DiskUser(Protocol):
    """One container's mounts of the disk (the kubelet's ``volume_data`` implements it)."""

    owner: str  # the pod's UID

    @property
    def done(self) -> bool:
        """The container has stopped and everything it wrote has been pulled."""
        ...

    def changes(self, until: float) -> list[Change]:
        """What its processes changed on the disk since the last call, up to ``until``."""
        ...

    def receive(self, changes: Sequence[Change]) -> None:
        """Another container wrote ``changes`` (with ``exec``); its processes see them."""
        ...


def _inside(path: str, root: str) -> bool:
    return path.startswith(root.rstrip("/") + "/")


class Disk:
    """A file tree, the containers that mount parts of it, and writes waiting for their time."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.tree = FileSystem({}, ())
        self._users: list[DiskUser] = []
        self._pending: list[Change] = []  # exec writes not yet due, oldest first

    # -- keeping the tree current ------------------------------------------------------------

    def sync(self) -> None:
        """Apply every change due by now: what users' processes wrote, then (at one moment)
        what exec wrote, each in the order it was made."""
        now = self.clock.now
        pulled = [c for user in self._users for c in user.changes(now)]
        self._users = [u for u in self._users if not u.done]
        written = 0
        while written < len(self._pending) and self._pending[written].at <= now:
            written += 1
        exec_writes, self._pending = self._pending[:written], self._pending[written:]
        due = [(c.at, 0, i, c) for i, c in enumerate(pulled)]
        due += [(c.at, 1, i, c) for i, c in enumerate(exec_writes)]
        for *_, change in sorted(due, key=lambda d: d[:3]):
            self._apply(change)

    def _apply(self, change: Change) -> None:
        tree = self.tree
        if change.content is None:
            tree.apply(FileEvent(change.at, change.path, None, change.path in tree.dirs))
            if change.keep_dir:
                tree.apply(FileEvent(change.at, change.path, "", True))
        else:
            tree.apply(FileEvent(change.at, change.path, change.content, change.directory))

    # -- users -----------------------------------------------------------------------------

    def attach(self, user: DiskUser) -> None:
        """A container mounts part of the disk; it is handed the exec writes still to come."""
        self._users.append(user)
        if self._pending:
            user.receive(list(self._pending))

    def detach(self, owner: str) -> None:
        """The pod ``owner`` left the node: its containers mount nothing any more."""
        self._users = [u for u in self._users if u.owner != owner]

    def write(self, changes: Sequence[Change], by: DiskUser) -> None:
        """``by`` wrote ``changes`` with ``exec``: they take effect at their times, and every
        other container mounting the disk sees them."""
        if not changes:
            return
        self._pending = sorted([*self._pending, *changes], key=lambda c: c.at)
        for user in list(self._users):
            if user is not by:
                user.receive(changes)

    # -- reading and shaping the tree ------------------------------------------------------

    def read(self, path: str) -> str | None:
        """A file's content (None when there is no such file)."""
        return self.tree.files.get(path)

    def is_file(self, path: str) -> bool:
        return path in self.tree.files

    def files_under(self, path: str) -> dict[str, str]:
        """The files below directory ``path``, by their path on the disk."""
        return {p: c for p, c in self.tree.files.items() if _inside(p, path)}

    def dirs_under(self, path: str) -> list[str]:
        """The directories below ``path``, sorted."""
        return sorted(d for d in self.tree.dirs if _inside(d, path))

    def make_dir(self, path: str) -> None:
        """``mkdir -p path`` (a volume's directory, made as it is mounted)."""
        if path not in self.tree.dirs and path not in self.tree.files:
            self.tree.apply(FileEvent(self.clock.now, posixpath.normpath(path), "", True))

    def make_file(self, path: str) -> None:
        """An empty file at ``path`` unless something is there (hostPath ``FileOrCreate``)."""
        if path not in self.tree.dirs and path not in self.tree.files:
            self.tree.apply(FileEvent(self.clock.now, path, ""))

    def wipe(self, path: str) -> None:
        """``rm -rf path``: a volume's directory deleted with everything in it."""
        self.sync()
        self._pending = [c for c in self._pending if c.path != path and not _inside(c.path, path)]
        if path in self.tree.dirs or path in self.tree.files:
            self.tree.apply(FileEvent(self.clock.now, path, None, path in self.tree.dirs))
