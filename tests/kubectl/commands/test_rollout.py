"""``kubectl rollout status|history|undo|restart|pause|resume`` and ``get``/``describe``
of Deployments, with kubectl's exact lines."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from deployment_helpers import deployment, replica_sets

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=3))
    cluster.run_for(30)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def hashes(session):
    return [rs["metadata"]["name"] for rs in replica_sets(session.cluster)]


def test_get_deployments_shows_ready_up_to_date_and_available(session):
    assert session.run("get deploy").stdout == (
        "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    3/3     3            3           30s\n"
    )
    assert session.run("get deployments.apps -o wide").stdout.splitlines()[1].split() == [
        "web",
        "3/3",
        "3",
        "3",
        "30s",
        "nginx",
        "nginx:1.25",
        "app=web",
    ]


def test_describe_deployment_lists_strategy_conditions_and_replica_sets(session):
    [rs] = hashes(session)
    text = session.run("describe deploy web").stdout
    assert (
        "Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable\n"
        in text
    )
    assert "RollingUpdateStrategy:  25% max unavailable, 25% max surge\n" in text
    assert (
        "Conditions:\n"
        "  Type           Status  Reason\n"
        "  ----           ------  ------\n"
        "  Available      True    MinimumReplicasAvailable\n"
        "  Progressing    True    NewReplicaSetAvailable\n"
        "OldReplicaSets:  <none>\n"
        f"NewReplicaSet:   {rs} (3/3 replicas created)\n"
    ) in text
    assert (
        f"Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set {rs} from 0 to 3"
        in text
    )
    session.run("set image deploy/web nginx=nginx:1.27")
    session.cluster.run_for(40)
    old, new = hashes(session)
    text = session.run("describe deploy web").stdout
    assert (
        f"OldReplicaSets:  {old} (0/0 replicas created)\nNewReplicaSet:   {new} (3/3 replicas created)\n"
        in text
    )


def test_rollout_status_prints_each_step_until_the_rollout_is_done(session):
    session.run("set image deploy/web nginx=nginx:1.27")
    out, err, code = run(session, "rollout status deployment/web")
    lines = out.splitlines()
    assert (err, code) == ("", 0)
    assert lines[-1] == 'deployment "web" successfully rolled out'
    assert (
        'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...'
        in lines
    )
    assert (
        'Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...'
        in lines
    )
    # Already done: one line.
    assert run(session, "rollout status deploy web") == (
        'deployment "web" successfully rolled out\n',
        "",
        0,
    )


def test_rollout_status_reports_the_progress_deadline_and_a_timeout(session):
    session.run('patch deploy web -p \'{"spec":{"progressDeadlineSeconds":30}}\'')
    session.run("set image deploy/web nginx=nginx:9.99")
    out, err, code = run(session, "rollout status deploy/web --timeout=10s")
    assert (err, code) == ("error: timed out waiting for the condition\n", 1)
    assert out.splitlines()[-1].startswith('Waiting for deployment "web" rollout to finish:')
    out, err, code = run(session, "rollout status deploy/web")
    assert (err, code) == ('error: deployment "web" exceeded its progress deadline\n', 1)
    out, err, code = run(session, "rollout status deploy/web --watch=false --revision=9")
    assert err == "error: desired revision (9) is different from the running revision (2)\n"


def test_rollout_status_without_watch_prints_one_line(session):
    session.run("set image deploy/web nginx=nginx:1.27")
    out, _, code = run(session, "rollout status deploy/web -w=false")
    assert (out.count("\n"), code) == (1, 0)
    assert out.startswith('Waiting for deployment "web" rollout to finish')


def test_rollout_history_and_undo(session):
    assert run(session, "rollout history deploy/web") == (
        "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n",
        "",
        0,
    )
    assert run(session, "rollout undo deploy/web") == (
        "",
        'error: no rollout history found for deployment "web"\n',
        1,
    )
    session.run("set image deploy/web nginx=nginx:9.99")
    session.run("annotate deploy/web kubernetes.io/change-cause='try 9.99'")
    session.cluster.run_for(20)
    out, _, _ = run(session, "rollout history deploy/web")
    assert (
        out
        == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         try 9.99\n\n"
    )
    first = hashes(session)[0]
    out, _, _ = run(session, "rollout history deploy/web --revision=1")
    assert out.startswith(
        f"deployment.apps/web with revision #1\nPod Template:\n  Labels:\tapp=web\n\tpod-template-hash={first.removeprefix('web-')}\n"
    )
    assert "    Image:\tnginx:1.25\n" in out
    assert run(session, "rollout history deploy/web --revision=7")[1] == (
        "error: unable to find the specified revision\n"
    )
    assert run(session, "rollout undo deploy/web --to-revision=7")[1] == (
        "error: unable to find specified revision 7 in history\n"
    )
    assert run(session, "rollout undo deploy/web") == ("deployment.apps/web rolled back\n", "", 0)
    session.cluster.run_for(30)
    out, _, _ = run(session, "rollout history deploy/web")
    assert (
        out
        == "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         try 9.99\n3         <none>\n\n"
    )
    assert (
        session.cluster.get("Deployment", "web")["spec"]["template"]["spec"]["containers"][0][
            "image"
        ]
        == "nginx:1.25"
    )
    assert run(session, "rollout undo deploy/web --to-revision=3") == (
        "deployment.apps/web skipped rollback (current template already matches revision 3)\n",
        "",
        0,
    )
    out, _, code = run(session, "rollout undo deploy/web --dry-run=client")
    assert out.startswith("deployment.apps/web Pod Template:\n") and out.endswith(" (dry run)\n")
    assert "nginx:9.99" in out and code == 0


def test_pause_resume_and_restart(session):
    session.run("set image deploy/web nginx=nginx:1.27")
    session.cluster.run_for(40)
    assert run(session, "rollout pause deploy/web") == ("deployment.apps/web paused\n", "", 0)
    assert run(session, "rollout pause deploy/web") == (
        "",
        'error: deployments.apps "web" is already paused\n',
        1,
    )
    assert run(session, "rollout restart deploy/web") == (
        "",
        'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)\n',
        1,
    )
    assert run(session, "rollout undo deploy/web")[1] == (
        "error: you cannot rollback a paused deployment; resume it first with 'kubectl rollout"
        " resume' and try again\n"
    )
    assert run(session, "rollout resume deploy/web") == ("deployment.apps/web resumed\n", "", 0)
    assert (
        run(session, "rollout resume deploy/web")[1]
        == 'error: deployments.apps "web" is not paused\n'
    )
    assert run(session, "rollout restart deploy/web") == ("deployment.apps/web restarted\n", "", 0)
    template = session.cluster.get("Deployment", "web")["spec"]["template"]
    assert template["metadata"]["annotations"] == {
        "kubectl.kubernetes.io/restartedAt": "2026-01-05T09:01:10Z"
    }
    session.cluster.run_for(40)
    assert len(hashes(session)) == 3


def test_rollout_of_a_kind_without_rollouts(session):
    session.run("run solo --image=nginx")
    assert (
        run(session, "rollout status pod/solo")[1]
        == "error: no status viewer has been implemented for Pod\n"
    )
    assert (
        run(session, "rollout history pod/solo")[1]
        == 'error: no history viewer has been implemented for "Pod"\n'
    )
    assert (
        run(session, "rollout pause pod/solo")[1] == 'error: pods "solo" pausing is not supported\n'
    )
    assert run(session, "rollout")[2] == 1


def test_a_type_alone_means_every_object_of_it(session):
    session.cluster.api.create(deployment(replicas=1, name="api"))
    session.cluster.run_for(20)
    assert run(session, "rollout restart deployment") == (
        "deployment.apps/api restarted\ndeployment.apps/web restarted\n",
        "",
        0,
    )
    out, err, code = run(session, "rollout status deployments")
    assert (err, code) == ("", 0)
    assert out.splitlines()[-1] == 'deployment "web" successfully rolled out'
    assert 'deployment "api" successfully rolled out' in out.splitlines()
    assert run(session, "rollout status deploy -l app=none") == (
        "",
        "No resources found in default namespace.\n",
        0,
    )
    for verb in ("status", "history", "undo", "restart", "pause", "resume"):
        assert run(session, f"rollout {verb}") == (
            "",
            "error: required resource not specified\n",
            1,
        )


def test_history_of_one_revision_shows_its_change_cause(session):
    session.run("annotate deploy/web kubernetes.io/change-cause='first release'")
    session.cluster.run_for(5)
    out, _, _ = run(session, "rollout history deploy/web --revision=1")
    assert "  Annotations:\tkubernetes.io/change-cause: first release\n" in out
