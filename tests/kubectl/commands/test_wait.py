"""``kubectl wait`` moves simulated time until the condition holds or the timeout passes."""

from cluster_helpers import new_cluster, pod

from k8sgame.engine.timefmt import parse_go_duration
from k8sgame.kubectl.session import KubectlSession


def _session():
    cluster = new_cluster()
    return cluster, KubectlSession(cluster)


def test_wait_for_ready_takes_only_the_time_needed():
    cluster, session = _session()
    session.run("run web --image=nginx")
    start = cluster.now
    result = session.run("wait --for=condition=Ready pod/web --timeout=60s")
    assert (result.stdout, result.exit_code) == ("pod/web condition met\n", 0)
    assert 0 < cluster.now - start < 20
    assert cluster.store.get("Pod", "web", "default")["status"]["phase"] == "Running"


def test_timeout_names_the_object():
    cluster, session = _session()
    cluster.create(
        pod("big", [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "64"}}}])
    )
    start = cluster.now
    result = session.run("wait --for=condition=Ready pod/big --timeout=45s")
    assert result.exit_code == 1
    assert result.stderr == "error: timed out waiting for the condition on pods/big\n"
    assert cluster.now - start == 45


def test_wait_for_delete_and_jsonpath():
    cluster, session = _session()
    session.run("run once --image=busybox --restart=Never -- sh -c 'sleep 5'")
    done = session.run("wait --for=jsonpath='{.status.phase}'=Succeeded pod/once --timeout=1m")
    assert done.stdout == "pod/once condition met\n"
    session.run("run web --image=nginx")
    cluster.run_for(10)
    session.run("delete pod web --wait=false")
    start = cluster.now
    assert session.run("wait --for=delete pod/web").stdout == "pod/web condition met\n"
    assert cluster.now > start
    assert cluster.store.peek("Pod", "web", "default") is None
    assert session.run("wait --for=delete pod/never").stdout == ""


def test_wait_by_selector_and_errors():
    _, session = _session()
    session.run("run a --image=nginx --labels=app=web")
    session.run("run b --image=nginx --labels=app=web")
    out = session.run("wait --for=condition=ready pods -l app=web")
    assert out.stdout == "pod/a condition met\npod/b condition met\n"
    assert session.run("wait --for=condition=Ready pod/nope").stderr == (
        'Error from server (NotFound): pods "nope" not found\n'
    )
    assert session.run("wait --for=sometime pod/a").stderr == (
        'error: unrecognized condition: "sometime"\n'
    )
    assert session.run("wait --for=condition=Ready pods -l app=none").stderr == (
        "error: no matching resources found\n"
    )
    assert session.run("wait --for=condition=Ready pod/a --timeout=30").stderr.startswith(
        'error: invalid argument "30" for "--timeout" flag: time: missing unit in duration "30"'
    )


def test_go_durations():
    assert [parse_go_duration(t) for t in ("0", "1m30s", "1.5h", "500ms", "-1s")] == [
        0,
        90,
        5400,
        0.5,
        -1,
    ]
