"""The Service variables in a container's environment (envvars.go ``FromServices``), as
``kubectl exec -- env`` shows them."""

from __future__ import annotations

from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

KUBERNETES_VARS = [
    "KUBERNETES_SERVICE_HOST=10.96.0.1",
    "KUBERNETES_SERVICE_PORT=443",
    "KUBERNETES_SERVICE_PORT_HTTPS=443",
    "KUBERNETES_PORT=tcp://10.96.0.1:443",
    "KUBERNETES_PORT_443_TCP=tcp://10.96.0.1:443",
    "KUBERNETES_PORT_443_TCP_PROTO=tcp",
    "KUBERNETES_PORT_443_TCP_PORT=443",
    "KUBERNETES_PORT_443_TCP_ADDR=10.96.0.1",
]


def _session():
    cluster = new_cluster()
    return cluster, KubectlSession(cluster)


def _env(session, pod, namespace="default"):
    result = session.run(f"exec {pod} -n {namespace} -- env")
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def _service(cluster, name, namespace="default"):
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {"selector": {"app": name}, "ports": [{"port": 80, "targetPort": 8080}]},
        }
    )


def test_every_pod_gets_the_kubernetes_service_variables():
    cluster, session = _session()
    session.run("run t --image=busybox:1.36 -- sleep 3600")
    cluster.run_for(20)
    env = _env(session, "t")
    assert [line for line in env if line.startswith("KUBERNETES_")] == KUBERNETES_VARS


def test_services_of_the_namespace_that_exist_when_the_container_starts():
    cluster, session = _session()
    session.run("create namespace shop")
    # A multi-port Service with a name that needs the variable-name rules.
    web = cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web-api", "namespace": "shop"},
            "spec": {
                "selector": {"app": "web"},
                "ports": [
                    {"name": "http", "port": 80, "targetPort": 8080},
                    {"name": "metrics", "port": 9090, "protocol": "TCP"},
                ],
            },
        }
    )
    ip = web["spec"]["clusterIP"]
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "db", "namespace": "shop"},
            "spec": {"clusterIP": "None", "selector": {"app": "db"}, "ports": [{"port": 5432}]},
        }
    )
    session.run(
        "run t -n shop --image=busybox:1.36 --env=URL=http://$(WEB_API_SERVICE_HOST)/ -- sleep 3600"
    )
    cluster.run_for(20)
    env = _env(session, "t", "shop")
    assert [line for line in env if line.startswith("WEB_API_")] == [
        f"WEB_API_SERVICE_HOST={ip}",
        "WEB_API_SERVICE_PORT=80",
        "WEB_API_SERVICE_PORT_HTTP=80",
        "WEB_API_SERVICE_PORT_METRICS=9090",
        f"WEB_API_PORT=tcp://{ip}:80",
        f"WEB_API_PORT_80_TCP=tcp://{ip}:80",
        "WEB_API_PORT_80_TCP_PROTO=tcp",
        "WEB_API_PORT_80_TCP_PORT=80",
        f"WEB_API_PORT_80_TCP_ADDR={ip}",
        f"WEB_API_PORT_9090_TCP=tcp://{ip}:9090",
        "WEB_API_PORT_9090_TCP_PROTO=tcp",
        "WEB_API_PORT_9090_TCP_PORT=9090",
        f"WEB_API_PORT_9090_TCP_ADDR={ip}",
    ]
    # A headless Service has no address to give; $(VAR) sees the Service variables.
    assert not any(line.startswith("DB_") for line in env)
    assert f"URL=http://{ip}/" in env
    # The kubernetes Service of default is there too.
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in env


def test_a_service_made_later_waits_for_the_next_start_and_links_can_be_turned_off():
    cluster, session = _session()
    session.run("run t --image=busybox:1.36 -- sleep 3600")
    cluster.run_for(20)
    _service(cluster, "late")
    assert not any(line.startswith("LATE_") for line in _env(session, "t"))
    cluster.api.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "quiet"},
            "spec": {
                "enableServiceLinks": False,
                "containers": [
                    {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"]}
                ],
            },
        }
    )
    cluster.run_for(20)
    env = _env(session, "quiet")
    assert not any(line.startswith("LATE_") for line in env)
    # enableServiceLinks: false still keeps the kubernetes Service's variables.
    assert [line for line in env if line.startswith("KUBERNETES_")] == KUBERNETES_VARS
