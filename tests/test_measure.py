"""Engine-measured answers: what levels' choices and the quiz compare answers with."""

import pytest

from k8sgame.measure import MeasureError, field_value, restart_delay
from tests.cluster_helpers import new_cluster, pod


def test_the_crash_loop_back_off_is_measured_from_the_cluster():
    cluster = new_cluster()
    cluster.create(pod("crash", [{"name": "c", "image": "busybox", "command": ["false"]}]))
    # The kubelet restarts a first crash at its next sync; then it waits 10 s, 20 s, 40 s
    # (K8S-FACTS §1). busybox is :latest, so imagePullPolicy is Always: each restart pulls
    # again (0.5 s from the cache), and the status's whole-second times round that up or down.
    delays = [restart_delay(cluster, "default", "crash", n) for n in (1, 2, 3, 4)]
    assert delays[0] < 10
    assert [round(d) for d in delays[1:]] == [11, 20, 41]
    with pytest.raises(MeasureError):
        restart_delay(cluster, "default", "crash", 1)


def test_a_field_is_read_with_a_kubectl_jsonpath():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    assert field_value(cluster, "Pod", "web", "default", ".spec.restartPolicy") == "Always"
    assert field_value(cluster, "pods", "web", "default", "{.spec.containers[*].name}") == "web"
    with pytest.raises(MeasureError):
        field_value(cluster, "Pod", "nope", "default", ".spec")
