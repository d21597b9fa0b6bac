"""The rolling-update generator: its bounds follow the controller's fenceposts and its stall
is what the engine reaches when the new pods never become available."""

import re

import pytest
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.rolling import stalled_sizes
from k8sgame.quiz.grading import grade

SEEDS = range(16)


def _numbers(prompt):
    replicas = int(re.search(r"runs (\d+) replicas", prompt).group(1))
    surge = re.search(r"maxSurge: (\S+?) and", prompt).group(1)
    unavailable = re.search(r"maxUnavailable: (\S+?)\.", prompt).group(1)
    return replicas, surge, unavailable


def test_the_engine_stalls_where_the_steps_say():
    # 25% of 4: one more pod, one fewer available -> new 2, old 3.
    assert stalled_sizes(4, "25%", "25%", 1) == (2, 3)
    # 25% of 3: surge rounds up to 1, unavailability down to 0 -> new 1, old 3.
    assert stalled_sizes(3, "25%", "25%", 1) == (1, 3)
    assert stalled_sizes(5, 0, 2, 1) == (2, 3)


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("rolling-update", seed)
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


@pytest.mark.parametrize("seed", range(40))
def test_the_bounds_round_surge_up_and_unavailability_down(seed):
    question = generate("rolling-update", seed)
    replicas, surge, unavailable = _numbers(question.prompt.en)

    def resolve(value, up):
        if value.endswith("%"):
            exact = int(value[:-1]) * replicas / 100
            return -(-int(value[:-1]) * replicas // 100) if up else int(exact)
        return int(value)

    if "at most how many" in question.prompt.en:
        assert question.number == replicas + resolve(surge, True)
    elif "how few available" in question.prompt.en:
        assert question.number == replicas - min(resolve(unavailable, False), replicas)


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("rolling-update", 3) == generate("rolling-update", 3)
    assert len({generate("rolling-update", seed).prompt for seed in SEEDS}) > 8
    assert generate("rolling-update", 3).prompt.ko.strip()
