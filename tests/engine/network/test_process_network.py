"""A container's own processes on the network: a shell loop waiting for a Service, a client
that exits while its database has no endpoints, demo-web's DEPENDS_ON and READY_NEEDS —
each asking the network as it is at the moment the process gets there."""

from cluster_helpers import new_cluster
from network_helpers import deployment, service

from k8sgame.kubectl.session import KubectlSession


def pod(name, command, init=None):
    spec = {"containers": [{"name": "app", "image": "busybox", "command": ["sh", "-c", command]}]}
    if init:
        spec["initContainers"] = [
            {"name": "wait", "image": "busybox", "command": ["sh", "-c", init]}
        ]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def status(cluster, name):
    line = KubectlSession(cluster).run(f"get pod {name} --no-headers").stdout.split()
    return line[1], line[2]


def logs(cluster, pod_name, *flags):
    return KubectlSession(cluster).run(f"logs {pod_name} {' '.join(flags)}").stdout


def test_an_init_container_loop_waits_until_the_service_exists():
    cluster = new_cluster(seed=2)
    cluster.create(
        pod(
            "app",
            "echo started; sleep 3600",
            init="until nslookup db.default.svc.cluster.local >/dev/null; do echo waiting; sleep 2; done",
        )
    )
    cluster.run_for(20)
    assert status(cluster, "app") == ("0/1", "Init:0/1")
    assert logs(cluster, "app", "-c wait").count("waiting\n") >= 8
    cluster.create(service("db"))
    cluster.run_for(10)
    assert status(cluster, "app") == ("1/1", "Running")
    assert logs(cluster, "app", "-c app") == "started\n"


def test_a_client_crash_loops_while_its_database_has_no_endpoints():
    cluster = new_cluster(seed=2)
    cluster.create(service("db"))
    cluster.create(pod("app", "wget -qO- -T 2 http://db/ || exit 1; echo connected; sleep 3600"))
    cluster.run_for(30)
    assert status(cluster, "app")[1] == "CrashLoopBackOff"
    assert "wget: can't connect to remote host" in logs(cluster, "app")
    assert "Connection refused" in logs(cluster, "app")
    cluster.create(deployment("db", 1))
    cluster.run_for(60)
    assert status(cluster, "app") == ("1/1", "Running")
    assert logs(cluster, "app").endswith("connected\n")


def test_demo_web_depends_on_logs_gos_dial_errors():
    cluster = new_cluster(seed=4)
    cluster.create(service("db"))
    cluster.create(deployment("app", 1, env={"DEPENDS_ON": "db:80,cache:6379"}))
    cluster.run_for(5)
    ip = cluster.get("Service", "db")["spec"]["clusterIP"]
    text = KubectlSession(cluster).run("logs deploy/app").stdout
    assert text.splitlines()[1].endswith(
        f"fatal: cannot reach a dependency: dial tcp {ip}:80: connect: connection refused"
    )
    cluster.create(deployment("db", 1))
    cluster.run_for(60)
    text = KubectlSession(cluster).run("logs deploy/app").stdout
    assert text.splitlines()[1].endswith(
        "fatal: cannot reach a dependency: dial tcp: lookup cache on 10.96.0.10:53: no such host"
    )


def test_readiness_that_follows_a_dependency_fills_the_endpoints_when_it_comes():
    cluster = new_cluster(seed=4)
    probe = {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 2}
    cluster.create(deployment("front", 1, env={"READY_NEEDS": "db:80"}, readiness=probe))
    cluster.create(service("front"))
    cluster.create(service("db"))
    cluster.run_for(20)
    (front,) = [p for p in cluster.api.list("Pod", "default")]
    assert front["status"]["containerStatuses"][0]["ready"] is False
    # The pod is listed, but not ready: kubectl's ENDPOINTS cell stays empty.
    (subset,) = cluster.get("Endpoints", "front")["subsets"]
    assert "addresses" not in subset and len(subset["notReadyAddresses"]) == 1
    cluster.create(deployment("db", 1))
    cluster.run_for(20)
    front = cluster.get("Pod", front["metadata"]["name"])
    assert front["status"]["containerStatuses"][0]["ready"] is True
    (subset,) = cluster.get("Endpoints", "front")["subsets"]
    assert [a["ip"] for a in subset["addresses"]] == [front["status"]["podIP"]]


def test_the_same_seed_gives_the_same_history():
    def run():
        cluster = new_cluster(seed=8)
        cluster.create(service("db"))
        cluster.create(pod("app", "wget -qO- -T 2 http://db/ || exit 1; sleep 3600"))
        cluster.run_for(20)
        cluster.create(deployment("db", 2))
        cluster.run_for(40)
        return cluster.dump_state()

    assert run() == run()
