"""The CronJob controller on the simulated clock: Jobs named by the scheduled minute, the
concurrency policies, suspend, history limits, startingDeadlineSeconds, a Job made by hand,
and the API server's defaults and errors for the kind."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import EPOCH_UNIX

MINUTE = 60


def cron_job(name="tick", schedule="*/1 * * * *", command="echo hi", **spec):
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "spec": {
                    "template": {
                        "spec": {
                            "restartPolicy": "Never",
                            "containers": [
                                {
                                    "name": "main",
                                    "image": "busybox:1.36",
                                    "command": ["sh", "-c", command],
                                }
                            ],
                        }
                    }
                }
            },
            **spec,
        },
    }


def events(cluster, name="tick"):
    found = [
        e
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == "CronJob" and e["involvedObject"]["name"] == name
    ]
    found.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [(e["type"], e["reason"], e["message"], e.get("count", 1)) for e in found]


def job_names(cluster):
    return sorted(j["metadata"]["name"] for j in cluster.store.list("Job", "default"))


def minute_name(name, seconds):
    return f"{name}-{(EPOCH_UNIX + seconds) // 60}"


def test_the_api_server_defaults_a_cron_job():
    cluster = new_cluster()
    created = cluster.api.create(cron_job())
    spec = created["spec"]
    assert (
        spec["concurrencyPolicy"],
        spec["suspend"],
        spec["successfulJobsHistoryLimit"],
        spec["failedJobsHistoryLimit"],
    ) == ("Allow", False, 3, 1)
    assert "timeZone" not in spec and "startingDeadlineSeconds" not in spec
    pod_spec = spec["jobTemplate"]["spec"]["template"]["spec"]
    assert pod_spec["dnsPolicy"] == "ClusterFirst"
    assert pod_spec["containers"][0]["imagePullPolicy"] == "IfNotPresent"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"schedule": "* * * *"},
            'The CronJob.batch "tick" is invalid: spec.schedule: Invalid value: "* * * *": '
            "expected exactly 5 fields, found 4: [* * * *]",
        ),
        (
            {"concurrencyPolicy": "Never"},
            'The CronJob.batch "tick" is invalid: spec.concurrencyPolicy: Unsupported value: '
            '"Never": supported values: "Allow", "Forbid", "Replace"',
        ),
    ],
)
def test_the_api_server_refuses_a_bad_cron_job(change, message):
    cluster = new_cluster()
    with pytest.raises(ApiError) as caught:
        cluster.api.create(cron_job(**change))
    assert caught.value.message == message


def test_a_job_each_minute_named_by_the_minute_with_history_kept_to_three():
    cluster = new_cluster()
    cluster.api.create(cron_job())
    cluster.run_for(5 * MINUTE + 30)
    # Created at 09:00:00; runs at 09:01 … 09:05; three successful Jobs are kept.
    assert job_names(cluster) == [minute_name("tick", s * MINUTE) for s in (3, 4, 5)]
    job = cluster.get("Job", minute_name("tick", 5 * MINUTE))
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == (
        "2026-01-05T09:05:00Z"
    )
    owner = job["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"], owner["controller"], owner["blockOwnerDeletion"]) == (
        "CronJob",
        "tick",
        True,
        True,
    )
    status = cluster.get("CronJob", "tick")["status"]
    assert status["lastScheduleTime"] == "2026-01-05T09:05:00Z"
    assert "active" not in status and status["lastSuccessfulTime"].startswith("2026-01-05T09:05")
    reasons = [reason for _, reason, _, _ in events(cluster)]
    assert reasons.count("SuccessfulCreate") == 5
    assert reasons.count("SuccessfulDelete") == 2
    assert ("Normal", "SuccessfulDelete", f"Deleted job {minute_name('tick', MINUTE)}", 1) in (
        events(cluster)
    )


def test_forbid_skips_while_a_job_runs_and_runs_the_missed_time_when_it_ends():
    cluster = new_cluster()
    cluster.api.create(
        cron_job(schedule="*/2 * * * *", command="sleep 200", concurrencyPolicy="Forbid")
    )
    cluster.run_for(2 * MINUTE + 1)
    assert job_names(cluster) == [minute_name("tick", 2 * MINUTE)]
    cluster.run_for(2 * MINUTE)
    assert job_names(cluster) == [minute_name("tick", 2 * MINUTE)]
    assert events(cluster)[-1] == (
        "Normal",
        "JobAlreadyActive",
        "Not starting job because prior execution is running and concurrency policy is Forbid",
        1,
    )
    # The first Job ends near 09:05:25; the 09:04 time it skipped runs then, under its name.
    cluster.run_for(2 * MINUTE)
    assert job_names(cluster) == [minute_name("tick", 2 * MINUTE), minute_name("tick", 4 * MINUTE)]
    status = cluster.get("CronJob", "tick")["status"]
    assert [ref["name"] for ref in status["active"]] == [minute_name("tick", 4 * MINUTE)]
    assert status["lastScheduleTime"] == "2026-01-05T09:04:00Z"


def test_allow_runs_side_by_side_and_replace_deletes_the_running_job():
    allow = new_cluster()
    allow.api.create(cron_job(command="sleep 600"))
    allow.run_for(3 * MINUTE + 1)
    assert len(allow.get("CronJob", "tick")["status"]["active"]) == 3
    replace = new_cluster()
    replace.api.create(cron_job(command="sleep 600", concurrencyPolicy="Replace"))
    replace.run_for(3 * MINUTE + 1)
    active = replace.get("CronJob", "tick")["status"]["active"]
    assert [ref["name"] for ref in active] == [minute_name("tick", 3 * MINUTE)]
    assert (
        "Normal",
        "SuccessfulDelete",
        f"Deleted job {minute_name('tick', 2 * MINUTE)}",
        1,
    ) in events(replace)


def test_suspend_stops_new_runs_and_resuming_runs_only_the_latest_missed_time():
    cluster = new_cluster()
    cluster.api.create(cron_job(suspend=True))
    cluster.run_for(10 * MINUTE + 1)
    assert job_names(cluster) == []
    cj = cluster.get("CronJob", "tick")
    cj["spec"]["suspend"] = False
    cluster.api.update(cj)
    cluster.run_for(1)
    assert job_names(cluster) == [minute_name("tick", 10 * MINUTE)]


def test_a_missed_time_past_the_starting_deadline_is_skipped():
    cluster = new_cluster()
    cluster.api.create(cron_job(suspend=True, startingDeadlineSeconds=30))
    cluster.run_for(5 * MINUTE + 45)
    cj = cluster.get("CronJob", "tick")
    cj["spec"]["suspend"] = False
    cluster.api.update(cj)
    cluster.run_for(1)
    # The controller looks back no further than the deadline (09:05:16), so the 09:05 time
    # is not found at all: no Job and, in the v2 controller, no MissSchedule either.
    assert job_names(cluster) == []
    assert events(cluster) == []
    cluster.run_for(20)
    assert job_names(cluster) == [minute_name("tick", 6 * MINUTE)]


def test_a_job_made_by_hand_is_owned_but_not_active():
    cluster = new_cluster()
    cluster.api.create(cron_job(schedule="@hourly", command="sleep 30"))
    cj = cluster.get("CronJob", "tick")
    template = cj["spec"]["jobTemplate"]
    cluster.api.create(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": "by-hand",
                "annotations": {"cronjob.kubernetes.io/instantiate": "manual"},
                "ownerReferences": [
                    {
                        "apiVersion": "batch/v1",
                        "kind": "CronJob",
                        "name": "tick",
                        "uid": cj["metadata"]["uid"],
                        "controller": True,
                    }
                ],
            },
            "spec": template["spec"],
        }
    )
    cluster.run_for(5)
    assert "active" not in cluster.get("CronJob", "tick").get("status", {})
    assert events(cluster)[0][:3] == (
        "Warning",
        "UnexpectedJob",
        "Saw a job that the controller did not create or forgot: by-hand",
    )
    cluster.run_for(MINUTE)
    assert cluster.get("CronJob", "tick")["status"]["lastSuccessfulTime"]


def test_deleting_the_cron_job_deletes_its_jobs():
    cluster = new_cluster()
    cluster.api.create(cron_job(command="sleep 600"))
    cluster.run_for(2 * MINUTE + 1)
    assert len(job_names(cluster)) == 2
    cluster.api.delete("CronJob", "tick", "default")
    cluster.run_for(5)
    assert job_names(cluster) == []


def test_more_than_a_hundred_missed_times_warns_and_still_runs_the_latest():
    cluster = new_cluster()
    cluster.api.create(cron_job(suspend=True))
    cluster.run_for(150 * MINUTE + 10)
    cj = cluster.get("CronJob", "tick")
    cj["spec"]["suspend"] = False
    cluster.api.update(cj)
    cluster.run_for(1)
    assert job_names(cluster) == [minute_name("tick", 150 * MINUTE)]
    assert events(cluster)[0][:3] == (
        "Warning",
        "TooManyMissedTimes",
        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check "
        "clock skew",
    )


def test_a_time_zone_with_a_fixed_offset_moves_the_schedule():
    cluster = new_cluster()
    # 09:00 UTC is 18:00 in Seoul: "5 18 * * *" there is 09:05 UTC.
    cluster.api.create(cron_job(schedule="5 18 * * *", timeZone="Asia/Seoul"))
    cluster.run_for(5 * MINUTE + 1)
    job = cluster.get("Job", minute_name("tick", 5 * MINUTE))
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == (
        "2026-01-05T18:05:00+09:00"
    )


@pytest.mark.parametrize(
    ("zone", "message"),
    [
        ("", 'spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string'),
        (
            "America/New_York",
            "spec.timeZone: Forbidden: America/New_York is not modelled by the simulator",
        ),
    ],
)
def test_time_zones_the_simulator_refuses(zone, message):
    cluster = new_cluster()
    with pytest.raises(ApiError) as caught:
        cluster.api.create(cron_job(timeZone=zone))
    assert message in caught.value.message
