"""The crashloop-delay generator: the wait before a restart, measured on the engine."""

import re

import pytest
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.grading import grade

SEEDS = range(12)


def restart_asked(question):
    return int(re.search(r"restartCount to (\d+)", question.prompt.en).group(1))


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("crashloop-delay", seed)
    assert question.kind == "numeric" and question.unit == "s"
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("crashloop-delay", 3) == generate("crashloop-delay", 3)
    assert generate("crashloop-delay", 0) != generate("crashloop-delay", 2)
    assert len({generate("crashloop-delay", seed).number for seed in SEEDS}) >= 4


def test_the_fourth_restart_waits_forty_seconds():
    # K8S-FACTS §1.2: first exit → immediate restart, then 10 s, 20 s, 40 s...
    question = generate("crashloop-delay", 7)
    assert restart_asked(question) == 4
    assert "sleep" not in question.prompt.en
    assert (question.number, question.tolerance) == (40.0, 0.0)
    assert "10s, 20s, 40s" in question.explanation.en


@pytest.mark.parametrize("seed", range(40))
def test_every_answer_is_the_documented_back_off(seed):
    question = generate("crashloop-delay", seed)
    restart = restart_asked(question)
    if question.tolerance:
        # Instances that ran over 10 minutes reset the back-off: restarted at once.
        assert re.search(r"sleep (\d+)", question.prompt.en)
        assert int(re.search(r"sleep (\d+)", question.prompt.en).group(1)) > 600
        assert question.number == 0.0
    else:
        assert question.number == min(10 * 2 ** (restart - 2), 300)
