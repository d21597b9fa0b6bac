"""kubectl autoscale, get hpa and describe hpa: the autoscaling/v2 object kubectl builds, its
flag errors, TARGETS before and after a metric is read, and the describer's conditions."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    session = KubectlSession(new_cluster())
    session.run("create deployment web --image=nginx:1.27 --replicas=2")
    return session


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_the_object_kubectl_builds_and_its_errors(session):
    stdout, stderr, _code = run(
        session,
        "autoscale deployment web --min=2 --max=5 --cpu-percent=50 --dry-run=client -o yaml",
    )
    assert stderr.startswith("Flag --cpu-percent has been deprecated, Use --cpu with percentage")
    assert stdout == (
        "apiVersion: autoscaling/v2\n"
        "kind: HorizontalPodAutoscaler\n"
        "metadata:\n"
        "  name: web\n"
        "spec:\n"
        "  maxReplicas: 5\n"
        "  metrics:\n"
        "  - resource:\n"
        "      name: cpu\n"
        "      target:\n"
        "        averageUtilization: 50\n"
        "        type: Utilization\n"
        "    type: Resource\n"
        "  minReplicas: 2\n"
        "  scaleTargetRef:\n"
        "    apiVersion: apps/v1\n"
        "    kind: Deployment\n"
        "    name: web\n"
        "status:\n"
        "  currentMetrics: null\n"
        "  desiredReplicas: 0\n"
    )
    for command, error in (
        ("autoscale deployment web --min=2", 'required flag(s) "max" not set'),
        (
            "autoscale deployment web --max=0",
            "--max=MAXPODS is required and must be at least 1, max: 0",
        ),
        (
            "autoscale deployment web --max=2 --min=5",
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: 2, min: 5",
        ),
        ("autoscale deployment web --max=3 --cpu=fast%", "invalid percentage value: fast"),
    ):
        assert run(session, command)[1] == f"error: {error}\n", command
    assert run(session, "autoscale deploy/nope --max=3")[1] == (
        'Error from server (NotFound): deployments.apps "nope" not found\n'
    )


def test_get_and_describe_before_and_after_requests(session):
    assert run(session, "autoscale deployment web --min=2 --max=5 --cpu=50%")[0] == (
        "horizontalpodautoscaler.autoscaling/web autoscaled\n"
    )
    session.cluster.run_for(60)
    assert run(session, "get hpa")[0] == (
        "NAME   REFERENCE        TARGETS              MINPODS   MAXPODS   REPLICAS   AGE\n"
        "web    Deployment/web   cpu: <unknown>/50%   2         5         2          60s\n"
    )
    described = run(session, "describe hpa web")[0]
    assert (
        "  resource cpu on pods  (as a percentage of request):  <unknown> / 50%\n"
        "Min replicas:                                          2\n"
        "Max replicas:                                          5\n"
        "Deployment pods:                                       2 current / 0 desired\n"
        "Conditions:\n"
        "  Type           Status  Reason                   Message\n"
        "  ----           ------  ------                   -------\n"
        "  AbleToScale    True    SucceededGetScale        the HPA controller was able to get the target's current scale\n"
    ) in described
    run(session, "set resources deployment web --requests=cpu=100m")
    session.cluster.run_for(90)
    row = run(session, "get hpa --no-headers")[0].split()
    assert row[2:4] == ["cpu:", "1%/50%"]
    rows = [line.split()[:3] for line in run(session, "describe hpa web")[0].splitlines()]
    assert ["ScalingActive", "True", "ValidMetricFound"] in rows
