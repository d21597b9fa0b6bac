"""Files of downward API and projected volumes, as ``kubectl exec -- cat`` shows them: the
service account's namespace and CA in every pod, labels and annotations as the kubelet writes
them (``fieldpath.FormatMap``), and a projected source that is missing blocks the mount."""

from __future__ import annotations

import pytest
from cluster_helpers import container_status, events, new_cluster, pod

from k8sgame.engine.errors import go_quote

SLEEPER = {"name": "app", "image": "busybox:1.36", "command": ["sleep", "3600"]}
TOKEN_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


def _running(cluster, name, containers, **spec):
    cluster.create(pod(name, containers, **spec))
    cluster.run_for(30)
    assert "running" in container_status(cluster, name)["state"]


def test_every_pod_sees_its_service_account_files():
    cluster = new_cluster()
    _running(cluster, "web", [SLEEPER])
    assert cluster.exec("web", ["ls", TOKEN_DIR]).output == "ca.crt\nnamespace\ntoken\n"
    assert cluster.exec("web", ["cat", f"{TOKEN_DIR}/namespace"]).output == "default"
    ca = cluster.get("ConfigMap", "kube-root-ca.crt")["data"]["ca.crt"]
    assert cluster.exec("web", ["cat", f"{TOKEN_DIR}/ca.crt"]).output == ca
    # No signed token: the file says it is the simulator's, and for whom.
    token = cluster.exec("web", ["cat", f"{TOKEN_DIR}/token"]).output
    assert token == "k8sgame-simulated-token:system:serviceaccount:default:default"


def test_downward_api_files_hold_fields_and_the_label_and_annotation_maps():
    cluster = new_cluster()
    manifest = pod(
        "info",
        [{**SLEEPER, "volumeMounts": [{"name": "podinfo", "mountPath": "/etc/podinfo"}]}],
        volumes=[
            {
                "name": "podinfo",
                "downwardAPI": {
                    "items": [
                        {"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}},
                        {"path": "notes", "fieldRef": {"fieldPath": "metadata.annotations"}},
                        {"path": "name", "fieldRef": {"fieldPath": "metadata.name"}},
                        {"path": "tier", "fieldRef": {"fieldPath": "metadata.labels['tier']"}},
                    ]
                },
            }
        ],
    )
    manifest["metadata"]["labels"] = {"tier": "front", "app": "web"}
    manifest["metadata"]["annotations"] = {"note": 'say "hi"\tthen go'}
    cluster.create(manifest)
    cluster.run_for(30)

    def cat(path):
        return cluster.exec("info", ["cat", f"/etc/podinfo/{path}"]).output

    assert cat("labels") == 'app="web"\ntier="front"'  # key order, no newline at the end
    assert cat("notes") == 'note="say \\"hi\\"\\tthen go"'
    assert (cat("name"), cat("tier")) == ("info", "front")


def test_a_projected_source_that_is_missing_blocks_the_mount():
    cluster = new_cluster()
    mounts = [{"name": "bundle", "mountPath": "/etc/bundle"}]
    sources = [{"configMap": {"name": "settings"}}, {"secret": {"name": "creds"}}]
    cluster.create(
        pod(
            "bundled",
            [{**SLEEPER, "volumeMounts": mounts}],
            volumes=[{"name": "bundle", "projected": {"sources": sources}}],
        )
    )
    cluster.run_for(20)
    failed = events(cluster, "bundled", "FailedMount")
    assert failed[0]["message"] == (
        'MountVolume.SetUp failed for volume "bundle" : configmap "settings" not found'
    )
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "settings"},
            "data": {"a": "1"},
        }
    )
    cluster.create(
        {"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds"}, "data": {"b": "Mg=="}}
    )
    cluster.run_for(150)
    assert cluster.exec("bundled", ["cat", "/etc/bundle/a"]).output == "1"
    assert cluster.exec("bundled", ["cat", "/etc/bundle/b"]).output == "2"


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("web", '"web"'),
        ('a"b\\c', '"a\\"b\\\\c"'),
        ("line\nnext\ttab", '"line\\nnext\\ttab"'),
        ("한국어", '"한국어"'),  # printable runes stay as they are
        ("\x01\x7f", '"\\x01\\x7f"'),
        ("\u00a0", '"\\u00a0"'),  # not printable in Go's sense
    ],
)
def test_values_are_quoted_as_gos_percent_q(text, quoted):
    assert go_quote(text) == quoted
