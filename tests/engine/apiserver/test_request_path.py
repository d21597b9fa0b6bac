"""The API server's request path: who made each write, authorization, subresources."""

import pytest

from k8sgame.engine.apiserver.authorizer import ALLOWED, Attributes, Decision, Verdict
from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import ADMIN, UserInfo
from k8sgame.engine.apiserver.request import Request
from k8sgame.engine.errors import ApiError
from k8sgame.kubectl.session import KubectlSession
from tests.cluster_helpers import new_cluster
from tests.store_helpers import bare_store, pod


def _writers(cluster, kind, name):
    """``(verb, user)`` of every audited write to one object."""
    found = []
    for line in cluster.dump_log().splitlines():
        fields = line.split()
        if fields[2] == kind and fields[3].split("/")[-1] == name:
            found.append((fields[1], fields[-1].removeprefix("user=")))
    return found


def test_each_component_writes_under_its_own_identity():
    cluster = new_cluster()
    KubectlSession(cluster).run("run web --image=nginx")
    cluster.run_for(5)
    writers = _writers(cluster, "Pod", "web")
    assert writers[0] == ("ADDED", "kubernetes-admin")
    users = {user for _, user in writers}
    # The scheduler binds; the kubelet of the chosen node writes status.
    node = cluster.get("Pod", "web")["spec"]["nodeName"]
    assert users == {"kubernetes-admin", "system:kube-scheduler", f"system:node:{node}"}
    # The root CA publisher writes kube-root-ca.crt.
    assert _writers(cluster, "ConfigMap", "kube-root-ca.crt")[0][1] == (
        "system:serviceaccount:kube-system:root-ca-cert-publisher"
    )
    # The kubelet's own events are written as the node, the scheduler's as the scheduler.
    event_users = {
        line.split()[-1]
        for line in cluster.dump_log().splitlines()
        if line.split()[2] == "Event" and line.split()[1] == "ADDED"
    }
    assert event_users == {"user=system:kube-scheduler", f"user=system:node:{node}"}


class _DenyPods:
    allows_everything = False

    def authorize(self, attrs: Attributes) -> Verdict:
        return Verdict(Decision.DENY) if attrs.resource == "pods" else ALLOWED


def test_a_denying_authorizer_gives_kubectl_the_api_servers_forbidden_text():
    cluster = new_cluster()
    cluster.apiserver.authorizer = _DenyPods()
    session = KubectlSession(cluster)
    listed = session.run("get pods")
    assert listed.exit_code == 1
    assert listed.stderr == (
        'Error from server (Forbidden): pods is forbidden: User "kubernetes-admin" cannot list '
        'resource "pods" in API group "" in the namespace "default"\n'
    )
    named = session.run("get pod web -n kube-system")
    assert named.stderr == (
        'Error from server (Forbidden): pods "web" is forbidden: User "kubernetes-admin" cannot '
        'get resource "pods" in API group "" in the namespace "kube-system"\n'
    )
    # Other resources are still served; nothing was written by the refused calls.
    assert session.run("get nodes").exit_code == 0


def test_cluster_scoped_and_subresource_denials_say_so():
    api = bare_store()
    api.server.authorizer = _DenyPods()
    jane = UserInfo("jane", ("system:authenticated",))
    with pytest.raises(ApiError) as denied:
        api.server.handle(Request(jane, "get", "Pod", "default", "web", "log"))
    assert denied.value.code == 403
    assert denied.value.message == (
        'pods "web" is forbidden: User "jane" cannot get resource "pods/log" in API group "" '
        'in the namespace "default"'
    )
    # A component's cache read is authorized the same way.
    with pytest.raises(ApiError) as cached:
        Client(api.server, jane).peek("Pod", "web", "default")
    assert cached.value.message.startswith('pods "web" is forbidden: User "jane" cannot get')


def test_a_verb_a_subresource_does_not_serve_is_method_not_allowed():
    api = bare_store()
    api.create(pod("web"))
    with pytest.raises(ApiError) as refused:
        api.server.handle(Request(ADMIN, "delete", "Pod", "default", "web", "log"))
    assert (refused.value.reason, refused.value.code) == ("MethodNotAllowed", 405)
    assert api.peek("Pod", "web", "default") is not None


def test_admission_runs_in_the_api_server_and_namespace_lifecycle_refuses_a_missing_namespace():
    api = bare_store()
    created = api.create(pod("web"))
    spec = created["spec"]
    # ServiceAccount, Priority and DefaultTolerationSeconds mutated the pod.
    assert spec["serviceAccountName"] == "default"
    assert spec["priority"] == 0
    assert [t["key"] for t in spec["tolerations"]] == [
        "node.kubernetes.io/not-ready",
        "node.kubernetes.io/unreachable",
    ]
    # The pod strategy prepared its status after admission.
    assert created["status"] == {"phase": "Pending", "qosClass": "BestEffort"}
    elsewhere = pod("db")
    elsewhere["metadata"]["namespace"] = "nowhere"
    with pytest.raises(ApiError) as refused:
        api.create(elsewhere)
    assert str(refused.value) == 'namespaces "nowhere" not found'


def test_a_watch_by_index_hears_only_its_own_key_in_registration_order():
    from k8sgame.engine.kinds.pod import pod_node_name

    api = bare_store()
    heard = []
    api.watch(lambda e: heard.append(("all", e.obj["metadata"]["name"])), ("Pod",))
    api.watch(
        lambda e: heard.append(("a", e.obj["metadata"]["name"])),
        ("Pod",),
        index=(pod_node_name, "node-a"),
    )
    api.watch(lambda e: heard.append(("late", e.obj["metadata"]["name"])), ("Pod",))
    api.create(pod("one", nodeName="node-b"))
    api.create(pod("two", nodeName="node-a"))
    assert heard == [("all", "one"), ("late", "one"), ("all", "two"), ("a", "two"), ("late", "two")]


def test_an_unbound_pod_is_heard_by_its_nodes_watch_once_bound():
    from k8sgame.engine.kinds.pod import pod_node_name

    api = bare_store()
    heard = []
    api.watch(lambda e: heard.append(e.type), ("Pod",), index=(pod_node_name, "node-a"))
    api.create(pod("web"))
    assert heard == []
    api.bind("web", "default", "node-a")
    api.delete("Pod", "web", "default", grace_period=0)
    assert heard == ["MODIFIED", "DELETED"]


def test_log_and_exec_without_a_container_need_one_when_the_pod_has_several():
    cluster = new_cluster()
    two = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "two"},
        "spec": {
            "initContainers": [{"name": "setup", "image": "busybox", "command": ["true"]}],
            "containers": [
                {"name": "web", "image": "nginx"},
                {"name": "side", "image": "busybox", "command": ["sleep", "3600"]},
            ],
        },
    }
    cluster.create(two)
    cluster.run_for(10)
    expected = (
        "a container name must be specified for pod two, choose one of: [web side] "
        "or one of the init containers: [setup]"
    )
    for call in (lambda: cluster.logs("two"), lambda: cluster.exec("two", ["true"])):
        with pytest.raises(ApiError) as refused:
            call()
        assert (refused.value.code, refused.value.message) == (400, expected)
    with pytest.raises(ApiError) as unknown:
        cluster.logs("two", container="nope")
    assert unknown.value.message == "container nope is not valid for pod two"
    assert isinstance(cluster.logs("two", container="web"), list)
