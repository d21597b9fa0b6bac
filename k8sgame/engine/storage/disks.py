"""Every disk of the cluster: each node's own, by node name, and the network storage that
every node reaches. A node's disk outlives its kubelet (the machine keeps its disk when the
kubelet stops, or when its Node is deleted and registered again)."""

from __future__ import annotations

from k8sgame.engine.clock import SimClock
from k8sgame.engine.storage.disk import Disk


class Disks:
    """The cluster's disks."""

    def __init__(self, clock: SimClock) -> None:
        self.clock = clock
        self.network = Disk(clock)
        self._nodes: dict[str, Disk] = {}

    def node(self, name: str) -> Disk:
        """Node ``name``'s own disk."""
        disk = self._nodes.get(name)
        if disk is None:
            disk = self._nodes[name] = Disk(self.clock)
        return disk

    def wipe(self, node: str, path: str) -> None:
        """Delete ``path`` with its contents on ``node``'s disk (the local-path provisioner
        removing a deleted volume's directory)."""
        disk = self._nodes.get(node)
        if disk is not None:
            disk.wipe(path)
