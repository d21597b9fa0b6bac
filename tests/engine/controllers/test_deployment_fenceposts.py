"""The rolling-update arithmetic against upstream's own tables
(``pkg/controller/deployment/util/deployment_util_test.go`` ``TestResolveFenceposts``,
``TestNewRSNewReplicas``, ``TestMaxUnavailable``; ``rolling_test.go``
``TestDeploymentController_reconcileNewReplicaSet`` and ``_reconcileOldReplicaSets``)."""

from __future__ import annotations

import pytest

from k8sgame.engine.controllers.deployment.fenceposts import (
    is_saturated,
    max_surge,
    max_unavailable,
    new_replica_set_size,
    new_rs_new_replicas,
    old_replica_set_scale_downs,
    resolve_fenceposts,
)
from k8sgame.engine.controllers.deployment.revisions import (
    new_rs_annotations,
    safe_encode,
    template_hash,
)
from k8sgame.engine.intstr import scaled_value


def deployment(replicas, surge=None, unavailable=None, strategy="RollingUpdate"):
    spec = {"replicas": replicas, "strategy": {"type": strategy}}
    if strategy == "RollingUpdate":
        spec["strategy"]["rollingUpdate"] = {"maxSurge": surge, "maxUnavailable": unavailable}
    return {"metadata": {"name": "foo", "annotations": {}}, "spec": spec, "status": {}}


def replica_set(name, replicas, available=0, created="2026-01-05T09:00:00Z", annotations=None):
    return {
        "metadata": {
            "name": name,
            "creationTimestamp": created,
            "annotations": dict(annotations or {}),
        },
        "spec": {"replicas": replicas},
        "status": {"replicas": replicas, "availableReplicas": available},
    }


@pytest.mark.parametrize(
    ("surge", "unavailable", "desired", "expected"),
    [
        ("0%", "0%", 0, (0, 1)),
        ("39%", "39%", 10, (4, 3)),
        (None, "39%", 10, (0, 3)),
        ("39%", None, 10, (4, 0)),
        (None, None, 10, (0, 1)),
        (2, "25%", 7, (2, 1)),
        ("25%", "25%", 1, (1, 0)),
    ],
)
def test_fenceposts_round_surge_up_and_unavailability_down(surge, unavailable, desired, expected):
    assert resolve_fenceposts(surge, unavailable, desired) == expected


@pytest.mark.parametrize(("surge", "unavailable"), [("oops", "39%"), ("55%", "urg")])
def test_a_string_that_is_not_a_percentage_is_an_error(surge, unavailable):
    with pytest.raises(ValueError, match="invalid type: string is not a percentage"):
        resolve_fenceposts(surge, unavailable, 10)


def test_scaled_values_are_ints_as_they_are_and_percentages_rounded():
    assert scaled_value(3, 10, True) == 3
    assert scaled_value("50%", 5, True) == 3
    assert scaled_value("50%", 5, False) == 2
    assert scaled_value(None, 5, True) == 0


@pytest.mark.parametrize(
    ("replicas", "unavailable", "expected"),
    [(10, 0, 1), (10, 1, 1), (10, 2, 2), (10, "10%", 1), (1, 2, 1), (0, 2, 0)],
)
def test_max_unavailable_is_capped_at_the_replicas(replicas, unavailable, expected):
    # TestMaxUnavailable: maxSurge 0, so a 0 unavailability resolves to 1.
    assert max_unavailable(deployment(replicas, 0, unavailable)) == expected


def test_recreate_has_no_surge_and_no_unavailability_budget():
    recreate = deployment(5, strategy="Recreate")
    assert (max_surge(recreate), max_unavailable(recreate)) == (0, 0)
    # A Recreate rollout creates the new ReplicaSet at full size.
    assert new_rs_new_replicas(recreate, [], replica_set("new", 0)) == 5


@pytest.mark.parametrize(
    ("strategy", "surge", "old", "new", "expected"),
    [
        ("RollingUpdate", 1, 10, 0, 1),  # TestNewRSNewReplicas: can surge by one
        ("RollingUpdate", 0, 10, 0, 0),  # no surge: wait for old pods to go
        ("RollingUpdate", 1, 9, 0, 2),  # room after scale-down
        ("Recreate", None, 10, 0, 10),
    ],
)
def test_new_rs_new_replicas(strategy, surge, old, new, expected):
    d = (
        deployment(10, surge, 1, strategy)
        if strategy == "RollingUpdate"
        else deployment(10, strategy=strategy)
    )
    new_rs = replica_set("new", new)
    assert new_rs_new_replicas(d, [replica_set("old", old), new_rs], new_rs) == expected


@pytest.mark.parametrize(
    ("replicas", "surge", "old", "new", "expected"),
    [
        (10, 0, 10, 0, None),  # should not scale up
        (10, 2, 10, 0, 2),
        (10, 2, 5, 0, 7),
        (10, 2, 10, 2, None),
        (2, 2, 2, 4, 2),  # should scale down
    ],
)
def test_reconcile_new_replica_set_table(replicas, surge, old, new, expected):
    d = deployment(replicas, surge, 0 if surge else 1)
    new_rs = replica_set("new", new)
    assert new_replica_set_size(d, [replica_set("old", old), new_rs], new_rs) == expected


@pytest.mark.parametrize(
    ("replicas", "unavailable", "old", "new", "old_ready", "new_ready", "expected_old"),
    [
        (10, 0, 10, 0, 10, 0, 9),
        (10, 2, 10, 0, 10, 0, 8),
        # unhealthy old pods are cleaned up first
        (10, 2, 10, 0, 8, 0, 8),
        # one unhealthy pod cleaned up and one ready pod scaled down
        (10, 2, 10, 0, 9, 0, 8),
        # unavailable new pods do not let old ones go any further
        (10, 2, 8, 2, 8, 0, None),
    ],
)
def test_reconcile_old_replica_sets_table(
    replicas, unavailable, old, new, old_ready, new_ready, expected_old
):
    d = deployment(replicas, None, unavailable)
    old_rs = replica_set("old", old, old_ready)
    new_rs = replica_set("new", new, new_ready, created="2026-01-05T09:01:00Z")
    steps = old_replica_set_scale_downs(d, [old_rs, new_rs], [old_rs], new_rs)
    if expected_old is None:
        assert steps == []
    else:
        assert steps[-1][1] == expected_old
        assert all(rs is old_rs for rs, _ in steps)


def test_older_replica_sets_are_scaled_down_first():
    d = deployment(4, 1, 1)
    oldest = replica_set("a", 2, 2, created="2026-01-05T09:00:00Z")
    older = replica_set("b", 2, 2, created="2026-01-05T09:00:10Z")
    new_rs = replica_set("c", 1, 0, created="2026-01-05T09:00:20Z")
    steps = old_replica_set_scale_downs(d, [oldest, older, new_rs], [older, oldest], new_rs)
    assert [(rs["metadata"]["name"], size) for rs, size in steps] == [("a", 1)]


def test_a_saturated_new_replica_set_has_all_replicas_available():
    d = deployment(3, "25%", "25%")
    full = replica_set("new", 3, 3, annotations={"deployment.kubernetes.io/desired-replicas": "3"})
    assert is_saturated(d, full)
    assert not is_saturated(
        d, replica_set("new", 3, 2, annotations=full["metadata"]["annotations"])
    )
    assert not is_saturated(d, replica_set("new", 3, 3))


def test_the_pod_template_hash_uses_the_safe_alphabet_and_the_collision_count():
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": []}}
    first = template_hash(template)
    assert set(first) <= set("456789bcdf") and 1 <= len(first) <= 10
    assert template_hash(template) == first
    assert template_hash(template, 1) != first
    assert safe_encode("0123456789") == "456789bcdf"


def test_a_reused_replica_set_gets_the_next_revision_and_remembers_the_old_one():
    d = {"metadata": {"name": "web", "annotations": {"team": "a"}}, "spec": {"replicas": 2}}
    again = new_rs_annotations(d, {"deployment.kubernetes.io/revision": "1"}, 3, exists=True)
    assert again == {
        "deployment.kubernetes.io/revision": "3",
        "deployment.kubernetes.io/revision-history": "1",
        "team": "a",
    }
    later = new_rs_annotations(d, again, 5, exists=True)
    assert later["deployment.kubernetes.io/revision-history"] == "1,3"
