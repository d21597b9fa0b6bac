"""The horizontal pod autoscaler: defaults and errors, the first sync a period after
creation, a missing CPU request in upstream's words, utilization from the metrics-server,
scaling up with the 10% tolerance and the scale-up limit, and the five-minute scale-down
stabilization."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError


def deployment(replicas=2, requests=None, command=None):
    container = {"name": "app", "image": "busybox:1.36", "command": command or ["sleep", "3600"]}
    if requests:
        container["resources"] = {"requests": requests}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [container]},
            },
        },
    }


def hpa(minimum=2, maximum=6, utilization=50, **extra):
    spec = {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
        "minReplicas": minimum,
        "maxReplicas": maximum,
        "metrics": [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": utilization},
                },
            }
        ],
        **extra,
    }
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web"},
        "spec": spec,
    }


def conditions(cluster):
    status = cluster.get("HorizontalPodAutoscaler", "web")["status"]
    return {c["type"]: (c["status"], c["reason"]) for c in status.get("conditions", [])}


def replicas(cluster):
    return cluster.get("Deployment", "web")["spec"]["replicas"]


def test_defaults_and_errors():
    cluster = new_cluster()
    created = cluster.api.create(
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {
                "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"},
                "maxReplicas": 3,
            },
        }
    )
    assert created["spec"]["minReplicas"] == 1
    assert created["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80},
            },
        }
    ]
    assert created["status"] == {"currentMetrics": None, "desiredReplicas": 0}
    with pytest.raises(ApiError) as caught:
        cluster.api.create({**hpa(minimum=4, maximum=2), "metadata": {"name": "bad"}})
    assert caught.value.message == (
        'The HorizontalPodAutoscaler.autoscaling "bad" is invalid: spec.maxReplicas: Invalid '
        "value: 2: must be greater than or equal to `minReplicas`"
    )
    raw = hpa()
    raw["metadata"]["name"] = "raw"
    raw["spec"]["metrics"][0]["resource"]["target"] = {"type": "Value", "value": "500m"}
    with pytest.raises(ApiError) as caught:
        cluster.api.create(raw)
    assert caught.value.message.endswith(
        "spec.metrics[0].resource.target.averageUtilization: Required value: must set either "
        "a target raw value or a target utilization"
    )


def test_a_container_without_a_cpu_request_stops_the_autoscaler():
    cluster = new_cluster()
    cluster.api.create(deployment())
    cluster.api.create(hpa())
    cluster.run_for(14)
    assert "conditions" not in cluster.get("HorizontalPodAutoscaler", "web")["status"]
    cluster.run_for(60)
    assert conditions(cluster) == {
        "AbleToScale": ("True", "SucceededGetScale"),
        "ScalingActive": ("False", "FailedGetResourceMetric"),
    }
    message = next(
        c["message"]
        for c in cluster.get("HorizontalPodAutoscaler", "web")["status"]["conditions"]
        if c["type"] == "ScalingActive"
    )
    assert message.startswith(
        "the HPA was unable to compute the replica count: failed to get cpu utilization: "
        "missing request for cpu in container app of Pod web-"
    )
    reasons = {
        e["reason"]
        for e in cluster.store.list("Event", "default")
        if e["source"]["component"] == "horizontal-pod-autoscaler"
    }
    assert reasons == {"FailedGetResourceMetric", "FailedComputeMetricsReplicas"}
    assert replicas(cluster) == 2


def test_busy_pods_scale_up_within_the_limit_and_idle_ones_wait_five_minutes():
    cluster = new_cluster()
    # Each pod keeps a CPU busy: far above 50% of a 100m request.
    busy = ["sh", "-c", "while true; do :; done"]
    cluster.api.create(deployment(requests={"cpu": "100m"}, command=busy))
    cluster.api.create(hpa(maximum=10))
    cluster.run_for(120)
    status = cluster.get("HorizontalPodAutoscaler", "web")["status"]
    assert status["currentMetrics"][0]["resource"]["current"]["averageUtilization"] > 55
    assert conditions(cluster)["ScalingActive"] == ("True", "ValidMetricFound")
    # The first rescale is at most max(2 × 2, 4) = 4.
    scales = [
        e["message"]
        for e in cluster.store.list("Event", "default")
        if e["reason"] == "SuccessfulRescale"
    ]
    assert scales[0] == (
        "New size: 4; reason: cpu resource utilization (percentage of request) above target"
    )
    assert replicas(cluster) <= 10


def test_an_idle_deployment_above_min_scales_down_only_after_five_minutes():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4, requests={"cpu": "100m"}))
    cluster.api.create(hpa(minimum=1))
    cluster.run_for(200)
    assert replicas(cluster) == 4
    assert conditions(cluster)["AbleToScale"] == ("True", "ScaleDownStabilized")
    cluster.run_for(200)
    assert replicas(cluster) == 1
    event = next(
        e for e in cluster.store.list("Event", "default") if e["reason"] == "SuccessfulRescale"
    )
    assert event["message"] == "New size: 1; reason: All metrics below target"
