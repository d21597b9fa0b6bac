"""The interview-notes bank covers study note 000: every interview question of the note.

Topics are parsed from the note: every ``#### `` heading is a topic (its text after ``#### ``,
stripped), so a question added to the note fails the test until an item covers it. A heading
with no text (``#### `` alone) only continues the section before it and is not a topic of its
own; a heading that occurs twice is one topic.

The headings the brief marks as important (control plane, the pod creation flow, health
checks, Services, self-healing, pods, pod phases, the scheduler, ReplicaSets) need two or
more items, one of them a short answer phrased as the interview question; the pod creation
flow needs an ordering item.
"""

from __future__ import annotations

from coverage_helpers import BANKS, SEEDS, needs_notes, unlisted

from k8sgame.quiz.loader import load_bank
from k8sgame.quiz.model import Question

BANK = BANKS / "interview-notes.yaml"
NOTE = SEEDS / "000_45b92376de02ef1b.txt"

CONTROL_PLANE = "마스터 노드 컴포넌트 무엇이 있을까요?"
POD_CREATION = "쿠버네티스 동작 과정"
HEALTH_CHECKS = "쿠버네티스에서 헬스체크를 어떻게 하는지?"
SERVICES = "쿠버네티스 서비스 종류와 쓰임"
SELF_HEALING = "쿠버네티스에서 셀프힐링하는 방법"
PODS = "쿠버네티스 파드에 대해"
POD_LIFECYCLE = "파드의 생명주기"
SCHEDULER = "쿠버네티스에서 사용하는 스케줄러는 어떤 종류가 있고, 각각 어떤 역할을 하나요?"
REPLICASET = "쿠버네티스에서 레플리카셋은 무엇이며, 어떤 역할을 하나요?"

IMPORTANT = (
    CONTROL_PLANE,
    POD_CREATION,
    HEALTH_CHECKS,
    SERVICES,
    SELF_HEALING,
    PODS,
    POD_LIFECYCLE,
    SCHEDULER,
    REPLICASET,
)

# A heading of the note (exact text) -> the items that cover it.
COVERAGE = {
    CONTROL_PLANE: [
        "iv-control-plane-components",
        "iv-control-plane-which-components",
        "iv-control-plane-serviceaccount-controller",
    ],
    "쿠버네티스를 왜 써요?": ["iv-why-kubernetes", "iv-why-kubernetes-node-scaling"],
    POD_CREATION: [
        "iv-pod-creation-order",
        "iv-pod-creation-explain",
        "iv-pod-creation-scheduler-binding",
    ],
    HEALTH_CHECKS: [
        "iv-health-checks",
        "iv-health-readiness-failing",
        "iv-health-liveness-threshold",
    ],
    "쿠버네티스 DNS 시스템이 어떻게 되는지?": [
        "iv-dns-service-fqdn",
        "iv-dns-headless",
        "iv-dns-service-names",
    ],
    "쿠버네티스 클러스터의 고가용성을 위해 무엇을 해야할까?": [
        "iv-ha-etcd-quorum",
        "iv-ha-control-plane",
        "iv-ha-statefulset-storage",
    ],
    "도커 왜 써요?": ["iv-docker-vs-vm", "iv-docker-isolation"],
    "도커 레지스트리란? 어떤 레지스트리 사용했는지?": [
        "iv-registry-default",
        "iv-registry-private-pull",
    ],
    "도커의 동작 방식": ["iv-docker-workflow-order", "iv-docker-rm-data"],
    "도커 이미지란?": ["iv-image-what", "iv-image-tag-digest"],
    "컨테이너의 생명주기": ["iv-container-states", "iv-docker-lifecycle-order"],
    SERVICES: [
        "iv-service-types",
        "iv-service-nodeport-range",
        "iv-service-externalname",
        "iv-service-types-reach",
    ],
    "쿠버네티스 인그레스와 서비스의 차이점": [
        "iv-ingress-vs-service",
        "iv-ingress-needs-controller",
    ],
    SELF_HEALING: [
        "iv-self-healing",
        "iv-self-healing-node-failure",
        "iv-self-healing-eviction-seconds",
    ],
    "쿠버네티스 컨셉": ["iv-concepts-declarative", "iv-concepts-design"],
    "느슨한 결합이란?": ["iv-loose-coupling", "iv-loose-coupling-selector"],
    "쿠버네티스의 Metal LB의 역할이 무엇인지?": ["iv-metallb-role", "iv-metallb-pending"],
    "k8s의 버전 업그레이드 방법은?": ["iv-upgrade-kubeadm-order", "iv-upgrade-version-skew"],
    "쿠버네티스의 Helm 차트에 대해 설명해주세요": ["iv-helm-charts", "iv-helm-release"],
    "admin.conf 파일 안에 어떤 내용이 들어있는지?": [
        "iv-admin-conf-contents",
        "iv-admin-conf-kubectl",
    ],
    "도커에서 사용한는 오버레이 네트워크에 대해 설명해 보세요.": [
        "iv-overlay-network",
        "iv-overlay-pod-network",
    ],
    "도커 컴포즈가 무엇인지?, 장단점": ["iv-compose", "iv-compose-vs-kubernetes"],
    "쿠버네티스 클러스터 구성 파일은 무엇이 있는지?": [
        "iv-config-static-pods",
        "iv-config-file-locations",
    ],
    "도커의 구성요소": ["iv-docker-components", "iv-docker-kubernetes-runtime"],
    "도커 이미지의 레이어 개념에 대해 설명해주세요.": ["iv-layers-cache", "iv-layers-writable"],
    "쿠버네티스 서비스 디스커버리란? 어떻게 동작하는지?": [
        "iv-service-discovery",
        "iv-service-discovery-env",
    ],
    "쿠버네티스 사용하면서 자주쓴 명령어가 있는지?": [
        "iv-kubectl-previous-logs",
        "iv-kubectl-pending-describe",
    ],
    "쿠버네티스에서 어떤 종류의 오브젝트가 있고, 각각 어떤 역할을 하나요?": [
        "iv-objects-not-a-kind",
        "iv-objects-which-workload",
    ],
    PODS: ["iv-pods", "iv-pods-shared", "iv-pods-container-crash"],
    POD_LIFECYCLE: ["iv-pod-phases", "iv-pod-phase-crashloop", "iv-pod-phase-pending"],
    SCHEDULER: [
        "iv-scheduler",
        "iv-scheduler-node-affinity",
        "iv-scheduler-requests",
        "iv-qos-from-spec",
    ],
    REPLICASET: ["iv-replicaset", "iv-replicaset-adopt", "iv-replicaset-template-change"],
}


def _headings(text: str) -> list[str]:
    """The text of every non-empty ``####`` heading, in order, each once."""
    found: list[str] = []
    for line in text.splitlines():
        if line.startswith("####") and not line.startswith("#####"):
            title = line[len("####") :].strip()
            if title and title not in found:
                found.append(title)
    return found


def _items():
    return {item.id: item for item in load_bank(BANK).items}


def test_the_parser_reads_headings():
    text = "#### 첫 질문?\n\n```\n본문\n```\n#### \n\n##### 아님\n#### 첫 질문?\n#### 둘째\n"
    assert _headings(text) == ["첫 질문?", "둘째"]


@needs_notes
def test_every_topic_is_a_heading_of_the_note():
    headings = _headings(NOTE.read_text(encoding="utf-8"))
    assert [topic for topic in COVERAGE if topic not in headings] == []


@needs_notes
def test_every_heading_of_the_note_is_covered():
    headings = _headings(NOTE.read_text(encoding="utf-8"))
    assert len(headings) >= 30
    assert [heading for heading in headings if heading not in COVERAGE] == []
    assert all(topic in headings for topic in IMPORTANT)


def test_covering_items_exist_and_list_their_topic():
    assert unlisted(_items().values(), COVERAGE) == []


def test_every_item_is_in_the_table():
    listed = {item_id for ids in COVERAGE.values() for item_id in ids}
    assert set(_items()) == listed
    assert all(item_id.startswith("iv-") for item_id in listed)


def test_important_headings_have_a_short_interview_question():
    items = _items()
    for topic in IMPORTANT:
        covering = [items[item_id] for item_id in COVERAGE[topic]]
        assert len(covering) >= 2, topic
        shorts = [i for i in covering if isinstance(i, Question) and i.kind == "short"]
        assert shorts, topic


def test_the_pod_creation_flow_has_an_ordering_item():
    items = _items()
    orderings = [
        items[item_id]
        for item_id in COVERAGE[POD_CREATION]
        if isinstance(items[item_id], Question) and items[item_id].kind == "ordering"
    ]
    assert orderings
    steps = [step.en for step in orderings[0].steps]
    # kubectl -> API server -> etcd -> scheduler -> kubelet -> container runtime
    marks = ["kubectl", "API server", "etcd", "scheduler", "kubelet", "container runtime"]
    positions = [next(i for i, s in enumerate(steps) if mark in s) for mark in marks]
    assert positions == sorted(positions)
