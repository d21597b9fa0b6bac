"""The ServiceAccount admission plugin: a pod naming an account that does not exist is
refused with the API server's words (its controller's event says so too); the account's
image pull secrets and its automount setting reach the pod."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError


def _pod(name, account=None, **spec):
    body = {"containers": [{"name": "app", "image": "nginx"}], **spec}
    if account:
        body["serviceAccountName"] = account
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": body}


def test_a_pod_naming_a_missing_account_is_forbidden():
    cluster = new_cluster()
    with pytest.raises(ApiError) as refused:
        cluster.create(_pod("web", "robot"))
    assert (refused.value.code, refused.value.message) == (
        403,
        'pods "web" is forbidden: error looking up service account default/robot: '
        'serviceaccount "robot" not found',
    )
    cluster.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}})
    assert cluster.create(_pod("web", "robot"))["spec"]["serviceAccountName"] == "robot"


def test_a_replica_set_with_a_missing_account_reports_failed_create():
    cluster = new_cluster()
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 1,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "serviceAccountName": "robot",
                        "containers": [{"name": "app", "image": "nginx"}],
                    },
                },
            },
        }
    )
    cluster.run_for(2)
    messages = [
        e["message"]
        for e in cluster.store.list("Event", "default")
        if e["reason"] == "FailedCreate"
    ]
    assert messages[0] == (
        'Error creating: pods "web-" is forbidden: error looking up service account '
        'default/robot: serviceaccount "robot" not found'
    )
    assert cluster.store.list("Pod", "default") == []


def test_the_accounts_pull_secrets_and_automount_setting_reach_the_pod():
    cluster = new_cluster()
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {"name": "builder"},
            "imagePullSecrets": [{"name": "registry"}],
            "automountServiceAccountToken": False,
        }
    )
    spec = cluster.create(_pod("build", "builder"))["spec"]
    assert spec["imagePullSecrets"] == [{"name": "registry"}]
    assert not any(v["name"].startswith("kube-api-access-") for v in spec.get("volumes") or [])
    # The pod's own setting wins over the account's.
    spec = cluster.create(_pod("build2", "builder", automountServiceAccountToken=True))["spec"]
    assert any(v["name"].startswith("kube-api-access-") for v in spec["volumes"])
