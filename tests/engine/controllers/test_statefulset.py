"""The StatefulSet controller: ordered creation with stable names and claims, Parallel,
scale-down from the highest ordinal, claims kept, a failed pod made again, rolling updates
from the highest ordinal down to the partition, the retention policy, status, and the API
server's defaults and errors."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError
from k8sgame.engine.timefmt import parse_rfc3339


def stateful_set(name="db", replicas=3, claims=True, **spec):
    body = {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "serviceName": name,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "db", "image": "nginx:1.27"}]},
            },
            **spec,
        },
    }
    if claims:
        body["spec"]["volumeClaimTemplates"] = [
            {
                "metadata": {"name": "data"},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ]
    return body


def pods(cluster, namespace="default"):
    return {
        p["metadata"]["name"]: p
        for p in cluster.store.list("Pod", namespace)
        if not p["metadata"].get("deletionTimestamp")
    }


def created_at(cluster, name):
    return parse_rfc3339(cluster.get("Pod", name)["metadata"]["creationTimestamp"])


def messages(cluster, name="db"):
    found = [
        e
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == "StatefulSet" and e["involvedObject"]["name"] == name
    ]
    found.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [e["message"] for e in found]


def test_defaults_and_errors():
    cluster = new_cluster()
    spec = cluster.api.create(stateful_set(claims=True))["spec"]
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["revisionHistoryLimit"] == 10
    assert spec["volumeClaimTemplates"][0]["spec"]["volumeMode"] == "Filesystem"
    assert spec["volumeClaimTemplates"][0]["status"] == {"phase": "Pending"}
    sts = cluster.get("StatefulSet", "db")
    sts["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]["requests"]["storage"] = "2Gi"
    with pytest.raises(ApiError) as caught:
        cluster.api.update(sts)
    assert caught.value.message == (
        'The StatefulSet.apps "db" is invalid: spec: Forbidden: updates to statefulset spec for '
        "fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
        "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' "
        "are forbidden"
    )
    with pytest.raises(ApiError) as caught:
        cluster.api.create(stateful_set("bad", podManagementPolicy="Random"))
    assert (
        "spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"
        in (caught.value.message)
    )


def test_ordered_ready_makes_one_pod_at_a_time_with_its_claim():
    cluster = new_cluster()
    cluster.api.create(stateful_set())
    cluster.run_for(2)
    assert sorted(pods(cluster)) == ["db-0"]
    cluster.run_for(40)
    assert sorted(pods(cluster)) == ["db-0", "db-1", "db-2"]
    # Each pod waits for the one before it to be Running and Ready.
    assert created_at(cluster, "db-0") < created_at(cluster, "db-1") < created_at(cluster, "db-2")
    pod = cluster.get("Pod", "db-1")
    labels = pod["metadata"]["labels"]
    assert labels["statefulset.kubernetes.io/pod-name"] == "db-1"
    assert labels["apps.kubernetes.io/pod-index"] == "1"
    assert labels["controller-revision-hash"].startswith("db-")
    assert (pod["spec"]["hostname"], pod["spec"]["subdomain"]) == ("db-1", "db")
    assert pod["spec"]["volumes"][0] == {
        "name": "data",
        "persistentVolumeClaim": {"claimName": "data-db-1"},
    }
    claim = cluster.get("PersistentVolumeClaim", "data-db-1")
    assert claim["metadata"]["labels"] == {"app": "db"}
    assert claim["status"]["phase"] == "Bound"
    assert messages(cluster)[:2] == [
        "create Claim data-db-0 Pod db-0 in StatefulSet db success",
        "create Pod db-0 in StatefulSet db successful",
    ]
    status = cluster.get("StatefulSet", "db")["status"]
    assert status["replicas"] == status["readyReplicas"] == status["availableReplicas"] == 3
    assert (
        status["currentRevision"] == status["updateRevision"] == labels["controller-revision-hash"]
    )


def test_parallel_makes_every_pod_at_once():
    cluster = new_cluster()
    cluster.api.create(stateful_set(claims=False, podManagementPolicy="Parallel"))
    cluster.run_for(1)
    assert sorted(pods(cluster)) == ["db-0", "db-1", "db-2"]


def test_a_pod_that_cannot_get_its_claim_blocks_the_ones_after_it():
    cluster = new_cluster()
    sts = stateful_set()
    sts["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"] = "missing"
    cluster.api.create(sts)
    cluster.run_for(60)
    assert sorted(pods(cluster)) == ["db-0"]
    assert cluster.get("Pod", "db-0")["status"]["phase"] == "Pending"
    assert cluster.get("StatefulSet", "db")["status"].get("readyReplicas") is None


def test_scale_down_goes_from_the_top_and_keeps_the_claims():
    cluster = new_cluster()
    cluster.api.create(stateful_set())
    cluster.run_for(40)
    sts = cluster.get("StatefulSet", "db")
    sts["spec"]["replicas"] = 1
    cluster.api.update(sts)
    cluster.run_for(1)
    assert "db-2" not in pods(cluster) and "db-1" in pods(cluster)
    cluster.run_for(60)
    assert sorted(pods(cluster)) == ["db-0"]
    assert [m for m in messages(cluster) if m.startswith("delete")] == [
        "delete Pod db-2 in StatefulSet db successful",
        "delete Pod db-1 in StatefulSet db successful",
    ]
    claims = sorted(
        c["metadata"]["name"] for c in cluster.store.list("PersistentVolumeClaim", "default")
    )
    assert claims == ["data-db-0", "data-db-1", "data-db-2"]
    # Scaling up again reuses the claims with their volumes.
    volume = cluster.get("PersistentVolumeClaim", "data-db-2")["spec"]["volumeName"]
    sts = cluster.get("StatefulSet", "db")
    sts["spec"]["replicas"] = 3
    cluster.api.update(sts)
    cluster.run_for(60)
    assert sorted(pods(cluster)) == ["db-0", "db-1", "db-2"]
    assert cluster.get("PersistentVolumeClaim", "data-db-2")["spec"]["volumeName"] == volume


def test_when_scaled_delete_removes_the_claim_with_its_pod():
    cluster = new_cluster()
    cluster.api.create(
        stateful_set(
            persistentVolumeClaimRetentionPolicy={"whenDeleted": "Retain", "whenScaled": "Delete"}
        )
    )
    cluster.run_for(40)
    sts = cluster.get("StatefulSet", "db")
    sts["spec"]["replicas"] = 2
    cluster.api.update(sts)
    cluster.run_for(60)
    claims = sorted(
        c["metadata"]["name"] for c in cluster.store.list("PersistentVolumeClaim", "default")
    )
    assert claims == ["data-db-0", "data-db-1"]


def test_a_rolling_update_goes_from_the_highest_ordinal_down_to_the_partition():
    cluster = new_cluster()
    cluster.api.create(
        stateful_set(
            claims=False,
            updateStrategy={"type": "RollingUpdate", "rollingUpdate": {"partition": 1}},
        )
    )
    cluster.run_for(40)
    old = cluster.get("StatefulSet", "db")["status"]["currentRevision"]
    sts = cluster.get("StatefulSet", "db")
    sts["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    cluster.api.update(sts)
    cluster.run_for(60)
    images = {n: p["spec"]["containers"][0]["image"] for n, p in pods(cluster).items()}
    assert images == {"db-0": "nginx:1.27", "db-1": "nginx:1.28", "db-2": "nginx:1.28"}
    deletes = [m for m in messages(cluster) if m.startswith("delete")]
    assert deletes == [
        "delete Pod db-2 in StatefulSet db successful",
        "delete Pod db-1 in StatefulSet db successful",
    ]
    status = cluster.get("StatefulSet", "db")["status"]
    assert status["currentRevision"] == old and status["updatedReplicas"] == 2
    # A pod below the partition is made again from the template it had.
    cluster.api.delete("Pod", "db-0", "default", grace_period=0)
    cluster.run_for(20)
    assert cluster.get("Pod", "db-0")["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_a_failed_pod_is_deleted_and_made_again():
    cluster = new_cluster()
    sts = stateful_set(claims=False, replicas=1)
    sts["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    cluster.api.create(sts)
    cluster.run_for(20)
    uid = cluster.get("Pod", "db-0")["metadata"]["uid"]
    pod = cluster.get("Pod", "db-0")
    pod["status"]["phase"] = "Failed"
    cluster.api.update_status(pod)
    cluster.run_for(40)
    assert cluster.get("Pod", "db-0")["metadata"]["uid"] != uid
    assert "delete Pod db-0 in StatefulSet db successful" in messages(cluster)
    creates = [
        e["count"]
        for e in cluster.store.list("Event", "default")
        if e["message"] == "create Pod db-0 in StatefulSet db successful"
    ]
    assert creates == [2]
