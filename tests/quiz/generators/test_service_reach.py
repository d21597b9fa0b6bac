"""The service-type-reach generator: which places a GET to a Service's addresses answers 200
from, as the engine's network probes it, and as the Service types say it should."""

import pytest
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.engine.host_shell import node_files, workstation_files
from k8sgame.engine.network.pod_files import pod_files
from k8sgame.engine.network.probe import parse_target, probe
from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.service_reach import (
    CLIENT,
    NODE,
    OUTSIDE,
    POD,
    STYLES,
    build,
    option_text,
    requests,
    variant,
)
from k8sgame.quiz.grading import grade

SEEDS = range(12)
FALLBACK = "This is what the engine's request got."


def answers_by_the_rules(style, place, kind):
    """What the Kubernetes docs say: a cluster IP works from pods and nodes, names only from
    pods (nodes and the player's machine do not use the cluster DNS), node ports from
    everywhere for NodePort and LoadBalancer, a load-balancer address once one is given; a
    headless Service's name leads to the pod itself, so only the pod's own port answers."""
    if kind == "cluster_ip":
        return place != OUTSIDE
    if kind in ("name", "fqdn", "name_target", "fqdn_target"):
        return place == POD
    if kind.startswith("node_port"):
        return style in ("NodePort", "pending", "balancer")
    if kind == "balancer":
        return style == "balancer"
    return False  # a headless name with the Service's port: nothing listens there


def places(cluster):
    client = cluster.get("Pod", CLIENT)
    node_ip = cluster.network.node_address("node-1")
    return {
        "From a pod in the cluster: ": (
            cluster.network.for_pod(client),
            pod_files(client, client["status"]["podIP"]),
        ),
        "From node-1, over ssh: ": (
            cluster.network.for_node("node-1"),
            node_files("node-1", node_ip),
        ),
        "From your machine, outside the cluster: ": (
            cluster.network.outside(),
            workstation_files({}),
        ),
    }


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("service-type-reach", seed)
    assert question.kind == "multiple"
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


@pytest.mark.parametrize("seed", [0, 1, 2, 4, 6, 9])
def test_the_answer_is_what_the_engine_gets_from_each_place(seed):
    question = generate("service-type-reach", seed)
    cluster = build(variant(seed), seed)
    where = places(cluster)
    for option in question.options:
        prefix = next(p for p in where if option.text.en.startswith(p))
        link, files = where[prefix]
        target = parse_target(option.text.en[len(prefix) :])
        outcomes = probe(link, files, target, cluster.now)
        assert option.correct == (outcomes == {"200"}), option.text.en


@pytest.mark.parametrize("seed", range(0, 40, 3))
def test_every_request_answers_as_the_service_type_says(seed):
    v = variant(seed)
    cluster = build(v, seed)
    for request in requests(cluster, v):
        wanted = answers_by_the_rules(v.style, request.place, request.kind)
        assert request.answers == wanted, (v.style, request)


@pytest.mark.parametrize("seed", range(40))
def test_options_mix_and_every_outcome_has_its_rule_explained(seed):
    question = generate("service-type-reach", seed)
    assert any(o.correct for o in question.options)
    assert not all(o.correct for o in question.options)
    assert FALLBACK not in question.explanation.en
    for option in question.options:
        assert f"{option.text.en} → " in question.explanation.en
        assert f"{option.text.ko} → " in question.explanation.ko


def test_every_style_is_asked_and_the_option_texts_name_the_place():
    assert {variant(seed).style for seed in range(40)} == set(STYLES)
    question = generate("service-type-reach", 5)
    v = variant(5)
    cluster = build(v, 5)
    texts = {option_text(r).en for r in requests(cluster, v)}
    assert {o.text.en for o in question.options} <= texts
    assert {NODE, OUTSIDE, POD} == {r.place for r in requests(cluster, v)}


def test_a_seed_gives_one_question_in_both_languages():
    assert generate("service-type-reach", 7) == generate("service-type-reach", 7)
    assert len({generate("service-type-reach", seed).prompt for seed in SEEDS}) > 6
    question = generate("service-type-reach", 7)
    assert "kubectl get svc" in question.prompt.ko and "노드" in question.prompt.ko
    assert "CLUSTER-IP" in question.prompt.en
    assert all("에서:" in option.text.ko for option in question.options)
