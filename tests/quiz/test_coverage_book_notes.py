"""The book-notes bank covers study note 002, a summary of a whole Kubernetes book.

Topics are the note's chapters: every ``# `` heading, parsed from the note, so a chapter added
to the note fails the test until questions cover it. The book review (``# 서평``) is the only
heading left out on purpose. Each chapter needs at least three questions, the big ones at
least five, and the table below also names the sub-topics (bullet headings of a chapter) the
questions are about; every topic in the table must occur in the note.

The note has non-breaking spaces in places; they are read as ordinary spaces.
"""

from __future__ import annotations

import re

import pytest
from coverage_helpers import BANKS, SEEDS, needs_notes, unlisted

from k8sgame.quiz.loader import load_bank
from k8sgame.quiz.model import GeneratedItem, Question

BANK = BANKS / "book-notes.yaml"
NOTE = SEEDS / "002_698082460499b0d3.txt"

# Headings of the note that are intentionally not topics, with the reason.
NOT_TOPICS = {
    "서평": "a review of the book's layout (its three parts); it states no Kubernetes fact to teach",
}

# Chapters that get five questions or more.
BIG_CHAPTERS = {
    "파드: 쿠버네티스에서 컨테이너 실행",
    "레플리케이션과 그 밖의 컨트롤러: 관리되는 파드 배포",
    "서비스: 클라이언트가 파드를 검색하고 통신을 가능하게 함",
    "볼륨: 컨테이너에 디스크 스토리지 연결",
    "디플로이먼트: 선언적 애프리케이션 업데이트",
    "쿠버네티스 내부 이해하기",
    "쿠버네티스 API 서버 보안",
    "파드의 컴퓨팅 리소스 관리",
}

# A chapter (``# `` heading) -> the questions that cover it.
CHAPTERS = {
    "쿠버네티스 소개": [
        "bk-intro-scale-up-vs-out",
        "bk-intro-why-kubernetes",
        "bk-intro-isolation-mechanisms",
        "bk-intro-namespace-kinds",
        "bk-intro-image-layers",
        "bk-intro-container-runtime",
        "bk-intro-control-plane-roles",
    ],
    "도커와 쿠버네티스 첫걸음": [
        "bk-first-scheduling-meaning",
        "bk-first-get-pods-wide",
        "bk-first-why-service",
        "bk-first-scale-desired",
    ],
    "파드: 쿠버네티스에서 컨테이너 실행": [
        "bk-pod-shared-by-containers",
        "bk-pod-port-clash",
        "bk-pod-flat-network",
        "bk-pod-split-tiers",
        "bk-pod-status-section",
        "bk-pod-logs-container",
        "bk-pod-labels-vs-annotations",
        "bk-pod-namespace-isolation",
        "bk-pod-grace-period",
        "bk-pod-delete-graceful",
    ],
    "레플리케이션과 그 밖의 컨트롤러: 관리되는 파드 배포": [
        "bk-rc-probe-mechanisms",
        "bk-rc-liveness-failure-threshold",
        "bk-rc-liveness-external-deps",
        "bk-rc-logs-previous",
        "bk-rc-three-parts",
        "bk-rc-relabel-pod",
        "bk-rc-cascade-orphan",
        "bk-rc-set-based-selector",
        "bk-rc-daemonset-scheduling",
        "bk-rc-daemonset-node-down",
        "bk-rc-job-backoff",
        "bk-rc-job-restart-policy",
    ],
    "서비스: 클라이언트가 파드를 검색하고 통신을 가능하게 함": [
        "bk-svc-endpoints",
        "bk-svc-externalname",
        "bk-svc-nodeport-range-low",
        "bk-svc-nodeport-range-high",
        "bk-svc-nodeport-external-ip",
        "bk-svc-loadbalancer-layers",
        "bk-svc-type-reach",
        "bk-svc-ingress-why",
        "bk-svc-readiness-vs-liveness",
        "bk-svc-troubleshoot-ping",
        "bk-svc-localhost-bind",
        "bk-svc-exec-double-dash",
    ],
    "볼륨: 컨테이너에 디스크 스토리지 연결": [
        "bk-vol-survives-pod-deletion",
        "bk-vol-emptydir-restart",
        "bk-vol-hostpath",
        "bk-vol-gitrepo",
        "bk-vol-access-modes",
        "bk-vol-static-provisioning",
        "bk-vol-storageclass",
        "bk-vol-in-tree-csi",
    ],
    "컨피그맵과 시크릿: 애플리케이션 설정": [
        "bk-cfg-command-args",
        "bk-cfg-ways-to-configure",
        "bk-cfg-secret-base64",
        "bk-cfg-stringdata",
        "bk-cfg-env-vs-volume-update",
    ],
    "애플리케이션에서 파드 메타데이터와 그 외의 리소스에 액세스하기": [
        "bk-meta-downward-volume-only",
        "bk-meta-serviceaccount-files",
        "bk-meta-kubectl-proxy",
        "bk-meta-http-verbs",
    ],
    "디플로이먼트: 선언적 애프리케이션 업데이트": [
        "bk-deploy-hierarchy",
        "bk-deploy-recreate-when",
        "bk-deploy-max-surge-default",
        "bk-deploy-max-unavailable-default",
        "bk-deploy-max-total-pods",
        "bk-deploy-min-available",
        "bk-deploy-rolling-bounds",
        "bk-deploy-rolling-steps",
        "bk-deploy-history-limit",
        "bk-deploy-rollback-limit",
        "bk-deploy-what-triggers",
        "bk-deploy-apply-vs-replace",
        "bk-deploy-blue-green",
        "bk-deploy-pause-canary",
        "bk-deploy-progress-deadline",
    ],
    "스테이트풀셋: 복제된 스테이트풀 애플리케이션 배포하기": [
        "bk-sts-replicaset-shared-pvc",
        "bk-sts-vs-deployment",
        "bk-sts-stable-names",
        "bk-sts-pvc-scale-down",
        "bk-sts-headless-dns",
        "bk-sts-no-replication",
    ],
    "쿠버네티스 내부 이해하기": [
        "bk-int-only-apiserver-etcd",
        "bk-int-etcd-tolerate",
        "bk-int-etcd-even",
        "bk-int-optimistic-concurrency",
        "bk-int-scheduler-binding",
        "bk-int-scheduler-filter-score",
        "bk-int-event-chain",
        "bk-int-apiserver-to-kubelet",
        "bk-int-controllers-no-kubelet",
        "bk-int-pause-container",
        "bk-int-addons",
        "bk-int-kube-proxy-modes",
        "bk-int-pv-controller-match",
        "bk-int-leader-election",
        "bk-int-ingress-to-pods",
        "bk-int-scheduler-name",
        "bk-int-namespace-controller",
    ],
    "쿠버네티스 API 서버 보안": [
        "bk-sec-request-pipeline",
        "bk-sec-authn-methods",
        "bk-sec-users-vs-serviceaccounts",
        "bk-sec-serviceaccount-token",
        "bk-sec-role-vs-binding",
        "bk-sec-clusterrole-rolebinding",
        "bk-sec-cluster-scoped",
        "bk-sec-rbac-additive",
        "bk-sec-get-verbs",
        "bk-sec-can-i-for-a-binding",
        "bk-sec-least-privilege-binding",
    ],
    "클러스터 노드와 네트워크 보안": [
        "bk-node-pid-namespace",
        "bk-node-host-network",
        "bk-node-security-context",
        "bk-node-psp-replaced",
        "bk-node-pod-security-levels",
        "bk-node-netpol-default",
        "bk-node-netpol-cidr",
        "bk-node-netpol-who-connects",
    ],
    "파드의 컴퓨팅 리소스 관리": [
        "bk-res-qos-from-spec",
        "bk-res-requests-vs-limits",
        "bk-res-scheduling-by-requests",
        "bk-res-cpu-vs-memory",
        "bk-res-oom-exit-code",
        "bk-res-backoff-cap",
        "bk-res-backoff-reset",
        "bk-res-guaranteed-which",
        "bk-res-memory-pressure-order",
        "bk-res-pod-request-init",
        "bk-res-monitoring",
    ],
}

# A sub-topic of a chapter (text of the note) -> the questions about it.
SUBTOPICS = {
    # 쿠버네티스 소개
    "수평 확장": ["bk-intro-scale-up-vs-out"],
    "쿠버네티스 사용의 장점": ["bk-intro-why-kubernetes"],
    "컨테이너 격리를 가능하게 하는 메커니즘": ["bk-intro-isolation-mechanisms"],
    "리눅스 네임스페이스로 프로세스 격리": ["bk-intro-namespace-kinds"],
    "도커 컨테이너 플랫폼": ["bk-intro-image-layers"],
    "컨테이너를 실행하는 도커, rkt 또는 다른 컨테이너 런타임": ["bk-intro-container-runtime"],
    "쿠버네티스 클러스터 아키텍처": ["bk-intro-control-plane-roles"],
    # 도커와 쿠버네티스 첫걸음
    "스케줄링(Scheduling)": ["bk-first-scheduling-meaning"],
    "kubectl get pods -o wide": ["bk-first-get-pods-wide"],
    "서비스가 필요한 이유": ["bk-first-why-service"],
    "애플리케이션 수평 확장": ["bk-first-scale-desired"],
    # 파드
    "파드 이해하기": ["bk-pod-shared-by-containers"],
    "동일한 IP주소와 포트 공간을 공유": ["bk-pod-port-clash"],
    "파드 간 플랫 네트워크": ["bk-pod-flat-network"],
    "파드에서 컨테이너의 적절한 구성": ["bk-pod-split-tiers"],
    "파드를 정의하는 주요 부분 소개": ["bk-pod-status-section"],
    "컨테이너 이름을 지정해 다중 컨테이너 파드에서 로그 가져오기": ["bk-pod-logs-container"],
    "파드에 어노테이션 달기": ["bk-pod-labels-vs-annotations"],
    "네임스페이스가 제공하는 격리": ["bk-pod-namespace-isolation"],
    "Kubelet이 하는 일": ["bk-pod-delete-graceful"],
    # 레플리케이션과 그 밖의 컨트롤러
    "라이브니스 프로브 소개": ["bk-rc-probe-mechanisms"],
    "라이브니스 프로브의 추가 속성 설정": ["bk-rc-liveness-failure-threshold"],
    "효과적인 라이브니스 프로브 생성": ["bk-rc-liveness-external-deps"],
    "kubectl logs mypod --previous": ["bk-rc-logs-previous"],
    "레플리케이션컨트롤러의 세 가지 요소 이해": ["bk-rc-three-parts"],
    "레플리케이션컨트롤러는 레이블 셀렉터와 일치하는 파드만을 관리함": ["bk-rc-relabel-pod"],
    "레플리케이션 컨트롤러 삭제": ["bk-rc-cascade-orphan"],
    "레플리카셋의 더욱 표현적인 레이블 셀렉터 사용하기": ["bk-rc-set-based-selector"],
    "데몬셋으로 모든 노드에 파드 실행하기": ["bk-rc-daemonset-scheduling"],
    "데몬셋을 사용해 각 노드에 정확히 한 개의 파드 실행하기": ["bk-rc-daemonset-node-down"],
    "잡 리소스": ["bk-rc-job-backoff", "bk-rc-job-restart-policy"],
    # 서비스
    "서비스 엔드포인트": ["bk-svc-endpoints"],
    "ExternalName 서비스 생성": ["bk-svc-externalname"],
    "노드포트 서비스 사용": ["bk-svc-nodeport-range-low", "bk-svc-nodeport-range-high"],
    "노드포트 서비스 확인": ["bk-svc-nodeport-external-ip"],
    "외부 로드밸런서로 서비스 노출": ["bk-svc-loadbalancer-layers"],
    "외부 클라이언트에 서비스 노출": ["bk-svc-type-reach"],
    "인그레스가 필요한 이유": ["bk-svc-ingress-why"],
    "레디스 프로브의 동작": ["bk-svc-readiness-vs-liveness"],
    "서비스 문제 해결": ["bk-svc-troubleshoot-ping"],
    "애플리케이션이 로컬호스트에만 바인딩하고 있는지 확인함": ["bk-svc-localhost-bind"],
    "실행 중인 컨테이너에 원격으로 명령어 실행": ["bk-svc-exec-double-dash"],
    # 볼륨
    "볼륨 소개": ["bk-vol-survives-pod-deletion"],
    "emptyDir 볼륨 사용": ["bk-vol-emptydir-restart"],
    "hostPath 볼륨": ["bk-vol-hostpath"],
    "gitRepo": ["bk-vol-gitrepo"],
    "RWO(ReadWriteOnce)": ["bk-vol-access-modes"],
    "퍼시스턴트볼륨과 퍼시스턴트볼륨클레임": ["bk-vol-static-provisioning"],
    "퍼시스턴트볼륨의 동적 프로비저닝": ["bk-vol-storageclass"],
    "사용 가능한 볼륨 유형 소개": ["bk-vol-in-tree-csi"],
    # 컨피그맵과 시크릿
    "도커에서 명령어와 인자 정의": ["bk-cfg-command-args"],
    "컨테이너화된 애플리케이션 설정": ["bk-cfg-ways-to-configure"],
    "바이너리 데이터 시크릿 사용": ["bk-cfg-secret-base64"],
    "StringData 필드는 쓰기 전용": ["bk-cfg-stringdata"],
    "컨피그맵으로 설정 분리": ["bk-cfg-env-vs-volume-update"],
    # 파드 메타데이터
    "Downward API로 메타데이터 전달": ["bk-meta-downward-volume-only"],
    "파드가 쿠버네티스와 통신하는 방법": ["bk-meta-serviceaccount-files"],
    "kubectl 프록시로 API 서버 액세스하기": ["bk-meta-kubectl-proxy"],
    "CRUD은 Create, Read, Update, Delete를 나타냄": ["bk-meta-http-verbs"],
    # 디플로이먼트
    "애플리케이션을 선언적으로 업데이트하기 위한 디플로이먼트 사용하기": ["bk-deploy-hierarchy"],
    "Recreate 전략": ["bk-deploy-recreate-when"],
    "RollingUpdate 전략": ["bk-deploy-max-surge-default", "bk-deploy-max-unavailable-default"],
    "의도하는 레플리카 수보다 많거나 적은 파드 수에 관한 상한과 하한을 설정할 수 있음": [
        "bk-deploy-max-total-pods",
        "bk-deploy-min-available",
        "bk-deploy-rolling-bounds",
    ],
    "롤링 업데이트": ["bk-deploy-rolling-steps"],
    "디플로이먼트 롤아웃 이력 표시": ["bk-deploy-history-limit"],
    "특정 디플로이먼트 개정으로 롤백": ["bk-deploy-rollback-limit"],
    "디플로이먼트 업데이트": ["bk-deploy-what-triggers"],
    "쿠버네티스의 기존 리소스 수정하기": ["bk-deploy-apply-vs-replace"],
    "블루 그린 디플로이먼트": ["bk-deploy-blue-green"],
    "롤아웃 일시 정지": ["bk-deploy-pause-canary"],
    "디플로이먼트 롤아웃 상태 출력": ["bk-deploy-progress-deadline"],
    # 스테이트풀셋
    "스테이트풀 파드 복제하기": ["bk-sts-replicaset-shared-pvc"],
    "스테이트풀셋과 레플리카셋 비교": ["bk-sts-vs-deployment"],
    "안정적인 네트워크 아이덴티티 제공하기": ["bk-sts-stable-names"],
    "스테이트풀셋은 스케일 다운할 때 퍼시스턴트볼륨클레임을 삭제하지 않음": [
        "bk-sts-pvc-scale-down"
    ],
    "스테이트풀셋의 피어 디스커버리": ["bk-sts-headless-dns"],
    "스테이트풀셋 이해하기": ["bk-sts-no-replication"],
    # 쿠버네티스 내부
    "쿠버네티스가 etcd를 사용하는 방법": ["bk-int-only-apiserver-etcd"],
    "etcd 인스턴스 수가 홀수인 이유": ["bk-int-etcd-tolerate", "bk-int-etcd-even"],
    "낙관성 동시성 제어": ["bk-int-optimistic-concurrency"],
    "스케줄러 이해": ["bk-int-scheduler-binding"],
    "기본 스케줄링 알고리즘": ["bk-int-scheduler-filter-score"],
    "이벤트 체인": ["bk-int-event-chain"],
    "쿠버네티스 구성 요소의 분산 특성": ["bk-int-apiserver-to-kubelet"],
    "컨트롤러 정리": ["bk-int-controllers-no-kubelet"],
    "퍼즈(pause) 컨테이너": ["bk-int-pause-container"],
    "애드온 구성 요소": ["bk-int-addons"],
    "프록시라고 부르는 이유": ["bk-int-kube-proxy-modes"],
    "퍼시스턴트볼륨 컨트롤러": ["bk-int-pv-controller-match"],
    "수평 스케일링이 불가능한 애플리케이션을 위한 리더 선출 메커니즘 사용": [
        "bk-int-leader-election"
    ],
    "인그레스 컨트롤러 동작 방식": ["bk-int-ingress-to-pods"],
    "다중 스케줄러 사용": ["bk-int-scheduler-name"],
    "네임스페이스 컨트롤러": ["bk-int-namespace-controller"],
    # 쿠버네티스 API 서버 보안
    "인증 이해": ["bk-sec-request-pipeline"],
    "인증 플러그인은 다음 방법을 사용해 클라이언트의 아이덴티티를 얻음": ["bk-sec-authn-methods"],
    "사용자와 그룹": ["bk-sec-users-vs-serviceaccounts"],
    "서비스어카운트 리소스": ["bk-sec-serviceaccount-token"],
    "RBAC 리소스": ["bk-sec-role-vs-binding"],
    "특정 롤과 바인딩의 조합을 사용해야 하는 경우": ["bk-sec-clusterrole-rolebinding"],
    "클러스터 수준 리소스(노드, 퍼시스턴트볼륨)": ["bk-sec-cluster-scoped"],
    "역할 기반 액세스 제어로 클러스터 보안": ["bk-sec-rbac-additive"],
    "액션 이해하기": ["bk-sec-get-verbs"],
    # 클러스터 노드와 네트워크 보안
    "파드에서 호스트 노드의 네임스페이스 사용": ["bk-node-pid-namespace", "bk-node-host-network"],
    "컨테이너 보안 컨텍스트 구성": ["bk-node-security-context"],
    "PodSecurityPolicy 리소스": ["bk-node-psp-replaced"],
    "파드의 보안 관련 기능 사용 제한": ["bk-node-pod-security-levels"],
    "파드 네트워크 격리": ["bk-node-netpol-default", "bk-node-netpol-who-connects"],
    "CIDR 표기법으로 격리": ["bk-node-netpol-cidr"],
    # 파드의 컴퓨팅 리소스 관리
    "파드 QoS 클래스": ["bk-res-qos-from-spec"],
    "파드 컨테이너의 리소스 요청": ["bk-res-requests-vs-limits"],
    "새 파드는 실제 메모리 사용량이 아닌 메모리 요청에 기반으로 노드에 스케줄링됨": [
        "bk-res-scheduling-by-requests"
    ],
    "컨테이너에 사용 가능한 리소스 제한": ["bk-res-cpu-vs-memory"],
    "리소스 제한 초과": ["bk-res-oom-exit-code"],
    "CrashLoopBackOff": ["bk-res-backoff-cap"],
    "간격이 300초 제한에 도달하면": ["bk-res-backoff-reset"],
    "Guaranteed 클래스에 파드를 할당하기": ["bk-res-guaranteed-which"],
    "메모리가 부족할 때 어떤 프로세스가 종료되는지 이해": ["bk-res-memory-pressure-order"],
    "파드의 리소스 요청(requests)과 제한(limits)은 모든 컨테이너의 리소스 요청과 제한의 합": [
        "bk-res-pod-request-init"
    ],
    "파드 리소스 사용량 모니터링": ["bk-res-monitoring"],
}

# Numbers the task names, each asked by a numeric question: id -> the answer.
NUMBERS = {
    "bk-svc-nodeport-range-low": 30000,
    "bk-svc-nodeport-range-high": 32767,
    "bk-deploy-history-limit": 10,
    "bk-deploy-max-surge-default": 25,
    "bk-deploy-max-unavailable-default": 25,
}

# Sequences the task names, each asked by an ordering question.
SEQUENCES = ["bk-deploy-rolling-steps", "bk-pod-delete-graceful"]


def headings(text: str) -> list[str]:
    """Every ``# `` heading of the note, in order, once (the note repeats its last one)."""
    found: list[str] = []
    for line in text.splitlines():
        match = re.match(r"\s*#\s+(.+?)\s*$", line)
        if match and match.group(1) not in found:
            found.append(match.group(1))
    return found


@pytest.fixture(scope="module")
def note() -> str:
    return NOTE.read_text(encoding="utf-8").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def bank():
    return load_bank(BANK)


@pytest.fixture(scope="module")
def items(bank):
    return {item.id: item for item in bank.items}


@needs_notes
def test_parser_finds_the_chapters(note):
    # Guard the parser: a parser that finds nothing would make the tests vacuous.
    found = headings(note)
    assert len(found) >= 15
    assert {"서평", "쿠버네티스 소개", "파드의 컴퓨팅 리소스 관리"} <= set(found)


@needs_notes
def test_every_topic_in_the_table_is_in_the_note(note):
    topics = [*CHAPTERS, *SUBTOPICS, *NOT_TOPICS]
    assert [topic for topic in topics if topic not in note] == []


@needs_notes
def test_every_chapter_is_covered_or_left_out_on_purpose(note):
    found = headings(note)
    assert [h for h in found if h not in CHAPTERS and h not in NOT_TOPICS] == []
    assert set(NOT_TOPICS) <= set(found)
    assert set(BIG_CHAPTERS) <= set(found)


@needs_notes
def test_every_topic_an_item_names_is_in_the_note(bank, note):
    missing = {(item.id, t) for item in bank.items for t in item.topics if t not in note}
    assert missing == set()


def test_chapters_have_enough_questions():
    for chapter, ids in CHAPTERS.items():
        assert len(set(ids)) >= (5 if chapter in BIG_CHAPTERS else 3), chapter


def test_listed_questions_exist_and_name_their_topic(items):
    for table in (CHAPTERS, SUBTOPICS):
        assert unlisted(items.values(), table) == []


def test_every_question_is_listed_under_exactly_one_chapter(bank):
    for item in bank.items:
        chapters = [c for c, ids in CHAPTERS.items() if item.id in ids]
        assert len(chapters) == 1, (item.id, chapters)
        assert chapters[0] in item.topics, item.id
        assert item.id.startswith("bk-"), item.id


def test_required_kinds_are_there(items):
    qos = items["bk-res-qos-from-spec"]
    assert isinstance(qos, GeneratedItem) and qos.generator == "qos-class"
    assert qos.id in CHAPTERS["파드의 컴퓨팅 리소스 관리"]
    for item_id, answer in NUMBERS.items():
        item = items[item_id]
        assert isinstance(item, Question) and item.kind == "numeric", item_id
        assert item.number == answer, item_id
    for item_id in SEQUENCES:
        item = items[item_id]
        assert isinstance(item, Question) and item.kind == "ordering", item_id


def test_the_bank_mixes_the_kinds(bank):
    kinds = {item.kind for item in bank.items if isinstance(item, Question)}
    assert kinds == {"single", "multiple", "ordering", "numeric", "short"}
