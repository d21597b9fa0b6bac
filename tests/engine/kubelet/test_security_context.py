"""The kubelet and the runtime honour ``securityContext`` (Kubernetes v1.35, containerd 2).

``runAsNonRoot`` is checked by the kubelet before it creates the container
(``kuberuntime/security_context_others.go`` ``verifyRunAsNonRoot``: a
CreateContainerConfigError with its exact words); ``runAsUser``/``runAsGroup``/``fsGroup``
decide what ``id`` and ``whoami`` print and where the process may write;
``readOnlyRootFilesystem`` leaves only writable volumes writable. The pod's fields are
defaults the container's own fields override.
"""

from __future__ import annotations

from cluster_helpers import container_status, events, messages, new_cluster, pod

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.images.identity import RunAs
from k8sgame.engine.images.process import plan_process

SLEEP = ["sleep", "3600"]


def _busybox(name="web", **security):
    container = {"name": name, "image": "busybox:1.36", "command": SLEEP}
    if security:
        container["securityContext"] = security
    return container


def _start(cluster, name, containers, seconds=30, **spec):
    cluster.create(pod(name, containers, **spec))
    cluster.run_for(seconds)
    return cluster.get("Pod", name)


def _ref(manifest):
    md = manifest["metadata"]
    return f'"{md["name"]}_{md["namespace"]}({md["uid"]})"'


def _waiting(cluster, name):
    return container_status(cluster, name)["state"].get("waiting") or {}


# -- runAsNonRoot ----------------------------------------------------------------------------


def test_run_as_non_root_with_run_as_user_zero_is_a_config_error():
    cluster = new_cluster()
    created = _start(cluster, "web", [_busybox(runAsNonRoot=True, runAsUser=0)])
    text = f"container's runAsUser breaks non-root policy (pod: {_ref(created)}, container: web)"
    assert _waiting(cluster, "web") == {"reason": "CreateContainerConfigError", "message": text}
    assert messages(cluster, "web", "Failed")[0] == f"Error: {text}"
    assert "Started" not in {e for e in messages(cluster, "web", "Started")}


def test_run_as_non_root_refuses_an_image_without_user():
    cluster = new_cluster()
    created = _start(
        cluster,
        "web",
        [{"name": "web", "image": "nginx:1.29"}],
        securityContext={"runAsNonRoot": True},
    )
    text = (
        "container has runAsNonRoot and image will run as root "
        f"(pod: {_ref(created)}, container: web)"
    )
    assert _waiting(cluster, "web") == {"reason": "CreateContainerConfigError", "message": text}
    # The kubelet retries each sync, recording the same refusal.
    [failed] = events(cluster, "web", "Failed")
    assert failed["message"] == f"Error: {text}"
    assert failed["count"] >= 2


def test_run_as_non_root_cannot_verify_a_named_image_user():
    cluster = new_cluster()
    controller = {
        "name": "web",
        "image": "registry.k8s.io/ingress-nginx/controller:v1.14.1",
        "securityContext": {"runAsNonRoot": True},
    }
    created = _start(cluster, "web", [controller])
    text = (
        "container has runAsNonRoot and image has non-numeric user (www-data), cannot verify "
        f"user is non-root (pod: {_ref(created)}, container: web)"
    )
    assert _waiting(cluster, "web")["message"] == text


def test_run_as_non_root_passes_a_numeric_image_user_or_a_non_zero_run_as_user():
    cluster = new_cluster()
    # distroless :nonroot images say USER 65532 in their config.
    _start(
        cluster,
        "app",
        [{"name": "app", "image": "k8sgame/demo-web"}],
        securityContext={"runAsNonRoot": True},
    )
    assert "running" in container_status(cluster, "app")["state"]
    _start(cluster, "box", [_busybox(runAsUser=1000)], securityContext={"runAsNonRoot": True})
    assert "running" in container_status(cluster, "box")["state"]


def test_the_container_security_context_overrides_the_pods():
    cluster = new_cluster()
    # The pod says root; the container's runAsUser wins, so the check passes.
    _start(
        cluster,
        "ok",
        [_busybox(runAsUser=1000)],
        securityContext={"runAsNonRoot": True, "runAsUser": 0},
    )
    assert "running" in container_status(cluster, "ok")["state"]
    # The pod allows root; the container asks for non-root and runs as the pod's uid 0.
    created = _start(
        cluster, "bad", [_busybox(runAsNonRoot=True)], securityContext={"runAsUser": 0}
    )
    assert _waiting(cluster, "bad")["message"] == (
        f"container's runAsUser breaks non-root policy (pod: {_ref(created)}, container: web)"
    )


# -- who the process is ------------------------------------------------------------------------


def test_id_and_whoami_show_the_run_as_user_group_and_fs_group():
    cluster = new_cluster()
    volume = {"name": "data", "emptyDir": {}}
    box = {**_busybox(), "volumeMounts": [{"name": "data", "mountPath": "/data/demo"}]}
    _start(
        cluster,
        "demo",
        [box],
        volumes=[volume],
        securityContext={"runAsUser": 1000, "runAsGroup": 3000, "fsGroup": 2000},
    )
    assert cluster.exec("demo", ["id"]).output == "uid=1000 gid=3000 groups=2000,3000\n"
    assert cluster.exec("demo", ["id", "-u"]).output == "1000\n"
    who = cluster.exec("demo", ["whoami"])
    assert (who.exit_code, who.output) == (1, "whoami: unknown uid 1000\n")


def test_root_and_a_named_uid_as_busybox_shows_them():
    cluster = new_cluster()
    _start(cluster, "root", [_busybox()])
    assert (
        cluster.exec("root", ["id"]).output == "uid=0(root) gid=0(root) groups=0(root),10(wheel)\n"
    )
    assert cluster.exec("root", ["whoami"]).output == "root\n"
    # runAsUser without runAsGroup: the primary group comes from the image's passwd entry.
    _start(cluster, "nobody", [_busybox(runAsUser=65534)])
    assert cluster.exec("nobody", ["id"]).output == (
        "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n"
    )
    assert cluster.exec("nobody", ["whoami"]).output == "nobody\n"


def test_gnu_whoami_names_an_unknown_uid_its_own_way():
    cluster = new_cluster()
    _start(
        cluster,
        "web",
        [
            {
                "name": "web",
                "image": "nginx:1.29",
                "command": SLEEP,
                "securityContext": {"runAsUser": 1000},
            }
        ],
    )
    who = cluster.exec("web", ["whoami"])
    assert (who.exit_code, who.output) == (1, "whoami: cannot find name for user ID 1000\n")
    assert cluster.exec("web", ["id"]).output == "uid=1000 gid=0(root) groups=0(root)\n"


def test_the_image_user_home_follows_its_passwd_entry():
    catalog = load_default_catalog()
    image = catalog.image_for("k8sgame/demo-web")
    assert image is not None and image.user == "65532"
    process = plan_process(image, None, None, {}, {})
    assert process.env["HOME"] == "/home/nonroot"
    # A uid the image does not know gets runc's HOME=/.
    other = plan_process(image, None, None, {}, {}, run_as=RunAs(user=1234))
    assert other.env["HOME"] == "/"


# -- where a non-root user may write ---------------------------------------------------------------


def test_a_non_root_user_writes_only_to_tmp_and_writable_volumes():
    cluster = new_cluster()
    box = {
        **_busybox(runAsUser=1000),
        "volumeMounts": [
            {"name": "data", "mountPath": "/data"},
            {"name": "conf", "mountPath": "/etc/conf"},
        ],
    }
    cluster.create(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "conf"}, "data": {"a": "1"}}
    )
    _start(
        cluster,
        "web",
        [box],
        volumes=[{"name": "data", "emptyDir": {}}, {"name": "conf", "configMap": {"name": "conf"}}],
    )
    denied = cluster.exec("web", ["touch", "/x"])
    assert (denied.exit_code, denied.output) == (1, "touch: /x: Permission denied\n")
    shell = cluster.exec("web", ["sh", "-c", "echo hi > /etc/motd"])
    assert shell.output == "sh: can't create /etc/motd: Permission denied\n"
    assert cluster.exec("web", ["mkdir", "/srv"]).output == (
        "mkdir: can't create directory '/srv': Permission denied\n"
    )
    assert cluster.exec("web", ["touch", "/tmp/ok"]).exit_code == 0
    assert cluster.exec("web", ["touch", "/data/ok"]).exit_code == 0
    # A ConfigMap volume stays read-only whoever writes.
    assert cluster.exec("web", ["touch", "/etc/conf/b"]).output == (
        "touch: /etc/conf/b: Read-only file system\n"
    )


def test_root_still_writes_anywhere():
    cluster = new_cluster()
    _start(cluster, "web", [_busybox()])
    assert cluster.exec("web", ["touch", "/x"]).exit_code == 0


# -- readOnlyRootFilesystem --------------------------------------------------------------------


def test_a_read_only_root_leaves_only_writable_volumes_writable():
    cluster = new_cluster()
    box = {
        **_busybox(readOnlyRootFilesystem=True),
        "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}],
    }
    _start(cluster, "web", [box], volumes=[{"name": "scratch", "emptyDir": {}}])
    for path in ("/x", "/tmp/x"):
        result = cluster.exec("web", ["touch", path])
        assert (result.exit_code, result.output) == (1, f"touch: {path}: Read-only file system\n")
    assert cluster.exec("web", ["touch", "/scratch/x"]).exit_code == 0


def test_a_read_only_root_in_gnu_words():
    cluster = new_cluster()
    _start(
        cluster,
        "web",
        [
            {
                "name": "web",
                "image": "nginx:1.29",
                "command": SLEEP,
                "securityContext": {"readOnlyRootFilesystem": True},
            }
        ],
    )
    result = cluster.exec("web", ["touch", "/x"])
    assert result.output == "touch: cannot touch '/x': Read-only file system\n"


def test_the_pod_level_has_no_read_only_root():
    # readOnlyRootFilesystem exists only on the container: a pod-level key changes nothing.
    cluster = new_cluster()
    _start(cluster, "web", [_busybox()], securityContext={"readOnlyRootFilesystem": True})
    assert cluster.exec("web", ["touch", "/x"]).exit_code == 0


# -- capabilities and privileged ---------------------------------------------------------------


def test_capabilities_and_privileged_change_nothing_observable():
    # containerd 2 sets net.ipv4.ip_unprivileged_port_start=0 in each pod's network
    # namespace, so binding port 80 needs no NET_BIND_SERVICE: nginx with every capability
    # dropped, or privileged, serves as usual.
    cluster = new_cluster()
    for name, security in (
        ("dropped", {"capabilities": {"drop": ["ALL"]}}),
        ("privileged", {"privileged": True}),
    ):
        _start(cluster, name, [{"name": "web", "image": "nginx:1.29", "securityContext": security}])
        assert "running" in container_status(cluster, name)["state"]
        assert any("start worker processes" in line for _, _, line in cluster.logs(name))
