"""The kubelet's streaming endpoints: ``exec`` into a running container and the ``logs`` of
a container's current or previous instance, with the kubelet's error texts."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.errors import bad_request
from k8sgame.engine.kubelet.containers import ContainerLifecycle
from k8sgame.engine.kubelet.prober import Prober
from k8sgame.engine.kubelet.runtime import PodRuntime

# validateContainerLogStatus words the waiting reasons of images that will not come.
_WAITING_WORDS = {
    "ErrImagePull": "image can't be pulled",
    "ImagePullBackOff": "trying and failing to pull image",
}


def exec_in(
    rt: PodRuntime | None,
    container_name: str,
    argv: list[str],
    now: float,
    lifecycle: ContainerLifecycle,
    prober: Prober,
    net: Any = None,
) -> Any:
    """Run ``argv`` in a running container; returns the process's ExecResult.

    ``net`` is the pod's network for the command's client programs (``curl``, ``wget``...).
    A command may change files the process is waiting on, so its exit and its probes are
    planned again afterwards.
    """
    container = rt.containers.get(container_name) if rt else None
    instance = container.running if container else None
    if rt is None or container is None or instance is None:
        raise bad_request(f'unable to upgrade connection: container not found ("{container_name}")')
    result = instance.process.exec(list(argv), now - instance.started_at, net=net)
    if instance.exit_timer is not None and not instance.killing:
        instance.exit_timer.cancel()
        instance.exit_timer = None
        lifecycle.schedule_exit(rt, container, instance)
    elif instance.exit_timer is None:
        lifecycle.schedule_exit(rt, container, instance)
    prober.reschedule(rt, container)
    return result


def container_logs(
    rt: PodRuntime | None, pod: dict[str, Any], container_name: str, previous: bool, now: float
) -> list[tuple[float, str, str]]:
    """``(time, stream, line)`` of a container's current or previous instance.

    Errors follow the kubelet's ``validateContainerLogStatus``.
    """
    pod_name = pod["metadata"]["name"]
    container = rt.containers.get(container_name) if rt else None
    instances = container.instances if container else []
    current = instances[-1] if instances else None
    if previous:
        earlier = (
            [i for i in instances if i is not current]
            if current and current.running
            else instances[:-1]
        )
        if not earlier:
            raise bad_request(
                f'previous terminated container "{container_name}" in pod "{pod_name}" not found'
            )
        instance = earlier[-1]
    elif current is not None:
        instance = current
    else:
        reason = container.waiting_reason if container else ""
        if not reason:
            pending_init = rt is not None and rt.init_order and not (container and container.init)
            reason = "PodInitializing" if pending_init else "ContainerCreating"
        reason = _WAITING_WORDS.get(reason, reason)
        raise bad_request(
            f'container "{container_name}" in pod "{pod_name}" is waiting to start: {reason}'
        )
    if instance.start_failed:
        return []
    end = instance.finished_at if instance.finished_at is not None else now
    return [
        (instance.started_at + line.at, line.stream, line.text)
        for line in instance.process.logs(end - instance.started_at)
    ]
