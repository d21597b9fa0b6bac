"""The slow-starter generator: what becomes of a container that needs S seconds before its
health check answers, under a liveness probe and sometimes a startupProbe, run on the engine."""

import pytest
from quiz_generator_helpers import answer_text, right_response, shown_yaml, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.cluster import fresh_cluster, pod_manifest, text
from k8sgame.quiz.generators.slow_starter import (
    CRASH_LOOP,
    IMAGE,
    KILLED_ONCE,
    RUNS,
    STARTUP_KILLS,
    STARTUP_RUNS,
    observe,
)
from k8sgame.quiz.grading import grade

SEEDS = range(12)
HEALTH = {"httpGet": {"path": "/healthz", "port": 8080}}


def option(outcome):
    return text(f"generated.slow_starter.option_{outcome}").en


def container_of(question):
    return shown_yaml(question)["containers"][0]


def starter(seconds, **probes):
    env = [{"name": "STARTUP_SECONDS", "value": str(seconds)}]
    return {"name": "app", "image": IMAGE, "env": env, **probes}


def outcome_of(container, init_sleep=None):
    """What the engine makes of a pod with ``container``; an init container sleeping
    ``init_sleep`` seconds first shifts the container's start against the probe ticks."""
    cluster = fresh_cluster(0)
    spec = {}
    if init_sleep is not None:
        sleeper = {"name": "wait", "image": "busybox:1.36", "command": ["sleep", str(init_sleep)]}
        spec["initContainers"] = [sleeper]
    cluster.api.create(pod_manifest("slow", [container], **spec))
    return observe(cluster, "slow")


def rule(container):
    """K8S-FACTS §2.1 defaults, §2.2: the kill comes on the failureThreshold-th consecutive
    failure; the first probe waits initialDelaySeconds; a startupProbe runs alone until it
    succeeds. With the first probe somewhere in [delay, delay + period) (a second sooner if
    the kubelet reads startedAt cut to the second), a start-up time at or past delay +
    threshold × period is surely killed, one before delay + (threshold - 1) × period - 1 surely
    is not. Returns the outcome and how far the start-up time is from the window where the
    ticks' phase would decide, in periods."""
    seconds = int(container["env"][0]["value"])
    startup = container.get("startupProbe")
    probe = startup or container["livenessProbe"]
    delay = probe.get("initialDelaySeconds", 0)
    period = probe.get("periodSeconds", 10)
    failures = probe.get("failureThreshold", 3)
    if seconds >= delay + failures * period:
        margin = (seconds - delay - failures * period) / period
        return (STARTUP_KILLS if startup else CRASH_LOOP), margin
    margin = (delay + (failures - 1) * period - 1 - seconds) / period
    assert margin > 0
    return (STARTUP_RUNS if startup else RUNS), margin


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("slow-starter", seed)
    assert question.kind == "single"
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("slow-starter", 4) == generate("slow-starter", 4)
    assert generate("slow-starter", 4).prompt != generate("slow-starter", 5).prompt
    answers = {answer_text(generate("slow-starter", seed)) for seed in range(30)}
    assert answers == {option(o) for o in (CRASH_LOOP, RUNS, STARTUP_RUNS, STARTUP_KILLS)}


@pytest.mark.parametrize("seed", range(40))
def test_every_answer_follows_the_rule_a_period_away_from_the_boundary(seed):
    question = generate("slow-starter", seed)
    container = container_of(question)
    outcome, margin = rule(container)
    assert answer_text(question) == option(outcome)
    assert margin >= 1
    if "startupProbe" in container:
        offered = (CRASH_LOOP, KILLED_ONCE, STARTUP_RUNS, STARTUP_KILLS)
    else:
        offered = (CRASH_LOOP, KILLED_ONCE, RUNS)
    assert [o.text.en for o in question.options] == [option(o) for o in offered]
    if "startupProbe" in container:
        assert "startup-probe" in question.concepts
        # A startupProbe that saves it saves it from a liveness probe that would kill it.
        if outcome == STARTUP_RUNS:
            alone = {k: v for k, v in container.items() if k != "startupProbe"}
            assert rule(alone)[0] == CRASH_LOOP


@pytest.mark.parametrize("seed", range(8))
def test_the_answer_does_not_depend_on_where_the_probe_ticks_fall(seed):
    # The probe ticker starts with the pod's first sync; an init container that sleeps first
    # moves the container's start against it.
    container = container_of(generate("slow-starter", seed))
    outcomes = {outcome_of(container, sleep).outcome for sleep in (None, 0.3, 2.5, 6.8, 13.1)}
    assert outcomes == {rule(container)[0]}


def test_a_sixty_second_starter_under_the_default_liveness_probe_crash_loops():
    # Probes every 10 s, killed on the 3rd failure: about 30 s after each start, never 60.
    seen = outcome_of(starter(60, livenessProbe=dict(HEALTH)))
    assert seen.outcome == CRASH_LOOP
    assert seen.restarts >= 5 and seen.kills == seen.restarts + 1


def test_a_startup_probe_of_thirty_times_ten_seconds_lets_it_start():
    startup = {**HEALTH, "failureThreshold": 30, "periodSeconds": 10}
    seen = outcome_of(starter(60, livenessProbe=dict(HEALTH), startupProbe=startup))
    assert seen.outcome == STARTUP_RUNS
    assert seen.restarts == 0 and seen.kills == 0 and seen.failed >= 5


def test_a_startup_probe_of_three_times_ten_seconds_gives_up():
    startup = {**HEALTH, "failureThreshold": 3, "periodSeconds": 10}
    seen = outcome_of(starter(60, livenessProbe=dict(HEALTH), startupProbe=startup))
    assert seen.outcome == STARTUP_KILLS and seen.restarts >= 5


def test_initial_delay_seconds_also_lets_it_start():
    # The 3rd failure cannot come before 90 + 2 × 10 = 110 s; the app answers at 60 s.
    seen = outcome_of(starter(60, livenessProbe={**HEALTH, "initialDelaySeconds": 90}))
    assert seen.outcome == RUNS and seen.restarts == 0 and seen.failed == 0
