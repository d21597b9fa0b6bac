"""The ClusterRole aggregation controller: an aggregated ClusterRole's rules are those its
selectors pick from the other ClusterRoles, by name, each once; they follow changes."""

from cluster_helpers import new_cluster


def cluster_role(name, rules=None, labels=None, selectors=None):
    obj = {
        "apiVersion": "rbac.authorization.k8s.io/v1",
        "kind": "ClusterRole",
        "metadata": {"name": name, "labels": labels or {}},
    }
    if rules is not None:
        obj["rules"] = rules
    if selectors is not None:
        obj["aggregationRule"] = {"clusterRoleSelectors": selectors}
    return obj


PODS = {"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]}
JOBS = {"apiGroups": ["batch"], "resources": ["jobs"], "verbs": ["get"]}
TO_MONITOR = {"example.com/aggregate-to-monitor": "true"}


def test_an_aggregated_cluster_role_gathers_the_rules_its_selector_picks():
    cluster = new_cluster()
    cluster.create(cluster_role("monitor", selectors=[{"matchLabels": TO_MONITOR}]))
    cluster.create(cluster_role("b-jobs", [JOBS, PODS], TO_MONITOR))
    cluster.create(cluster_role("a-pods", [PODS], TO_MONITOR))
    cluster.create(cluster_role("other", [JOBS]))
    cluster.settle()
    # By name (a-pods before b-jobs), each rule once.
    assert cluster.get("ClusterRole", "monitor")["rules"] == [PODS, JOBS]
    cluster.api.delete("ClusterRole", "a-pods")
    cluster.settle()
    assert cluster.get("ClusterRole", "monitor")["rules"] == [JOBS, PODS]
    stamp = cluster.get("ClusterRole", "monitor")["metadata"]["resourceVersion"]
    cluster.create(cluster_role("unrelated", [PODS]))
    cluster.settle()
    # Nothing it gathers changed: no write.
    assert cluster.get("ClusterRole", "monitor")["metadata"]["resourceVersion"] == stamp


def test_its_own_rules_are_replaced_by_the_aggregate():
    cluster = new_cluster()
    cluster.create(cluster_role("monitor", [JOBS], selectors=[{"matchLabels": TO_MONITOR}]))
    cluster.settle()
    assert cluster.get("ClusterRole", "monitor").get("rules") is None
