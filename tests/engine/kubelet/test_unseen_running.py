"""A container that starts and exits between two PLEG relists is never reported as running:
the kubelet writes status from what a relist saw, so `kubectl get pods -w` on an instant
crasher shows Error and CrashLoopBackOff, never 1/1 Running."""

from cluster_helpers import new_cluster, pod


def test_instant_crash_never_shows_running_or_ready():
    cluster = new_cluster()
    cluster.create(
        pod(
            "crasher", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "exit 1"]}]
        )
    )
    states = []

    def watch(event):
        statuses = (event.obj.get("status") or {}).get("containerStatuses") or []
        if event.obj["metadata"]["name"] == "crasher" and statuses:
            states.append((cluster.now, next(iter(statuses[0]["state"])), statuses[0]["ready"]))

    cluster.store.watch(watch, ("Pod",))
    cluster.run_for(60)
    assert {state for _, state, _ in states} == {"waiting", "terminated"}
    assert not any(ready for _, _, ready in states)
    # Each exit is reported at the relist after it.
    assert [t for t, state, _ in states if state == "terminated"][:3] == [3.0, 5.0, 15.0]


def test_a_process_that_outlives_the_relist_is_shown_running():
    cluster = new_cluster()
    cluster.create(
        pod(
            "slow",
            [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", "sleep 5; exit 1"]}],
        )
    )
    cluster.run_for(4)
    status = cluster.store.get("Pod", "slow", "default")["status"]["containerStatuses"][0]
    assert "running" in status["state"]
