"""``--field-selector`` on get and delete: the fields each kind serves, and the API server's
error for any other."""

from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.session import KubectlSession


def _cluster():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.create(
        pod(
            "once",
            [{"name": "job", "image": "busybox", "command": ["true"]}],
            restartPolicy="Never",
        )
    )
    cluster.create(
        pod("big", [{"name": "big", "image": "nginx", "resources": {"requests": {"cpu": "64"}}}])
    )
    cluster.run_for(30)
    return cluster, KubectlSession(cluster)


def _names(output):
    return [line.split()[0] for line in output.splitlines()[1:]]


def test_pods_by_phase_node_and_name():
    cluster, session = _cluster()
    assert _names(session.run("get pods --field-selector status.phase=Running").stdout) == ["web"]
    assert _names(session.run("get pods --field-selector=status.phase!=Running").stdout) == [
        "big",
        "once",
    ]
    assert _names(session.run("get pods --field-selector spec.nodeName=").stdout) == ["big"]
    node = cluster.store.get("Pod", "web", "default")["spec"]["nodeName"]
    by_node = session.run(f"get pods -A --field-selector spec.nodeName={node},metadata.name==web")
    assert _names(by_node.stdout) == ["default"]  # the NAMESPACE column comes first with -A
    none = session.run("get pods --field-selector metadata.namespace=kube-system")
    assert none.stderr == "No resources found in default namespace.\n"


def test_nodes_by_unschedulable():
    _, session = _cluster()
    session.run("cordon node-2")
    assert _names(session.run("get nodes --field-selector spec.unschedulable=true").stdout) == [
        "node-2"
    ]


def test_events_by_reason_and_object():
    _, session = _cluster()
    out = session.run(
        "get events --field-selector reason=FailedScheduling,involvedObject.name=big"
    ).stdout
    assert len(out.splitlines()) == 2
    assert "FailedScheduling" in out and "pod/big" in out


def test_unknown_field_is_the_servers_bad_request():
    _, session = _cluster()
    result = session.run("get pods -l app=x --field-selector status.qosClass=BestEffort")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error from server (BadRequest): Unable to find "/v1, Resource=pods" that match label '
        'selector "app=x", field selector "status.qosClass=BestEffort": field label not '
        "supported: status.qosClass\n"
    )


def test_delete_failed_and_completed_pods_by_phase():
    cluster, session = _cluster()
    result = session.run("delete pods --field-selector status.phase=Succeeded")
    assert result.stdout == 'pod "once" deleted from default namespace\n'
    assert cluster.store.peek("Pod", "once", "default") is None
    assert cluster.store.peek("Pod", "web", "default") is not None
