"""The probe-kill generator: first failed liveness probe to the kill, measured on the engine."""

import pytest
from quiz_generator_helpers import right_response, shown_yaml, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.cluster import fresh_cluster, pod_manifest
from k8sgame.quiz.generators.probes import kill_timing
from k8sgame.quiz.grading import grade

SEEDS = range(12)


def probe_of(question):
    return shown_yaml(question)["containers"][0]["livenessProbe"]


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("probe-kill", seed)
    assert question.kind == "numeric" and question.unit == "s" and question.tolerance == 0
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("probe-kill", 1) == generate("probe-kill", 1)
    assert len({generate("probe-kill", seed).number for seed in SEEDS}) >= 4


@pytest.mark.parametrize("seed", range(30))
def test_every_answer_is_failure_threshold_minus_one_periods(seed):
    # K8S-FACTS §2.1 defaults (period 10, threshold 3), §2.2: the kill comes on the
    # failureThreshold-th consecutive failure, one period after another.
    question = generate("probe-kill", seed)
    probe = probe_of(question)
    period = probe.get("periodSeconds", 10)
    failures = probe.get("failureThreshold", 3)
    assert question.number == (failures - 1) * period


def test_the_default_probe_kills_twenty_seconds_after_its_first_failure():
    cluster = fresh_cluster(0)
    probe = {"httpGet": {"path": "/", "port": 8080}}
    cluster.api.create(
        pod_manifest("live", [{"name": "web", "image": "nginx:1.27", "livenessProbe": probe}])
    )
    first, killed = kill_timing(cluster, "live")
    assert killed - first == 20
