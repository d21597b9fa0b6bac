"""Storage through kubectl: get and describe for PersistentVolumes, claims and classes with
kubectl 1.35's columns and layouts, and the kind-like default class."""

from __future__ import annotations

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

PV = """apiVersion: v1
kind: PersistentVolume
metadata:
  name: pv-data
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteOnce, ReadOnlyMany]
  hostPath: {path: /mnt/data}
"""
PVC = """apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
spec:
  storageClassName: ""
  accessModes: [ReadWriteOnce]
  resources:
    requests: {storage: 1Gi}
"""


@pytest.fixture
def session():
    return KubectlSession(new_cluster())


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_the_default_class_as_kubectl_shows_it(session):
    assert run(session, "get sc")[0] == (
        "NAME                 PROVISIONER             RECLAIMPOLICY   VOLUMEBINDINGMODE      "
        "ALLOWVOLUMEEXPANSION   AGE\n"
        "standard (default)   rancher.io/local-path   Delete          WaitForFirstConsumer   "
        "false                  0s\n"
    )
    assert run(session, "describe storageclass standard")[0] == (
        "Name:                  standard\n"
        "IsDefaultClass:        Yes\n"
        "Annotations:           storageclass.kubernetes.io/is-default-class=true\n"
        "Provisioner:           rancher.io/local-path\n"
        "Parameters:            <none>\n"
        "AllowVolumeExpansion:  <unset>\n"
        "MountOptions:          <none>\n"
        "ReclaimPolicy:         Delete\n"
        "VolumeBindingMode:     WaitForFirstConsumer\n"
        "Events:                <none>\n"
    )


def test_a_static_volume_bound_to_a_claim(session):
    for manifest in (PV, PVC):
        session.cluster.api.create(yaml.safe_load(manifest))
    session.cluster.run_for(5)
    assert run(session, "get pv")[0] == (
        "NAME      CAPACITY   ACCESS MODES   RECLAIM POLICY   STATUS   CLAIM          "
        "STORAGECLASS   VOLUMEATTRIBUTESCLASS   REASON   AGE\n"
        "pv-data   2Gi        RWO,ROX        Retain           Bound    default/data                  "
        "<unset>                          5s\n"
    )
    assert run(session, "get pvc -o wide")[0] == (
        "NAME   STATUS   VOLUME    CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   "
        "AGE   VOLUMEMODE\n"
        "data   Bound    pv-data   2Gi        RWO,ROX                       <unset>                 "
        "5s    Filesystem\n"
    )
    assert run(session, "describe pvc data")[0] == (
        "Name:          data\n"
        "Namespace:     default\n"
        "StorageClass:  \n"
        "Status:        Bound\n"
        "Volume:        pv-data\n"
        "Labels:        <none>\n"
        "Annotations:   pv.kubernetes.io/bind-completed: yes\n"
        "               pv.kubernetes.io/bound-by-controller: yes\n"
        "Finalizers:    [kubernetes.io/pvc-protection]\n"
        "Capacity:      2Gi\n"
        "Access Modes:  RWO,ROX\n"
        "VolumeMode:    Filesystem\n"
        "Used By:       <none>\n"
        "Events:        <none>\n"
    )
    assert run(session, "describe pv pv-data")[0] == (
        "Name:            pv-data\n"
        "Labels:          <none>\n"
        "Annotations:     pv.kubernetes.io/bound-by-controller: yes\n"
        "Finalizers:      [kubernetes.io/pv-protection]\n"
        "StorageClass:    \n"
        "Status:          Bound\n"
        "Claim:           default/data\n"
        "Reclaim Policy:  Retain\n"
        "Access Modes:    RWO,ROX\n"
        "VolumeMode:      Filesystem\n"
        "Capacity:        2Gi\n"
        "Node Affinity:   <none>\n"
        "Message:         \n"
        "Source:\n"
        "    Type:          HostPath (bare host directory volume)\n"
        "    Path:          /mnt/data\n"
        "    HostPathType:  <none>\n"
        "Events:            <none>\n"
    )
    assert run(session, "delete pvc data")[0] == (
        'persistentvolumeclaim "data" deleted from default namespace\n'
    )
    session.cluster.run_for(1)
    assert run(session, "get pv pv-data --no-headers")[0].split()[4:6] == [
        "Released",
        "default/data",
    ]


def test_a_claim_of_a_missing_class(session):
    session.cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "fast"},
            "spec": {
                "storageClassName": "fast-ssd",
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        }
    )
    session.cluster.run_for(31)
    assert run(session, "get pvc")[0] == (
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   VOLUMEATTRIBUTESCLASS   AGE\n"
        "fast   Pending                                      fast-ssd       <unset>                 31s\n"
    )
    assert run(session, "describe pvc fast")[0].endswith(
        "Used By:       <none>\n"
        "Events:\n"
        "  Type     Reason              Age               From                         Message\n"
        "  ----     ------              ----              ----                         -------\n"
        "  Warning  ProvisioningFailed  1s (x3 over 31s)  persistentvolume-controller  "
        'storageclass.storage.k8s.io "fast-ssd" not found\n'
    )


def test_discovery_lists_the_storage_kinds(session):
    rows = [line.split() for line in run(session, "api-resources")[0].splitlines()]
    assert ["persistentvolumeclaims", "pvc", "v1", "true", "PersistentVolumeClaim"] in rows
    assert ["persistentvolumes", "pv", "v1", "false", "PersistentVolume"] in rows
    assert ["storageclasses", "sc", "storage.k8s.io/v1", "false", "StorageClass"] in rows
    assert "storage.k8s.io/v1" in run(session, "api-versions")[0].splitlines()
