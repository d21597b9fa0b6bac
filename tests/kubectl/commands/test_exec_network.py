"""What a user sees from the client programs of ``kubectl exec``: nslookup, wget, nc
(BusyBox) and curl (the nginx image), against Services, pods and names that do not exist."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import client_pod, cluster_ip, deployment, namespace, pod_ips, service

from k8sgame.engine.images.shell.curl import meter_line
from k8sgame.kubectl.session import KubectlSession

METER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)
ZERO = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
SERVER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"


def stateful_set(name, replicas=2):
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name},
        "spec": {
            "serviceName": name,
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "app", "image": "k8sgame/demo-web"}]},
            },
        },
    }


def build(seed=1):
    cluster = new_cluster(seed=seed)
    for manifest in (
        namespace("other"),
        deployment("web", replicas=1, env={"MESSAGE": "Hi"}),
        service("web"),
        deployment("api", replicas=1, namespace="other"),
        service("api", namespace="other"),
        # targetPort by name: the container port named "http".
        deployment("named", replicas=1, ports=[{"name": "http", "containerPort": 8080}]),
        service("named", target="http"),
        service("empty", selector={"app": "nobody"}),
        deployment(
            "lazy",
            replicas=1,
            env={"READY_AFTER": "1h"},
            readiness={"httpGet": {"path": "/ready", "port": 8080}},
        ),
        service("lazy"),
        stateful_set("db"),
        service("db", port=8080, clusterIP="None"),
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "ext"},
            "spec": {"type": "ExternalName", "externalName": "example.com"},
        },
        client_pod("client"),
        client_pod("curler", image="nginx"),
    ):
        cluster.api.create(manifest)
    cluster.run_for(40)
    return cluster


@pytest.fixture(scope="module")
def cluster():
    return build()


@pytest.fixture
def kubectl(cluster):
    session = KubectlSession(cluster)

    def run(command):
        result = session.run(command)
        return result.exit_code, result.stdout + result.stderr

    return run


def only_pod(cluster, app, ns="default"):
    return next(iter(pod_ips(cluster, app, ns)))


def test_nslookup_of_a_service_tries_the_whole_search_list(cluster, kubectl):
    ip = cluster_ip(cluster, "web")
    nx = "** server can't find web.{}: NXDOMAIN\n\n"
    assert kubectl("exec client -- nslookup web") == (
        1,
        SERVER
        + f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n\n"
        + nx.format("svc.cluster.local")
        + nx.format("cluster.local")
        + "\n"  # AAAA of web.default.svc.cluster.local: no records, an empty line
        + nx.format("svc.cluster.local")
        + nx.format("cluster.local")
        + "command terminated with exit code 1\n",
    )
    full = kubectl("exec client -- nslookup web.default.svc.cluster.local")
    assert full == (
        0,
        SERVER + f"Name:\tweb.default.svc.cluster.local\nAddress: {ip}\n\n\n",
    )


def test_nslookup_does_not_search_a_dotted_name(kubectl):
    assert kubectl("exec client -- nslookup kubernetes.default") == (
        1,
        SERVER
        + "** server can't find kubernetes.default: NXDOMAIN\n\n" * 2
        + "command terminated with exit code 1\n",
    )


def test_wget_and_curl_reach_the_service(cluster, kubectl):
    body = f"Hi from {only_pod(cluster, 'web')}\n"
    assert kubectl("exec client -- wget -qO- http://web") == (0, body)
    assert kubectl("exec curler -- curl -s web:80") == (0, body)


def test_wget_without_q_shows_its_progress(cluster, kubectl):
    body = f"Hi from {only_pod(cluster, 'web')}\n"
    ip = cluster_ip(cluster, "web")
    assert kubectl("exec client -- wget -O- web") == (
        0,
        f"Connecting to web ({ip}:80)\nwriting to stdout\n{body}"
        f"-                    100% |********************************|    {len(body)}  0:00:00 ETA\n"
        "written to stdout\n",
    )
    assert kubectl("exec client -- wget web") == (
        0,
        f"Connecting to web ({ip}:80)\nsaving to 'index.html'\n"
        f"index.html           100% |********************************|    {len(body)}  0:00:00 ETA\n"
        "'index.html' saved\n",
    )
    assert kubectl("exec client -- cat index.html") == (0, body)
    assert kubectl("exec client -- wget -q web") == (
        1,
        "wget: can't open 'index.html': File exists\ncommand terminated with exit code 1\n",
    )


def test_curl_from_another_namespace_needs_the_namespace_in_the_name(cluster, kubectl):
    # There is no Service "web" in namespace "other".
    assert kubectl("exec curler -- curl -sS web.other") == (
        6,
        "curl: (6) Could not resolve host: web.other\ncommand terminated with exit code 6\n",
    )
    body = f"Hello from {only_pod(cluster, 'api', 'other')}\n"
    # Without -s the meter: its first line, the body, then the last line (5 ms to answer).
    last = meter_line(len(body), len(body), 0.005)
    assert kubectl("exec curler -- curl api.other") == (0, METER + ZERO + body + last + "\n")
    assert last == (
        f"100    {len(body)}  100    {len(body)}    0     0   {len(body) * 200}      0 "
        f"--:--:-- --:--:-- --:--:--  {len(body) * 200}"
    )


def test_a_selector_that_matches_nothing_is_refused(kubectl):
    assert kubectl("exec curler -- curl empty") == (
        7,
        METER
        + ZERO
        + "\ncurl: (7) Failed to connect to empty port 80 after 0 ms: Could not connect to server\n"
        "command terminated with exit code 7\n",
    )
    assert kubectl("exec curler -- curl -s empty") == (7, "command terminated with exit code 7\n")


def test_a_pod_that_is_not_ready_gets_no_traffic(cluster, kubectl):
    ip = cluster_ip(cluster, "lazy")
    assert kubectl("exec client -- wget -qO- lazy") == (
        1,
        f"wget: can't connect to remote host ({ip}): Connection refused\n"
        "command terminated with exit code 1\n",
    )
    # The pod itself answers (its readiness endpoint says 503 until then).
    pod_ip = next(iter(pod_ips(cluster, "lazy").values()))
    assert kubectl(f"exec curler -- curl -s -w %{{http_code}} {pod_ip}:8080/ready") == (0, "503")


def test_a_named_target_port_resolves_per_pod(cluster, kubectl):
    assert kubectl("exec client -- wget -qO- named") == (
        0,
        f"Hello from {only_pod(cluster, 'named')}\n",
    )


def test_a_headless_service_lists_its_pods_and_their_names(cluster, kubectl):
    ips = pod_ips(cluster, "db")
    code, output = kubectl("exec client -- nslookup db.default.svc.cluster.local")
    assert code == 0
    assert (
        output
        == SERVER
        + "".join(f"Name:\tdb.default.svc.cluster.local\nAddress: {ip}\n" for ip in ips.values())
        + "\n\n"
    )
    assert kubectl("exec client -- nslookup db-1.db.default.svc.cluster.local") == (
        0,
        SERVER + f"Name:\tdb-1.db.default.svc.cluster.local\nAddress: {ips['db-1']}\n\n\n",
    )
    assert kubectl("exec client -- wget -qO- db-0.db:8080") == (0, "Hello from db-0\n")


def test_an_external_name_is_a_cname(kubectl):
    code, output = kubectl("exec client -- nslookup ext.default.svc.cluster.local")
    cname = "ext.default.svc.cluster.local\tcanonical name = example.com\n\n"
    assert (code, output) == (0, SERVER + cname * 2)
    # The sandbox is offline: the name behind it does not resolve.
    assert kubectl("exec curler -- curl -sS ext") == (
        6,
        "curl: (6) Could not resolve host: ext\ncommand terminated with exit code 6\n",
    )


def test_resolv_conf_and_hosts(cluster, kubectl):
    assert kubectl("exec client -- cat /etc/resolv.conf") == (
        0,
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\noptions ndots:5\n",
    )
    client_ip = cluster.get("Pod", "client")["status"]["podIP"]
    code, hosts = kubectl("exec client -- cat /etc/hosts")
    assert code == 0 and hosts.endswith(f"\n{client_ip}\tclient\n")


def test_unknown_names(kubectl):
    assert kubectl("exec curler -- curl nosuch") == (
        6,
        METER + ZERO + "\ncurl: (6) Could not resolve host: nosuch\n"
        "command terminated with exit code 6\n",
    )
    assert kubectl("exec client -- wget -qO- nosuch") == (
        1,
        "wget: bad address 'nosuch'\ncommand terminated with exit code 1\n",
    )
    assert kubectl("exec client -- nc -zv nosuch 80") == (
        1,
        "nc: bad address 'nosuch'\ncommand terminated with exit code 1\n",
    )


def test_nc_checks_ports(cluster, kubectl):
    ip = cluster_ip(cluster, "web")
    assert kubectl("exec client -- nc -zv web 80") == (0, f"web ({ip}:80) open\n")
    assert kubectl("exec client -- nc -zv empty 80") == (1, "command terminated with exit code 1\n")
    empty = cluster_ip(cluster, "empty")
    assert kubectl("exec client -- nc -zvv empty 80") == (
        1,
        f"nc: empty ({empty}:80): Connection refused\ncommand terminated with exit code 1\n",
    )


def test_time_outs_take_their_time():
    cluster = build(seed=2)
    session = KubectlSession(cluster)
    ip = cluster_ip(cluster, "web")

    def timed(command):
        before = cluster.now
        result = session.run(command)
        return result.exit_code, result.stdout + result.stderr, round(cluster.now - before, 3)

    # Port 81 is not one of the Service's: no rule, nothing answers.
    assert timed("exec curler -- curl -sS --connect-timeout 5 web:81") == (
        28,
        "curl: (28) Connection timed out after 5001 milliseconds\n"
        "command terminated with exit code 28\n",
        5.001,
    )
    assert timed("exec client -- wget -qO- -T 2 web:81") == (
        1,
        "wget: download timed out\ncommand terminated with exit code 1\n",
        2.0,
    )
    assert timed("exec client -- nc -zvw 3 web 81") == (
        1,
        f"nc: web ({ip}:81): Connection timed out\ncommand terminated with exit code 1\n",
        3.0,
    )
    # Without a limit the kernel gives up after its SYN retries.
    assert timed("exec curler -- curl -sS web:81") == (
        28,
        "curl: (28) Failed to connect to web port 81 after 127000 ms: Could not connect to "
        "server\ncommand terminated with exit code 28\n",
        127.0,
    )


def test_the_same_seed_gives_the_same_outputs():
    def transcript(seed):
        cluster = build(seed=seed)
        cluster.api.create(deployment("many", replicas=3))
        cluster.api.create(service("many"))
        cluster.run_for(30)
        session = KubectlSession(cluster)
        commands = ["exec curler -- curl -s many"] * 6 + ["exec client -- nslookup many"]
        return [session.run(c).stdout for c in commands]

    first = transcript(11)
    assert first == transcript(11)
    assert len(set(first[:6])) > 1  # the Service spreads connections over its pods
