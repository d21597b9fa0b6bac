"""CronJobs through kubectl: create cronjob (its dry run as kubectl prints it), create job
--from=cronjob/NAME, get cronjobs with kubectl's columns, describe cronjob, set image."""

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
kind: CronJob
metadata:
  name: mycj
spec:
  jobTemplate:
    metadata:
      name: mycj
    spec:
      template:
        metadata: {}
        spec:
          containers:
          - image: busybox
            name: mycj
            resources: {}
          restartPolicy: OnFailure
  schedule: '*/1 * * * *'
status: {}
"""


def test_create_cronjob_dry_run_and_its_errors(session):
    assert run(
        session,
        "create cronjob mycj --image=busybox --schedule='*/1 * * * *' --dry-run=client -o yaml",
    ) == (DRY_RUN, "", 0)
    assert run(session, "create cj x")[1] == 'error: required flag(s) "image", "schedule" not set\n'
    assert run(session, "create cronjob x --image=busybox --schedule=hourly")[1] == (
        'error: failed to create cronjob: CronJob.batch "x" is invalid: spec.schedule: '
        'Invalid value: "hourly": expected exactly 5 fields, found 1: [hourly]\n'
    )
    assert run(session, "create cronjob x --image=busybox --schedule=@daily --restart=Always")[
        1
    ] == (
        'error: failed to create cronjob: CronJob.batch "x" is invalid: '
        "spec.jobTemplate.spec.template.spec.restartPolicy: Required value: "
        'valid values: "OnFailure", "Never"\n'
    )


def test_get_and_describe_a_cron_job_that_ran(session):
    assert run(session, "create cronjob tick --image=busybox:1.36 --schedule=*/5\\ *\\ *\\ *\\ *")[
        0
    ] == ("cronjob.batch/tick created\n")
    session.cluster.run_for(5 * 60 + 20)
    assert run(session, "get cronjobs")[0] == (
        "NAME   SCHEDULE      TIMEZONE   SUSPEND   ACTIVE   LAST SCHEDULE   AGE\n"
        "tick   */5 * * * *   <none>     False     0        20s             5m20s\n"
    )
    wide = run(session, "get cj -o wide")[0].splitlines()
    assert wide[0].split()[-3:] == ["CONTAINERS", "IMAGES", "SELECTOR"]
    assert wide[1].split()[-3:] == ["tick", "busybox:1.36", "<none>"]
    described = run(session, "describe cronjob tick")[0]
    assert described.startswith(
        "Name:                          tick\n"
        "Namespace:                     default\n"
        "Labels:                        <none>\n"
        "Annotations:                   <none>\n"
        "Schedule:                      */5 * * * *\n"
        "Concurrency Policy:            Allow\n"
        "Suspend:                       False\n"
        "Successful Job History Limit:  3\n"
        "Failed Job History Limit:      1\n"
        "Starting Deadline Seconds:     <unset>\n"
        "Selector:                      <unset>\n"
        "Parallelism:                   <unset>\n"
        "Completions:                   <unset>\n"
        "Pod Template:\n"
    )
    assert (
        "Last Schedule Time:  Mon, 05 Jan 2026 09:05:00 +0000\nActive Jobs:         <none>\n"
        in (described)
    )
    assert "  Normal  SuccessfulCreate  20s   cronjob-controller  Created job tick-29460065\n" in (
        described
    )


def test_create_job_from_a_cron_job(session):
    run(session, "create cronjob nightly --image=busybox:1.36 --schedule=@daily -- echo hi")
    stdout, stderr, code = run(session, "create job now --from=cronjob/nightly")
    assert (stdout, stderr, code) == ("job.batch/now created\n", "", 0)
    job = session.cluster.get("Job", "now")
    assert job["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    owner = job["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "CronJob" and owner["controller"] is True
    assert "blockOwnerDeletion" not in owner
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    session.cluster.run_for(30)
    assert run(session, "get job now")[0].split()[6:8] == ["Complete", "1/1"]
    assert run(session, "create job again --from=cronjob/missing")[1] == (
        'Error from server (NotFound): cronjobs.batch "missing" not found\n'
    )
    run(session, "create deployment web --image=nginx")
    assert run(session, "create job again --from=deployment/web")[1] == (
        "error: unknown object type *v1.Deployment\n"
    )
    assert run(session, "create job again --from=cronjob/nightly -- date")[1] == (
        "error: cannot specify --from and command\n"
    )


def test_set_image_reaches_the_job_template(session):
    run(session, "create cronjob nightly --image=busybox:1.36 --schedule=@daily")
    assert run(session, "set image cj/nightly nightly=busybox:1.37")[0] == (
        "cronjob.batch/nightly image updated\n"
    )
    spec = session.cluster.get("CronJob", "nightly")["spec"]
    assert spec["jobTemplate"]["spec"]["template"]["spec"]["containers"][0]["image"] == (
        "busybox:1.37"
    )
