"""The workload predicates: a rollout is complete as kubectl rollout status says it, enough
replicas are available, and the engine's record of available replicas catches downtime that
happened between two looks."""

from __future__ import annotations

from cluster_helpers import new_cluster
from deployment_helpers import deployment, set_image

from k8sgame.levels.predicates import Scene, evaluate


def _scene(cluster, start=0.0, fix=0.0):
    return Scene(cluster, "default", start, fix)


def test_rollout_complete_follows_kubectl_rollout_status():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=3))
    cluster.run_for(30)
    done = evaluate({"rollout_complete": {"name": "web"}}, _scene(cluster))
    assert done.ok and done.reason.render() == (
        "deployment web: rollout complete, every replica updated and available"
    )
    set_image(cluster, "nginx:9.99")
    cluster.run_for(20)
    stuck = evaluate({"rollout_complete": {"name": "web"}}, _scene(cluster))
    assert not stuck.ok
    assert stuck.reason.render() == (
        'deployment web: rollout not complete (Waiting for deployment "web" rollout to finish:'
        " 1 out of 3 new replicas have been updated...)"
    )
    assert stuck.reason.render("ko").startswith("deployment web: 롤아웃이 끝나지 않았습니다")
    missing = evaluate({"rollout_complete": {"name": "api"}}, _scene(cluster))
    assert not missing.ok and missing.reason.render() == "deployment api does not exist"


def test_replicas_available_counts_the_available_column():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=3))
    cluster.run_for(30)
    assert evaluate({"replicas_available": {"name": "web"}}, _scene(cluster)).ok
    short = evaluate({"replicas_available": {"name": "web", "count": 4}}, _scene(cluster))
    assert not short.ok and short.reason.render() == "deployment web: 3 of 4 replicas available"


def test_no_downtime_sees_a_gap_even_when_nobody_looked_during_it():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=2, strategy={"type": "Recreate"}))
    cluster.run_for(30)
    start = cluster.now
    check = {"no_downtime": {"name": "web", "min_available": 2}}
    assert evaluate(check, _scene(cluster, start)).ok
    set_image(cluster, "nginx:1.27")
    cluster.run_for(60)
    # Back to 2 available now, but the Recreate rollout went through 0.
    assert cluster.get("Deployment", "web")["status"]["availableReplicas"] == 2
    gap = evaluate(check, _scene(cluster, start))
    assert not gap.ok
    assert gap.reason.render() == (
        "deployment web: available replicas fell to 0; the goal allows no fewer than 2"
    )
    # Counted from a later fix, the gap is in the past.
    later = {"no_downtime": {"name": "web", "min_available": 2, "since": "fix"}}
    assert evaluate(later, _scene(cluster, start, fix=cluster.now)).ok


def test_a_rolling_update_with_no_unavailability_keeps_every_replica_available():
    cluster = new_cluster()
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 1}}
    cluster.api.create(deployment(replicas=3, strategy=strategy))
    cluster.run_for(30)
    start = cluster.now
    set_image(cluster, "nginx:1.27")
    cluster.run_for(90)
    outcome = evaluate({"no_downtime": {"name": "web", "min_available": 3}}, _scene(cluster, start))
    assert outcome.ok
    assert (
        outcome.reason.render()
        == "deployment web: never fewer than 3 available replicas (lowest 3)"
    )
