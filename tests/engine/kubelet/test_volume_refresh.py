"""A changed ConfigMap or Secret reaches the files of a running container at the pod's next
periodic sync (every 60 s from its start); subPath mounts and environment variables keep
what the container started with."""

from __future__ import annotations

from cluster_helpers import new_cluster, pod

LOOP = "while true; do cat /etc/app/greeting; echo; sleep 10; done"


def _config_map(data):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "app"}, "data": data}


def _start(cluster):
    cluster.create(_config_map({"greeting": "hello", "mode": "a"}))
    container = {
        "name": "web",
        "image": "busybox:1.36",
        "command": ["sh", "-c", LOOP],
        "envFrom": [{"configMapRef": {"name": "app"}}],
        "volumeMounts": [
            {"name": "cfg", "mountPath": "/etc/app"},
            {"name": "cfg", "mountPath": "/etc/mode", "subPath": "mode"},
        ],
    }
    cluster.create(pod("web", [container], volumes=[{"name": "cfg", "configMap": {"name": "app"}}]))
    cluster.run_for(25)


def _cat(cluster, path):
    return cluster.exec("web", ["cat", path]).output


def test_mounted_files_change_at_the_next_sync_and_subpath_and_env_do_not():
    cluster = new_cluster()
    _start(cluster)
    changed = cluster.get("ConfigMap", "app")
    changed["data"] = {"greeting": "bonjour", "mode": "b", "extra": "new"}
    cluster.api.update(changed)
    assert _cat(cluster, "/etc/app/greeting") == "hello"  # not before the pod's next sync
    cluster.run_for(34)  # the sync 60 s after the pod's first is still ahead
    assert _cat(cluster, "/etc/app/greeting") == "hello"
    cluster.run_for(2)
    assert _cat(cluster, "/etc/app/greeting") == "bonjour"
    assert _cat(cluster, "/etc/app/extra") == "new"
    assert _cat(cluster, "/etc/mode") == "a"  # a subPath mount keeps its file
    assert cluster.exec("web", ["sh", "-c", "echo $greeting"]).output == "hello\n"
    cluster.run_for(20)
    lines = [line for _, _, line in cluster.logs("web")]
    assert lines[:6] == ["hello"] * 6 and lines[-1] == "bonjour"


def test_a_removed_key_disappears_from_the_volume():
    cluster = new_cluster()
    _start(cluster)
    changed = cluster.get("ConfigMap", "app")
    changed["data"] = {"greeting": "hello"}
    cluster.api.update(changed)
    cluster.run_for(60)
    result = cluster.exec("web", ["cat", "/etc/app/mode"])
    assert result.exit_code == 1
    assert result.output == "cat: can't open '/etc/app/mode': No such file or directory\n"
