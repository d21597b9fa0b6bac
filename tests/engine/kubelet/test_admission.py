"""Kubelet admission (``admission.py``): the node's pod count and resources, in the kubelet's
words."""

from k8sgame.engine.kubelet.admission import DEFAULT_MAX_PODS, admission_failure


def _node(**allocatable: str) -> dict:
    return {"metadata": {"name": "node-1"}, "status": {"allocatable": allocatable}}


def _pod(cpu: str | None = None) -> dict:
    container: dict = {"name": "c", "image": "nginx"}
    if cpu is not None:
        container["resources"] = {"requests": {"cpu": cpu}}
    return {"metadata": {"name": "p"}, "spec": {"containers": [container]}}


def test_max_pods_defaults_to_110_when_the_node_reports_no_pods_allocatable():
    assert DEFAULT_MAX_PODS == 110  # K8S-FACTS: kubelet maxPods default
    node = _node(cpu="4")
    assert admission_failure(node, _pod(), [_pod()] * 109) is None
    assert admission_failure(node, _pod(), [_pod()] * 110) == (
        "OutOfpods",
        "Node didn't have enough resource: pods, requested: 1, used: 110, capacity: 110",
    )


def test_requests_are_added_over_the_running_pods_in_milli_units():
    node = _node(cpu="2", pods="10")
    running = [_pod("1"), _pod("500m")]
    assert admission_failure(node, _pod("500m"), running) is None
    assert admission_failure(node, _pod("600m"), running) == (
        "OutOfcpu",
        "Node didn't have enough resource: cpu, requested: 600, used: 1500, capacity: 2000",
    )


def test_a_pod_without_requests_always_fits_and_an_unknown_node_rejects_nothing():
    assert admission_failure(_node(cpu="0", pods="5"), _pod(), []) is None
    assert admission_failure(None, _pod("100"), []) is None
