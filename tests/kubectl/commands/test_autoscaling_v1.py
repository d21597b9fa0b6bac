"""autoscaling/v1 HorizontalPodAutoscalers: served beside v2, stored as v2, converted both ways
as ``pkg/apis/autoscaling/v1/conversion.go`` does, with what v1 cannot hold in annotations."""

from __future__ import annotations

import json

from cluster_helpers import new_cluster
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.engine.kinds.horizontal_pod_autoscaler_v1 import to_v1, to_v2
from k8sgame.kubectl.session import KubectlSession

V1_HPA = """apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  minReplicas: 2
  maxReplicas: 5
  targetCPUUtilizationPercentage: 50
"""


def _session(files):
    cluster = new_cluster()
    session = KubectlSession(cluster, files=lambda path: [(path, files[path])])
    session.run("create deployment web --image=nginx:1.27 --replicas=2")
    session.run("set resources deployment web --requests=cpu=100m")
    return cluster, session


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_a_v1_manifest_is_stored_as_a_v2_cpu_metric_and_answered_in_v1():
    files = {"hpa.yaml": V1_HPA}
    _cluster, session = _session(files)
    stdout, _, code = run(session, "apply -f hpa.yaml -o yaml")
    assert code == 0
    # The answer comes back in the version asked for, with v1's two status counters.
    assert stdout.startswith("apiVersion: autoscaling/v1\n")
    assert stdout.endswith(
        "spec:\n"
        "  maxReplicas: 5\n"
        "  minReplicas: 2\n"
        "  scaleTargetRef:\n"
        "    apiVersion: apps/v1\n"
        "    kind: Deployment\n"
        "    name: web\n"
        "  targetCPUUtilizationPercentage: 50\n"
        "status:\n"
        "  currentReplicas: 0\n"
        "  desiredReplicas: 0\n"
    )
    stored = run(session, "get hpa web -o yaml")[0]
    assert stored.startswith("apiVersion: autoscaling/v2\n")
    assert (
        "spec:\n"
        "  maxReplicas: 5\n"
        "  metrics:\n"
        "  - resource:\n"
        "      name: cpu\n"
        "      target:\n"
        "        averageUtilization: 50\n"
        "        type: Utilization\n"
        "    type: Resource\n"
    ) in stored
    assert run(session, "get hpa")[0].splitlines()[1].split()[:5] == [
        "web",
        "Deployment/web",
        "cpu:",
        "<unknown>/50%",
        "2",
    ]


def test_a_v1_object_without_a_target_gets_the_80_percent_default():
    files = {"hpa.yaml": V1_HPA.replace("  targetCPUUtilizationPercentage: 50\n", "")}
    _cluster, session = _session(files)
    assert run(session, "apply -f hpa.yaml")[0] == (
        "horizontalpodautoscaler.autoscaling/web created\n"
    )
    assert "averageUtilization: 80\n" in run(session, "get hpa web -o yaml")[0]


def test_apply_in_v1_merges_in_v1_and_the_controller_keeps_working():
    files = {"hpa.yaml": V1_HPA}
    cluster, session = _session(files)
    run(session, "apply -f hpa.yaml")
    cluster.run_for(60)
    files["hpa.yaml"] = V1_HPA.replace("maxReplicas: 5", "maxReplicas: 7")
    assert run(session, "apply -f hpa.yaml")[0] == (
        "horizontalpodautoscaler.autoscaling/web configured\n"
    )
    assert run(session, "apply -f hpa.yaml")[0] == (
        "horizontalpodautoscaler.autoscaling/web unchanged\n"
    )
    line = run(session, "get hpa web --no-headers")[0].split()
    assert line[:7] == ["web", "Deployment/web", "cpu:", "1%/50%", "2", "7", "2"]


def test_get_in_v1_puts_conditions_and_current_metrics_in_annotations():
    files = {"hpa.yaml": V1_HPA}
    cluster, session = _session(files)
    run(session, "apply -f hpa.yaml")
    cluster.run_for(60)
    shown = run(session, "get hpa.v1.autoscaling web -o json")[0]
    hpa = json.loads(shown)
    assert hpa["apiVersion"] == "autoscaling/v1"
    annotations = hpa["metadata"]["annotations"]
    assert annotations["autoscaling.alpha.kubernetes.io/current-metrics"] == (
        '[{"type":"Resource","resource":{"name":"cpu","currentAverageUtilization":1,'
        '"currentAverageValue":"1m"}}]'
    )
    conditions = json.loads(annotations["autoscaling.alpha.kubernetes.io/conditions"])
    assert [(c["type"], c["status"], c["reason"]) for c in conditions] == [
        ("AbleToScale", "True", "ScaleDownStabilized"),
        ("ScalingActive", "True", "ValidMetricFound"),
        ("ScalingLimited", "False", "DesiredWithinRange"),
    ]
    assert list(conditions[0]) == ["type", "status", "lastTransitionTime", "reason", "message"]
    assert hpa["status"] == {
        "currentCPUUtilizationPercentage": 1,
        "currentReplicas": 2,
        "desiredReplicas": 2,
    }
    # The stored object has none of those annotations.
    stored = json.loads(run(session, "get hpa web -o json")[0])
    assert "autoscaling.alpha.kubernetes.io/conditions" not in stored["metadata"]["annotations"]


def test_the_metrics_annotation_becomes_metrics_before_the_cpu_target():
    annotated = V1_HPA.replace(
        "name: web\n",
        "name: web\n  annotations:\n    autoscaling.alpha.kubernetes.io/metrics: "
        '\'[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]\'\n',
        1,
    )
    files = {"hpa.yaml": annotated}
    _cluster, session = _session(files)
    run(session, "apply -f hpa.yaml")
    stored = json.loads(run(session, "get hpa web -o json")[0])
    assert [m["resource"] for m in stored["spec"]["metrics"]] == [
        {"name": "memory", "target": {"averageValue": "100Mi", "type": "AverageValue"}},
        {"name": "cpu", "target": {"averageUtilization": 50, "type": "Utilization"}},
    ]
    assert "autoscaling.alpha.kubernetes.io/metrics" not in stored["metadata"]["annotations"]
    # Read back in v1, the memory metric returns to the annotation.
    v1 = json.loads(run(session, "get hpa.v1.autoscaling web -o json")[0])
    assert v1["metadata"]["annotations"]["autoscaling.alpha.kubernetes.io/metrics"] == (
        '[{"type":"Resource","resource":{"name":"memory","targetAverageValue":"100Mi"}}]'
    )


def test_v1_errors_are_the_api_servers():
    files = {
        "zero.yaml": V1_HPA.replace("50", "0"),
        "typo.yaml": V1_HPA.replace("targetCPU", "targetCpu"),
        "broken.yaml": V1_HPA.replace(
            "name: web\n",
            "name: web\n  annotations:\n    autoscaling.alpha.kubernetes.io/metrics: '{['\n",
        ),
        "list.yaml": V1_HPA.replace(
            "name: web\n",
            "name: web\n  annotations:\n    autoscaling.alpha.kubernetes.io/metrics: '{}'\n",
        ),
        "v3.yaml": V1_HPA.replace("autoscaling/v1", "autoscaling/v3"),
    }
    _cluster, session = _session(files)
    # The internal object is validated, so the path is v2's.
    assert run(session, "apply -f zero.yaml")[1] == (
        'The HorizontalPodAutoscaler "web" is invalid: '
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: "
        "must be greater than 0\n"
    )
    prefix = (
        'Error from server (BadRequest): error when creating "{}": HorizontalPodAutoscaler in '
        'version "v1" cannot be handled as a HorizontalPodAutoscaler: '
    )
    assert run(session, "apply -f typo.yaml")[1] == (
        prefix.format("typo.yaml")
        + 'strict decoding error: unknown field "spec.targetCpuUtilizationPercentage"\n'
    )
    assert run(session, "apply -f broken.yaml")[1] == (
        prefix.format("broken.yaml")
        + "invalid character '[' looking for beginning of object key string\n"
    )
    assert run(session, "apply -f list.yaml")[1] == (
        prefix.format("list.yaml")
        + "json: cannot unmarshal object into Go value of type []v1.MetricSpec\n"
    )
    assert run(session, "apply -f v3.yaml")[1].startswith(
        'error: resource mapping not found for name: "web" namespace: "" from "v3.yaml": '
        'no matches for kind "HorizontalPodAutoscaler" in version "autoscaling/v3"'
    )
    assert run(session, "get hpa")[1] == "No resources found in default namespace.\n"


def test_explain_in_v1_shows_the_v1_fields():
    _cluster, session = _session({})
    stdout, _, code = run(session, "explain hpa.spec --api-version=autoscaling/v1")
    assert code == 0
    assert stdout.startswith("GROUP:      autoscaling\nKIND:       HorizontalPodAutoscaler\n")
    assert "VERSION:    v1\n" in stdout
    fields = [line.split("\t")[0].strip() for line in stdout.splitlines() if "\t" in line]
    assert fields == [
        "maxReplicas",
        "minReplicas",
        "scaleTargetRef",
        "targetCPUUtilizationPercentage",
    ]
    assert "metrics" in run(session, "explain hpa.spec")[0]
    assert run(session, "explain hpa --api-version=autoscaling/v3")[1] == (
        'error: couldn\'t find resource for "autoscaling/v3, Resource=horizontalpodautoscalers"\n'
    )


_V1_SPECS = st.fixed_dictionaries(
    {
        "scaleTargetRef": st.just({"apiVersion": "apps/v1", "kind": "Deployment", "name": "w"}),
        "minReplicas": st.integers(1, 10),
        "maxReplicas": st.integers(1, 20),
    },
    optional={"targetCPUUtilizationPercentage": st.integers(1, 300)},
)


@given(_V1_SPECS)
def test_a_v1_spec_survives_the_round_trip(spec):
    hpa = {"apiVersion": "autoscaling/v1", "kind": "HorizontalPodAutoscaler", "spec": spec}
    back = to_v1(to_v2(hpa))
    expected = dict(spec)
    # No target means the default, which v1 then shows explicitly.
    expected.setdefault("targetCPUUtilizationPercentage", 80)
    assert back["spec"] == expected


_TARGETS = st.one_of(
    st.builds(lambda u: {"type": "Utilization", "averageUtilization": u}, st.integers(1, 200)),
    st.builds(
        lambda v: {"type": "AverageValue", "averageValue": v},
        st.sampled_from(["1", "200m", "64Mi"]),
    ),
)
_METRICS = st.lists(
    st.builds(
        lambda name, target: {"type": "Resource", "resource": {"name": name, "target": target}},
        st.sampled_from(["cpu", "memory"]),
        _TARGETS,
    ),
    min_size=1,
    max_size=3,
)


@given(_METRICS)
def test_stored_metrics_survive_a_v1_round_trip_as_a_set(metrics):
    """v1 holds the first CPU utilization as a field and the rest in the annotation; read
    back, the annotation's come first and the CPU target last, as upstream reorders them."""
    stored = {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "w"},
        "spec": {
            "scaleTargetRef": {"kind": "Deployment", "name": "w"},
            "maxReplicas": 3,
            "metrics": metrics,
        },
    }
    back = to_v2(to_v1(stored))
    kept = back["spec"]["metrics"]
    assert sorted(map(json.dumps, kept)) == sorted(
        map(json.dumps, _expected_after_round_trip(metrics))
    )
    assert back["metadata"].get("annotations", {}) == {}


def _expected_after_round_trip(metrics):
    def is_cpu_utilization(m):
        return m["resource"]["name"] == "cpu" and "averageUtilization" in m["resource"]["target"]

    first_cpu = next((m for m in metrics if m["resource"]["name"] == "cpu"), None)
    others = [m for m in metrics if not is_cpu_utilization(m)]
    # Only the first CPU metric, and only if it is a utilization, becomes the v1 field.
    if first_cpu is not None and is_cpu_utilization(first_cpu):
        return [*others, first_cpu]
    return others or [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80},
            },
        }
    ]


def test_sort_by_a_v1_field_sorts_the_v1_objects():
    files = {
        "a.yaml": V1_HPA.replace("name: web\n", "name: a\n", 1),
        "b.yaml": V1_HPA.replace("name: web\n", "name: b\n", 1).replace("50", "20"),
    }
    _cluster, session = _session(files)
    run(session, "apply -f a.yaml")
    run(session, "apply -f b.yaml")
    field = "--sort-by=.spec.targetCPUUtilizationPercentage"
    assert run(session, f"get hpa.v1.autoscaling {field} -o name")[0] == (
        "horizontalpodautoscaler.autoscaling/b\nhorizontalpodautoscaler.autoscaling/a\n"
    )
    rows = run(session, f"get hpa.v1.autoscaling {field}")[0].splitlines()
    assert [row.split()[0] for row in rows[1:]] == ["b", "a"]


def test_one_kind_in_two_versions_is_two_tables_with_kind_prefixes():
    """get.go multipleGVKsRequested compares group, version and kind."""
    files = {
        "a.yaml": V1_HPA.replace("name: web\n", "name: a\n", 1),
        "b.yaml": V1_HPA.replace("name: web\n", "name: b\n", 1),
    }
    _cluster, session = _session(files)
    run(session, "apply -f a.yaml")
    run(session, "apply -f b.yaml")
    names = [
        line.split()[0]
        for line in run(session, "get hpa.v1.autoscaling/a hpa/b")[0].splitlines()
        if line and not line.startswith("NAME")
    ]
    assert names == [
        "horizontalpodautoscaler.autoscaling/a",
        "horizontalpodautoscaler.autoscaling/b",
    ]
    shown = run(session, "get hpa.v1.autoscaling/a hpa/b -o yaml")[0]
    assert [line for line in shown.splitlines() if line.startswith("- apiVersion")] == [
        "- apiVersion: autoscaling/v1",
        "- apiVersion: autoscaling/v2",
    ]
