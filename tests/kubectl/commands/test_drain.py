"""``kubectl drain``: cordon, refuse pods that would be lost unless told, evict the rest
through the eviction API and wait for them, in kubectl's words."""

from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.session import KubectlSession


def _cluster():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}], nodeName="node-1"))
    cluster.create(
        pod(
            "cache",
            [{"name": "c", "image": "redis", "volumeMounts": [{"name": "d", "mountPath": "/d"}]}],
            nodeName="node-1",
            volumes=[{"name": "d", "emptyDir": {}}],
        )
    )
    cluster.create(pod("other", [{"name": "o", "image": "nginx"}], nodeName="node-2"))
    cluster.run_for(30)
    return cluster, KubectlSession(cluster)


def test_bare_pods_stop_the_drain_but_the_node_stays_cordoned():
    cluster, session = _cluster()
    result = session.run("drain node-1 --ignore-daemonsets")
    assert result.exit_code == 1
    assert result.stdout == "node/node-1 cordoned\n"
    storage = (
        "cannot delete Pods with local storage (use --delete-emptydir-data to override): "
        "default/cache"
    )
    # filters.go's message starts with "cannot delete" and errors() adds another.
    unmanaged = (
        "cannot delete cannot delete Pods that declare no controller (use --force to "
        "override): default/web"
    )
    assert result.stderr == (
        f'error: unable to drain node "node-1" due to error: [{storage}, {unmanaged}], '
        "continuing command...\n"
        "There are pending nodes to be drained:\n"
        " node-1\n"
        # CheckErr prints the node's aggregate one error a line.
        f"{storage}\n{unmanaged}\n"
    )
    assert cluster.store.get("Node", "node-1")["spec"]["unschedulable"] is True
    assert cluster.store.peek("Pod", "web", "default") is not None


def test_one_refusal_is_not_bracketed():
    _, session = _cluster()
    result = session.run("drain node-1 --delete-emptydir-data")
    assert result.stderr.splitlines()[-1] == (
        "cannot delete cannot delete Pods that declare no controller (use --force to "
        "override): default/cache, default/web"
    )


def test_forced_drain_evicts_waits_and_reports():
    cluster, session = _cluster()
    start = cluster.now
    result = session.run("drain node-1 --ignore-daemonsets --delete-emptydir-data --force")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: deleting Pods that declare no controller: default/cache, default/web\n"
    )
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "node/node-1 cordoned",
        "evicting pod default/cache",
        "evicting pod default/web",
    ]
    assert sorted(lines[3:5]) == ["pod/cache evicted", "pod/web evicted"]
    assert lines[5] == "node/node-1 drained"
    assert cluster.store.peek("Pod", "web", "default") is None
    assert cluster.store.peek("Pod", "other", "default") is not None
    assert cluster.now > start  # the pods' graceful shutdown took simulated time
    again = session.run("drain node-1 --force")
    assert again.stdout == "node/node-1 already cordoned\nnode/node-1 drained\n"


def test_evicted_pod_carries_the_disruption_target_condition():
    cluster, session = _cluster()
    seen = []
    cluster.store.watch(
        lambda event: seen.append(event.obj) if event.obj["metadata"]["name"] == "web" else None,
        ("Pod",),
    )
    session.run("drain node-1 --force --delete-emptydir-data")
    conditions = [
        c
        for obj in seen
        for c in (obj.get("status") or {}).get("conditions", [])
        if c["type"] == "DisruptionTarget"
    ]
    assert conditions
    assert conditions[0]["reason"] == "EvictionByEvictionAPI"
    assert conditions[0]["message"] == "Eviction API: evicting"


def test_client_dry_run_only_lists():
    cluster, session = _cluster()
    result = session.run("drain node-1 --force --delete-emptydir-data --dry-run=client")
    assert "evicting pod default/web (dry run)" in result.stdout
    assert cluster.store.peek("Pod", "web", "default") is not None


def test_cordon_and_uncordon_by_selector_dry_run_and_usage():
    cluster, session = _cluster()
    session.run("label node node-2 pool=b")
    assert session.run("cordon -l pool=b").stdout == "node/node-2 cordoned\n"
    assert session.run("cordon node-1 --dry-run=client").stdout == (
        "node/node-1 cordoned (dry run)\n"
    )
    assert not cluster.store.get("Node", "node-1")["spec"].get("unschedulable")
    assert session.run("uncordon node-2 node-2").stdout == (
        "node/node-2 uncordoned\nnode/node-2 already uncordoned\n"
    )
    usage = session.run("cordon")
    assert usage.stderr == (
        "error: USAGE: cordon NODE [flags]\nSee 'kubectl cordon -h' for help and examples\n"
    )
    both = session.run("uncordon node-1 -l pool=b")
    assert both.stderr.startswith("error: error: cannot specify both a node name and a --selector")


def test_a_missing_node_stops_cordon_before_any_change():
    cluster, session = _cluster()
    result = session.run("cordon node-1 nope")
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == 'Error from server (NotFound): nodes "nope" not found\n'
    assert not cluster.store.get("Node", "node-1")["spec"].get("unschedulable")


def test_drain_reports_evictions_at_its_one_second_polls_and_honours_timeout():
    cluster, session = _cluster()
    cluster.create(
        pod(
            "sleepy",
            [{"name": "s", "image": "busybox:1.36", "command": ["sleep", "3600"]}],
            nodeName="node-1",
        )
    )
    cluster.run_for(10)
    start = cluster.now
    result = session.run(
        "drain node-1 --ignore-daemonsets --delete-emptydir-data --force --timeout=5s"
    )
    assert result.exit_code == 1
    assert "pod/web evicted\n" in result.stdout
    # busybox sleep ignores SIGTERM: still there when the 5 s run out.
    assert result.stderr.splitlines()[1:] == [
        'There are pending pods in node "node-1" when an error occurred: error when waiting for'
        ' pod "sleepy" in namespace "default" to terminate: context deadline exceeded',
        "pod/sleepy",
        'error: unable to drain node "node-1" due to error: error when waiting for pod "sleepy"'
        ' in namespace "default" to terminate: context deadline exceeded, continuing command...',
        "There are pending nodes to be drained:",
        " node-1",
        'error when waiting for pod "sleepy" in namespace "default" to terminate: context'
        " deadline exceeded",
    ]
    assert cluster.now == start + 5
