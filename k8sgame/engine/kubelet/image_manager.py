"""The image manager: pull policy, one pull at a time per node (``serializeImagePulls``),
the image pull back-off, and the images the node reports in ``status.images``.

A pull takes the catalog's pull time for the image; one queued behind a pull of the same
image finds the layers already there when its turn comes and takes ``CACHED_PULL_SECONDS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from k8sgame.engine.clock import PRIORITY_TIMER
from k8sgame.engine.events import NORMAL, WARNING
from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.images.reference import PullResult, pull
from k8sgame.engine.kubelet.backoff import image_pull_backoff
from k8sgame.engine.kubelet.context import NodeContext, field_path
from k8sgame.engine.kubelet.runtime import ContainerRuntime, PodRuntime
from k8sgame.engine.objcopy import clone
from k8sgame.engine.timefmt import go_duration

CACHED_PULL_SECONDS = 0.5
# Sync errors (pull back-off, a policy that forbids pulling) are retried on the next
# periodic sync; the simulator uses the low end of the real 10-15 s.
SYNC_RETRY_SECONDS = 10.0

# Called when the container's image is on the node: (pod runtime, pod, container, pull).
ImageReady = Callable[[PodRuntime, dict[str, Any], ContainerRuntime, PullResult], None]


class ImageManager:
    """Brings each container's image onto the node, then hands the container on."""

    def __init__(
        self,
        ctx: NodeContext,
        catalog: Catalog,
        on_ready: ImageReady,
        publish: Callable[[PodRuntime], None],
    ) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.on_ready = on_ready
        self.publish = publish
        self.images: dict[str, int] = {}  # normalized reference -> size in bytes
        # When a pull in the queue will have brought each image (normalized reference).
        self.image_arrives: dict[str, float] = {}
        self.pull_free_at = 0.0
        self.backoff = image_pull_backoff()
        self.pull_errors: dict[str, str] = {}

    def ensure_image(
        self, rt: PodRuntime, pod: dict[str, Any], container: ContainerRuntime
    ) -> None:
        """Follow the container's ``imagePullPolicy``: use the image on the node, pull it, or
        report why it cannot (``InvalidImageName``, ``ErrImageNeverPull``, ``ImagePullBackOff``)."""
        ctx = self.ctx
        image = str(container.spec.get("image", ""))
        policy = container.spec.get("imagePullPolicy", "IfNotPresent")
        path = field_path(container)
        result = pull(self.catalog, image)
        normalized = result.normalized
        present = normalized in self.images
        if result.invalid:
            self._fail(rt, pod, container, "InvalidImageName", result.error, "InspectFailed")
            return
        if policy == "Never" and not present:
            message = f'Container image "{image}" is not present with pull policy of Never'
            self._fail(rt, pod, container, "ErrImageNeverPull", message, "ErrImageNeverPull")
            return
        if present and policy != "Always":
            ctx.record(
                pod,
                NORMAL,
                "Pulled",
                f'Container image "{image}" already present on machine and can be accessed by the pod',
                path,
            )
            self.on_ready(rt, pod, container, result)
            return
        key = f"{rt.uid}_{image}"
        now = ctx.clock.now
        if self.backoff.in_backoff_since_update(key, now):
            ctx.record(pod, NORMAL, "BackOff", f'Back-off pulling image "{image}"', path)
            ctx.record(pod, WARNING, "Failed", "Error: ImagePullBackOff", path)
            message = f'Back-off pulling image "{image}"'
            if key in self.pull_errors:
                message += f": {self.pull_errors[key]}"
            container.waiting_reason, container.waiting_message = "ImagePullBackOff", message
            ctx.wake(rt, now + SYNC_RETRY_SECONDS)
            return
        ctx.record(pod, NORMAL, "Pulling", f'Pulling image "{image}"', path)
        begin = max(now, self.pull_free_at)
        arrived = self.image_arrives.get(normalized)
        cached = present or (arrived is not None and arrived <= begin)
        duration = CACHED_PULL_SECONDS if cached or not result.ok else float(result.seconds)
        end = begin + duration
        self.pull_free_at = end
        if result.ok and arrived is None:
            self.image_arrives[normalized] = end
        container.pulling = True
        ctx.clock.call_at(
            end, lambda: self._pull_done(rt, container, result, now, begin), PRIORITY_TIMER
        )

    def _fail(
        self,
        rt: PodRuntime,
        pod: dict[str, Any],
        container: ContainerRuntime,
        reason: str,
        message: str,
        event_reason: str,
    ) -> None:
        """A container whose image cannot be used: it waits with ``reason``; retried later."""
        path = field_path(container)
        container.waiting_reason, container.waiting_message = reason, message
        self.ctx.record(pod, WARNING, event_reason, message, path)
        self.ctx.record(pod, WARNING, "Failed", f"Error: {reason}", path)
        self.ctx.wake(rt, self.ctx.clock.now + SYNC_RETRY_SECONDS)

    def _pull_done(
        self,
        rt: PodRuntime,
        container: ContainerRuntime,
        result: PullResult,
        requested: float,
        began: float,
    ) -> None:
        ctx = self.ctx
        container.pulling = False
        pod = ctx.pod(rt)
        if pod is None or rt.terminating or rt.uid not in ctx.pods:
            return
        image = str(container.spec.get("image", ""))
        path = field_path(container)
        now = ctx.clock.now
        if rt.terminated or rt.deadline_exceeded:
            return
        if result.image != image:
            # The spec changed while pulling: the next sync pulls the image it names now.
            ctx.wake(rt, now)
            return
        if not result.ok:
            key = f"{rt.uid}_{image}"
            ctx.record(
                pod, WARNING, "Failed", f'Failed to pull image "{image}": {result.error}', path
            )
            ctx.record(pod, WARNING, "Failed", "Error: ErrImagePull", path)
            self.backoff.next(key, now, now)
            self.pull_errors[key] = f"ErrImagePull: {result.error}"
            container.waiting_reason, container.waiting_message = "ErrImagePull", result.error
            self.publish(rt)
            # The status write wakes the pod worker again about a second later.
            ctx.wake(rt, now + 1.0)
            return
        self.images[result.normalized] = int(result.size)
        self._report_image(result)
        pulled = go_duration(math.floor(round((now - began) * 1000, 6)) / 1000)
        waited = go_duration(math.floor(round((now - requested) * 1000, 6)) / 1000)
        ctx.record(
            pod,
            NORMAL,
            "Pulled",
            f'Successfully pulled image "{image}" in {pulled} ({waited} including waiting). Image size: {result.size} bytes.',
            path,
        )
        self.on_ready(rt, pod, container, result)
        self.publish(rt)
        # Containers after this one (sidecars gate them) may start now.
        ctx.wake(rt, now)

    def _report_image(self, result: PullResult) -> None:
        """Add a newly pulled image to the node's ``status.images``."""
        node = self.ctx.node()
        if node is None:
            return
        updated = clone(node)
        images = updated.setdefault("status", {}).setdefault("images", [])
        names = [result.image_id, result.normalized]
        if not any(entry.get("names") == names for entry in images):
            images.append({"names": names, "sizeBytes": int(result.size)})
            self.ctx.api.update_status(updated)
