"""Where the data of a container's volumes lives, and how the container reads and writes it.

- ``emptyDir`` (and an inline ``ephemeral`` volume, whose claim the simulator does not make):
  ``/var/lib/kubelet/pods/<pod uid>/volumes/kubernetes.io~empty-dir/<name>`` on the node's
  disk: one directory for every container of the pod that mounts it, kept across container
  restarts, removed when the pod leaves the node (``remove_pod_data``);
- ``hostPath``: that path on the node's disk, shared by every pod on the node that mounts it;
- ``persistentVolumeClaim``: the bound volume's storage: a hostPath or local volume's path on
  the node's disk (the local-path provisioner makes such volumes), an nfs export, or any other
  volume's own directory on the network storage, by the volume's name;
- ``nfs``: the export on the network storage.

A ``subPath`` mounts that part of the volume, made a directory when it is missing; a hostPath
of ``type: File`` or ``FileOrCreate``, or a ``subPath`` naming a file, mounts one file.
ConfigMap, Secret, downward API and projected volumes are files the kubelet writes itself
(``environment``), read-only.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from k8sgame.engine.images.shell import FileEvent, MountedTree
from k8sgame.engine.kubelet.context import NodeContext
from k8sgame.engine.kubelet.runtime import Instance
from k8sgame.engine.storage.disk import Change, Disk

POD_DIRS = "/var/lib/kubelet/pods"
NETWORK_VOLUMES = "/persistentvolumes"
NFS_EXPORTS = "/nfs"
_FILE_TYPES = ("File", "FileOrCreate")


def empty_dir_path(uid: str, name: str) -> str:
    """Where the kubelet keeps a pod's emptyDir on the node."""
    return f"{POD_DIRS}/{uid}/volumes/kubernetes.io~empty-dir/{name}"


@dataclass(frozen=True)
class VolumeMount:
    """One mount of a volume whose data the kubelet keeps."""

    path: str  # the mount point in the container
    disk: Disk
    source: str  # the mounted directory (or file) on the disk
    directory: bool
    read_only: bool


def _absolute(path: Any) -> str | None:
    text = str(path or "")
    if not text.startswith("/"):
        return None
    return posixpath.normpath("/" + text.lstrip("/"))


def _nfs(source: dict[str, Any], ctx: NodeContext) -> tuple[Disk, str, bool] | None:
    server, path = str(source.get("server") or ""), _absolute(source.get("path"))
    if not server or "/" in server or path is None:
        return None
    return ctx.network, posixpath.normpath(f"{NFS_EXPORTS}/{server}{path}"), False


def _host_path(source: dict[str, Any], ctx: NodeContext) -> tuple[Disk, str, bool] | None:
    path = _absolute(source.get("path"))
    if path is None:
        return None
    return ctx.disk, path, source.get("type") in _FILE_TYPES


def _claimed(
    pod: dict[str, Any], source: dict[str, Any], ctx: NodeContext
) -> tuple[Disk, str, bool] | None:
    namespace = pod["metadata"].get("namespace", "")
    claim = ctx.api.peek("PersistentVolumeClaim", str(source.get("claimName", "")), namespace)
    name = str(((claim or {}).get("spec") or {}).get("volumeName") or "")
    volume = ctx.api.peek("PersistentVolume", name) if name else None
    if volume is None:
        return None  # not bound: the pod would not have been scheduled
    spec = volume.get("spec") or {}
    if spec.get("hostPath") is not None:
        # A hostPath volume is the directory on the node the pod runs on (node affinity,
        # when the volume has it, put the pod there).
        return _host_path(spec["hostPath"], ctx)
    if spec.get("local") is not None:
        path = _absolute(spec["local"].get("path"))
        return (ctx.disk, path, False) if path is not None else None
    if spec.get("nfs") is not None:
        return _nfs(spec["nfs"], ctx)
    return ctx.network, f"{NETWORK_VOLUMES}/{name}", False


def volume_source(
    pod: dict[str, Any], volume: dict[str, Any], ctx: NodeContext
) -> tuple[Disk, str, bool] | None:
    """Where a volume's data lives: (disk, path on it, whether a file is mounted), or None
    for a volume whose data the kubelet does not keep or cannot find."""
    if volume.get("emptyDir") is not None or volume.get("ephemeral") is not None:
        return ctx.disk, empty_dir_path(pod["metadata"].get("uid", ""), volume["name"]), False
    if volume.get("hostPath") is not None:
        return _host_path(volume["hostPath"] or {}, ctx)
    if volume.get("persistentVolumeClaim") is not None:
        return _claimed(pod, volume["persistentVolumeClaim"] or {}, ctx)
    if volume.get("nfs") is not None:
        return _nfs(volume["nfs"] or {}, ctx)
    return None


def container_volumes(
    pod: dict[str, Any], container: dict[str, Any], ctx: NodeContext
) -> ContainerVolumes | None:
    """The container's mounts of volumes whose data the kubelet keeps (None: it has none).
    Mounting makes what is missing, as the kubelet and the runtime do: a volume's directory,
    a subPath's directory, a ``FileOrCreate`` file."""
    volumes = {v.get("name"): v for v in (pod.get("spec") or {}).get("volumes") or []}
    found: list[tuple[dict[str, Any], str, tuple[Disk, str, bool]]] = []
    for mount in container.get("volumeMounts") or []:
        source = volume_source(pod, volumes.get(mount.get("name")) or {}, ctx)
        path = _absolute(mount.get("mountPath"))
        if source is not None and path is not None and path != "/":
            found.append((mount, path, source))
    if not found:
        return None
    disks: list[Disk] = []
    for _, _, (disk, _, _) in found:
        if disk not in disks:
            disks.append(disk)
    for disk in disks:
        disk.sync()
    mounts = []
    for mount, path, (disk, root, file_type) in found:
        place, sub_path = root, str(mount.get("subPath") or "")
        if sub_path:
            place = posixpath.normpath(f"{root}/{sub_path}")
            if not place.startswith(root + "/"):
                continue  # a subPath leading out of its volume (the API server refuses "..")
            file_type = disk.is_file(place)
        else:
            file_type = file_type or disk.is_file(place)
        if file_type:
            disk.make_file(place)
        else:
            disk.make_dir(place)
        mounts.append(VolumeMount(path, disk, place, not file_type, bool(mount.get("readOnly"))))
    return ContainerVolumes(mounts)


def remove_pod_data(ctx: NodeContext, uid: str) -> None:
    """The pod left the node: what its containers wrote is kept where it belongs, they mount
    nothing any more, and its emptyDirs are deleted."""
    for disk in (ctx.disk, ctx.network):
        disk.sync()
        disk.detach(uid)
    ctx.disk.wipe(f"{POD_DIRS}/{uid}")


# ---------------------------------------------------------------------------------------------
# Paths in the container and on the disk


def _to_disk(mount: VolumeMount, event: FileEvent, at: float) -> Change | None:
    """A change the container made, as it lands on the disk through ``mount`` (None: it is
    not in that mount, or the mount cannot be written)."""
    if mount.read_only:
        return None
    path, root = event.path, mount.path
    if path == root:
        if not mount.directory:
            # A mounted file can be rewritten but not removed.
            return None if event.content is None else Change(at, mount.source, event.content)
        if event.content is None:
            return Change(at, mount.source, None, True, keep_dir=True)
        return None
    if path.startswith(root + "/"):
        if not mount.directory:
            return None
        return Change(at, mount.source + path[len(root) :], event.content, event.directory)
    if event.content is None and mount.directory and root.startswith(path.rstrip("/") + "/"):
        # ``rm -r`` of a directory above the mount point empties the volume.
        return Change(at, mount.source, None, True, keep_dir=True)
    return None


def _to_container(mount: VolumeMount, change: Change, at: float) -> list[FileEvent]:
    """A change on the disk as the container sees it through ``mount``."""
    path, source = change.path, mount.source
    emptied = [FileEvent(at, mount.path, None, True), FileEvent(at, mount.path, "", True)]
    if path == source:
        if not mount.directory:
            return [FileEvent(at, mount.path, change.content)]
        return emptied if change.content is None else []
    if path.startswith(source + "/"):
        if not mount.directory:
            return []
        return [FileEvent(at, mount.path + path[len(source) :], change.content, change.directory)]
    if change.content is None and mount.directory and source.startswith(path.rstrip("/") + "/"):
        return emptied
    return []


# ---------------------------------------------------------------------------------------------
# A container instance's mounts


class DiskMounts:
    """One container instance's mounts of one disk: a user of that disk."""

    def __init__(
        self,
        owner: str,
        disk: Disk,
        mounts: list[VolumeMount],
        instance: Instance,
        on_change: Callable[[], None],
    ) -> None:
        self.owner = owner
        self.disk = disk
        self.mounts = mounts
        self.instance = instance
        self.on_change = on_change
        # What its processes wrote until then is on the disk (None: nothing pulled yet, not
        # even what they write the moment they start).
        self._pulled: float | None = None

    @property
    def done(self) -> bool:
        finished = self.instance.finished_at
        return finished is not None and self._pulled is not None and self._pulled >= finished

    def changes(self, until: float) -> list[Change]:
        """What the instance's processes wrote into these mounts after the last pull."""
        instance = self.instance
        if instance.finished_at is not None:
            until = min(until, instance.finished_at)
        if self._pulled is not None and until <= self._pulled:
            return []
        start = instance.started_at
        after = self._pulled - start if self._pulled is not None else -math.inf
        events = instance.process.file_changes(after, until - start)
        self._pulled = until
        return self.to_disk(events)

    def to_disk(self, events: Sequence[FileEvent]) -> list[Change]:
        """The container's own changes (times after its start) as they land on the disk."""
        start = self.instance.started_at
        out = []
        for event in events:
            for mount in self.mounts:
                change = _to_disk(mount, event, start + event.at)
                if change is not None:
                    out.append(change)
        return out

    def receive(self, changes: Sequence[Change]) -> None:
        instance = self.instance
        if not instance.running:
            return
        start = instance.started_at
        events = [
            event
            for change in changes
            for mount in self.mounts
            for event in _to_container(mount, change, change.at - start)
        ]
        if events:
            instance.process.receive(events)
            self.on_change()


class ContainerVolumes:
    """What one container mounts of volumes whose data the kubelet keeps; the process reads
    and writes them through it (``images.process.SharedVolumes``)."""

    def __init__(self, mounts: list[VolumeMount]) -> None:
        self.mounts = mounts
        self._users: list[DiskMounts] = []

    def contents(self) -> list[MountedTree]:
        """Each mount as it is now."""
        synced: list[Disk] = []
        for mount in self.mounts:
            if mount.disk not in synced:
                mount.disk.sync()
                synced.append(mount.disk)
        return [_tree(mount) for mount in self.mounts]

    def attach(self, owner: str, instance: Instance, on_change: Callable[[], None]) -> None:
        """The instance runs: what its processes write reaches the disks, and what other
        containers write with ``exec`` reaches it (then ``on_change``)."""
        for mount in self.mounts:
            user = next((u for u in self._users if u.disk is mount.disk), None)
            if user is None:
                user = DiskMounts(owner, mount.disk, [], instance, _nothing)
                self._users.append(user)
            user.mounts.append(mount)
        for user in self._users:
            # Exec writes still to come are handed over as it attaches; the kubelet plans
            # the new instance's exit and probes after this anyway.
            user.disk.attach(user)
            user.on_change = on_change

    def wrote(self, changes: Sequence[FileEvent]) -> None:
        """An exec in the container made ``changes``: those in the mounts go to the disks."""
        for user in self._users:
            user.disk.write(user.to_disk(changes), user)


def _nothing() -> None:
    pass


def _tree(mount: VolumeMount) -> MountedTree:
    disk, source, at = mount.disk, mount.source, mount.path
    if not mount.directory:
        return MountedTree(at, {at: disk.read(source) or ""}, (), False, mount.read_only)
    files = {
        at + path[len(source) :]: content for path, content in disk.files_under(source).items()
    }
    dirs = tuple(at + path[len(source) :] for path in disk.dirs_under(source))
    return MountedTree(at, files, dirs, True, mount.read_only)
