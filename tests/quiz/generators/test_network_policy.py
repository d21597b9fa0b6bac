"""The network-policy-admits generator: the clients that get through to the web pod are the
ones the engine's network lets connect, and the ones the NetworkPolicy rules admit."""

import re

import pytest
import yaml
from quiz_generator_helpers import right_response, wrong_response

from k8sgame.engine.network.client import OPEN
from k8sgame.kubectl.session import KubectlSession
from k8sgame.quiz.generators import generate
from k8sgame.quiz.generators.network_policy import WEB, build, variant
from k8sgame.quiz.grading import grade

SEEDS = range(12)


def shown_policies(question):
    block = re.search(r"policies are created:\n\n(.*)\n\nWhich", question.prompt.en, re.S)
    return list(yaml.safe_load_all(block.group(1)))


def selects(selector, labels):
    return all(labels.get(k) == v for k, v in (selector.get("matchLabels") or {}).items())


def admits(policies, client, home):
    """The NetworkPolicy ingress rules, worked by hand for the web pod on port 8080."""
    namespace_labels = {"team": client.namespace, "kubernetes.io/metadata.name": client.namespace}
    selecting = [p for p in policies if selects(p["spec"]["podSelector"], {"app": WEB})]
    if not selecting:
        return True
    for policy in selecting:
        for rule in policy["spec"].get("ingress") or []:
            ports = [p["port"] for p in rule.get("ports") or []]
            if ports and 8080 not in ports and "http" not in ports:
                continue
            for peer in rule.get("from") or [{}]:
                if "namespaceSelector" in peer:
                    in_namespace = selects(peer["namespaceSelector"], namespace_labels)
                else:
                    in_namespace = client.namespace == home
                pods = peer.get("podSelector")
                if in_namespace and (pods is None or selects(pods, client.labels)):
                    return True
    return False


@pytest.mark.parametrize("seed", SEEDS)
def test_graded_right_with_the_answer_and_wrong_without(seed):
    question = generate("network-policy-admits", seed)
    assert question.kind == "multiple"
    assert grade(question, right_response(question)).correct
    assert not grade(question, wrong_response(question)).correct


@pytest.mark.parametrize("seed", range(40))
def test_the_right_clients_are_the_ones_the_rules_admit(seed):
    v = variant(seed)
    question = generate("network-policy-admits", seed)
    policies = shown_policies(question)
    assert policies == [p.manifest for p in v.policies]
    right = [admits(policies, client, v.home) for client in v.clients]
    assert [o.correct for o in question.options] == right
    assert True in right and False in right


@pytest.mark.parametrize("seed", [0, 3, 7, 11])
def test_the_answer_is_what_the_engine_lets_connect(seed):
    v = variant(seed)
    cluster = build(v, seed)
    web_ip = cluster.get("Pod", WEB, v.home)["status"]["podIP"]
    question = generate("network-policy-admits", seed)
    for client, option in zip(v.clients, question.options, strict=True):
        link = cluster.network.for_pod(cluster.get("Pod", client.name, client.namespace))
        opened = link.connect(web_ip, 8080, cluster.now).state == OPEN
        assert option.correct == opened, (client, option.text.en)


def test_the_classic_traps_are_all_drawn():
    notes = {key for seed in range(60) for p in variant(seed).policies for key, _ in p.notes}
    wanted = {"note_deny", "note_pods", "note_namespaces", "note_and", "note_or"}
    assert wanted | {"note_any_namespace", "note_port_match", "note_port_miss"} <= notes


def test_explanations_name_the_allowing_policy():
    for seed in range(20):
        question = generate("network-policy-admits", seed)
        for option in question.options:
            line = next(
                line
                for line in question.explanation.en.splitlines()
                if line.startswith(f"- {option.text.en}: ")
            )
            assert ("allowed by" in line) == option.correct
            korean = question.explanation.ko.splitlines()
            assert any(line.startswith(f"- {option.text.ko}: ") for line in korean)


def test_a_seed_gives_one_question_in_both_languages():
    assert generate("network-policy-admits", 2) == generate("network-policy-admits", 2)
    assert len({generate("network-policy-admits", seed).prompt for seed in SEEDS}) > 6
    question = generate("network-policy-admits", 2)
    assert "NetworkPolicy" in question.prompt.ko and "파드" in question.prompt.ko
    assert "kind: NetworkPolicy" in question.prompt.en


@pytest.mark.parametrize("seed", [0, 5])
def test_the_tables_are_what_kubectl_prints(seed):
    v = variant(seed)
    session = KubectlSession(build(v, seed))
    question = generate("network-policy-admits", seed)
    namespaces = session.run(f"get ns {v.home} {v.other} --show-labels").stdout.rstrip()
    pods = session.run("get pods -A --show-labels").stdout.rstrip()
    assert namespaces.startswith("NAME ") and f"team={v.other}" in namespaces
    assert pods.startswith("NAMESPACE ") and "app=web" in pods
    assert f"labels:\n\n{namespaces}\n\nThe pods" in question.prompt.en
    assert f"labels:\n\n{pods}\n\nPod web" in question.prompt.en
