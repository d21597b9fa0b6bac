"""The service-dns-name generator: the names the engine resolves from the client pod are the
ones the resolver's search list turns into the Service's full name."""

import pytest
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.engine.network.pod_files import pod_files
from k8sgame.engine.network.probe import resolves
from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.service_dns import CLIENT, build, variant
from k8sgame.quiz.grading import grade

SEEDS = range(12)


def expected(name, service, namespace, client_namespace):
    """Kubernetes' rule, worked by hand: with ndots 5, a name of fewer than five dots is
    tried with each search domain of the pod's namespace appended, then as it is; only the
    Service's full name exists."""
    full = f"{service}.{namespace}.svc.cluster.local"
    search = (f"{client_namespace}.svc.cluster.local", "svc.cluster.local", "cluster.local")
    candidates = [f"{name}.{domain}" for domain in search]
    candidates = [*candidates, name] if name.count(".") < 5 else [name, *candidates]
    return full in candidates


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("service-dns-name", seed)
    assert question.kind == "multiple"
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


@pytest.mark.parametrize("seed", range(30))
def test_the_right_names_follow_the_search_list(seed):
    v = variant(seed)
    question = generate("service-dns-name", seed)
    for option in question.options:
        name = option.text.en
        assert option.correct == expected(name, v.service, v.namespace, v.client_namespace), name


@pytest.mark.parametrize("seed", [0, 1, 5, 8])
def test_the_answer_is_what_the_engine_resolves_in_the_pod(seed):
    v = variant(seed)
    cluster = build(v, seed)
    pod = cluster.get("Pod", CLIENT, v.client_namespace)
    link, files = cluster.network.for_pod(pod), pod_files(pod, pod["status"]["podIP"])
    service_ip = cluster.get("Service", v.service, v.namespace)["spec"]["clusterIP"]
    question = generate("service-dns-name", seed)
    for option in question.options:
        found = resolves(link, files, option.text.en, cluster.now)
        assert option.correct == (service_ip in found), option.text.en


def test_both_same_and_other_namespaces_are_asked():
    pairs = [variant(seed) for seed in range(30)]
    assert any(v.namespace == v.client_namespace for v in pairs)
    assert any(v.namespace != v.client_namespace for v in pairs)
    # The full name always works; the short one only from the Service's own namespace.
    for seed in range(30):
        v, question = pairs[seed], generate("service-dns-name", seed)
        answers = {o.text.en: o.correct for o in question.options}
        assert answers[v.fqdn] and answers[f"{v.service}.{v.namespace}"]
        assert answers[v.service] == (v.namespace == v.client_namespace)


def test_a_seed_gives_one_question_in_both_languages():
    assert generate("service-dns-name", 4) == generate("service-dns-name", 4)
    assert len({generate("service-dns-name", seed).prompt for seed in SEEDS}) > 6
    question = generate("service-dns-name", 4)
    assert "네임스페이스" in question.prompt.ko and "search" in question.explanation.ko
    assert "ndots:5" in question.explanation.en and "ndots:5" in question.explanation.ko
    for option in question.options:
        assert option.text.en in question.explanation.en
        assert option.text.ko in question.explanation.ko
