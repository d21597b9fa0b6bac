"""``kubectl logs`` and ``kubectl delete``, and random command lines that never crash."""

import pytest
from cluster_helpers import new_cluster, pod
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    script = "echo hello; echo world; sleep 3600"
    cluster.create(
        pod("talk", [{"name": "app", "image": "busybox:1.36", "command": ["sh", "-c", script]}])
    )
    cluster.create(pod("two", [{"name": "a", "image": "nginx"}, {"name": "b", "image": "redis:7"}]))
    cluster.run_for(20)
    return KubectlSession(cluster)


def test_logs(session):
    assert session.run("logs talk").stdout == "hello\nworld\n"
    assert session.run("logs pod/talk --tail 1").stdout == "world\n"
    assert session.run("logs talk --timestamps").stdout.splitlines()[0].endswith("Z hello")
    previous = session.run("logs talk -p")
    assert (previous.exit_code, previous.stderr) == (
        1,
        'Error from server (BadRequest): previous terminated container "app" in pod "talk" not found\n',
    )
    two = session.run("logs two")
    assert two.stderr == 'Defaulted container "a" out of: a, b\n'
    # podcmd.FindContainerByName: kubectl checks the name itself before asking the server.
    assert (
        session.run("logs two -c nope").stderr == "error: container nope is not valid for pod two\n"
    )
    assert session.run("logs nope").stderr == (
        'error: error from server (NotFound): pods "nope" not found in namespace "default"\n'
    )


def test_logs_of_a_selector(session):
    # With -l and no --tail, the last 10 lines of each pod; --prefix names each source.
    session.run("label pod talk two app=chat")
    both = session.run("logs -l app=chat --prefix -c a")
    assert both.exit_code == 1 and "error: container a is not valid for pod talk" in both.stderr
    result = session.run("logs -l app=chat --prefix --all-containers --tail=1")
    assert result.stdout.splitlines()[0] == "[pod/talk/app] world"
    assert session.run("logs -l app=none").stderr == "No resources found in default namespace.\n"
    assert session.run("logs talk -l app=chat").stderr.startswith(
        "error: only a selector (-l) or a POD name is allowed\n"
    )


def test_delete_waits_for_graceful_shutdown(session):
    before = session.cluster.now
    deleted = session.run("delete pod talk")
    assert deleted.stdout == 'pod "talk" deleted from default namespace\n'
    # sh as PID 1 ignores SIGTERM: the 30 s grace period runs out first.
    assert 30 <= session.cluster.now - before <= 32
    forced = session.run("delete pod two --grace-period=0 --force")
    assert forced.stdout == 'pod "two" force deleted from default namespace\n'
    assert forced.stderr.startswith("Warning: Immediate deletion does not wait for confirmation")
    assert session.run("get pods").stderr == "No resources found in default namespace.\n"
    assert (
        session.run("delete pod ghost").stderr
        == 'Error from server (NotFound): pods "ghost" not found\n'
    )
    assert session.run("delete pod ghost --ignore-not-found").exit_code == 0
    assert (
        session.run("delete pods").stderr
        == "error: resource(s) were provided, but no name was specified\n"
    )


WORDS = st.sampled_from(
    [
        "get",
        "delete",
        "logs",
        "apply",
        "create",
        "pods",
        "po",
        "nodes",
        "pod/talk",
        "talk",
        "-n",
        "default",
        "-A",
        "-o",
        "yaml",
        "wide",
        "name",
        "-l",
        "app=web",
        "--tail",
        "3",
        "-p",
        "-f",
        "x.yaml",
        "--bogus",
        "-z",
        "--grace-period=0",
        "--force",
        "=",
        "--",
        "--output=json",
        "ns,cm",
    ]
)


@settings(max_examples=150)
@given(st.lists(st.one_of(WORDS, st.text(max_size=8)), max_size=7))
def test_random_command_lines_give_output_or_an_error_never_a_traceback(words):
    session = KubectlSession(new_cluster())
    result = session.run(words)
    assert result.exit_code in (0, 1)
    if result.exit_code:
        assert result.stderr


def test_logs_of_a_kind_without_pods_is_kubectls_error(session):
    session.run("create configmap settings --from-literal=a=b")
    result = session.run("logs configmap/settings")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot get the logs from *v1.ConfigMap: selector for *v1.ConfigMap not"
        " implemented\n",
    )


def test_logs_of_a_service_reads_a_pod_its_selector_picks(session):
    session.run("create deployment web --image=nginx --replicas=2")
    session.run("expose deployment web --port=80")
    session.cluster.run_for(20)
    result = session.run("logs svc/web --tail=1")
    assert result.exit_code == 0
    assert result.stderr.startswith("Found 2 pods, using pod/web-")
    assert result.stdout.count("\n") == 1
    session.cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "bare"},
            "spec": {"ports": [{"port": 80}]},
        }
    )
    result = session.run("logs service/bare")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: cannot get the logs from *v1.Service: invalid service 'bare': Service is"
        " defined without a selector\n",
    )
