"""Kinds are plug-ins: the store knows no kind by name, and each kind's rules live in its
own module (validators that take a root path, selectable fields, graceful deletion)."""

import ast
from pathlib import Path

from k8sgame.engine.api.field_selectors import selectable_fields
from k8sgame.engine.kinds import builtin_registry
from k8sgame.engine.kinds.pod import POD_KIND
from k8sgame.engine.kinds.pod.validation import validate_pod_spec

ENGINE = Path(__file__).resolve().parents[3] / "k8sgame" / "engine"


def test_the_store_and_the_api_server_name_no_kind():
    kinds = {info.kind for info in builtin_registry().all()}
    for module in (ENGINE / "store.py", ENGINE / "apiserver" / "server.py"):
        named = {
            node.value
            for node in ast.walk(ast.parse(module.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and node.value in kinds
        }
        assert named == set(), f"{module.name} names {sorted(named)}"


def test_a_pod_spec_validates_under_a_template_path():
    spec = {
        "containers": [{"name": "web", "image": "nginx", "imagePullPolicy": "Always"}],
        "restartPolicy": "Sometimes",
        "dnsPolicy": "ClusterFirst",
        "tolerations": [{"operator": "Exists", "value": "x"}],
    }
    errors = validate_pod_spec(spec, "spec.template.spec")
    paths = [e.path for e in errors]
    assert "spec.template.spec.restartPolicy" in paths
    assert "spec.template.spec.tolerations[0].operator" in paths
    assert all(path.startswith("spec.template.spec.") for path in paths)
    assert [e.path for e in validate_pod_spec(spec)] == [
        path.replace("spec.template.spec.", "spec.") for path in paths
    ]


def test_each_kind_declares_its_selectable_fields():
    registry = builtin_registry()
    pod = {"metadata": {"name": "web", "namespace": "default"}, "spec": {"nodeName": "n1"}}
    fields = selectable_fields(POD_KIND, pod)
    assert fields["spec.nodeName"] == "n1" and fields["metadata.namespace"] == "default"
    node = selectable_fields(registry.get("Node"), {"metadata": {"name": "n1"}, "spec": {}})
    assert node == {"metadata.name": "n1", "spec.unschedulable": "false"}
    config_map = selectable_fields(registry.get("ConfigMap"), {"metadata": {"name": "c"}})
    assert set(config_map) == {"metadata.name", "metadata.namespace"}


def test_graceful_deletion_is_the_pod_kinds_rule():
    bound = {"spec": {"nodeName": "n1", "terminationGracePeriodSeconds": 12}, "status": {}}
    assert POD_KIND.grace_period(bound, None) == 12
    assert POD_KIND.grace_period(bound, 3) == 3
    assert POD_KIND.grace_period({"spec": {}, "status": {}}, None) == 0
    done = {"spec": {"nodeName": "n1"}, "status": {"phase": "Succeeded"}}
    assert POD_KIND.grace_period(done, 30) == 0
    assert builtin_registry().get("ConfigMap").grace_period is None
