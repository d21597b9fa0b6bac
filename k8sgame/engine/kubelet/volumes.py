"""The volume manager: a pod's ConfigMap and Secret volumes mount before its sandbox starts;
a missing source records ``FailedMount`` and the mount is retried with back-off. When the pod
leaves the node its volumes are torn down: its emptyDirs are deleted (``volume_data``)."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.events import WARNING
from k8sgame.engine.kubelet.context import NodeContext
from k8sgame.engine.kubelet.environment import volume_problem
from k8sgame.engine.kubelet.runtime import PodRuntime
from k8sgame.engine.kubelet.volume_data import remove_pod_data

MOUNT_RETRY_INITIAL = 0.5
MOUNT_RETRY_MAX = 122.0
# volume_manager.go podAttachAndMountRetryInterval: WaitForUnmount polls every 300 ms; its
# first poll comes before the volume reconciler (100 ms loops) has unmounted anything.
UNMOUNT_POLL_SECONDS = 0.3


def mount_retry_delay(attempts: int) -> float:
    """The wait before mount attempt ``attempts + 1`` (exponential, capped)."""
    return min(MOUNT_RETRY_INITIAL * 2 ** (attempts - 1), MOUNT_RETRY_MAX)


class VolumeManager:
    """Mounts each admitted pod's volumes."""

    def __init__(self, ctx: NodeContext) -> None:
        self.ctx = ctx

    def mount(self, rt: PodRuntime, pod: dict[str, Any]) -> bool:
        """True once every volume of ``pod`` is mounted; else record why and retry later."""
        problem = volume_problem(pod, self.ctx.api)
        if problem is None:
            rt.volumes_ready = True
            return True
        volume, error = problem
        self.ctx.record(
            pod, WARNING, "FailedMount", f'MountVolume.SetUp failed for volume "{volume}" : {error}'
        )
        rt.mount_attempts += 1
        self.ctx.wake(rt, self.ctx.clock.now + mount_retry_delay(rt.mount_attempts))
        return False

    def tear_down(self, rt: PodRuntime) -> None:
        """The pod left the node: unmount its volumes and delete its emptyDirs."""
        remove_pod_data(self.ctx, rt.uid)
