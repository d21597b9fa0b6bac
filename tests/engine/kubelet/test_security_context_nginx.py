"""nginx (the official image) under a security context: as non-root it cannot create its
cache directories, with a read-only root it cannot either, and with emptyDirs at
/var/cache/nginx and /var/run it starts (binding port 80 needs no capability on containerd 2,
which opens the unprivileged port range in every pod's network namespace).

The program lines below (``NGINX_SECURITY``) use the catalog's ``mkdir``/``open``
requirements and ``if_user``/``if_unwritable`` log conditions; they are laid over the
shipped nginx entry here, as a level's ``images:`` section would be.
"""

from __future__ import annotations

import copy

import yaml
from cluster_helpers import container_status, pod

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster

NGINX_SECURITY = yaml.safe_load(
    r"""
user_warning: &user_warning
  - {at: 0, if_user: nonroot, text: '{{time:nginx}} [warn] 1#1: the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2'}
  - {at: 0, if_user: nonroot, text: 'nginx: [warn] the "user" directive makes sense only if the master process runs with super-user privileges, ignored in /etc/nginx/nginx.conf:2'}
requires:
  # ngx_create_paths, then the pid file: both before nginx logs its start-up notices.
  - mkdir: /var/cache/nginx/client_temp
    before_preamble: true
    exit_code: 1
    logs:
      - *user_warning
      - '{{time:nginx}} [emerg] 1#1: mkdir() "{{missing}}" failed ({{errno}})'
      - 'nginx: [emerg] mkdir() "{{missing}}" failed ({{errno}})'
  - open: /run/nginx.pid
    before_preamble: true
    exit_code: 1
    logs:
      - *user_warning
      - '{{time:nginx}} [emerg] 1#1: open() "{{missing}}" failed ({{errno}})'
      - 'nginx: [emerg] open() "{{missing}}" failed ({{errno}})'
"""
)


def _flatten(items):
    out = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def nginx_catalog():
    """The shipped catalog with nginx's security-context behaviour laid over it."""
    catalog = load_default_catalog()
    raw = copy.deepcopy(catalog.raw["nginx"])
    program = raw["programs"][0]
    program["preamble"] = NGINX_SECURITY["user_warning"] + program["preamble"]
    requires = copy.deepcopy(NGINX_SECURITY["requires"])
    for req in requires:
        req["logs"] = _flatten(req["logs"])
    program["requires"] = requires + program["requires"]
    # 10-listen-on-ipv6-by-default.sh: `touch default.conf || can not modify ...`.
    renames = {"if_mounted": "if_unwritable", "unless_mounted": "unless_unwritable"}
    for line in raw["entrypoint_script"]["logs"]:
        for old, new in renames.items():
            if isinstance(line, dict) and line.get(old) == "/etc/nginx/conf.d/default.conf":
                line[new] = line.pop(old)
    return catalog.merged(
        {"nginx": {"programs": raw["programs"], "entrypoint_script": raw["entrypoint_script"]}}
    )


def _cluster():
    return Cluster(nginx_catalog(), seed=1)


def _nginx(security=None, mounts=()):
    container = {"name": "web", "image": "nginx:1.29"}
    if security:
        container["securityContext"] = security
    if mounts:
        container["volumeMounts"] = [{"name": n, "mountPath": p} for n, p in mounts]
    return container


def _texts(cluster, name):
    return [line for _, _, line in cluster.logs(name)]


def _strip_time(line):
    # "2026/01/05 09:00:02 [emerg] ..." -> "[emerg] ..."
    return line[20:] if line[:4].isdigit() else line


CACHE_AND_RUN = [{"name": "cache", "emptyDir": {}}, {"name": "run", "emptyDir": {}}]
MOUNTS = (("cache", "/var/cache/nginx"), ("run", "/var/run"))


def test_nginx_as_root_is_unchanged():
    cluster = _cluster()
    cluster.create(pod("web", [_nginx()]))
    cluster.run_for(30)
    assert "running" in container_status(cluster, "web")["state"]
    texts = _texts(cluster, "web")
    assert not any("[warn]" in t or "[emerg]" in t for t in texts)
    assert (
        "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf"
        in texts
    )


def test_nginx_as_non_root_cannot_create_its_cache_directory():
    cluster = _cluster()
    cluster.create(pod("web", [_nginx({"runAsUser": 101})]))
    cluster.run_for(30)
    texts = _texts(cluster, "web")
    assert texts[-5] == "/docker-entrypoint.sh: Configuration complete; ready for start up"
    assert [_strip_time(t) for t in texts[-4:]] == [
        '[warn] 1#1: the "user" directive makes sense only if the master process runs with '
        "super-user privileges, ignored in /etc/nginx/nginx.conf:2",
        'nginx: [warn] the "user" directive makes sense only if the master process runs with '
        "super-user privileges, ignored in /etc/nginx/nginx.conf:2",
        '[emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)',
        'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (13: Permission denied)',
    ]
    # The entrypoint could not touch default.conf either.
    assert (
        "10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf "
        "(read-only file system?)"
    ) in texts
    status = container_status(cluster, "web")
    last = status["lastState"].get("terminated") or status["state"].get("terminated")
    assert last["exitCode"] == 1 and last["reason"] == "Error"
    assert status["restartCount"] >= 1


def test_nginx_with_a_read_only_root_fails_at_its_cache_directory():
    cluster = _cluster()
    cluster.create(pod("web", [_nginx({"readOnlyRootFilesystem": True})]))
    cluster.run_for(30)
    texts = _texts(cluster, "web")
    assert [_strip_time(t) for t in texts[-2:]] == [
        '[emerg] 1#1: mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
        'nginx: [emerg] mkdir() "/var/cache/nginx/client_temp" failed (30: Read-only file system)',
    ]
    assert not any("[warn]" in t for t in texts)


def test_nginx_with_a_read_only_root_and_only_a_cache_volume_fails_at_its_pid_file():
    cluster = _cluster()
    cluster.create(
        pod(
            "web", [_nginx({"readOnlyRootFilesystem": True}, MOUNTS[:1])], volumes=CACHE_AND_RUN[:1]
        )
    )
    cluster.run_for(30)
    assert [_strip_time(t) for t in _texts(cluster, "web")[-2:]] == [
        '[emerg] 1#1: open() "/run/nginx.pid" failed (30: Read-only file system)',
        'nginx: [emerg] open() "/run/nginx.pid" failed (30: Read-only file system)',
    ]


def test_nginx_with_a_read_only_root_runs_with_its_volumes():
    cluster = _cluster()
    cluster.create(
        pod("web", [_nginx({"readOnlyRootFilesystem": True}, MOUNTS)], volumes=CACHE_AND_RUN)
    )
    cluster.run_for(30)
    assert "running" in container_status(cluster, "web")["state"]
    assert any("start worker processes" in t for t in _texts(cluster, "web"))


def test_nginx_as_non_root_with_its_volumes_serves_port_80():
    # No NET_BIND_SERVICE needed: containerd 2 sets ip_unprivileged_port_start=0.
    cluster = _cluster()
    security = {"runAsUser": 101, "capabilities": {"drop": ["ALL"]}}
    cluster.create(pod("web", [_nginx(security, MOUNTS)], volumes=CACHE_AND_RUN))
    cluster.run_for(30)
    assert "running" in container_status(cluster, "web")["state"]
    texts = _texts(cluster, "web")
    assert any('[warn] 1#1: the "user" directive' in t for t in texts)
    assert any("start worker processes" in t for t in texts)
    assert not any("[emerg]" in t for t in texts)
