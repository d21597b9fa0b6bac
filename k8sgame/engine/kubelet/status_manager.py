"""The status manager: writes each pod's status as the kubelet computes it (no write when
nothing changed) and makes the final delete of a terminated pod."""

from __future__ import annotations

import contextlib
from typing import Any

from k8sgame.engine.errors import ApiError
from k8sgame.engine.kubelet.containers import ContainerLifecycle
from k8sgame.engine.kubelet.context import TERMINAL, NodeContext
from k8sgame.engine.kubelet.node_status import host_ip
from k8sgame.engine.kubelet.runtime import PodRuntime
from k8sgame.engine.kubelet.status import container_status, pod_conditions, pod_phase
from k8sgame.engine.objcopy import clone
from k8sgame.engine.timefmt import rfc3339

DEADLINE_MESSAGE = "Pod was active on the node longer than the specified deadline"
# TerminatePod's word for a container that never got to run (status_manager.go).
NEVER_RAN_MESSAGE = "The container could not be located when the pod was terminated"


class StatusManager:
    """Publishes one node's pod statuses through the API."""

    def __init__(self, ctx: NodeContext, lifecycle: ContainerLifecycle) -> None:
        self.ctx = ctx
        self.lifecycle = lifecycle

    def publish(self, rt: PodRuntime, terminal: bool = False, final: bool = False) -> None:
        """Write the pod's status as the kubelet computes it now (no write when unchanged);
        ``final`` is the status manager's TerminatePod just before a deleted pod goes."""
        ctx = self.ctx
        pod = ctx.pod(rt)
        if pod is None or rt.rejected:
            return
        if rt.unseen_until is not None:
            if ctx.clock.now < rt.unseen_until and not terminal:
                return
            rt.unseen_until = None
        spec = pod.get("spec") or {}
        old = pod.get("status") or {}
        status = clone(old)
        is_terminal = terminal or old.get("phase") in TERMINAL
        phase = pod_phase(rt, spec.get("restartPolicy", "Always"), is_terminal)
        if old.get("phase") in TERMINAL:
            phase = old["phase"]
        if rt.deadline_exceeded:
            phase = "Failed"
            status["reason"] = "DeadlineExceeded"
            status["message"] = DEADLINE_MESSAGE
        has_init = bool(rt.init_order)
        init_statuses = [
            container_status(rt.containers[n], "PodInitializing") for n in rt.init_order
        ]
        app_statuses = [
            container_status(
                rt.containers[n], "PodInitializing" if has_init else "ContainerCreating"
            )
            for n in rt.app_order
        ]
        if final and _report_never_ran(rt, init_statuses, app_statuses):
            # A pod that had containers that never got to run did not succeed.
            phase = "Failed"
        status["phase"] = phase
        # status_manager SetPodStatus: CalculatePodStatusObservedGeneration (GA in 1.35).
        generation = int(pod["metadata"].get("generation") or 0)
        if generation:
            status["observedGeneration"] = generation
        status["conditions"] = pod_conditions(
            rt, phase, old.get("conditions") or [], ctx.clock.now, generation
        )
        address = host_ip(ctx.node())
        if address:
            status["hostIP"] = address
            status["hostIPs"] = [{"ip": address}]
        if rt.sandbox_ready:
            status["podIP"] = rt.pod_ip
            status["podIPs"] = [{"ip": rt.pod_ip}]
        if rt.start_time is not None:
            status["startTime"] = rfc3339(rt.start_time)
        if rt.init_order:
            status["initContainerStatuses"] = init_statuses
        status["containerStatuses"] = app_statuses
        self.write(pod, status)
        if phase in TERMINAL and not rt.terminating and not rt.finished:
            # A pod that reached Succeeded or Failed runs nothing more: stop what is left
            # (sidecars, containers of a pod past its deadline) and restart nothing.
            rt.finished = True
            self.lifecycle.stop_all(rt, pod)

    def write(self, pod: dict[str, Any], status: dict[str, Any]) -> None:
        """Write ``status`` to the pod's status subresource unless it is what is there."""
        if status == pod.get("status"):
            return
        updated = dict(pod)
        updated["status"] = status
        with contextlib.suppress(ApiError):
            self.ctx.api.update_status(updated)

    def final_delete(self, rt: PodRuntime) -> None:
        """The status manager's final delete (grace 0, preconditioned on the pod's UID)."""
        if self.ctx.pod(rt) is None:
            return
        self.publish(rt, terminal=True, final=True)
        with contextlib.suppress(ApiError):
            self.ctx.api.delete("Pod", rt.name, rt.namespace, grace_period=0)


def _report_never_ran(
    rt: PodRuntime, init_statuses: list[dict[str, Any]], app_statuses: list[dict[str, Any]]
) -> bool:
    """TerminatePod: report containers still waiting as gone; True when there were any."""
    unknown = False
    ran = any(c.instances for c in rt.containers.values())
    for entry in (*app_statuses, *(init_statuses if ran else ())):
        if "waiting" in entry["state"]:
            entry["state"] = {
                "terminated": {
                    "exitCode": 137,
                    "finishedAt": None,
                    "message": NEVER_RAN_MESSAGE,
                    "reason": "ContainerStatusUnknown",
                    "startedAt": None,
                }
            }
            unknown = True
    return unknown
