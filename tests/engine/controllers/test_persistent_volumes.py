"""Storage: the API server's defaults and errors for PersistentVolumes, claims and classes,
the persistentvolume-controller's binding and reclaiming, kind's local-path provisioner
behind the default class, the protection finalizers and the scheduler's VolumeBinding."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.engine.errors import ApiError


def claim(name="data", size="1Gi", modes=("ReadWriteOnce",), **spec):
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name},
        "spec": {
            "accessModes": list(modes),
            "resources": {"requests": {"storage": size}},
            **spec,
        },
    }


def volume(name, size, modes=("ReadWriteOnce",), path=None, **spec):
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": {
            "capacity": {"storage": size},
            "accessModes": list(modes),
            "hostPath": {"path": path or f"/mnt/{name}"},
            **spec,
        },
    }


def pod(name, claim_name):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "containers": [
                {
                    "name": "app",
                    "image": "nginx:1.27",
                    "volumeMounts": [{"name": "data", "mountPath": "/data"}],
                }
            ],
            "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}],
        },
    }


def events(cluster, name, kind="PersistentVolumeClaim"):
    found = [
        e
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["kind"] == kind and e["involvedObject"]["name"] == name
    ]
    found.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [(e["type"], e["reason"], e["message"]) for e in found]


def phase(cluster, kind, name, namespace="default"):
    return cluster.get(kind, name, namespace)["status"]["phase"]


def test_defaults_and_the_default_class():
    cluster = new_cluster()
    pvc = cluster.api.create(claim())
    assert pvc["spec"]["storageClassName"] == "standard"
    assert pvc["spec"]["volumeMode"] == "Filesystem"
    assert pvc["metadata"]["finalizers"] == ["kubernetes.io/pvc-protection"]
    assert pvc["status"] == {"phase": "Pending"}
    # An explicit "" asks for a volume without a class: admission leaves it.
    assert cluster.api.create(claim("plain", storageClassName=""))["spec"]["storageClassName"] == ""
    pv = cluster.api.create(volume("pv1", "5Gi", storageClassName="manual"))
    assert pv["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert pv["metadata"]["finalizers"] == ["kubernetes.io/pv-protection"]
    assert pv["status"]["phase"] == "Pending"
    cluster.run_for(1)
    assert phase(cluster, "PersistentVolume", "pv1", "") == "Available"
    sc = cluster.get("StorageClass", "standard", "")
    assert (sc["provisioner"], sc["reclaimPolicy"], sc["volumeBindingMode"]) == (
        "rancher.io/local-path",
        "Delete",
        "WaitForFirstConsumer",
    )


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        (
            claim(modes=()),
            'The PersistentVolumeClaim "data" is invalid: spec.accessModes: Required value: '
            "at least 1 access mode is required",
        ),
        (
            claim(modes=("ReadWriteSome",)),
            'The PersistentVolumeClaim "data" is invalid: spec.accessModes: Unsupported value: '
            '"ReadWriteSome": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", '
            '"ReadWriteOncePod"',
        ),
        (
            {**claim(), "spec": {"accessModes": ["ReadWriteOnce"]}},
            'The PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Required value',
        ),
        (
            {
                **volume("pv1", "1Gi"),
                "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]},
            },
            'The PersistentVolume "pv1" is invalid: spec: Required value: must specify a volume type',
        ),
    ],
)
def test_the_api_server_refuses_bad_storage_objects(manifest, message):
    cluster = new_cluster()
    with pytest.raises(ApiError) as caught:
        cluster.api.create(manifest)
    assert caught.value.message == message


def test_a_claim_spec_cannot_change_and_a_class_keeps_its_provisioner():
    cluster = new_cluster()
    cluster.api.create(claim(storageClassName=""))
    pvc = cluster.get("PersistentVolumeClaim", "data")
    pvc["spec"]["accessModes"] = ["ReadWriteMany"]
    with pytest.raises(ApiError) as caught:
        cluster.api.update(pvc)
    assert caught.value.message.startswith(
        'The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after '
        "creation except resources.requests and volumeAttributesClassName for bound claims"
    )
    sc = cluster.get("StorageClass", "standard", "")
    sc["reclaimPolicy"] = "Retain"
    with pytest.raises(ApiError) as caught:
        cluster.api.update(sc)
    assert (
        "reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden." in caught.value.message
    )


def test_the_smallest_fitting_volume_is_bound_and_released_when_the_claim_goes():
    cluster = new_cluster()
    for name, size in (("pv-1g", "1Gi"), ("pv-5g", "5Gi"), ("pv-3g", "3Gi")):
        cluster.api.create(volume(name, size))
    cluster.run_for(1)
    cluster.api.create(claim(size="2Gi", storageClassName=""))
    cluster.run_for(1)
    pvc = cluster.get("PersistentVolumeClaim", "data")
    assert pvc["spec"]["volumeName"] == "pv-3g"
    assert pvc["status"] == {
        "phase": "Bound",
        "accessModes": ["ReadWriteOnce"],
        "capacity": {"storage": "3Gi"},
    }
    assert pvc["metadata"]["annotations"] == {
        "pv.kubernetes.io/bind-completed": "yes",
        "pv.kubernetes.io/bound-by-controller": "yes",
    }
    pv = cluster.get("PersistentVolume", "pv-3g", "")
    assert pv["spec"]["claimRef"]["uid"] == pvc["metadata"]["uid"]
    assert pv["status"]["phase"] == "Bound"
    assert events(cluster, "data") == []
    cluster.api.delete("PersistentVolumeClaim", "data", "default")
    cluster.run_for(1)
    assert phase(cluster, "PersistentVolume", "pv-3g", "") == "Released"


def test_no_volume_and_no_class_waits_with_the_controllers_words():
    cluster = new_cluster()
    cluster.api.create(volume("pv-rwo", "5Gi"))
    cluster.run_for(1)
    cluster.api.create(claim(modes=("ReadWriteMany",), storageClassName=""))
    cluster.run_for(31)
    assert phase(cluster, "PersistentVolumeClaim", "data") == "Pending"
    (only,) = {e for e in events(cluster, "data")}
    assert only == (
        "Normal",
        "FailedBinding",
        "no persistent volumes available for this claim and no storage class is set",
    )
    counts = [
        e["count"] for e in cluster.store.list("Event", "default") if e["reason"] == "FailedBinding"
    ]
    assert counts == [3]  # at 0 s, 15 s and 30 s: the binder's sync period


def test_a_claim_of_a_missing_class_and_its_pod_stay_pending():
    cluster = new_cluster()
    cluster.api.create(claim(storageClassName="fast"))
    cluster.api.create(pod("db", "data"))
    cluster.run_for(5)
    assert events(cluster, "data")[0] == (
        "Warning",
        "ProvisioningFailed",
        'storageclass.storage.k8s.io "fast" not found',
    )
    scheduled = cluster.get("Pod", "db")["status"]["conditions"][0]
    assert scheduled["message"] == (
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. no new "
        "claims to deallocate, preemption: 0/3 nodes are available: 3 Preemption is not "
        "helpful for scheduling."
    )


def test_a_pod_whose_claim_does_not_exist_is_not_scheduled():
    cluster = new_cluster()
    cluster.api.create(pod("db", "missing"))
    cluster.run_for(2)
    assert cluster.get("Pod", "db")["status"]["conditions"][0]["message"].startswith(
        '0/3 nodes are available: persistentvolumeclaim "missing" not found. '
    )
    cluster.api.create(claim("missing"))
    cluster.run_for(15)
    assert cluster.get("Pod", "db")["spec"].get("nodeName")


def test_wait_for_first_consumer_provisions_on_the_pods_node():
    cluster = new_cluster()
    cluster.api.create(claim())
    cluster.run_for(20)
    assert phase(cluster, "PersistentVolumeClaim", "data") == "Pending"
    assert events(cluster, "data") == [
        (
            "Normal",
            "WaitForFirstConsumer",
            "waiting for first consumer to be created before binding",
        )
    ]
    cluster.api.create(pod("db", "data"))
    created = cluster.now
    cluster.run_for(10)
    pvc = cluster.get("PersistentVolumeClaim", "data")
    node = cluster.get("Pod", "db")["spec"]["nodeName"]
    assert pvc["metadata"]["annotations"]["volume.kubernetes.io/selected-node"] == node
    pv = cluster.get("PersistentVolume", pvc["spec"]["volumeName"], "")
    assert pv["metadata"]["name"] == f"pvc-{pvc['metadata']['uid']}"
    assert pv["spec"]["hostPath"] == {
        "path": f"/var/local-path-provisioner/{pv['metadata']['name']}_default_data",
        "type": "DirectoryOrCreate",
    }
    assert pv["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"][0]["matchExpressions"] == [
        {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}
    ]
    reasons = [reason for _, reason, _ in events(cluster, "data")]
    assert reasons[-3:] == ["ExternalProvisioning", "Provisioning", "ProvisioningSucceeded"]
    # The pod waits, Pending and unbound, while the volume is made (about three seconds).
    scheduled = next(e for e in events(cluster, "db", "Pod") if e[1] == "Scheduled")
    assert scheduled[2] == f"Successfully assigned default/db to {node}"
    bound_at = min(
        e["firstTimestamp"]
        for e in cluster.store.list("Event", "default")
        if e["reason"] == "Scheduled"
    )
    from k8sgame.engine.timefmt import parse_rfc3339

    assert 3 <= parse_rfc3339(bound_at) - created <= 5
    # Deleting the pod, then the claim: the provisioner deletes the volume (reclaim Delete).
    cluster.api.delete("Pod", "db", "default", grace_period=0)
    cluster.api.delete("PersistentVolumeClaim", "data", "default")
    cluster.run_for(5)
    assert cluster.store.list("PersistentVolume") == []


def test_a_claim_in_use_waits_for_its_pod_before_it_goes():
    cluster = new_cluster()
    cluster.api.create(claim())
    cluster.api.create(pod("db", "data"))
    cluster.run_for(20)
    cluster.api.delete("PersistentVolumeClaim", "data", "default")
    cluster.run_for(5)
    pvc = cluster.get("PersistentVolumeClaim", "data")
    assert pvc["metadata"]["deletionTimestamp"] and pvc["metadata"]["finalizers"] == [
        "kubernetes.io/pvc-protection"
    ]
    cluster.api.delete("Pod", "db", "default")
    cluster.run_for(40)
    assert cluster.store.list("PersistentVolumeClaim", "default") == []


def test_a_released_static_host_path_volume_with_delete_fails_outside_tmp():
    cluster = new_cluster()
    cluster.api.create(
        volume("pv1", "1Gi", persistentVolumeReclaimPolicy="Delete", path="/mnt/data")
    )
    cluster.api.create(
        volume("pv2", "1Gi", persistentVolumeReclaimPolicy="Delete", path="/tmp/data")
    )
    cluster.api.create(claim("a", storageClassName="", volumeName="pv1"))
    cluster.api.create(claim("b", storageClassName="", volumeName="pv2"))
    cluster.run_for(1)
    assert phase(cluster, "PersistentVolumeClaim", "a") == "Bound"
    cluster.api.delete("PersistentVolumeClaim", "a", "default")
    cluster.api.delete("PersistentVolumeClaim", "b", "default")
    cluster.run_for(1)
    failed = cluster.get("PersistentVolume", "pv1", "")
    assert failed["status"]["phase"] == "Failed"
    assert failed["status"]["message"] == (
        "host_path deleter only supports /tmp/.+ but received provided /mnt/data"
    )
    assert [n["metadata"]["name"] for n in cluster.store.list("PersistentVolume")] == ["pv1"]


def test_a_static_volume_waiting_for_the_first_consumer_is_bound_by_the_scheduler():
    cluster = new_cluster()
    cluster.api.create(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "local"},
            "provisioner": "kubernetes.io/no-provisioner",
            "volumeBindingMode": "WaitForFirstConsumer",
        }
    )
    affinity = {
        "required": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "kubernetes.io/hostname", "operator": "In", "values": ["node-2"]}
                    ]
                }
            ]
        }
    }
    cluster.api.create(volume("local-pv", "2Gi", storageClassName="local", nodeAffinity=affinity))
    cluster.api.create(claim(storageClassName="local"))
    cluster.api.create(pod("db", "data"))
    cluster.run_for(5)
    assert cluster.get("Pod", "db")["spec"]["nodeName"] == "node-2"
    assert cluster.get("PersistentVolumeClaim", "data")["spec"]["volumeName"] == "local-pv"
    # No volume left on any node: "didn't find available persistent volumes to bind".
    cluster.api.create(claim("more", storageClassName="local"))
    cluster.api.create(pod("db2", "more"))
    cluster.run_for(2)
    assert cluster.get("Pod", "db2")["status"]["conditions"][0]["message"].startswith(
        "0/3 nodes are available: 1 node(s) had untolerated taint(s), 2 node(s) didn't find "
        "available persistent volumes to bind."
    )
