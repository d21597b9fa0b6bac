"""The scheduling generator: where the engine's scheduler puts a pod, exactly one answer."""

import re

import pytest
from quiz_generator_helpers import answer_text, right_response, shown_yaml, wrong_response

from k8sgame.engine.quantity import cpu_millis, memory_bytes
from k8sgame.quiz.generators import generate
from k8sgame.quiz.grading import grade

SEEDS = range(12)
PENDING = "Nowhere: it stays Pending"


def fits(node, pod):
    """K8S-FACTS §9.4, §9.7, §9.8: requests within what is left, every NoSchedule/NoExecute
    taint tolerated, every nodeSelector label present."""
    spec = pod["spec"]
    requests = spec["containers"][0]["resources"]["requests"]
    requested = node.get("requested", {})
    allocatable = node["allocatable"]
    for resource, amount in (("cpu", cpu_millis), ("memory", memory_bytes)):
        free = amount(allocatable[resource]) - amount(requested.get(resource, 0))
        if amount(requests[resource]) > free:
            return False
    tolerations = spec.get("tolerations", [])
    for taint in node.get("taints", []):
        if not any(
            t["key"] == taint["key"]
            and t["value"] == taint["value"]
            and t["effect"] == taint["effect"]
            for t in tolerations
        ):
            return False
    labels = node.get("labels", {})
    return all(labels.get(k) == v for k, v in spec.get("nodeSelector", {}).items())


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("scheduling", seed)
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("scheduling", 9) == generate("scheduling", 9)
    answers = {answer_text(generate("scheduling", seed)) for seed in range(20)}
    assert {"node-1", "node-2", PENDING} <= answers


@pytest.mark.parametrize("seed", range(40))
def test_exactly_the_answer_fits_by_the_kubernetes_rules(seed):
    question = generate("scheduling", seed)
    nodes, pod = shown_yaml(question, 1), shown_yaml(question, 3)
    fitting = [node["name"] for node in nodes if fits(node, pod)]
    assert len(fitting) <= 1
    assert answer_text(question) == (fitting[0] if fitting else PENDING)


@pytest.mark.parametrize("seed", range(40))
def test_pending_explanations_quote_the_failed_scheduling_event(seed):
    question = generate("scheduling", seed)
    if answer_text(question) != PENDING:
        return
    nodes = shown_yaml(question, 1)
    message = re.search(r"0/\d+ nodes are available: .*", question.explanation.en).group(0)
    assert message.startswith(f"0/{len(nodes)} nodes are available: ")
    histogram = message.split(": ", 1)[1].split(". ", 1)[0]
    assert sum(int(entry.split(" ", 1)[0]) for entry in histogram.split(", ")) == len(nodes)


def test_a_pinned_variant_stays_pending_for_cpu_and_a_taint():
    question = generate("scheduling", 29)
    assert answer_text(question) == PENDING
    assert "0/3 nodes are available: 1 node(s) had untolerated taint(s)" in question.explanation.en
