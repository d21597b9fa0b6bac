"""The Job controller: pods run to the wanted completions with the parallelism, failures
counted into backoffLimit with the pod-failure back-off between replacements, the deadline,
OnFailure restarts, suspend, the tracking finalizer, TTL after finishing, and the API server's
defaults, generated selector and errors for the kind."""

from __future__ import annotations

import itertools

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import parse_rfc3339


def job(name="work", command="echo done", restart="Never", **spec):
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {
            "template": {
                "spec": {
                    "restartPolicy": restart,
                    "containers": [
                        {"name": "main", "image": "busybox:1.36", "command": ["sh", "-c", command]}
                    ],
                }
            },
            **spec,
        },
    }


def conditions(cluster, name="work"):
    status = cluster.get("Job", name)["status"]
    return [(c["type"], c["reason"], c["message"]) for c in status.get("conditions", [])]


def job_events(cluster, name="work"):
    events = [
        e
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == "Job" and e["involvedObject"]["name"] == name
    ]
    events.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [(e["type"], e["reason"], e["message"]) for e in events]


def job_pods(cluster, name="work"):
    pods = [
        p
        for p in cluster.store.list("Pod", "default")
        if p["metadata"].get("labels", {}).get("batch.kubernetes.io/job-name") == name
    ]
    return sorted(pods, key=lambda p: (p["metadata"]["creationTimestamp"], p["metadata"]["name"]))


def test_the_api_server_defaults_a_job_and_generates_its_selector():
    cluster = new_cluster()
    created = cluster.api.create(job())
    uid = created["metadata"]["uid"]
    spec = created["spec"]
    assert (spec["completions"], spec["parallelism"], spec["backoffLimit"]) == (1, 1, 6)
    assert (spec["completionMode"], spec["suspend"], spec["podReplacementPolicy"]) == (
        "NonIndexed",
        False,
        "TerminatingOrFailed",
    )
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    labels = {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "work",
        "controller-uid": uid,
        "job-name": "work",
    }
    assert spec["template"]["metadata"]["labels"] == labels
    assert created["metadata"]["labels"] == labels


def test_completions_run_with_the_parallelism_and_the_job_completes():
    cluster = new_cluster()
    cluster.api.create(job(completions=3, parallelism=2))
    cluster.run_for(60)
    pods = job_pods(cluster)
    assert [p["status"]["phase"] for p in pods] == ["Succeeded"] * 3
    # Two at first, the third once one succeeded.
    starts = sorted(parse_rfc3339(p["metadata"]["creationTimestamp"]) for p in pods)
    assert starts[0] == starts[1] < starts[2]
    for pod in pods:
        assert "finalizers" not in pod["metadata"]
        assert pod["metadata"]["ownerReferences"][0]["kind"] == "Job"
    status = cluster.get("Job", "work")["status"]
    assert (status["succeeded"], status.get("active", 0), status.get("failed", 0)) == (3, 0, 0)
    assert status["completionTime"] and status["startTime"]
    assert conditions(cluster) == [
        ("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"),
        ("Complete", "CompletionsReached", "Reached expected number of succeeded pods"),
    ]
    assert job_events(cluster)[-1] == ("Normal", "Completed", "Job completed")


def test_a_running_job_pod_carries_the_tracking_finalizer():
    cluster = new_cluster()
    cluster.api.create(job(command="sleep 30"))
    cluster.run_for(5)
    [pod] = job_pods(cluster)
    assert pod["metadata"]["finalizers"] == ["batch.kubernetes.io/job-tracking"]
    assert pod["metadata"]["name"].startswith("work-")


def test_failures_back_off_ten_seconds_doubling_until_the_backoff_limit():
    cluster = new_cluster()
    cluster.api.create(job(command="exit 1", backoffLimit=3))
    cluster.run_for(300)
    pods = job_pods(cluster)
    # backoffLimit 3 is three retries: four pods fail, then the Job does.
    assert len(pods) == 4 and {p["status"]["phase"] for p in pods} == {"Failed"}
    starts = [parse_rfc3339(p["metadata"]["creationTimestamp"]) for p in pods]
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    # Each replacement waits 10 s, 20 s, 40 s after the failure before it (the pod itself
    # runs for a moment first).
    for gap, wait in zip(gaps, (10, 20, 40), strict=True):
        assert wait <= gap < wait + 5
    status = cluster.get("Job", "work")["status"]
    assert status["failed"] == 4 and "completionTime" not in status
    assert conditions(cluster) == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
    ]
    assert job_events(cluster)[-1] == (
        "Warning",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
    )


def test_with_on_failure_container_restarts_count_toward_the_limit():
    cluster = new_cluster()
    cluster.api.create(job(command="exit 1", restart="OnFailure", backoffLimit=2))
    cluster.run_for(120)
    assert conditions(cluster)[-1][:2] == ("Failed", "BackoffLimitExceeded")
    # Its one pod restarted in place; once the Job failed it was deleted.
    assert len(job_pods(cluster)) <= 1
    assert all(p["metadata"].get("deletionTimestamp") for p in job_pods(cluster))


def test_the_active_deadline_fails_the_job_and_stops_its_pods():
    cluster = new_cluster()
    cluster.api.create(job(command="sleep 600", activeDeadlineSeconds=20))
    cluster.run_for(19)
    assert conditions(cluster) == []
    [running] = job_pods(cluster)
    cluster.run_for(60)
    assert conditions(cluster) == [
        ("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"),
        ("Failed", "DeadlineExceeded", "Job was active longer than specified deadline"),
    ]
    name = running["metadata"]["name"]
    assert ("Normal", "SuccessfulDelete", f"Deleted pod: {name}") in job_events(cluster)
    status = cluster.get("Job", "work")["status"]
    # The deadline counts from the start: 20 s, not a moment sooner.
    failed_at = parse_rfc3339(status["conditions"][0]["lastTransitionTime"])
    assert failed_at - parse_rfc3339(status["startTime"]) == 20


def test_a_suspended_job_runs_nothing_until_resumed():
    cluster = new_cluster()
    cluster.api.create(job(command="sleep 5", suspend=True))
    cluster.run_for(20)
    assert job_pods(cluster) == []
    assert conditions(cluster) == [("Suspended", "JobSuspended", "Job suspended")]
    assert "startTime" not in cluster.get("Job", "work")["status"]
    cluster.api.patch("Job", "work", "default", {"spec": {"suspend": False}})
    cluster.run_for(30)
    assert conditions(cluster)[0][:2] == ("Suspended", "JobResumed")
    assert conditions(cluster)[-1][0] == "Complete"
    assert ("Normal", "Resumed", "Job resumed") in job_events(cluster)


def test_a_finished_job_is_deleted_after_its_ttl_with_its_pods():
    cluster = new_cluster()
    cluster.api.create(job(ttlSecondsAfterFinished=30))
    cluster.run_for(20)
    assert cluster.api.peek("Job", "work", "default") is not None
    cluster.run_for(60)
    assert cluster.api.peek("Job", "work", "default") is None
    assert job_pods(cluster) == []


def test_deleting_a_job_lets_its_tracked_pods_go():
    cluster = new_cluster()
    cluster.api.create(job(command="sleep 300", parallelism=2, completions=2))
    cluster.run_for(10)
    cluster.api.delete("Job", "work", "default")
    cluster.run_for(60)
    assert job_pods(cluster) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"restart": "Always"},
            'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        ),
        (
            {"backoffLimit": -1},
            "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0",
        ),
        (
            {"completionMode": "Indexed", "completions": 3},
            "spec.completionMode: Forbidden: Indexed Jobs are not modelled by the simulator",
        ),
    ],
)
def test_the_api_server_refuses_bad_jobs(change, message):
    cluster = new_cluster()
    restart = change.pop("restart", "Never")
    with pytest.raises(ApiError) as caught:
        cluster.api.create(job(restart=restart, **change))
    assert message in [str(c) for c in caught.value.causes]


def test_a_jobs_template_cannot_change():
    cluster = new_cluster()
    cluster.api.create(job(command="sleep 60"))
    with pytest.raises(ApiError) as caught:
        cluster.api.patch(
            "Job",
            "work",
            "default",
            {
                "spec": {
                    "template": {
                        "spec": {"containers": [{"name": "main", "image": "busybox:1.37"}]}
                    }
                }
            },
        )
    assert any(
        "spec.template" in str(c) and "field is immutable" in str(c) for c in caught.value.causes
    )
