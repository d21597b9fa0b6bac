"""A deleted pod stays until its kubelet is done with it (issue "fidelity fixes", item 6):
containers stop with the image's stop signal, the terminal status is written, and the pod is
removed after the next PLEG relist and the unmount poll — never in the same instant as the
delete, as a real cluster never is."""

from __future__ import annotations

from cluster_helpers import container_status, new_cluster, pod

from k8sgame.kubectl.session import KubectlSession


def _deleted_at(cluster, name, step=0.1, limit=60.0):
    """Simulated seconds from now until the pod object is gone."""
    start = cluster.now
    while cluster.store.peek("Pod", name, "default") is not None:
        assert cluster.now - start < limit, f"{name} still there after {limit}s"
        cluster.run_for(step)
    return round(cluster.now - start, 1)


def test_delete_without_wait_leaves_the_pod_terminating():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    session.run("run web --image=nginx:1.27")
    session.run("wait --for=condition=Ready pod/web --timeout=60s")
    assert session.run("delete pod web --wait=false").stdout == (
        'pod "web" deleted from default namespace\n'
    )
    rows = session.run("get pod web").stdout.splitlines()
    assert rows[1].split()[:3] == ["web", "1/1", "Terminating"]


def test_nginx_quits_on_sigquit_then_shows_completed_until_removed():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx:1.27"}]))
    cluster.run_for(20.4)
    cluster.delete("Pod", "web")
    cluster.run_for(0.2)
    # nginx's STOPSIGNAL is SIGQUIT: it exits 0 at once, and the kubelet writes the
    # terminal phase before the pod goes (kubelet since 1.27).
    live = cluster.get("Pod", "web")
    assert live["status"]["phase"] == "Succeeded"
    assert container_status(cluster, "web")["state"]["terminated"]["reason"] == "Completed"
    session = KubectlSession(cluster)
    assert session.run("get pod web").stdout.splitlines()[1].split()[1:3] == ["0/1", "Completed"]
    # Removed at the next whole-second relist plus the 300 ms unmount poll: 21.3 s.
    assert round(cluster.now + _deleted_at(cluster, "web"), 1) == 21.3


def test_a_pod_whose_containers_never_started_is_not_removed_at_once():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    session.run("run web --image=nginx:1.27")  # bound, still pulling its image
    session.run("delete pod web --wait=false")
    rows = session.run("get pod web").stdout.splitlines()
    assert rows[1].split()[:3] == ["web", "0/1", "Terminating"]
    assert _deleted_at(cluster, "web") == 1.3


def test_an_unscheduled_pod_is_deleted_at_once():
    # pkg/registry/core/pod/strategy.go CheckGracefulDelete: no nodeName, no grace period.
    cluster = new_cluster(nodes=[])
    cluster.create(pod("lonely", [{"name": "app", "image": "nginx"}]))
    cluster.delete("Pod", "lonely")
    assert cluster.store.peek("Pod", "lonely", "default") is None


def test_a_process_that_ignores_sigterm_is_killed_when_the_grace_period_ends():
    cluster = new_cluster()
    command = ["sleep", "3600"]
    cluster.create(pod("sleepy", [{"name": "app", "image": "busybox:1.36", "command": command}]))
    cluster.run_for(20)
    cluster.delete("Pod", "sleepy")
    # sleep as PID 1 ignores SIGTERM: KILL at 30 s (t=50), then the relist after it (t=51)
    # and the unmount poll.
    assert _deleted_at(cluster, "sleepy") == 31.3


def test_delete_waits_by_default_until_the_pod_is_gone():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    session.run("run web --image=nginx:1.27")
    session.run("wait --for=condition=Ready pod/web --timeout=60s")
    before = cluster.now
    session.run("delete pod web")
    assert cluster.store.peek("Pod", "web", "default") is None
    assert 0.3 < cluster.now - before <= 1.3
