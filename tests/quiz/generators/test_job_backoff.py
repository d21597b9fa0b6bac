"""The job-backoff generator: pods until a failing Job gives up, and the wait before each
replacement, both measured on the engine."""

import pytest
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.job_backoff import run_failing_job
from k8sgame.quiz.grading import grade


def test_a_failing_job_runs_limit_plus_one_pods_waiting_longer_each_time():
    created, finished, failed = run_failing_job(3, 1)
    assert failed and len(created) == 4
    waits = [round(created[k] - finished[k - 1]) for k in range(1, 4)]
    assert waits == [10, 20, 40]


@pytest.mark.parametrize("seed", range(12))
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("job-backoff", seed)
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_in_both_languages():
    assert generate("job-backoff", 4) == generate("job-backoff", 4)
    question = generate("job-backoff", 4)
    assert question.prompt.ko.strip() and question.explanation.ko.strip()
