"""What containers write to their volumes lives as long as the volume does, as on a real node,
seen through ``kubectl exec -- cat``: an emptyDir is one directory for the whole pod that
outlives container restarts but not the pod; a hostPath is the node's own directory; a claim
keeps its data while its volume exists, whatever happens to its pods; the local-path
provisioner's volume is a directory on its node that goes when the volume is deleted."""

from __future__ import annotations

from cluster_helpers import container_status, new_cluster, pod

from k8sgame.kubectl.session import KubectlSession

SLEEPER = {"name": "app", "image": "busybox:1.36", "command": ["sleep", "infinity"]}


def _mounts(*pairs, **extra):
    return [{"name": name, "mountPath": path, **extra} for name, path in pairs]


def _kubectl(session, command):
    result = session.run(command)
    return result.stdout + result.stderr


def _running(cluster, name, containers, seconds=30, **spec):
    cluster.create(pod(name, containers, **spec))
    cluster.run_for(seconds)
    for index in range(len(containers)):
        assert "running" in container_status(cluster, name, index)["state"]


def _host_pod(name, node, path, mount="/host"):
    return pod(
        name,
        [{**SLEEPER, "volumeMounts": _mounts(("host", mount))}],
        nodeName=node,
        volumes=[{"name": "host", "hostPath": {"path": path}}],
    )


# ---------------------------------------------------------------------------------------------
# emptyDir


def test_an_empty_dir_is_one_directory_for_every_container_of_the_pod():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    writer = {
        "name": "writer",
        "image": "busybox:1.36",
        "command": ["sh", "-c", "echo written by writer > /out/status; sleep infinity"],
        "volumeMounts": _mounts(("shared", "/out")),
    }
    reader = {**SLEEPER, "name": "reader", "volumeMounts": _mounts(("shared", "/in"))}
    logs = {
        **SLEEPER,
        "name": "logs",
        "volumeMounts": [{"name": "shared", "mountPath": "/var/log/app", "subPath": "logs"}],
    }
    volumes = [{"name": "shared", "emptyDir": {}}]
    _running(cluster, "two", [writer, reader, logs], volumes=volumes)

    # What the writer's own process wrote, and what an exec writes, each container sees at
    # its own mount point.
    assert _kubectl(session, "exec two -c reader -- cat /in/status") == "written by writer\n"
    _kubectl(session, "exec two -c reader -- sh -c 'echo hello > /in/greeting'")
    assert _kubectl(session, "exec two -c writer -- cat /out/greeting") == "hello\n"
    # A subPath mount is that directory of the volume (made when the container started).
    _kubectl(session, "exec two -c logs -- sh -c 'echo line >> /var/log/app/app.log'")
    assert _kubectl(session, "exec two -c writer -- ls /out") == "greeting\nlogs\nstatus\n"
    assert _kubectl(session, "exec two -c reader -- cat /in/logs/app.log") == "line\n"
    # What is outside the volume stays each container's own.
    _kubectl(session, "exec two -c writer -- touch /tmp/mine")
    assert _kubectl(session, "exec two -c reader -- ls /tmp") == ""


def test_a_running_container_sees_what_another_one_writes_with_exec():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    waiter = {
        "name": "waiter",
        "image": "busybox:1.36",
        "command": [
            "sh",
            "-c",
            "until [ -f /shared/go ]; do sleep 1; done; echo starting; cat /shared/go; sleep infinity",
        ],
        "volumeMounts": _mounts(("shared", "/shared")),
    }
    other = {**SLEEPER, "name": "other", "volumeMounts": _mounts(("shared", "/mnt"))}
    _running(cluster, "pair", [waiter, other], volumes=[{"name": "shared", "emptyDir": {}}])
    assert _kubectl(session, "logs pair -c waiter") == ""
    _kubectl(session, "exec pair -c other -- sh -c 'echo now > /mnt/go'")
    cluster.run_for(5)
    assert _kubectl(session, "logs pair -c waiter") == "starting\nnow\n"


def test_a_loop_that_keeps_rewriting_its_files_is_seen_as_it_is_at_each_moment():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    loop = (
        "while true; do rm -f /data/flag; echo off > /data/state; sleep 1; "
        "echo up > /data/flag; echo on > /data/state; sleep 1; done"
    )
    blinker = {
        "name": "blinker",
        "image": "busybox:1.36",
        "command": ["sh", "-c", loop],
        "volumeMounts": _mounts(("shared", "/data")),
    }
    viewer = {**SLEEPER, "name": "viewer", "volumeMounts": _mounts(("shared", "/view"))}
    _running(cluster, "blink", [blinker, viewer], volumes=[{"name": "shared", "emptyDir": {}}])
    seen = []
    # Two-second periods: 600 s later it is at the same point, a second later the other one.
    for seconds in (0.5, 600.0, 1.0, 1.0):
        cluster.run_for(seconds)
        own = _kubectl(session, "exec blink -c blinker -- sh -c 'cat /data/state; ls /data'")
        seen.append(_kubectl(session, "exec blink -c viewer -- sh -c 'cat /view/state; ls /view'"))
        assert seen[-1] == own
    off, on = "off\nstate\n", "on\nflag\nstate\n"
    assert seen in ([off, off, on, off], [on, on, off, on])


def test_an_empty_dir_outlives_a_container_restart_but_not_the_pod():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    crasher = {
        "name": "app",
        "image": "busybox:1.36",
        "command": ["sh", "-c", "echo run >> /data/runs; sleep 20; exit 1"],
        "volumeMounts": _mounts(("scratch", "/data")),
    }
    manifest = pod("crashy", [crasher], volumes=[{"name": "scratch", "emptyDir": {}}])
    cluster.create(manifest)
    cluster.run_for(10)
    _kubectl(session, "exec crashy -- sh -c 'echo kept > /data/note; echo lost > /tmp/note'")
    cluster.run_for(30)  # it exits at 20 s and starts again a relist later
    assert container_status(cluster, "crashy")["restartCount"] == 1
    assert _kubectl(session, "exec crashy -- cat /data/note") == "kept\n"
    assert _kubectl(session, "exec crashy -- cat /data/runs") == "run\nrun\n"
    # The container's own file system is new with each start.
    assert _kubectl(session, "exec crashy -- cat /tmp/note") == (
        "cat: can't open '/tmp/note': No such file or directory\n"
        "command terminated with exit code 1\n"
    )

    cluster.delete("Pod", "crashy")
    cluster.run_for(40)
    cluster.create(manifest)
    cluster.run_for(10)
    assert _kubectl(session, "exec crashy -- ls /data") == "runs\n"
    assert _kubectl(session, "exec crashy -- cat /data/runs") == "run\n"


def test_an_init_container_fills_the_volume_the_app_then_serves_and_mounts_a_file_of():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    fetch = {
        "name": "fetch",
        "image": "busybox:1.36",
        "command": [
            "sh",
            "-c",
            "echo hello > /work/index.html; mkdir -p /work/conf; echo a=1 > /work/conf/app.conf",
        ],
        "volumeMounts": _mounts(("html", "/work")),
    }
    web = {
        "name": "web",
        "image": "nginx:1.27",
        "volumeMounts": [
            {"name": "html", "mountPath": "/usr/share/nginx/html"},
            {"name": "html", "mountPath": "/etc/app.conf", "subPath": "conf/app.conf"},
        ],
    }
    cluster.create(
        pod("site", [web], initContainers=[fetch], volumes=[{"name": "html", "emptyDir": {}}])
    )
    cluster.run_for(30)
    assert (
        _kubectl(session, "exec site -c web -- cat /usr/share/nginx/html/index.html") == "hello\n"
    )
    assert _kubectl(session, "exec site -c web -- cat /etc/app.conf") == "a=1\n"
    _kubectl(session, "exec site -c web -- sh -c 'echo a=2 > /etc/app.conf'")
    assert (
        _kubectl(session, "exec site -c web -- cat /usr/share/nginx/html/conf/app.conf") == "a=2\n"
    )


def test_a_read_only_mount_sees_the_volume_but_cannot_write_it():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    writer = {**SLEEPER, "name": "writer", "volumeMounts": _mounts(("shared", "/data"))}
    viewer = {
        **SLEEPER,
        "name": "viewer",
        "volumeMounts": _mounts(("shared", "/data"), readOnly=True),
    }
    _running(cluster, "ro", [writer, viewer], volumes=[{"name": "shared", "emptyDir": {}}])
    _kubectl(session, "exec ro -c writer -- sh -c 'echo x > /data/f'")
    assert _kubectl(session, "exec ro -c viewer -- cat /data/f") == "x\n"
    assert _kubectl(session, "exec ro -c viewer -- touch /data/g") == (
        "touch: /data/g: Read-only file system\ncommand terminated with exit code 1\n"
    )


# ---------------------------------------------------------------------------------------------
# hostPath


def test_a_host_path_is_the_node_s_own_directory_and_outlives_its_pods():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    for name, node in (("a", "node-1"), ("b", "node-1"), ("c", "node-2")):
        cluster.create(_host_pod(name, node, "/srv/shared"))
    cluster.run_for(30)
    _kubectl(session, "exec a -- sh -c 'echo from-a > /host/file'")
    assert _kubectl(session, "exec b -- cat /host/file") == "from-a\n"
    assert _kubectl(session, "exec c -- ls /host") == ""

    cluster.delete("Pod", "a")
    cluster.delete("Pod", "b")
    cluster.run_for(40)
    # A new pod on node-1 finds the node's directory as the others left it, even through a
    # mount of a directory above it.
    cluster.create(_host_pod("d", "node-1", "/srv", mount="/srv-on-node"))
    # A hostPath of type FileOrCreate is one file, made empty when missing.
    cluster.create(
        pod(
            "e",
            [{**SLEEPER, "volumeMounts": _mounts(("file", "/etc/motd"))}],
            nodeName="node-1",
            volumes=[{"name": "file", "hostPath": {"path": "/srv/motd", "type": "FileOrCreate"}}],
        )
    )
    cluster.run_for(30)
    assert _kubectl(session, "exec d -- cat /srv-on-node/shared/file") == "from-a\n"
    assert _kubectl(session, "exec d -- ls /srv-on-node") == "motd\nshared\n"
    _kubectl(session, "exec e -- sh -c 'echo welcome > /etc/motd'")
    assert _kubectl(session, "exec d -- cat /srv-on-node/motd") == "welcome\n"


# ---------------------------------------------------------------------------------------------
# Claims


CLAIM = {
    "apiVersion": "v1",
    "kind": "PersistentVolumeClaim",
    "metadata": {"name": "data"},
    "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}},
}


def _claim_pod(name="db"):
    return pod(
        name,
        [{**SLEEPER, "volumeMounts": _mounts(("data", "/var/lib/data"))}],
        volumes=[{"name": "data", "persistentVolumeClaim": {"claimName": "data"}}],
    )


def test_a_claim_keeps_its_data_when_its_pod_is_deleted_and_made_again():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(CLAIM)
    cluster.create(_claim_pod())
    cluster.run_for(30)
    _kubectl(session, "exec db -- sh -c 'echo orders > /var/lib/data/table'")
    node = cluster.get("Pod", "db")["spec"]["nodeName"]

    cluster.delete("Pod", "db")
    cluster.run_for(40)
    cluster.create(_claim_pod())
    cluster.run_for(30)
    assert cluster.get("Pod", "db")["spec"]["nodeName"] == node
    assert _kubectl(session, "exec db -- cat /var/lib/data/table") == "orders\n"


def test_the_local_path_volume_is_a_directory_on_its_node_that_goes_with_the_volume():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(CLAIM)
    cluster.create(_claim_pod())
    cluster.run_for(30)
    _kubectl(session, "exec db -- sh -c 'echo orders > /var/lib/data/table'")
    node = cluster.get("Pod", "db")["spec"]["nodeName"]
    volume = cluster.get("PersistentVolumeClaim", "data")["spec"]["volumeName"]
    directory = f"{volume}_default_data"
    cluster.create(_host_pod("look", node, "/var/local-path-provisioner"))
    cluster.run_for(30)
    assert _kubectl(session, "exec look -- ls /host") == f"{directory}\n"
    assert _kubectl(session, f"exec look -- cat /host/{directory}/table") == "orders\n"

    # Released with reclaim policy Delete: the provisioner deletes the volume and its data.
    cluster.delete("Pod", "db")
    cluster.delete("PersistentVolumeClaim", "data")
    cluster.run_for(60)
    assert _kubectl(session, "get pv") == "No resources found\n"
    assert _kubectl(session, "exec look -- ls /host") == ""
    # A new claim of the same name is a new, empty volume.
    cluster.create(CLAIM)
    cluster.create(_claim_pod())
    cluster.run_for(30)
    assert _kubectl(session, "exec db -- ls /var/lib/data") == ""


def test_a_stateful_set_pod_made_again_finds_its_claim_s_data():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "serviceName": "web",
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "nginx",
                                "image": "nginx:1.27",
                                "volumeMounts": _mounts(("www", "/usr/share/nginx/html")),
                            }
                        ]
                    },
                },
                "volumeClaimTemplates": [
                    {
                        "metadata": {"name": "www"},
                        "spec": {
                            "accessModes": ["ReadWriteOnce"],
                            "resources": {"requests": {"storage": "1Gi"}},
                        },
                    }
                ],
            },
        }
    )
    cluster.run_for(90)
    page = "/usr/share/nginx/html/index.html"
    _kubectl(session, f"exec web-0 -- sh -c 'echo web-0 page > {page}'")
    assert _kubectl(session, f"exec web-1 -- cat {page}").endswith(
        "No such file or directory\ncommand terminated with exit code 1\n"
    )
    _kubectl(session, "delete pod web-0")
    cluster.run_for(60)
    assert "running" in container_status(cluster, "web-0")["state"]
    assert _kubectl(session, f"exec web-0 -- cat {page}") == "web-0 page\n"


def test_an_nfs_volume_is_the_same_export_from_every_node():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": "shared"},
            "spec": {
                "capacity": {"storage": "1Gi"},
                "accessModes": ["ReadWriteMany"],
                "nfs": {"server": "nfs.example", "path": "/exports/team"},
            },
        }
    )
    cluster.create(
        {
            **CLAIM,
            "spec": {
                "storageClassName": "",
                "accessModes": ["ReadWriteMany"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        }
    )
    for name, node in (("one", "node-1"), ("two", "node-2")):
        manifest = _claim_pod(name)
        manifest["spec"]["nodeName"] = node
        cluster.create(manifest)
    # The same export mounted inline, without the claim.
    inline = pod(
        "three",
        [{**SLEEPER, "volumeMounts": _mounts(("team", "/team"))}],
        volumes=[{"name": "team", "nfs": {"server": "nfs.example", "path": "/exports/team"}}],
    )
    cluster.create(inline)
    cluster.run_for(30)
    _kubectl(session, "exec one -- sh -c 'echo hi > /var/lib/data/note'")
    assert _kubectl(session, "exec two -- cat /var/lib/data/note") == "hi\n"
    assert _kubectl(session, "exec three -- cat /team/note") == "hi\n"


# ---------------------------------------------------------------------------------------------
# Determinism


def _scenario(seed, look):
    cluster = new_cluster(seed=seed)
    session = KubectlSession(cluster)
    writer = {
        "name": "writer",
        "image": "busybox:1.36",
        "command": [
            "sh",
            "-c",
            "i=0; while [ $i -lt 5 ]; do i=$((i+1)); echo $i >> /data/count; sleep 3; done; exit 1",
        ],
        "volumeMounts": _mounts(("shared", "/data")),
    }
    reader = {**SLEEPER, "name": "reader", "volumeMounts": _mounts(("shared", "/data"))}
    cluster.create(pod("p", [writer, reader], volumes=[{"name": "shared", "emptyDir": {}}]))
    seen = []
    for _ in range(6):
        cluster.run_for(7)
        if look:
            seen.append(_kubectl(session, "exec p -c reader -- cat /data/count"))
    _kubectl(session, "exec p -c reader -- sh -c 'echo reader >> /data/count'")
    cluster.run_for(60)
    seen.append(_kubectl(session, "exec p -c reader -- cat /data/count"))
    return cluster.dump_log(), cluster.dump_state(), seen


def test_the_same_inputs_give_the_same_files_and_looking_changes_nothing():
    log, state, seen = _scenario(7, look=True)
    assert _scenario(7, look=True) == (log, state, seen)
    # Reading the volume in between does not change what happens or what is there at the end.
    quiet_log, quiet_state, quiet_seen = _scenario(7, look=False)
    assert (quiet_log, quiet_state, quiet_seen[-1]) == (log, state, seen[-1])
    # Each run of the writer appends to what the runs before it (and the reader) left.
    assert seen[:3] == ["1\n2\n", "1\n2\n3\n4\n", "1\n2\n3\n4\n5\n1\n"]
    run = "".join(f"{i}\n" for i in range(1, 6))
    assert seen[-1] == run * 2 + "reader\n" + run * 2
