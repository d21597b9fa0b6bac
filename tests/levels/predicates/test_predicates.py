"""Goal predicates read the engine's state the way kubectl shows it: selectors and counts,
windows from status timestamps, events since the fix, combinators, and clear reasons."""

from __future__ import annotations

from cluster_helpers import new_cluster, pod

from k8sgame.levels.predicates import Scene, evaluate

WEB = {"name": "web", "image": "nginx:1.27"}


def _scene(cluster, fix=0.0):
    return Scene(cluster, "default", 0.0, fix)


def _labelled(name, app, **spec):
    manifest = pod(name, [dict(WEB)], **spec)
    manifest["metadata"]["labels"] = {"app": app}
    return manifest


def test_pod_ready_by_selector_counts_ready_pods():
    cluster = new_cluster()
    cluster.create(_labelled("a", "web"))
    cluster.create(_labelled("b", "web"))
    cluster.create(_labelled("c", "web", nodeSelector={"disk": "ssd"}))
    cluster.run_for(30)
    scene = _scene(cluster)
    two = evaluate({"pod_ready": {"selector": "app=web", "count": 2}}, scene)
    assert two.ok and two.reason.render() == "pods app=web: 2 Ready"
    every = evaluate({"pod_ready": {"selector": "app=web"}}, scene)
    assert not every.ok
    assert every.reason.render().startswith(
        "pods app=web: 2 of 3 Ready; pod c is Pending and not scheduled: 0/3 nodes are available:"
    )
    none = evaluate({"pod_ready": {"selector": "app=db"}}, scene)
    assert not none.ok and none.reason.render() == "pods app=db does not exist"


def test_ready_window_comes_from_the_condition_timestamp():
    cluster = new_cluster()
    cluster.create(pod("web", [dict(WEB)]))
    cluster.run_for(20)
    short = evaluate({"pod_ready": {"name": "web", "for": "1m"}}, _scene(cluster))
    assert not short.ok
    assert short.reason.render().endswith("the goal asks for 60s")
    cluster.run_for(60)
    assert evaluate({"pod_ready": {"name": "web", "for": "1m"}}, _scene(cluster)).ok


def test_event_since_the_fix_and_combinators():
    cluster = new_cluster()
    cluster.create(pod("crash", [{"name": "c", "image": "busybox:1.36", "command": ["false"]}]))
    cluster.run_for(60)
    backoff = {"event": {"reason": "BackOff", "name": "crash"}}
    assert evaluate(backoff, _scene(cluster)).ok
    absent = {"event": {"reason": "BackOff", "name": "crash", "present": False}}
    outcome = evaluate(absent, _scene(cluster))
    assert not outcome.ok
    assert "BackOff event(s) about crash since the fix: Back-off restarting failed container c" in (
        outcome.reason.render()
    )
    # Counted from a fix made after the last event: nothing yet.
    assert evaluate(absent, _scene(cluster, fix=cluster.now + 5)).ok
    assert evaluate({"not": backoff}, _scene(cluster, fix=cluster.now + 5)).ok
    either = {"any": [{"exists": {"kind": "Pod", "name": "nope"}}, backoff]}
    assert evaluate(either, _scene(cluster)).ok
    both = {"all": [{"exists": {"kind": "Pod", "name": "nope"}}, backoff]}
    failed = evaluate(both, _scene(cluster))
    assert not failed.ok and failed.reason.render() == "pod nope does not exist"


def test_condition_phase_and_not_exists():
    cluster = new_cluster()
    cluster.create(
        pod(
            "once",
            [{"name": "c", "image": "busybox:1.36", "command": ["true"]}],
            restartPolicy="Never",
        )
    )
    cluster.run_for(30)
    scene = _scene(cluster)
    assert evaluate({"pod_phase": {"name": "once", "phase": "Succeeded"}}, scene).ok
    ready = evaluate({"pod_condition": {"name": "once", "type": "Ready"}}, scene)
    assert not ready.ok
    assert ready.reason.render() == ("pod once: condition Ready is False, not True (PodCompleted)")
    assert evaluate(
        {"pod_condition": {"name": "once", "type": "Ready", "status": "False"}}, scene
    ).ok
    assert evaluate({"not_exists": {"kind": "ConfigMap", "name": "missing"}}, scene).ok
    assert not evaluate({"not_exists": {"kind": "Pod", "name": "once"}}, scene).ok


def test_field_comparisons_with_quantities():
    cluster = new_cluster()
    big = dict(WEB, resources={"requests": {"cpu": "1500m", "memory": "1Gi"}})
    cluster.create(pod("web", [big]))
    scene = _scene(cluster)
    path = ".spec.containers[0].resources.requests"
    assert evaluate(
        {"field": {"kind": "Pod", "name": "web", "path": path + ".cpu", "ge": 1}}, scene
    ).ok
    assert not evaluate(
        {"field": {"kind": "Pod", "name": "web", "path": path + ".cpu", "ge": 2}}, scene
    ).ok
    assert evaluate(
        {"field": {"kind": "Pod", "name": "web", "path": path + ".memory", "gt": "512Mi"}}, scene
    ).ok
    assert evaluate(
        {"field": {"kind": "Pod", "name": "web", "path": ".metadata.name", "matches": "^w"}}, scene
    ).ok
    assert evaluate(
        {"field": {"kind": "Pod", "name": "web", "path": ".spec.nodeName", "exists": True}}, scene
    ).ok
