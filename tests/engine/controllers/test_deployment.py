"""The Deployment controller in a running cluster: ReplicaSets named by the pod-template
hash, rolling updates step by step, Recreate, revisions and rollback, the progress deadline,
pausing, proportional scaling, history limits, adoption, and the API server's defaults and
errors for the kind."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from deployment_helpers import (
    condition,
    deployment,
    live_pods,
    replica_sets,
    scaling_events,
    set_image,
    sizes,
)

from k8sgame.engine.errors import ApiError
from k8sgame.engine.objcopy import clone
from k8sgame.engine.timefmt import parse_rfc3339


def test_a_deployment_creates_a_replica_set_named_by_its_template_hash():
    cluster = new_cluster()
    created = cluster.api.create(deployment(replicas=3))
    assert created["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    assert (
        created["spec"]["revisionHistoryLimit"],
        created["spec"]["progressDeadlineSeconds"],
    ) == (
        10,
        600,
    )
    cluster.run_for(30)
    [rs] = replica_sets(cluster)
    pod_hash = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"web-{pod_hash}"
    assert set(pod_hash) <= set("456789bcdf")
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": pod_hash}}
    assert rs["metadata"]["annotations"] == {
        "deployment.kubernetes.io/revision": "1",
        "deployment.kubernetes.io/desired-replicas": "3",
        "deployment.kubernetes.io/max-replicas": "4",
    }
    assert rs["metadata"]["ownerReferences"][0]["kind"] == "Deployment"
    assert all(p["metadata"]["name"].startswith(f"web-{pod_hash}-") for p in live_pods(cluster))
    d = cluster.get("Deployment", "web")
    assert d["metadata"]["annotations"] == {"deployment.kubernetes.io/revision": "1"}
    status = {k: v for k, v in d["status"].items() if k != "conditions"}
    assert status == {
        "observedGeneration": 1,
        "replicas": 3,
        "updatedReplicas": 3,
        "readyReplicas": 3,
        "availableReplicas": 3,
        "terminatingReplicas": 0,
    }
    assert [
        (c["type"], c["status"], c["reason"], c["message"]) for c in d["status"]["conditions"]
    ] == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        (
            "Progressing",
            "True",
            "NewReplicaSetAvailable",
            f'ReplicaSet "{rs["metadata"]["name"]}" has successfully progressed.',
        ),
    ]
    assert scaling_events(cluster) == [
        f"Scaled up replica set {rs['metadata']['name']} from 0 to 3"
    ]


def test_a_rolling_update_moves_one_pod_at_a_time_within_surge_and_unavailability():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4))
    cluster.run_for(30)
    [(old, _)] = sizes(cluster)
    set_image(cluster, "nginx:1.27")
    cluster.run_for(60)
    (_, old_size), (new, new_size) = sizes(cluster)
    assert (old_size, new_size) == (0, 4)
    # 25% of 4: one pod over and one under at most, so each step moves one pod.
    assert scaling_events(cluster)[1:] == [
        f"Scaled up replica set {new} from 0 to 1",
        f"Scaled down replica set {old} from 4 to 3",
        f"Scaled up replica set {new} from 1 to 2",
        f"Scaled down replica set {old} from 3 to 2",
        f"Scaled up replica set {new} from 2 to 3",
        f"Scaled down replica set {old} from 2 to 1",
        f"Scaled up replica set {new} from 3 to 4",
        f"Scaled down replica set {old} from 1 to 0",
    ]
    d = cluster.get("Deployment", "web")
    assert d["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"
    assert d["status"]["updatedReplicas"] == d["status"]["availableReplicas"] == 4
    assert {p["spec"]["containers"][0]["image"] for p in live_pods(cluster)} == {"nginx:1.27"}


def test_going_back_to_an_old_template_reuses_its_replica_set_with_the_next_revision():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=2))
    cluster.run_for(30)
    set_image(cluster, "nginx:1.27")
    cluster.run_for(60)
    set_image(cluster, "nginx:1.25")
    cluster.run_for(60)
    first, second = replica_sets(cluster)
    assert len(replica_sets(cluster)) == 2
    assert (first["spec"]["replicas"], second["spec"]["replicas"]) == (2, 0)
    assert first["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "3"
    assert first["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    annotations = cluster.get("Deployment", "web")["metadata"]["annotations"]
    assert annotations["deployment.kubernetes.io/revision"] == "3"


def test_recreate_removes_every_old_pod_before_the_first_new_one():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=3, strategy={"type": "Recreate"}))
    cluster.run_for(30)
    [(old, _)] = sizes(cluster)
    overlaps = []

    def watch(event):
        # A pod that has finished (Succeeded or Failed) no longer runs, even while its object
        # waits to be removed (oldPodsRunning).
        pods = [
            p
            for p in cluster.store.list("Pod", "default")
            if p["status"].get("phase") not in ("Succeeded", "Failed")
        ]
        hashes = {p["metadata"]["labels"]["pod-template-hash"] for p in pods}
        if len(hashes) > 1:
            overlaps.append(sorted(hashes))

    cluster.store.watch(watch, ("Pod",))
    set_image(cluster, "nginx:1.27")
    cluster.run_for(90)
    assert overlaps == []
    (_, old_size), (new, new_size) = sizes(cluster)
    assert (old_size, new_size) == (0, 3)
    assert scaling_events(cluster)[1:] == [
        f"Scaled down replica set {old} from 3 to 0",
        f"Scaled up replica set {new} from 0 to 3",
    ]


def test_a_bad_image_stalls_the_rollout_until_the_progress_deadline_reports_it():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=4, progressDeadlineSeconds=60))
    cluster.run_for(30)
    set_image(cluster, "nginx:9.99")
    cluster.run_for(30)
    (_, old_size), (new, new_size) = sizes(cluster)
    assert (old_size, new_size) == (3, 2)
    progressing = condition(cluster, "Progressing")
    assert (progressing["status"], progressing["reason"]) == ("True", "ReplicaSetUpdated")
    last_update = parse_rfc3339(progressing["lastUpdateTime"])
    cluster.run_until(lambda: condition(cluster, "Progressing")["status"] == "False", 120)
    timed_out = condition(cluster, "Progressing")
    assert (timed_out["reason"], timed_out["message"]) == (
        "ProgressDeadlineExceeded",
        f'ReplicaSet "{new}" has timed out progressing.',
    )
    # The deadline counts from the condition's last update and must be passed, not met.
    assert 60 < cluster.now - last_update <= 62
    # Reporting does not stop anything: the old pods still serve.
    assert condition(cluster, "Available")["status"] == "True"
    assert sizes(cluster)[0][1] == 3


def test_a_paused_deployment_does_not_roll_out_until_it_is_resumed():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=2))
    cluster.run_for(30)
    cluster.api.patch("Deployment", "web", "default", {"spec": {"paused": True}})
    set_image(cluster, "nginx:1.27")
    cluster.run_for(30)
    assert len(replica_sets(cluster)) == 1
    progressing = condition(cluster, "Progressing")
    assert (progressing["status"], progressing["reason"], progressing["message"]) == (
        "Unknown",
        "DeploymentPaused",
        "Deployment is paused",
    )
    assert cluster.get("Deployment", "web")["status"].get("updatedReplicas", 0) == 0
    # Scaling still works while paused.
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 3}})
    cluster.run_for(20)
    assert sizes(cluster)[0][1] == 3
    cluster.api.patch("Deployment", "web", "default", {"spec": {"paused": False}})
    cluster.settle()
    assert condition(cluster, "Progressing")["reason"] in (
        "DeploymentResumed",
        "NewReplicaSetCreated",
        "ReplicaSetUpdated",
    )
    cluster.run_for(60)
    assert [size for _, size in sizes(cluster)] == [0, 3]
    assert condition(cluster, "Progressing")["reason"] == "NewReplicaSetAvailable"


def test_scaling_in_the_middle_of_a_rollout_shares_the_change_in_proportion():
    cluster = new_cluster()
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}}
    cluster.api.create(deployment(replicas=10, strategy=strategy))
    cluster.run_for(40)
    set_image(cluster, "nginx:9.99")
    cluster.run_for(30)
    assert [size for _, size in sizes(cluster)] == [8, 5]
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": 15}})
    cluster.run_for(5)
    # 13 pods were allowed (10 + 3), now 18 are: 8 × 18/13 ≈ 11, 5 × 18/13 ≈ 7.
    assert [size for _, size in sizes(cluster)] == [11, 7]


def test_old_replica_sets_beyond_the_history_limit_are_deleted():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=1, revisionHistoryLimit=1))
    cluster.run_for(30)
    for image in ("nginx:1.27", "nginx:1.28", "nginx:1.29"):
        set_image(cluster, image)
        cluster.run_for(40)
    kept = replica_sets(cluster)
    assert len(kept) == 2
    assert [rs["spec"]["template"]["spec"]["containers"][0]["image"] for rs in kept] == [
        "nginx:1.28",
        "nginx:1.29",
    ]


def test_a_matching_orphan_replica_set_is_adopted_and_deleting_the_deployment_removes_all():
    cluster = new_cluster()
    orphan = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": "web-handmade", "labels": {"app": "web"}},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": {"app": "web"}},
            "template": clone(deployment()["spec"]["template"]),
        },
    }
    cluster.api.create(orphan)
    cluster.run_for(10)
    cluster.api.create(deployment(replicas=2))
    cluster.run_for(40)
    adopted = cluster.get("ReplicaSet", "web-handmade")
    assert adopted["metadata"]["ownerReferences"][0]["name"] == "web"
    # Its template is the Deployment's, so it is the new ReplicaSet and takes the replicas.
    assert sizes(cluster) == [("web-handmade", 2)]
    cluster.api.delete("Deployment", "web", "default")
    cluster.run_for(60)
    assert replica_sets(cluster) == [] and cluster.store.list("Pod", "default") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"strategy": {"type": "Recreate", "rollingUpdate": {"maxSurge": 1}}},
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
        ),
        (
            {"strategy": {"type": "Blue"}},
            'spec.strategy: Unsupported value: {"type":"Blue"}: supported values: "Recreate", "RollingUpdate"',
        ),
        (
            {"strategy": {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": "0%"}}},
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when `maxSurge` is 0',
        ),
        (
            {"strategy": {"rollingUpdate": {"maxUnavailable": "150%"}}},
            'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%',
        ),
        (
            {"strategy": {"rollingUpdate": {"maxSurge": "lots"}}},
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"lots\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
        ),
        (
            {"minReadySeconds": 30, "progressDeadlineSeconds": 30},
            "spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds",
        ),
        (
            {"selector": {"matchLabels": {"app": "api"}}},
            'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
        ),
    ],
)
def test_the_api_server_rejects_bad_deployments_in_its_own_words(change, message):
    cluster = new_cluster()
    manifest = deployment()
    manifest["spec"].update(change)
    with pytest.raises(ApiError) as caught:
        cluster.api.create(manifest)
    assert message in [str(cause) for cause in caught.value.causes]


def test_the_selector_cannot_change():
    cluster = new_cluster()
    cluster.api.create(deployment())
    changed = clone(cluster.get("Deployment", "web"))
    changed["spec"]["selector"] = {"matchLabels": {"app": "web", "tier": "front"}}
    changed["spec"]["template"]["metadata"]["labels"]["tier"] = "front"
    with pytest.raises(ApiError) as caught:
        cluster.api.update(changed)
    assert any(
        "spec.selector" in c and "field is immutable" in c for c in map(str, caught.value.causes)
    )


def test_the_same_seed_replays_the_same_rollout():
    def run():
        cluster = new_cluster(seed=7)
        cluster.api.create(deployment(replicas=4))
        cluster.run_for(30)
        set_image(cluster, "nginx:1.27")
        cluster.run_for(60)
        return [
            (p["metadata"]["name"], p["status"]["phase"]) for p in cluster.store.list("Pod")
        ], scaling_events(cluster)

    assert run() == run()


def test_a_second_scale_down_of_one_old_replica_set_in_one_sync_is_written():
    cluster = new_cluster()
    strategy = {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 2}}
    cluster.api.create(deployment(replicas=4, strategy=strategy))
    cluster.run_for(30)
    [(old, _)] = sizes(cluster)
    # One old pod is not available: its node selector keeps it Pending.
    rs = clone(cluster.get("ReplicaSet", old))
    rs["spec"]["template"]["spec"]["nodeSelector"] = {"disk": "none-such"}
    cluster.api.update(rs)
    victim = live_pods(cluster)[0]["metadata"]["name"]
    cluster.api.delete("Pod", victim, "default")
    cluster.run_for(5)
    set_image(cluster, "nginx:1.27")
    cluster.settle()
    # The unavailable pod goes first, then one available one: 4 → 3 → 2 in the one sync.
    assert f"Scaled down replica set {old} from 4 to 3" in scaling_events(cluster)
    assert f"Scaled down replica set {old} from 3 to 2" in scaling_events(cluster)


def test_recreate_names_a_scale_down_as_one():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=3, strategy={"type": "Recreate"}))
    cluster.run_for(30)
    [(name, _)] = sizes(cluster)
    cluster.api.patch("ReplicaSet", name, "default", {"spec": {"replicas": 5}})
    cluster.run_for(10)
    assert scaling_events(cluster)[-1] == f"Scaled down replica set {name} from 5 to 3"
