"""The oom generator: an image's known memory use against a memory limit, run on the engine."""

import pytest
from quiz_generator_helpers import answer_text, right_response, shown_yaml, wrong_response

from k8sgame.engine.quantity import memory_bytes
from k8sgame.quiz.generators import generate
from k8sgame.quiz.grading import grade

SEEDS = range(12)
MIB = 1024 * 1024
NODE_MEMORY = 8 * 1024 * MIB  # the default cluster's workers


def expected(question):
    """K8S-FACTS §3.6, §4, §9.4: over the limit → OOMKilled; a limit (so a request) bigger
    than every node → Pending; otherwise it runs."""
    container = shown_yaml(question)["containers"][0]
    limit = memory_bytes(container["resources"]["limits"]["memory"])
    env = {e["name"]: e["value"] for e in container.get("env", [])}
    use = float(env["MEMORY_MB"]) if "MEMORY_MB" in env else 380.0  # mysqld
    if limit > NODE_MEMORY:
        return "It is never scheduled: the pod stays Pending"
    if use * MIB > limit:
        return "It is OOMKilled (exit code 137), then restarted"
    return "It keeps running"


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("oom", seed)
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("oom", 2) == generate("oom", 2)
    assert len({answer_text(generate("oom", seed)) for seed in range(20)}) == 3


@pytest.mark.parametrize("seed", range(40))
def test_every_answer_follows_the_limit(seed):
    question = generate("oom", seed)
    assert answer_text(question) == expected(question)


def test_a_pinned_variant_is_oom_killed():
    # seed 2: the demo app using 150 MiB under a 64Mi limit.
    question = generate("oom", 2)
    container = shown_yaml(question)["containers"][0]
    assert container["env"] == [{"name": "MEMORY_MB", "value": "150"}]
    assert container["resources"]["limits"]["memory"] == "64Mi"
    assert answer_text(question) == "It is OOMKilled (exit code 137), then restarted"


def test_a_pending_variant_quotes_the_scheduler():
    pending = next(
        q
        for q in (generate("oom", seed) for seed in range(60))
        if answer_text(q).endswith("stays Pending")
    )
    assert (
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 Insufficient memory."
        in (pending.explanation.en)
    )
