"""The prober manager (``pkg/kubelet/prober``): one worker per container probe.

Workers tick on a grid from the pod's first sync (``anchor + k * periodSeconds``); readiness
is also probed right when a container starts. ``initialDelaySeconds`` counts whole seconds
from ``startedAt``. A success that has settled and cannot change until the process's ports or
HTTP answers change is not re-run tick by tick: nothing observable happens on those ticks.
"""

from __future__ import annotations

import math
from typing import Any

from k8sgame.engine.clock import PRIORITY_DEFAULT
from k8sgame.engine.events import WARNING
from k8sgame.engine.kubelet.containers import ContainerLifecycle, grace_period
from k8sgame.engine.kubelet.context import NodeContext, field_path
from k8sgame.engine.kubelet.probes import FAILURE, INITIAL_RESULT, KINDS, SUCCESS, run_probe
from k8sgame.engine.kubelet.runtime import ContainerRuntime, PodRuntime, ProbeState

DEFAULT_PERIOD_SECONDS = 10
DEFAULT_FAILURE_THRESHOLD = 3
DEFAULT_SUCCESS_THRESHOLD = 1


class Prober:
    """Runs the probes of one node's containers and acts on their results."""

    def __init__(self, ctx: NodeContext, lifecycle: ContainerLifecycle) -> None:
        self.ctx = ctx
        self.lifecycle = lifecycle

    def add_workers(self, container: ContainerRuntime) -> None:
        """A worker for each probe the container declares; they start with the pod's first
        sync and their tickers keep that phase."""
        for kind in KINDS:
            if container.spec.get(kind):
                container.probes[kind] = ProbeState(kind, self.ctx.clock.now, INITIAL_RESULT[kind])

    def container_started(self, rt: PodRuntime, container: ContainerRuntime) -> None:
        """A new instance runs: every worker probes it on its next tick, readiness at once."""
        for state in container.probes.values():
            self.schedule(rt, container, state)
        if container.started:
            self.trigger_readiness(rt, container)

    def schedule(
        self,
        rt: PodRuntime,
        container: ContainerRuntime,
        state: ProbeState,
        immediate: bool = False,
        not_before: float | None = None,
    ) -> None:
        """Arm the probe's next tick: the first ``anchor + k * period`` strictly after now
        (and not before ``not_before``), or right now when ``immediate``."""
        if state.timer is not None and not state.timer.cancelled:
            return
        period = float(
            container.spec.get(state.kind, {}).get("periodSeconds") or DEFAULT_PERIOD_SECONDS
        )
        now = self.ctx.clock.now
        ticks = (
            math.floor(round((now - state.anchor) / period, 6)) + 1 if now >= state.anchor else 0
        )
        if not_before is not None and not_before > now:
            ticks = max(ticks, math.ceil(round((not_before - state.anchor) / period, 6)))
        due = now if immediate else state.anchor + ticks * period
        state.timer = self.ctx.clock.call_at(
            due, lambda: self._probe(rt, container, state), PRIORITY_DEFAULT
        )

    def reschedule(self, rt: PodRuntime, container: ContainerRuntime) -> None:
        """Plan every worker's next tick again (an exec may have changed what they see)."""
        for state in container.probes.values():
            if state.timer is not None:
                state.timer.cancel()
                state.timer = None
            if not state.on_hold:
                self.schedule(rt, container, state)

    def files_changed(self, rt: PodRuntime, container: ContainerRuntime) -> None:
        """Another container wrote to a volume this one mounts: what its process does next
        may depend on it, so plan its exit and its probes again (as after an ``exec``)."""
        instance = container.running
        if instance is None or rt.uid not in self.ctx.pods:
            return
        if instance.exit_timer is not None and not instance.killing:
            instance.exit_timer.cancel()
            instance.exit_timer = None
            self.lifecycle.schedule_exit(rt, container, instance)
        elif instance.exit_timer is None:
            self.lifecycle.schedule_exit(rt, container, instance)
        self.reschedule(rt, container)

    def trigger_readiness(self, rt: PodRuntime, container: ContainerRuntime) -> None:
        """The kubelet probes readiness right after a sync finds a started, unready container,
        and restarts the readiness ticker from that moment."""
        state = container.probes.get("readinessProbe")
        if state is None or container.ready:
            return
        if state.timer is not None:
            state.timer.cancel()
            state.timer = None
        state.anchor = self.ctx.clock.now
        self.schedule(rt, container, state, immediate=True)

    def _probe(self, rt: PodRuntime, container: ContainerRuntime, state: ProbeState) -> None:
        ctx = self.ctx
        state.timer = None
        instance = container.running
        if instance is None or instance.killing or rt.uid not in ctx.pods:
            return
        if state.container_id != instance.container_id:
            state.container_id = instance.container_id
            state.result = INITIAL_RESULT[state.kind]
            state.on_hold = False
        spec = container.spec.get(state.kind) or {}
        now = ctx.clock.now
        if state.on_hold:
            self.schedule(rt, container, state)
            return
        if rt.terminating and state.kind != "readinessProbe":
            return
        if state.kind == "startupProbe" and container.started:
            return
        # initialDelaySeconds counts whole seconds since startedAt (prober/worker.go).
        if int(now - instance.started_at) < int(spec.get("initialDelaySeconds") or 0) or (
            state.kind != "startupProbe" and not container.started
        ):
            self.schedule(rt, container, state)
            return
        outcome = run_probe(
            spec, container.spec, instance.process, now - instance.started_at, rt.pod_ip
        )
        result = outcome.result
        if result == FAILURE:
            pod = ctx.pod(rt)
            if pod is not None:
                ctx.record(
                    pod,
                    WARNING,
                    "Unhealthy",
                    f"{KINDS[state.kind]} probe failed: {outcome.output}",
                    field_path(container),
                )
        if result in (SUCCESS, FAILURE):
            if state.last_result == result:
                state.run += 1
            else:
                state.last_result = result
                state.run = 1
            if result == FAILURE:
                wanted = int(spec.get("failureThreshold") or DEFAULT_FAILURE_THRESHOLD)
            else:
                wanted = int(spec.get("successThreshold") or DEFAULT_SUCCESS_THRESHOLD)
            acts = (
                state.kind == "startupProbe"
                or state.result != result
                or (state.kind == "livenessProbe" and result == FAILURE)
            )
            if acts and state.run >= wanted:
                pod = ctx.pod(rt)
                if pod is not None:
                    self._act(rt, pod, container, state, result)
        if container.running is not instance or instance.killing:
            return
        not_before = None
        if result == SUCCESS and state.result == SUCCESS and "exec" not in spec:
            # A settled success repeats until the process's network answers can change:
            # skip the identical ticks in between (they record nothing).
            change = instance.process.network_steady_after(now - instance.started_at)
            if change is None:
                return
            not_before = instance.started_at + change
        self.schedule(rt, container, state, not_before=not_before)

    def _act(
        self,
        rt: PodRuntime,
        pod: dict[str, Any],
        container: ContainerRuntime,
        state: ProbeState,
        result: str,
    ) -> None:
        """A probe crossed its threshold: kill, mark started, or flip readiness."""
        changed = state.result != result
        state.result = result
        policy = (pod.get("spec") or {}).get("restartPolicy", "Always")
        will_restart = ", will be restarted" if policy != "Never" or container.sidecar else ""
        if state.kind == "livenessProbe" and result == FAILURE:
            state.on_hold = True
            state.run = 0
            self.lifecycle.kill(
                rt,
                container,
                f"Container {container.name} failed liveness probe{will_restart}",
                grace_period(pod, container, "livenessProbe"),
                bool(will_restart),
            )
        elif state.kind == "startupProbe":
            state.on_hold = True
            state.run = 0
            if result == SUCCESS:
                container.started = True
                container.ready = "readinessProbe" not in container.probes
                self.ctx.publish(rt)
                self.trigger_readiness(rt, container)
                self.ctx.wake(rt, self.ctx.clock.now)
            else:
                self.lifecycle.kill(
                    rt,
                    container,
                    f"Container {container.name} failed startup probe{will_restart}",
                    grace_period(pod, container, "startupProbe"),
                    bool(will_restart),
                )
        elif state.kind == "readinessProbe" and changed:
            container.ready = result == SUCCESS
            self.ctx.publish(rt)
