"""The concept glossary covers every topic of the study notes in ../shared/seeds/, in English
and Korean, and every shipped level points at known concepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from k8sgame.content.concepts import load_concepts
from k8sgame.levels.pack import default_pack_dir, load_pack

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

# A heading or phrase of the notes -> the concept that covers it.
TOPICS = {
    "마스터 노드 컴포넌트": "control-plane",
    "쿠버네티스를 왜 써요": "why-kubernetes",
    "쿠버네티스 동작 과정": "pod-creation-flow",
    "헬스체크": "liveness-probe",
    "DNS": "service-discovery",
    "고가용성": "high-availability",
    "도커 왜 써요": "containers",
    "도커 레지스트리": "image-registry",
    "도커의 동작 방식": "docker-architecture",
    "도커 이미지란": "container-images",
    "컨테이너의 생명주기": "container-lifecycle",
    "서비스 종류와 쓰임": "services",
    "인그레스와 서비스의 차이점": "ingress",
    "셀프힐링": "self-healing",
    "느슨한 결합": "declarative-model",
    "Metal LB": "metallb",
    "버전 업그레이드": "cluster-upgrade",
    "Helm": "helm",
    "admin.conf": "kubeconfig",
    "오버레이 네트워크": "overlay-network",
    "도커 컴포즈": "docker-compose",
    "클러스터 구성 파일": "kubeconfig",
    "도커의 구성요소": "docker-architecture",
    "레이어": "container-images",
    "서비스 디스커버리": "service-discovery",
    "자주쓴 명령어": "kubectl-basics",
    "오브젝트가 있고": "api-objects",
    "파드의 생명주기": "pod-lifecycle",
    "스케줄러": "scheduler",
    "레플리카셋": "replicaset",
    "etcd": "etcd",
    "kubelet": "node-components",
    "레이블": "labels-selectors",
    "어노테이션": "labels-selectors",
    "네임스페이스": "namespaces",
    "레플리케이션컨트롤러": "replicaset",
    "볼륨": "volumes",
    "컨피그맵": "configmap",
    "시크릿": "secret",
    "파드 메타데이터": "downward-api",
    "디플로이먼트": "deployment",
    "스테이트풀셋": "statefulset",
    "API 서버 보안": "rbac",
    "네트워크 보안": "network-policy",
    "컴퓨팅 리소스": "resource-requests",
    "QoS": "qos-classes",
    "CrashLoopBackOff": "crashloopbackoff",
    "모니터링": "resource-monitoring",
    "Probe": "readiness-probe",
    "사이드카": "sidecar-pattern",
    "버전 변경 전략": "deployment-strategies",
    "Ingress": "ingress",
    "DaemonSet": "daemonset",
    "CronJob": "cronjob",
    "Job(잡)": "job",
    "kube-proxy": "kube-proxy",
}


def test_every_concept_is_bilingual_and_ids_are_unique():
    concepts = load_concepts()
    assert len(concepts) >= 50
    for concept in concepts.values():
        assert concept.title.en and concept.title.ko and concept.summary.en and concept.summary.ko


def test_seed_topics_map_to_concepts():
    concepts = load_concepts()
    for topic, concept in TOPICS.items():
        assert concept in concepts, (topic, concept)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the study notes live in ../shared (CI has them)")
def test_topics_are_taken_from_the_notes():
    notes = "\n".join(path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt")))
    missing = [topic for topic in TOPICS if topic not in notes]
    assert missing == []


def test_chapter_one_covers_its_concepts():
    covered = {concept for level in load_pack(default_pack_dir()) for concept in level.concepts}
    wanted = {
        "pods",
        "pod-status",
        "image-pull-errors",
        "crashloopbackoff",
        "container-logs",
        "liveness-probe",
        "readiness-probe",
        "startup-probe",
        "oomkilled",
        "qos-classes",
        "resource-requests",
        "scheduler",
        "taints-tolerations",
        "configmap",
        "restart-policy",
        "init-containers",
    }
    assert wanted <= covered


def test_every_explain_path_of_a_concept_is_explained_by_the_sandbox():
    from cluster_helpers import new_cluster

    from k8sgame.kubectl.session import KubectlSession

    session = KubectlSession(new_cluster())
    paths = [(c.id, path) for c in load_concepts().values() for path in c.explain]
    assert len(paths) >= 40
    for concept, path in paths:
        result = session.run(["explain", path])
        field = path.rsplit(".", 1)[-1]
        assert result.exit_code == 0, (concept, path, result.stderr)
        assert f"FIELD: {field} <" in result.stdout, (concept, path)
