"""Reading manifest text: documents, line numbers, and kubectl's error words."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.manifests import ManifestError, parse_manifests

POD = """apiVersion: v1
kind: Pod
metadata:
  name: web
  creationTimestamp: 2026-01-01T00:00:00Z
spec:
  containers:
  - name: web
    image: nginx
"""


def test_several_documents_with_their_first_lines():
    found = parse_manifests(
        POD + "---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\n", "app.yaml"
    )
    assert [(m.obj["kind"], m.line) for m in found] == [("Pod", 1), ("ConfigMap", 12)]
    # Timestamps stay strings, as after kubectl's YAML-to-JSON conversion.
    assert found[0].obj["metadata"]["creationTimestamp"] == "2026-01-01T00:00:00Z"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: app: web\n",
            "error parsing pod.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context",
        ),
        (
            "- a\n- b\n",
            'error validating "pod.yaml": error validating data: invalid object to validate; json: cannot unmarshal array into Go value of type map[string]interface {}',
        ),
        (
            "kind: Pod\nmetadata: {name: x}\n",
            'error validating "pod.yaml": error validating data: [apiVersion not set]',
        ),
    ],
)
def test_errors_in_kubectls_words(text, message):
    with pytest.raises(ManifestError) as info:
        parse_manifests(text, "pod.yaml")
    assert str(info.value) == message


def test_yaml_tags_that_could_run_code_are_refused():
    with pytest.raises(ManifestError):
        parse_manifests("!!python/object/apply:os.system ['true']\n", "evil.yaml")


@given(st.text(max_size=200))
def test_any_text_gives_manifests_or_a_manifest_error(text):
    try:
        found = parse_manifests(text, "fuzz.yaml")
    except ManifestError as error:
        assert str(error)
    else:
        assert all(isinstance(m.obj, dict) for m in found)
