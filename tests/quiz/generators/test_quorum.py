"""The etcd-quorum generator and the rule it asks about (etcd FAQ)."""

import re

import pytest
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.quorum import failure_tolerance, quorum
from k8sgame.quiz.grading import grade

SEEDS = range(12)


def test_the_rule_matches_etcds_table():
    assert [quorum(n) for n in range(1, 10)] == [1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert [failure_tolerance(n) for n in range(1, 10)] == [0, 0, 1, 1, 2, 2, 3, 3, 4]
    assert (quorum(5), failure_tolerance(5)) == (3, 2)
    with pytest.raises(ValueError):
        quorum(0)


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("etcd-quorum", seed)
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("etcd-quorum", 5) == generate("etcd-quorum", 5)
    prompts = {generate("etcd-quorum", seed).prompt for seed in SEEDS}
    assert len(prompts) > 4


@pytest.mark.parametrize("seed", range(30))
def test_every_answer_follows_the_majority_rule(seed):
    question = generate("etcd-quorum", seed)
    members = int(re.search(r"has (\d+) member", question.prompt.en).group(1))
    if "must agree" in question.prompt.en:
        assert question.number == members // 2 + 1
    else:
        assert question.number == members - (members // 2 + 1)
    if members % 2 == 0:
        assert "odd number" in question.explanation.en
