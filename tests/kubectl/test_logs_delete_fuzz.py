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
    assert (
        session.run("logs two -c nope").stderr
        == "Error from server (BadRequest): container nope is not valid for pod two\n"
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
