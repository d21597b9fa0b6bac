"""When a slow starter is killed. The demo app needs S seconds before its port opens (it
refuses connections until then, on every start); its container has a liveness probe with
seeded initialDelaySeconds, periodSeconds and failureThreshold, and sometimes a startupProbe.
What happens? The engine runs the pod for ten minutes of cluster time and reads the container's
restartCount, its state and the kubelet's Killing events (K8S-FACTS §2.2).

Where a probe's ticks fall after the container's start depends on the pod's sandbox and image
pull: the worker's ticker starts with the pod's first sync (docs/engine.md, "Probes"; the
probe-kill generator). So a probe with delay D, period P and threshold F probes first somewhere
in [D, D + P) after the start (up to a second sooner on a kubelet that reads a startedAt cut to
the second) and its F-th probe comes somewhere in [D + (F - 1)·P - 1, D + F·P): a start-up time
S in that window is killed or not depending on the phase. Every variant keeps S a full period
clear of it on either side: S ≥ D + F·P + P (surely killed, on every start) or
S ≤ D + (F - 1)·P - 1 - P (surely answering before the F-th failure). A startupProbe (no delay
here) is the same with D = 0. The generator still checks that the engine agrees with the design
and raises if not.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from k8sgame.engine.cluster import Cluster
from k8sgame.measure import MeasureError
from k8sgame.quiz.generators.cluster import NAMESPACE, fresh_cluster, pod_manifest, text
from k8sgame.quiz.generators.registry import generator
from k8sgame.quiz.model import Option, Question

DEFAULT_PERIOD_SECONDS = 10  # K8S-FACTS §2.1
DEFAULT_FAILURE_THRESHOLD = 3
MINUTES = 10  # how long the engine runs the pod
IMAGE = "k8sgame/demo-web:1.2.0"
POD = "slow"
SLACK = 1  # seconds a kubelet may probe early (startedAt read cut to the second)
SPREAD = 60  # how far past the latest possible kill a doomed starter may need
SHORTEST = 5  # the quickest starter asked about

# Outcomes, in the order the options are shown.
CRASH_LOOP = "crash_loop"  # the liveness probe kills every instance
KILLED_ONCE = "killed_once"  # never the answer: every instance starts as slowly
RUNS = "runs"  # the liveness probe succeeds in time
STARTUP_RUNS = "startup_runs"  # the startup probe holds liveness off; it runs
STARTUP_KILLS = "startup_kills"  # the startup probe gives up on every instance
WITHOUT_STARTUP = (CRASH_LOOP, KILLED_ONCE, RUNS)
WITH_STARTUP = (CRASH_LOOP, KILLED_ONCE, STARTUP_RUNS, STARTUP_KILLS)

_HANDLERS: tuple[dict[str, Any], ...] = (
    {"httpGet": {"path": "/healthz", "port": 8080}},
    {"tcpSocket": {"port": 8080}},
)
_NAMES = ("app", "web", "reports", "api")
_DELAYS = (0, 0, 5, 10, 15, 20, 30)
_PERIODS = (1, 2, 3, 5, 5, 10, 15, 20)
_FAILURES = (1, 2, 3, 3, 4, 5)
_STARTUP_PERIODS = (2, 5, 10, 10)
_STARTUP_FAILURES = (3, 5, 6, 10, 12, 20, 30)


@dataclass(frozen=True)
class Timing:
    """A probe's initialDelaySeconds, periodSeconds and failureThreshold, defaults applied."""

    delay: int
    period: int
    failures: int

    @property
    def deadline(self) -> int:
        """The latest a starter can be killed: every one of the first ``failures`` probes has
        failed by then, whatever the phase of the ticks."""
        return self.delay + self.failures * self.period

    @property
    def earliest(self) -> int:
        """The earliest the ``failures``-th probe can come (give or take a second)."""
        return self.delay + (self.failures - 1) * self.period

    def doomed(self) -> int:
        """The quickest start that this probe surely kills."""
        return self.deadline + self.period

    def spared(self) -> int:
        """The slowest start that this probe surely lets through."""
        return self.earliest - SLACK - self.period


def timing(probe: dict[str, Any]) -> Timing:
    return Timing(
        int(probe.get("initialDelaySeconds") or 0),
        int(probe.get("periodSeconds") or DEFAULT_PERIOD_SECONDS),
        int(probe.get("failureThreshold") or DEFAULT_FAILURE_THRESHOLD),
    )


@dataclass(frozen=True)
class Observation:
    """What the engine saw after running the pod: the outcome and the figures behind it."""

    outcome: str
    restarts: int
    failed: int  # Unhealthy events (failed probes)
    kills: int  # Killing events


def observe(cluster: Cluster, pod: str, minutes: int = MINUTES) -> Observation:
    """Run ``cluster`` ``minutes`` of cluster time and say what became of ``pod``'s (only)
    container: still running without a restart (thanks to its startupProbe if it has one),
    killed by a probe on every start (which probe: the Killing events say), or killed once and
    running since."""
    cluster.run_for(minutes * 60)
    obj = cluster.api.peek("Pod", pod, NAMESPACE)
    statuses = ((obj or {}).get("status") or {}).get("containerStatuses") or []
    if not statuses:
        raise MeasureError(f"pod {pod} has no container status")
    status = statuses[0]
    restarts = int(status.get("restartCount") or 0)
    counts: dict[str, int] = {}
    for event in cluster.api.list("Event", NAMESPACE):
        if (event.get("involvedObject") or {}).get("name") != pod:
            continue
        reason = str(event.get("reason"))
        if reason == "Killing":
            message = str(event.get("message"))
            reason = "startup" if "failed startup probe" in message else "liveness"
        counts[reason] = counts.get(reason, 0) + int(event.get("count") or 1)
    kills = counts.get("liveness", 0) + counts.get("startup", 0)
    running = "running" in (status.get("state") or {})
    if kills == 0 and restarts == 0 and running and status.get("started"):
        container = ((obj or {}).get("spec") or {}).get("containers", [{}])[0]
        outcome = STARTUP_RUNS if container.get("startupProbe") else RUNS
    elif kills == 1 and restarts == 1 and running and status.get("started"):
        outcome = KILLED_ONCE
    elif kills >= 2 and restarts >= 2 and counts.get("liveness", 0) == kills:
        outcome = CRASH_LOOP
    elif kills >= 2 and restarts >= 2 and counts.get("startup", 0) == kills:
        outcome = STARTUP_KILLS
    else:
        raise MeasureError(f"pod {pod}: {restarts} restarts, {counts} after {minutes} minutes")
    return Observation(outcome, restarts, counts.get("Unhealthy", 0), kills)


def _seconds(rng: random.Random, low: int, high: int) -> int:
    """A start-up time in [low, high], a multiple of 5 where there is one."""
    round_ones = [s for s in range(low, high + 1) if s % 5 == 0]
    return rng.choice(round_ones or list(range(low, high + 1)))


def _liveness(rng: random.Random, handler: dict[str, Any]) -> dict[str, Any]:
    probe = copy.deepcopy(handler)
    delay = rng.choice(_DELAYS)
    if delay or rng.random() < 0.3:
        probe["initialDelaySeconds"] = delay
    if rng.random() < 0.75:
        probe["periodSeconds"] = rng.choice(_PERIODS)
    if rng.random() < 0.75:
        probe["failureThreshold"] = rng.choice(_FAILURES)
    return probe


def _startup(
    rng: random.Random, handler: dict[str, Any], fits: Callable[[Timing], bool]
) -> dict[str, Any]:
    """A startupProbe whose (period, threshold) passes ``fits(Timing)``."""
    budgets = [
        Timing(0, period, failures)
        for period in _STARTUP_PERIODS
        for failures in _STARTUP_FAILURES
        if fits(Timing(0, period, failures))
    ]
    chosen = rng.choice(budgets)
    probe = copy.deepcopy(handler)
    if chosen.failures != DEFAULT_FAILURE_THRESHOLD or rng.random() < 0.7:
        probe["failureThreshold"] = chosen.failures
    if chosen.period != DEFAULT_PERIOD_SECONDS or rng.random() < 0.7:
        probe["periodSeconds"] = chosen.period
    return probe


def _design(rng: random.Random) -> tuple[str, int, dict[str, Any]]:
    """The designed outcome, the start-up time and the container's probes."""
    handler = rng.choice(_HANDLERS)
    design = rng.choice((CRASH_LOOP, CRASH_LOOP, RUNS, RUNS, STARTUP_RUNS, STARTUP_KILLS))
    while True:
        liveness = _liveness(rng, handler)
        live = timing(liveness)
        if design != RUNS or live.spared() >= SHORTEST:
            break
    probes: dict[str, Any] = {"livenessProbe": liveness}
    if design == CRASH_LOOP:
        seconds = _seconds(rng, live.doomed(), live.doomed() + SPREAD)
    elif design == RUNS:
        seconds = _seconds(rng, SHORTEST, live.spared())
    elif design == STARTUP_RUNS:
        # Slow enough that the liveness probe alone would kill it every time.
        low = live.doomed()
        startup = _startup(rng, handler, lambda t: t.spared() >= low)
        probes["startupProbe"] = startup
        seconds = _seconds(rng, low, timing(startup).spared())
    else:
        # A budget set too tight: killed within about a minute, again and again.
        startup = _startup(rng, handler, lambda t: t.deadline <= 60)
        probes["startupProbe"] = startup
        doomed = timing(startup).doomed()
        seconds = _seconds(rng, doomed, doomed + SPREAD)
    return design, seconds, probes


@generator("slow-starter", ("liveness-probe", "startup-probe", "probe-mechanisms", "self-healing"))
def slow_starter(seed: int) -> Question:
    rng = random.Random(seed)
    design, seconds, probes = _design(rng)
    name = rng.choice(_NAMES)
    container = {
        "name": name,
        "image": IMAGE,
        "env": [{"name": "STARTUP_SECONDS", "value": str(seconds)}],
        **probes,
    }
    cluster = fresh_cluster(seed)
    cluster.api.create(pod_manifest(POD, [container]))
    seen = observe(cluster, POD)
    if seen.outcome != design:
        raise MeasureError(f"designed {design}, the engine saw {seen.outcome} ({seen})")

    live = timing(probes["livenessProbe"])
    fields: dict[str, Any] = {
        "seconds": seconds,
        "minutes": MINUTES,
        "restarts": seen.restarts,
        "failed": seen.failed,
        "kills": seen.kills,
        "delay": live.delay,
        "period": live.period,
        "failures": live.failures,
        "deadline": live.deadline,
        "earliest": live.earliest,
    }
    startup = probes.get("startupProbe")
    if startup is not None:
        budget = timing(startup)
        fields.update(
            startup_period=budget.period,
            startup_failures=budget.failures,
            budget=budget.deadline,
        )
    outcomes = WITHOUT_STARTUP if startup is None else WITH_STARTUP
    shown = yaml.safe_dump({"containers": [container]}, sort_keys=False).rstrip()
    concepts = ["liveness-probe", "probe-mechanisms", "self-healing"]
    if startup is not None or live.delay:
        concepts.insert(1, "startup-probe")  # a startupProbe, or initialDelaySeconds at work
    return Question(
        id=f"slow-starter-{seed}",
        kind="single",
        prompt=text(
            "generated.slow_starter.prompt",
            spec=shown,
            seconds=seconds,
            minutes=MINUTES,
            image=IMAGE,
        ),
        explanation=text(f"generated.slow_starter.explanation_{design}", **fields),
        concepts=tuple(concepts),
        difficulty=3,
        options=tuple(
            Option(text(f"generated.slow_starter.option_{outcome}"), outcome == design)
            for outcome in outcomes
        ),
        generator="slow-starter",
        seed=seed,
    )
