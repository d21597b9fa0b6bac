"""The restart-policy generator: what `kubectl get pod` (or the phase) shows two minutes on."""

import pytest
from quiz_generator_helpers import answer_text, right_response, shown_yaml, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.cluster import fresh_cluster, pod_manifest
from k8sgame.quiz.generators.restart_policy import LOOK_AFTER, get_pod_status
from k8sgame.quiz.grading import grade

SEEDS = range(12)
# K8S-FACTS §3.2/§3.3/§3.5: (policy, exit code is zero) → (STATUS, phase).
EXPECTED = {
    ("Always", True): ("CrashLoopBackOff", "Running"),
    ("Always", False): ("CrashLoopBackOff", "Running"),
    ("OnFailure", True): ("Completed", "Succeeded"),
    ("OnFailure", False): ("CrashLoopBackOff", "Running"),
    ("Never", True): ("Completed", "Succeeded"),
    ("Never", False): ("Error", "Failed"),
}


def variant(question):
    spec = shown_yaml(question)["spec"]
    script = spec["containers"][0]["command"][2]
    return spec["restartPolicy"], script.endswith("exit 0")


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("restart-policy", seed)
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


def test_a_seed_gives_one_question_and_seeds_vary():
    assert generate("restart-policy", 4) == generate("restart-policy", 4)
    assert len({answer_text(generate("restart-policy", seed)) for seed in range(20)}) >= 4


@pytest.mark.parametrize("seed", range(30))
def test_every_answer_is_what_kubernetes_shows(seed):
    question = generate("restart-policy", seed)
    status, phase = EXPECTED[variant(question)]
    asked_status = "STATUS column" in question.prompt.en
    assert answer_text(question) == (status if asked_status else phase)


@pytest.mark.parametrize("policy", ["Always", "OnFailure", "Never"])
@pytest.mark.parametrize("script", ["exit 0", "exit 2", "sleep 3; exit 1", "sleep 5; exit 0"])
def test_the_moment_looked_at_is_not_a_passing_state(policy, script):
    # The answer holds for some seconds around the two-minute mark, not just at it.
    cluster = fresh_cluster(0)
    container = {"name": "task", "image": "busybox:1.36", "command": ["sh", "-c", script]}
    cluster.api.create(pod_manifest("task", [container], restartPolicy=policy))
    cluster.run_for(LOOK_AFTER - 5)
    seen = set()
    for _ in range(10):
        seen.add(get_pod_status(cluster, "task"))
        cluster.run_for(1)
    assert len(seen) == 1
