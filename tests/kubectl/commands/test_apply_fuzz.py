"""hypothesis: ``apply -f`` with random YAML and random mutations of a valid pod always gives
a result or kubectl's error, never a traceback, and a failed apply leaves the cluster as it
was."""

import yaml
from cluster_helpers import new_cluster
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from k8sgame.kubectl.session import KubectlSession

BASE = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]
    },
}
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**40), 2**40),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
PATHS = st.sampled_from(
    [
        ("metadata", "name"),
        ("metadata", "labels"),
        ("metadata", "namespace"),
        ("spec", "containers"),
        ("spec", "restartPolicy"),
        ("spec", "nodeSelector"),
        ("spec", "tolerations"),
        ("kind",),
        ("apiVersion",),
        ("spec", "bogus"),
    ]
)


def _mutated(path, value):
    manifest = yaml.safe_load(yaml.safe_dump(BASE))
    target = manifest
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return yaml.safe_dump(manifest)


def _apply(text, first=None):
    cluster = new_cluster()
    files = {"m.yaml": first or text}
    session = KubectlSession(cluster, files=lambda path: [(path, files[path])])
    if first is not None:
        session.run("apply -f m.yaml")
        files["m.yaml"] = text
    before = cluster.dump_state()
    result = session.run("apply -f m.yaml")
    assert isinstance(result.stdout, str) and isinstance(result.stderr, str)
    if result.exit_code:
        assert result.stderr and not result.stdout
        assert cluster.dump_state() == before
    return result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PATHS, VALUES)
def test_mutated_manifests_apply_or_fail_cleanly(path, value):
    _apply(_mutated(path, value))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(PATHS, VALUES)
def test_failed_update_of_a_live_pod_changes_nothing(path, value):
    _apply(_mutated(path, value), first=yaml.safe_dump(BASE))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_random_text_is_a_clean_error(text):
    _apply(text)
