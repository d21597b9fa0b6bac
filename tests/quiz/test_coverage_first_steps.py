"""The first-steps bank covers study note 001: every term of its glossary and its flows.

Topics are parsed from the note, so a term or flow added to the note fails the test until a
question covers it:

- terms: every top-level bullet (``- `` at the start of the line) of the ``## 용어`` section.
  The term is the text before the first ``:``; a bullet without ``:`` defines its term after
  the last ``=`` (``노드 + 마스터 노드 = 클러스터`` → ``클러스터``).
- flows: the title of every ``##`` section whose body has a numbered list (``1. ``), such as
  ``동작 순서`` (the steps from ``kubectl`` to a running container), and every bullet that
  chains three or more steps with ``->`` (``상태 체크 -> 차이점 확인 -> 조치``, the
  desired-state loop). Each flow needs an ordering question, and the flows together at least two.
"""

from __future__ import annotations

import re

import pytest
from coverage_helpers import BANKS, SEEDS, needs_notes, stray, unlisted

from k8sgame.quiz.loader import load_bank

BANK = BANKS / "first-steps.yaml"
NOTE = SEEDS / "001_9a5eede395d7c3f0.txt"

# A topic of the note (exact text) -> the questions that cover it.
COVERAGE = {
    # the glossary (## 용어)
    "노드": ["fs-node", "fs-node-explain"],
    "마스터노드": ["fs-master-node"],
    "클러스터": ["fs-cluster"],
    "포드": ["fs-pod-smallest", "fs-pod-namespace", "fs-pod-containers"],
    "리플리카셋": [
        "fs-replicaset",
        "fs-replicaset-yaml",
        "fs-deployment-explain",
        "fs-replicaset-heals",
        "fs-create-deployment-flow",
    ],
    "디플로이먼트": ["fs-deployment", "fs-deployment-explain", "fs-create-deployment-flow"],
    "desired state": ["fs-desired-state-explain", "fs-reconcile-loop"],
    "api server": ["fs-api-server"],
    "scheduler": ["fs-who-schedules", "fs-scheduler"],
    "controller": ["fs-reconcile-loop", "fs-controller"],
    "etcd": ["fs-etcd", "fs-etcd-quorum"],
    "프록시": ["fs-kube-proxy"],
    "큐블릿": ["fs-kubelet-explain"],
    # the flows
    "동작 순서": ["fs-create-pod-flow", "fs-create-deployment-flow", "fs-who-schedules"],
    "상태 체크 -> 차이점 확인 -> 조치": ["fs-reconcile-loop", "fs-replicaset-heals"],
    # the rest of the note
    "컨테이너 오케스트레이션": ["fs-orchestration"],
    "중단 없이 버전 업데이트": ["fs-orchestration"],
    "중앙 제어": ["fs-central-control"],
    "상태 관리": ["fs-orchestration"],
    "서비스 등록 및 조회": ["fs-orchestration"],
    "pod 생성 예시": ["fs-pod-yaml-required"],
    "ReplicaSet 생성 예시": ["fs-replicaset-yaml"],
}


def _sections(text: str) -> dict[str, list[str]]:
    """``##`` section title -> the lines of its body."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        match = re.match(r"##\s+(.+?)\s*$", line)
        if match:
            current = match.group(1)
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    return sections


def glossary_terms(text: str) -> set[str]:
    terms = set()
    for line in _sections(text)["용어"]:
        if not line.startswith("- "):
            continue
        bullet = line[2:]
        term = bullet.split(":", 1)[0] if ":" in bullet else bullet.rsplit("=", 1)[-1]
        terms.add(term.strip())
    return terms


def flows(text: str) -> set[str]:
    found = {
        title
        for title, body in _sections(text).items()
        if any(re.match(r"\d+\.\s", line) for line in body)
    }
    for line in text.splitlines():
        bullet = re.match(r"\s*-\s+(.+?)\s*$", line)
        if bullet and len(bullet.group(1).split("->")) >= 3:
            found.add(bullet.group(1))
    return found


@pytest.fixture(scope="module")
def note() -> str:
    return NOTE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK)


@needs_notes
def test_parsers_find_the_notes_structure(note):
    # Guard the parsers themselves: a parser that finds nothing would make the tests vacuous.
    assert {"노드", "클러스터", "desired state", "큐블릿"} <= glossary_terms(note)
    assert len(glossary_terms(note)) >= 12
    assert {"동작 순서", "상태 체크 -> 차이점 확인 -> 조치"} <= flows(note)


@needs_notes
def test_every_topic_is_taken_from_the_note(note):
    missing = [topic for topic in COVERAGE if topic not in note]
    assert missing == []


@needs_notes
def test_every_term_and_flow_is_covered(note):
    uncovered = sorted((glossary_terms(note) | flows(note)) - COVERAGE.keys())
    assert uncovered == []


@needs_notes
def test_flows_are_drilled_by_ordering_questions(note, bank):
    kinds = {item.id: getattr(item, "kind", None) for item in bank.items}
    ordering = set()
    for flow in flows(note):
        drills = {i for i in COVERAGE[flow] if kinds.get(i) == "ordering"}
        assert drills, flow
        ordering |= drills
    assert len(ordering) >= 2


def test_covering_questions_exist_and_name_their_topic(bank):
    assert unlisted(bank.items, COVERAGE) == []


def test_every_topic_an_item_names_is_in_the_table(bank):
    # The reverse direction: the table records every topic an item claims.
    assert stray(bank.items, COVERAGE) == []


def test_bank_uses_its_prefix(bank):
    assert all(item.id.startswith("fs-") for item in bank.items)
