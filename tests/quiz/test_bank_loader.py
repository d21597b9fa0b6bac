"""Loading question banks: every kind read into a Question, and every problem reported at
its line and column, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.quiz.generators import GENERATORS
from k8sgame.quiz.loader import BankError, load_bank_text, load_banks
from k8sgame.quiz.model import GeneratedItem, Question

BANK = """\
bank: sample
title: {en: Sample, ko: 샘플}
questions:
  - id: which-stores-state
    concepts: [etcd]
    difficulty: 1
    topics: ["마스터 노드 컴포넌트 무엇이 있을까요?"]
    prompt: {en: "Where is cluster state stored?", ko: "클러스터 상태는 어디에 저장되나요?"}
    explanation: {en: "In etcd.", ko: "etcd에 저장됩니다."}
    single:
      options:
        - text: {en: etcd, ko: etcd}
          correct: true
        - text: {en: the kubelet, ko: kubelet}
  - id: restart-delays
    concepts: [crashloopbackoff]
    difficulty: 2
    prompt: {en: "Seconds before the 3rd restart?", ko: "세 번째 재시작 전 몇 초?"}
    explanation: {en: "10, 20, 40.", ko: "10, 20, 40."}
    numeric: {answer: 40, unit: s}
  - id: chain
    concepts: [pod-creation-flow]
    difficulty: 2
    prompt: {en: "Order them", ko: "순서대로"}
    explanation: {en: "Watch chain.", ko: "watch 체인."}
    ordering:
      steps: [{en: kubectl, ko: kubectl}, {en: API server, ko: API 서버}, {en: etcd, ko: etcd}]
  - id: what-is-etcd
    concepts: [etcd]
    difficulty: 2
    prompt: {en: "What is etcd?", ko: "etcd란?"}
    explanation: {en: "A store.", ko: "저장소."}
    short:
      key_points:
        - label: {en: key-value store, ko: 키-값 저장소}
          accept: [key value, key-value, 키값, 키-값]
        - label: {en: cluster state, ko: 클러스터 상태}
          accept: [state, 상태]
      model_answer: {en: "A key-value store for cluster state.", ko: "클러스터 상태를 담는 키-값 저장소."}
  - id: qos-now
    concepts: [qos-classes]
    difficulty: 2
    generator: qos-class
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(BankError) as caught:
        load_bank_text(text, "sample.yaml")
    return [str(d) for d in caught.value.diagnostics]


def test_a_bank_reads_every_kind():
    bank = load_bank_text(BANK, "sample.yaml")
    single, numeric, ordering, short, generated = bank.items
    assert isinstance(single, Question) and single.kind == "single"
    assert [o.correct for o in single.options] == [True, False]
    assert single.topics == ("마스터 노드 컴포넌트 무엇이 있을까요?",)
    assert isinstance(numeric, Question) and (numeric.number, numeric.unit) == (40.0, "s")
    assert isinstance(ordering, Question) and [s.en for s in ordering.steps][1] == "API server"
    assert isinstance(short, Question) and short.needed == 2
    assert short.key_points[0].accept == ("key value", "key-value", "키값", "키-값")
    assert generated == GeneratedItem("qos-now", "qos-class", ("qos-classes",), 2)


def test_problems_name_their_place():
    broken = BANK.replace("          correct: true\n", "").replace(
        "unit: s}", "unit: s, tolerance: -1}"
    )
    assert _problems(broken) == [
        "sample.yaml:12:9: questions[0].single.options: needs exactly one right option, has 0",
        "sample.yaml:19:47: questions[1].numeric.tolerance: must be a finite number, at least 0",
    ]


def test_unknown_fields_concepts_generators_and_duplicate_ids_are_refused():
    text = BANK.replace(
        "concepts: [etcd]\n    difficulty: 1", "concepts: [etcdd]\n    difficulty: 1"
    )
    text = text.replace("generator: qos-class", "generator: qos-klass")
    text = text.replace("id: chain", "id: restart-delays").replace("    topics: [", "    topic: [")
    found = _problems(text)
    assert found[0] == (
        'sample.yaml:7:5: questions[0].topic: unknown field "topic" (known fields: id, concepts, '
        "difficulty, topics, prompt, explanation, single, multiple, ordering, numeric, short, "
        "generator)"
    )
    assert len(found) == 1  # the rules between fields wait until the schema holds
    text = text.replace("    topic: [", "    topics: [")
    assert _problems(text) == [
        'sample.yaml:5:16: questions[0].concepts[0]: unknown concept id "etcdd" (see assets/concepts.yaml)',
        'sample.yaml:21:9: questions[2].id: duplicate question id "restart-delays"',
        'sample.yaml:43:16: questions[4].generator: unknown generator "qos-klass" (known: '
        + ", ".join(sorted(GENERATORS))
        + ")",
    ]


def test_a_generated_item_has_no_text_and_a_written_one_needs_it():
    text = BANK.replace(
        "    generator: qos-class", "    generator: qos-class\n    prompt: {en: a, ko: b}"
    )
    assert _problems(text) == [
        "sample.yaml:44:5: questions[4].prompt: a generated question writes its own text"
    ]
    text = BANK.replace('    explanation: {en: "A store.", ko: "저장소."}\n', "")
    assert _problems(text) == [
        'sample.yaml:28:5: questions[3]: missing required field "explanation"'
    ]


def test_yaml_that_builds_objects_or_is_not_a_bank_is_refused():
    assert _problems("!!python/object:os.system {}") == [
        "sample.yaml:1:1: the tag !!python/object:os.system is not allowed: question banks are "
        "plain data (strings, numbers, lists and mappings)"
    ]
    assert _problems("- a list\n") == [
        "sample.yaml:1:1: a bank is a mapping (bank: ..., questions: ...)"
    ]
    assert _problems("bank: [\n")[0].startswith("sample.yaml:2:1: not valid YAML: ")
    assert _problems("a: &x 1\nb: *x\n") == [
        "sample.yaml:1:4: YAML anchors and aliases (&name, *name) are not allowed in question "
        "banks: write the value out"
    ]


def test_the_shipped_banks_load():
    banks = load_banks()
    assert {bank.id for bank in banks} >= {
        "interview-notes",
        "concept-tree",
        "first-steps",
        "book-notes",
    }
    assert sum(len(bank.items) for bank in banks) >= 300


def test_every_shipped_model_answer_passes_its_own_grading_in_both_languages():
    from k8sgame.quiz.grading import grade

    shorts = [
        item
        for bank in load_banks()
        for item in bank.items
        if isinstance(item, Question) and item.kind == "short"
    ]
    assert len(shorts) >= 30
    for item in shorts:
        for answer in (item.model_answer.en, item.model_answer.ko):
            assert grade(item, answer).correct, (item.id, answer)


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_loads_or_is_refused_with_diagnostics(text):
    try:
        load_bank_text(text, "fuzz.yaml")
    except BankError as error:
        assert error.diagnostics and all(str(d).startswith("fuzz.yaml") for d in error.diagnostics)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(BANK) - 1), st.integers(0, len(BANK)), st.text(max_size=20))
def test_a_damaged_bank_loads_or_is_refused_with_diagnostics(start, length, insert):
    text = BANK[:start] + insert + BANK[start + length :]
    try:
        load_bank_text(text, "fuzz.yaml")
    except BankError as error:
        assert error.diagnostics
