"""A pod acting under its service account: the demo controller asks the API server as
``system:serviceaccount:<ns>:<account>``, logs the 403 and crash-loops until a binding
grants what it asks; without a mounted token it cannot even start its client."""

from __future__ import annotations

from cluster_helpers import new_cluster

RBAC = "rbac.authorization.k8s.io"


def _controller(name="ctl", namespace="default", **spec):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "ctl", "image": "k8sgame/demo-controller"}], **spec},
    }


def _state(cluster, name="ctl", namespace="default"):
    status = cluster.get("Pod", name, namespace)["status"]["containerStatuses"][0]
    return next(iter(status["state"])), status["restartCount"]


def _lines(cluster, name="ctl", namespace="default"):
    return [line.split(" ", 2)[2] for _, _, line in cluster.logs(name, namespace)]


def test_without_a_binding_it_logs_the_403_and_crash_loops_until_one_grants_it():
    cluster = new_cluster()
    cluster.create(_controller())
    cluster.run_for(60)
    assert _state(cluster) == ("waiting", 3)
    assert _lines(cluster) == [
        "demo-controller 1.0.0 starting (pid 1)",
        'fatal: failed to list *v1.Pod: pods is forbidden: User "system:serviceaccount:default:'
        'default" cannot list resource "pods" in API group "" in the namespace "default"',
    ]
    cluster.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "ctl-view"},
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "default"}],
        }
    )
    # The next restart after the back-off (40 s at the fourth) finds its rights.
    cluster.run_for(45)
    assert _state(cluster) == ("running", 4)
    assert _lines(cluster)[-1] == "caches synced, watching"


def test_a_binding_in_another_namespace_or_for_another_account_does_not_help():
    cluster = new_cluster()
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    cluster.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}})
    cluster.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "RoleBinding",
            "metadata": {"name": "shop-view", "namespace": "shop"},
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"},
            "subjects": [{"kind": "ServiceAccount", "name": "robot", "namespace": "default"}],
        }
    )
    cluster.create(_controller(serviceAccountName="robot"))
    cluster.run_for(10)
    assert _lines(cluster)[1].endswith(
        'User "system:serviceaccount:default:robot" cannot list resource "pods" in API group "" '
        'in the namespace "default"'
    )
    assert _state(cluster)[0] == "waiting"


def test_without_a_token_it_cannot_load_its_in_cluster_configuration():
    cluster = new_cluster()
    cluster.create(_controller(automountServiceAccountToken=False))
    cluster.run_for(10)
    assert _lines(cluster)[1] == (
        "fatal: open /var/run/secrets/kubernetes.io/serviceaccount/token: no such file or directory"
    )
