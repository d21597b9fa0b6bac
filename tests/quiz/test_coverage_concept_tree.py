"""The concept-tree bank covers study note 003: every heading of its tree sections, every
entry of the tree diagram and every row of its one-line table has a question.

Topics are parsed from the note, so a heading, tree entry or table row added to the note fails
the test until a question covers it:

- headings: every markdown heading (``#`` to ``######``, outside fenced code) from
  ``# 개념 트리`` up to, not including, ``# 한 줄 정리``;
- tree entries: every line of the first fenced block after ``# 개념 트리`` that has a
  ``├──`` or ``└──`` connector, taking the text after it without a leading keycap number
  (``1️⃣``) and without a trailing parenthesised gloss (``마스터 노드 (Control Plane)`` →
  ``마스터 노드``);
- table rows: the first cell of every row of the markdown table under ``# 한 줄 정리``, with
  ``**`` removed, skipping the header, the separator and empty cells.
"""

from __future__ import annotations

import re

import pytest
from coverage_helpers import BANKS, SEEDS, needs_notes, stray, unlisted

from k8sgame.quiz.loader import load_bank
from k8sgame.quiz.model import Question

BANK = BANKS / "concept-tree.yaml"
NOTE = SEEDS / "003_21c9ce6897b4145e.txt"

TREE_START = "# 개념 트리"
TABLE_START = "# 한 줄 정리"

# A topic of the note (exact text) -> the questions that cover it.
COVERAGE = {
    # headings of the tree sections
    "개념 트리": ["ct-control-plane-members", "ct-addons", "ct-all-through-api"],
    "쿠버네티스": ["ct-name-control-plane", "ct-cluster-roles"],
    '1. K8s 클러스터를 구성하는 "코어 프로세스"': ["ct-name-control-plane"],
    "2. 쿠버네티스 오브젝트": ["ct-object-explain", "ct-names-per-namespace", "ct-kube-system"],
    "Workload": ["ct-workload"],
    "Container": ["ct-container-required", "ct-smallest-unit"],
    "Pod": [
        "ct-every-node",
        "ct-network-model",
        "ct-pod-ip-source",
        "ct-smallest-unit",
        "ct-pod-shared",
        "ct-pod-ephemeral",
    ],
    "설정(Configutation)": ["ct-configuration"],
    "서비스(Service)": [
        "ct-service-why",
        "ct-clusterip",
        "ct-headless",
        "ct-service-env-vars",
        "ct-labels-selectors",
    ],
    "스토리지(Storage)": ["ct-pod-ephemeral", "ct-volume-vs-pv"],
    "Controller": ["ct-controller-explain", "ct-delete-managed-pod", "ct-node-failure-replacement"],
    "`kubectl get pod` 명령어": ["ct-kubectl-get-pod-columns", "ct-kubectl-get-pod-ready"],
    "3. 클러스터 네트워크": ["ct-network-model"],
    "4. Controller": ["ct-controller-explain"],
    "워크로드 타입": ["ct-pick-web", "ct-pick-database", "ct-pick-node-agent", "ct-pick-nightly"],
    "Deplyment(디플로이먼트)": ["ct-deployment-replicaset", "ct-deployment-explain"],
    "StatefulSet(스테이트 풀셋)": ["ct-statefulset-guarantees"],
    "Job(잡)": ["ct-job-behaviour"],
    "CronJob(크론잡)": ["ct-cronjob-schedule"],
    "DaemonSet(데몬셋)": ["ct-daemonset-behaviour"],
    "ReplicaSet(리플리카셋)": ["ct-replicaset-history"],
    "정리": ["ct-pick-web", "ct-pick-database", "ct-pick-node-agent", "ct-pick-nightly"],
    "K8s 구성요소 마무리": ["ct-cluster-roles", "ct-all-through-api"],
    "5. 파드와 컨트롤러의 관계": [
        "ct-replicaset-adoption",
        "ct-owner-references",
        "ct-delete-managed-pod",
        "ct-node-failure-replacement",
    ],
    "6. Pod의 헬스체크 기능(Probe)": [
        "ct-liveness-vs-readiness",
        "ct-probes-explain",
        "ct-probe-mechanisms",
        "ct-startup-probe",
    ],
    "7. 사이드카 패턴": ["ct-native-sidecar", "ct-sidecar-uses", "ct-sidecar-explain"],
    "8. Delopyment의 버전 변경 전략": ["ct-recreate", "ct-rolling-order"],
    "9. Ingress(인그레스)": ["ct-ingress-what", "ct-ingress-no-controller", "ct-ingress-facts"],
    # entries of the tree diagram
    "클러스터 구성 요소": ["ct-control-plane-members"],
    "마스터 노드": ["ct-control-plane-members", "ct-name-control-plane", "ct-cluster-roles"],
    "kube-apiserver": [
        "ct-control-plane-members",
        "ct-name-control-plane",
        "ct-apiserver-explain",
        "ct-only-apiserver-etcd",
    ],
    "kube-scheduler": [
        "ct-control-plane-members",
        "ct-name-control-plane",
        "ct-scheduler-steps",
        "ct-scheduler-output",
    ],
    "kube-controller-manager": [
        "ct-control-plane-members",
        "ct-name-control-plane",
        "ct-controller-manager-name",
        "ct-controller-manager-explain",
    ],
    "etcd": [
        "ct-control-plane-members",
        "ct-name-control-plane",
        "ct-only-apiserver-etcd",
        "ct-etcd-encoding",
        "ct-etcd-quorum",
    ],
    "kube-proxy": [
        "ct-control-plane-members",
        "ct-every-node",
        "ct-kube-proxy-role",
        "ct-kube-proxy-modes",
    ],
    "CoreDNS": ["ct-addons", "ct-coredns"],
    "Calico / Flannel": ["ct-addons", "ct-flannel-calico"],
    "Metrics Server": ["ct-addons", "ct-metrics-server", "ct-hpa-unknown"],
    "Kubernetes Dashboard": ["ct-addons", "ct-dashboard"],
    "워커 노드": ["ct-every-node", "ct-cluster-roles"],
    "kubelet": ["ct-every-node", "ct-kubelet-duties", "ct-probe-runner"],
    "컨테이너 런타임": ["ct-every-node", "ct-container-runtime"],
    "네트워크 구성": ["ct-network-model"],
    "Service": ["ct-service-why"],
    "ClusterIP": ["ct-clusterip"],
    "NodePort": ["ct-nodeport", "ct-nodeport-range"],
    "LoadBalancer": ["ct-loadbalancer", "ct-ingress-facts"],
    "ExternalName": ["ct-externalname"],
    "Ingress": [
        "ct-ingress-what",
        "ct-ingress-no-controller",
        "ct-ingress-tls",
        "ct-ingress-hosts",
    ],
    "SSL/TLS 암호화 지원": ["ct-ingress-tls"],
    "여러 도메인 라우팅": ["ct-ingress-hosts"],
    "Session Affinity 지원": ["ct-session-affinity", "ct-ingress-facts"],
    "네트워크 정책": ["ct-flannel-calico", "ct-netpol-without-support"],
    "Flannel": ["ct-flannel-calico", "ct-netpol-without-support"],
    "Calico": ["ct-flannel-calico"],
    "쿠버네티스 오브젝트": ["ct-object-explain"],
    "Deployment": ["ct-pick-web", "ct-deployment-replicaset", "ct-deployment-explain"],
    "ReplicaSet": ["ct-deployment-replicaset", "ct-replicaset-history", "ct-replicaset-adoption"],
    "Rollout": ["ct-rollout-commands", "ct-revision-history"],
    "Recreate": ["ct-recreate"],
    "RollingUpdate": ["ct-rolling-surge", "ct-rolling-order"],
    "StatefulSet": ["ct-pick-database", "ct-statefulset-guarantees", "ct-statefulset-scale-down"],
    "DaemonSet": ["ct-node-agents", "ct-pick-node-agent", "ct-daemonset-behaviour"],
    "Job": ["ct-job-behaviour", "ct-job-backoff-limit"],
    "CronJob": ["ct-pick-nightly", "ct-cronjob-schedule", "ct-cronjob-concurrency"],
    "Storage": ["ct-volume-vs-pv"],
    "Volume": ["ct-volume-vs-pv"],
    "Persistent Volume": ["ct-volume-vs-pv", "ct-dynamic-provisioning"],
    "ConfigMap": ["ct-configuration", "ct-configmap-update"],
    "Secret": ["ct-configuration", "ct-secret-encoding"],
    "Pod의 헬스 체크": ["ct-liveness-vs-readiness", "ct-probe-runner", "ct-probe-mechanisms"],
    "Liveness Probe": [
        "ct-liveness-vs-readiness",
        "ct-probes-explain",
        "ct-liveness-timing",
        "ct-startup-probe",
    ],
    "Readiness Probe": [
        "ct-liveness-vs-readiness",
        "ct-probes-explain",
        "ct-readiness-forever",
        "ct-rolling-readiness",
        "ct-kubectl-get-pod-ready",
    ],
    "배포 전략": ["ct-recreate"],
    "Rolling Update": ["ct-rolling-surge", "ct-rolling-order", "ct-rolling-readiness"],
    "사이드카 패턴": ["ct-native-sidecar", "ct-sidecar-uses", "ct-sidecar-explain"],
    "메인 컨테이너 + 보조 컨테이너": ["ct-native-sidecar", "ct-sidecar-explain"],
    "로그 수집, 데이터 동기화 등": ["ct-sidecar-uses"],
    # first column of the one-line table
    "kubectl": ["ct-kubectl"],
    "kube-controller": ["ct-controller-manager-name", "ct-controller-manager-explain"],
    "워크로드": ["ct-workload"],
    "컨테이너": ["ct-container-required", "ct-smallest-unit"],
    "파드": ["ct-smallest-unit", "ct-pod-shared", "ct-pod-ephemeral"],
    "컨트롤러": ["ct-controller-explain"],
    "설정(Configuration)": ["ct-configuration"],
    "서비스": ["ct-service-why"],
    "스토리지": ["ct-volume-vs-pv", "ct-dynamic-provisioning"],
    "매니페스트": ["ct-manifest-fields"],
    "클러스터 네트워크": ["ct-network-model", "ct-pod-ip-source"],
    "디플로이먼트": ["ct-deployment-replicaset", "ct-deployment-explain"],
    "스테이트 풀셋": ["ct-statefulset-guarantees", "ct-statefulset-scale-down"],
    "잡": ["ct-job-behaviour", "ct-job-backoff-limit"],
    "크론잡": ["ct-cronjob-schedule", "ct-cronjob-concurrency"],
    "데몬셋": ["ct-daemonset-behaviour"],
    "리플리카셋": ["ct-replicaset-history"],
    "인그레스": ["ct-ingress-what", "ct-ingress-facts"],
    "HPA": ["ct-hpa-what", "ct-hpa-calculation", "ct-hpa-unknown"],
    # other terms the note defines in its sections
    "kube-control": ["ct-controller-manager-name"],
    "coredns": ["ct-addons", "ct-coredns"],
    "kube-flannel": ["ct-flannel-calico", "ct-node-agents"],
    "calico-node": ["ct-flannel-calico", "ct-node-agents"],
    "calico-kube-controllers": ["ct-node-agents"],
    "kubernetes-dashboard": ["ct-addons", "ct-dashboard"],
    "heapster": ["ct-metrics-server"],
    "metrics-server": ["ct-addons", "ct-metrics-server"],
    "쿠버네티스 API": ["ct-apiserver-explain", "ct-object-explain", "ct-all-through-api"],
    "Manifest": ["ct-manifest-fields"],
    "Selector": ["ct-labels-selectors", "ct-replicaset-adoption"],
    "Label": ["ct-labels-selectors"],
    "Headless": ["ct-headless"],
    "DNS Resolution": ["ct-coredns", "ct-service-env-vars"],
    "Affinity(어피니티)": ["ct-session-affinity", "ct-clientip-timeout"],
    "crontab": ["ct-cronjob-schedule"],
    "Front-End 워크로드": ["ct-pick-web"],
    "Back-End 워크로드": ["ct-pick-database", "ct-pick-nightly"],
    "ReplicationController": ["ct-replicaset-history"],
    "활성 프로브": ["ct-liveness-vs-readiness", "ct-liveness-timing"],
    "준비 상태 프로브": ["ct-liveness-vs-readiness", "ct-readiness-forever"],
    "프록시": ["ct-kube-proxy-modes"],
}


def _lines_outside_fences(lines: list[str]) -> list[str]:
    kept, fenced = [], False
    for line in lines:
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if not fenced:
            kept.append(line)
    return kept


def headings(text: str) -> set[str]:
    """Headings of the tree sections: from ``# 개념 트리`` up to ``# 한 줄 정리``."""
    lines = text.splitlines()
    start, end = lines.index(TREE_START), lines.index(TABLE_START)
    found = set()
    for line in _lines_outside_fences(lines[start:end]):
        match = re.match(r"#{1,6}\s+(.+?)\s*$", line)
        if match:
            found.add(match.group(1))
    return found


def tree_entries(text: str) -> set[str]:
    """Entries of the tree diagram: the first fenced block after ``# 개념 트리``."""
    lines = text.splitlines()
    start = lines.index(TREE_START)
    opening = next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith("```"))
    closing = next(i for i in range(opening + 1, len(lines)) if lines[i].lstrip().startswith("```"))
    found = set()
    for line in lines[opening + 1 : closing]:
        match = re.search(r"[├└]──\s*(.+?)\s*$", line)
        if not match:
            continue
        entry = re.sub(r"^\d\ufe0f?\u20e3\s*", "", match.group(1))
        entry = re.sub(r"\s*\([^()]*\)$", "", entry).strip()
        found.add(entry)
    return found


def table_terms(text: str) -> set[str]:
    """First cells of the rows of the table under ``# 한 줄 정리``."""
    lines = text.splitlines()
    found = set()
    for line in lines[lines.index(TABLE_START) + 1 :]:
        if not line.startswith("|"):
            continue
        cell = line.split("|")[1].replace("**", "").strip()
        if cell and not set(cell) <= set("-: "):
            found.add(cell)
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
    assert {"Workload", "9. Ingress(인그레스)", "정리"} <= headings(note)
    assert {"마스터 노드", "kube-proxy", "Calico / Flannel", "Rolling Update"} <= tree_entries(note)
    assert {"kubectl", "HPA", "설정(Configuration)", "스테이트 풀셋"} <= table_terms(note)
    assert len(table_terms(note)) >= 25


@needs_notes
def test_every_topic_is_taken_from_the_note(note):
    missing = [topic for topic in COVERAGE if topic not in note]
    assert missing == []


@needs_notes
def test_every_heading_tree_entry_and_table_row_is_covered(note):
    wanted = headings(note) | tree_entries(note) | table_terms(note)
    uncovered = sorted(wanted - COVERAGE.keys())
    assert uncovered == []


def test_covering_questions_exist_and_name_their_topic(bank):
    assert unlisted(bank.items, COVERAGE) == []


def test_bank_uses_its_prefix_and_mixes_kinds(bank):
    assert all(item.id.startswith("ct-") for item in bank.items)
    kinds = {item.kind for item in bank.items if isinstance(item, Question)}
    assert {"single", "multiple", "ordering", "numeric", "short"} <= kinds


def test_every_topic_an_item_names_is_in_the_table(bank):
    # The reverse direction: the table records every topic an item claims.
    assert stray(bank.items, COVERAGE) == []
