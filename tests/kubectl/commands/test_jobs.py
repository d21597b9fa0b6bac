"""Jobs through kubectl: create job, get jobs with STATUS, COMPLETIONS and DURATION,
describe job, logs job/NAME and wait for the Complete condition."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    return KubectlSession(new_cluster())


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


DRY_RUN = """apiVersion: batch/v1
kind: Job
metadata:
  name: once
spec:
  template:
    metadata: {}
    spec:
      containers:
      - command:
        - date
        image: busybox:1.36
        name: once
        resources: {}
      restartPolicy: Never
status: {}
"""


def test_create_job_dry_run_is_what_kubectl_prints(session):
    assert run(
        session, "create job once --image=busybox:1.36 --dry-run=client -o yaml -- date"
    ) == (
        DRY_RUN,
        "",
        0,
    )
    assert (
        run(session, "create job once")[1] == "error: either --image or --from must be specified\n"
    )
    assert run(session, "create job once --image=x --from=cronjob/y")[1] == (
        "error: either --image or --from must be specified\n"
    )


def test_a_job_runs_to_complete_and_kubectl_shows_it(session):
    assert run(session, "create job once --image=busybox:1.36 -- sh -c 'echo hello; sleep 5'") == (
        "job.batch/once created\n",
        "",
        0,
    )
    session.cluster.run_for(3)
    out, _, _ = run(session, "get jobs")
    assert out == (
        "NAME   STATUS    COMPLETIONS   DURATION   AGE\nonce   Running   0/1           3s         3s\n"
    )
    assert run(session, "wait --for=condition=complete job/once --timeout=60s") == (
        "job.batch/once condition met\n",
        "",
        0,
    )
    session.cluster.run_for(10)
    out, _, _ = run(session, "get jobs")
    assert out.splitlines()[1].split()[:4] == ["once", "Complete", "1/1", "8s"]
    text = session.run("describe job once").stdout
    assert "Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed\n" in text
    assert "Duration:         8s\n" in text
    assert "Completion Mode:  NonIndexed\n" in text and "Backoff Limit:    6\n" in text
    assert "Normal  Completed         " in text and "job-controller  Job completed" in text
    assert run(session, "logs job/once") == ("hello\n", "", 0)


def test_a_failing_job_shows_failed_with_its_counts(session):
    session.run("create job broken --image=busybox:1.36 -- sh -c 'exit 3'")
    session.run('patch job broken --type=merge -p \'{"spec":{"backoffLimit":1}}\'')
    session.cluster.run_for(120)
    out, _, _ = run(session, "get job broken")
    assert out.splitlines()[1].split()[:3] == ["broken", "Failed", "0/1"]
    text = session.run("describe job broken").stdout
    assert "Pods Statuses:    0 Active (0 Ready) / 0 Succeeded / 2 Failed\n" in text
    assert "Warning  BackoffLimitExceeded  " in text
    _, err, _ = run(session, "logs job/broken")
    names = [p["metadata"]["name"] for p in session.cluster.api.list("Pod", "default")]
    assert err.startswith("Found 2 pods, using pod/broken-")
    assert err.removeprefix("Found 2 pods, using pod/").strip() in names


def test_a_parallel_job_without_completions_counts_of_its_parallelism(session):
    session.cluster.api.create(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "queue"},
            "spec": {
                "parallelism": 3,
                "template": {
                    "spec": {
                        "restartPolicy": "Never",
                        "containers": [
                            {"name": "w", "image": "busybox:1.36", "command": ["sleep", "30"]}
                        ],
                    }
                },
            },
        }
    )
    session.cluster.run_for(5)
    assert session.run("get job queue").stdout.splitlines()[1].split()[:5] == [
        "queue",
        "Running",
        "0/1",
        "of",
        "3",
    ]
