"""PodDisruptionBudgets: the disruption controller's counts for each kind of limit, and the
eviction API spending a budget, refusing with 429 when it is spent, letting unready pods go,
and failing for a pod two budgets select."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError


def deployment(replicas=3):
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "web"},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": "web"}},
            "template": {
                "metadata": {"labels": {"app": "web"}},
                "spec": {"containers": [{"name": "web", "image": "nginx:1.27"}]},
            },
        },
    }


def budget(name="web-pdb", **spec):
    return {
        "apiVersion": "policy/v1",
        "kind": "PodDisruptionBudget",
        "metadata": {"name": name},
        "spec": {"selector": {"matchLabels": {"app": "web"}}, **spec},
    }


def counts(cluster, name="web-pdb"):
    status = cluster.get("PodDisruptionBudget", name)["status"]
    return (
        status["expectedPods"],
        status["desiredHealthy"],
        status["currentHealthy"],
        status["disruptionsAllowed"],
    )


def web_pods(cluster):
    return sorted(
        p["metadata"]["name"]
        for p in cluster.store.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp")
    )


@pytest.mark.parametrize(
    ("limit", "expected"),
    [
        ({"minAvailable": 1}, (3, 1, 3, 2)),
        ({"minAvailable": 3}, (3, 3, 3, 0)),
        ({"minAvailable": "50%"}, (3, 2, 3, 1)),
        ({"maxUnavailable": 1}, (3, 2, 3, 1)),
        ({"maxUnavailable": "50%"}, (3, 1, 3, 2)),
        ({"maxUnavailable": 0}, (3, 3, 3, 0)),
    ],
)
def test_the_controller_counts_as_upstream(limit, expected):
    cluster = new_cluster()
    cluster.api.create(deployment())
    cluster.run_for(20)
    cluster.api.create(budget(**limit))
    cluster.run_for(1)
    assert counts(cluster) == expected
    condition = cluster.get("PodDisruptionBudget", "web-pdb")["status"]["conditions"][0]
    assert (condition["type"], condition["reason"]) == (
        "DisruptionAllowed",
        "SufficientPods" if expected[3] else "InsufficientPods",
    )


def test_both_limits_are_refused():
    cluster = new_cluster()
    with pytest.raises(ApiError) as caught:
        cluster.api.create(budget(minAvailable=1, maxUnavailable=1))
    assert caught.value.message.endswith("minAvailable and maxUnavailable cannot be both set")


def test_an_eviction_spends_the_budget_and_the_next_is_refused():
    cluster = new_cluster()
    cluster.api.create(deployment())
    cluster.run_for(20)
    cluster.api.create(budget(minAvailable=2))
    cluster.run_for(1)
    first, second, _ = web_pods(cluster)
    cluster.api.evict(first, "default")
    status = cluster.get("PodDisruptionBudget", "web-pdb")["status"]
    assert status["disruptionsAllowed"] == 0 and first in status["disruptedPods"]
    cluster.settle()
    with pytest.raises(ApiError) as caught:
        cluster.api.evict(second, "default")
    assert (caught.value.code, caught.value.message) == (
        429,
        "Cannot evict pod as it would violate the pod's disruption budget.",
    )
    assert (
        caught.value.detail
        == "The disruption budget web-pdb needs 2 healthy pods and has 2 currently"
    )
    # Once the replacement is Ready the budget has room again.
    cluster.run_for(30)
    assert counts(cluster) == (3, 2, 3, 1)
    cluster.api.evict(second, "default")


def test_plain_delete_ignores_the_budget_and_a_pending_pod_may_be_evicted():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=2))
    cluster.run_for(20)
    cluster.api.create(budget(minAvailable=2))
    cluster.run_for(1)
    cluster.api.delete("Pod", web_pods(cluster)[0], "default")
    cluster.settle()
    replacement = [
        p["metadata"]["name"]
        for p in cluster.store.list("Pod", "default")
        if (p.get("status") or {}).get("phase") == "Pending"
    ]
    assert len(replacement) == 1
    cluster.api.evict(replacement[0], "default")


def test_a_pod_two_budgets_select_cannot_be_evicted():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=2))
    cluster.run_for(20)
    cluster.api.create(budget("a", minAvailable=0))
    cluster.api.create(budget("b", maxUnavailable=2))
    cluster.run_for(1)
    with pytest.raises(ApiError) as caught:
        cluster.api.evict(web_pods(cluster)[0], "default")
    assert (caught.value.code, caught.value.message) == (
        500,
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does "
        "not support.",
    )


def test_no_matching_pods_is_an_event():
    cluster = new_cluster()
    cluster.api.create(budget(minAvailable=1))
    cluster.run_for(1)
    assert counts(cluster) == (0, 1, 0, 0)
    (event,) = [e for e in cluster.store.list("Event", "default") if e["reason"] == "NoPods"]
    assert (event["type"], event["message"], event["source"]["component"]) == (
        "Normal",
        "No matching pods found",
        "controllermanager",
    )
