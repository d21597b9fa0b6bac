"""The RBAC generators: rbac-can-i's answers are what RBAC's rules give for the shown role
and binding, worked by hand; rbac-least-privilege has one right option, the exact Role."""

import re

import pytest
import yaml
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.quiz.generators import generate
from k8sgame.quiz.grading import grade

SEEDS = range(10)


def shown(question):
    block = re.search(r"created:\n\n(.*)\n\nAs ", question.prompt.en, re.S)
    return list(yaml.safe_load_all(block.group(1)))


def by_hand(objects, request, home):
    """RBAC's rule matching for the one role and binding of the question."""
    role, binding = objects
    words = request.split()
    namespace = home
    if "-A" in words:
        namespace = ""
    if "-n" in words:
        namespace = words[words.index("-n") + 1]
    words = [w for w in words if w not in ("-A", "-n", namespace)]
    verb, resource = words[0], words[1]
    name = words[2] if len(words) > 2 else ""
    if binding["kind"] == "RoleBinding" and namespace != binding["metadata"]["namespace"]:
        return False
    base, _, sub = resource.partition("/")
    plural, _, group = base.partition(".")
    combined = f"{plural}/{sub}" if sub else plural
    for rule in role["rules"]:
        if verb not in rule["verbs"] and "*" not in rule["verbs"]:
            continue
        if group not in rule["apiGroups"]:
            continue
        if combined not in rule["resources"]:
            continue
        names = rule.get("resourceNames") or []
        if names and name not in names:
            continue
        return True
    return False


@pytest.mark.parametrize("seed", SEEDS)
def test_can_i_answers_follow_the_rules(seed):
    question = generate("rbac-can-i", seed)
    objects = shown(question)
    home = re.search(r"namespace is (\S+)\.", question.prompt.en).group(1)
    answers = {o.text.en.removeprefix("kubectl auth can-i "): o.correct for o in question.options}
    assert answers == {request: by_hand(objects, request, home) for request in answers}
    assert {True, False} == set(answers.values())
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct
    # Each yes quotes RBAC's own reason, naming the binding.
    for option in question.options:
        if option.correct:
            request = option.text.en.removeprefix("kubectl auth can-i ")
            assert f"- {request}: yes. RBAC: allowed by " in question.explanation.en


@pytest.mark.parametrize("seed", SEEDS)
def test_the_least_privilege_answer_is_the_exact_role(seed):
    question = generate("rbac-least-privilege", seed)
    right = [o for o in question.options if o.correct]
    assert len(right) == 1
    assert right[0].text.en.startswith("A Role in ")
    assert "whose subject" not in right[0].text.en
    assert "verbs [" not in right[0].text.en
    assert "exactly what ci needs" in question.explanation.en
    assert question.explanation.ko and question.prompt.ko


def test_the_same_seed_gives_the_same_question():
    assert generate("rbac-can-i", 3) == generate("rbac-can-i", 3)
    assert generate("rbac-least-privilege", 3) == generate("rbac-least-privilege", 3)
    assert len({generate("rbac-can-i", seed).prompt for seed in SEEDS}) > 5
