"""``kubectl port-forward``: kubectl 1.35's argument handling, port translation and error
texts, the pod it picks for a workload or a Service, the forwards it leaves running in the
background, and what ``curl`` on the player's machine gets through them."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import deployment

from k8sgame.engine.network.fabric import Forward
from k8sgame.host_prompt import run_host_line
from k8sgame.kubectl.commands.attachable import most_active_first
from k8sgame.kubectl.commands.port_forward import EPHEMERAL_PORTS
from k8sgame.kubectl.completion import Snapshot, complete
from k8sgame.kubectl.session import KubectlSession
from k8sgame.kubectl.verbs import VERBS, Args, Effect
from k8sgame.levels.play import LevelRun, replay
from k8sgame.levels.sandbox_level import sandbox_level

USAGE = (
    "error: TYPE/NAME and list of ports are required for port-forward\n"
    "See 'kubectl port-forward -h' for help and examples\n"
)


def lines(local, remote, hosts=("127.0.0.1", "[::1]")):
    return "".join(f"Forwarding from {host}:{local} -> {remote}\n" for host in hosts)


def in_use(port, remote):
    return (
        f"Unable to listen on port {port}: Listeners failed to create with the following "
        f"errors: [unable to create listener: Error listen tcp4 127.0.0.1:{port}: bind: "
        f"address already in use unable to create listener: Error listen tcp6 [::1]:{port}: "
        f"bind: address already in use]\n"
        f"error: unable to listen on any of the requested ports: [{{{port} {remote}}}]\n"
    )


def named_pod(name="web", labels=None):
    """nginx with a named port (``http``), a UDP-only one and an init container's port."""
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {"app": name}},
        "spec": {
            "initContainers": [
                {
                    "name": "init",
                    "image": "busybox",
                    "command": ["true"],
                    "ports": [{"name": "setup", "containerPort": 9000}],
                }
            ],
            "containers": [
                {
                    "name": "nginx",
                    "image": "nginx",
                    "ports": [
                        {"name": "http", "containerPort": 80},
                        {"name": "dns", "containerPort": 53, "protocol": "UDP"},
                    ],
                }
            ],
        },
    }


def web_service():
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web"},
        "spec": {
            "selector": {"app": "web"},
            "ports": [
                {"name": "front", "port": 8000, "targetPort": 80},
                {"name": "named", "port": 8443, "targetPort": "http"},
                {"name": "bare", "port": 80},
                {"name": "dns", "port": 53, "protocol": "UDP"},
                {"name": "gone", "port": 9443, "targetPort": "https"},
            ],
        },
    }


@pytest.fixture
def cluster():
    made = new_cluster()
    made.create(named_pod())
    made.create(web_service())
    made.run_for(30)
    return made


@pytest.fixture
def kubectl(cluster):
    return KubectlSession(cluster)


def forwarded(cluster):
    return {port: (f.pod, f.port) for port, f in cluster.network.forwards.items()}


# -- arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize("line", ["port-forward", "port-forward web", "port-forward web &"])
def test_a_target_and_a_port_are_required(kubectl, line):
    result = kubectl.run(line)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", USAGE)


def test_a_pod_forwards_on_both_loopback_addresses_and_keeps_running(cluster, kubectl):
    result = kubectl.run("port-forward pod/web 8080:80")
    assert (result.exit_code, result.stdout, result.stderr) == (0, lines(8080, 80), "")
    uid = cluster.get("Pod", "web")["metadata"]["uid"]
    assert cluster.network.forwards == {8080: Forward("default", "web", uid, 80)}
    assert result.changed is False


def test_a_bare_name_is_a_pod_and_a_bare_port_is_both_ends(cluster, kubectl):
    assert kubectl.run("port-forward web 80 8081:80").stdout == lines(80, 80) + lines(8081, 80)
    assert forwarded(cluster) == {80: ("web", 80), 8081: ("web", 80)}


@pytest.mark.parametrize("line", ["port-forward web 8080:80 &", "port-forward web 8080:80&"])
def test_a_trailing_ampersand_is_the_shell_s_and_dropped(cluster, kubectl, line):
    assert kubectl.run(line).stdout == lines(8080, 80)
    assert forwarded(cluster) == {8080: ("web", 80)}


def test_named_ports_are_looked_up_in_the_containers_then_the_init_containers(cluster, kubectl):
    assert kubectl.run("port-forward web 8080:http").stdout == lines(8080, 80)
    assert kubectl.run("port-forward web http").stdout == lines(80, 80)
    assert kubectl.run("port-forward web 9001:setup").stdout == lines(9001, 9000)
    missing = kubectl.run("port-forward web 8081:https")
    assert missing.stderr == "error: Pod 'web' does not have a named port 'https'\n"


def test_a_udp_only_port_is_refused_by_number_or_name(kubectl):
    assert kubectl.run("port-forward web 53").stderr == (
        "error: UDP protocol is not supported for 53\n"
    )
    assert kubectl.run("port-forward web 5353:dns").stderr == (
        "error: UDP protocol is not supported for dns\n"
    )


@pytest.mark.parametrize(
    ("ports", "error"),
    [
        # The UDP check looks the empty name up first: only an unnamed port answers to it.
        ("8080:", "Pod 'web' does not have a named port ''"),
        (
            "70000:80",
            "error parsing local port '70000': strconv.ParseUint: parsing \"70000\": "
            "value out of range",
        ),
        (
            "+80",
            "error parsing local port '+80': strconv.ParseUint: parsing \"+80\": invalid syntax",
        ),
        (
            "8080:+80",
            "error parsing remote port '+80': strconv.ParseUint: parsing \"+80\": invalid syntax",
        ),
        ("8080:0", "remote port must be > 0"),
    ],
)
def test_port_errors_are_kubectl_s(kubectl, ports, error):
    result = kubectl.run(f"port-forward web {ports}")
    assert (result.exit_code, result.stderr) == (1, f"error: {error}\n")


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ("nothing", 'Error from server (NotFound): pods "nothing" not found'),
        ("foo/web", 'error: the server doesn\'t have a resource type "foo"'),
        ("a/b/c", "error: arguments in resource/name form may not have more than one slash"),
        ("pod/", "error: arguments in resource/name form must have a single resource and name"),
        (
            "pod,svc/web",
            "error: arguments in resource/name form must have a single resource and name",
        ),
        (
            "cm/kube-root-ca.crt",
            "error: cannot attach to *v1.ConfigMap: selector for *v1.ConfigMap not implemented",
        ),
    ],
)
def test_target_errors_are_kubectl_s(kubectl, target, error):
    assert kubectl.run(f"port-forward {target} 8080:80").stderr == error + "\n"


def test_an_empty_remote_port_is_refused_once_an_unnamed_port_passed_the_udp_check():
    cluster = new_cluster()
    kubectl = KubectlSession(cluster)
    kubectl.run("run web --image=nginx --port=80")
    cluster.run_for(30)
    assert kubectl.run("port-forward web 8080:").stderr == "error: remote port cannot be empty\n"


def test_the_pod_must_be_running():
    cluster = new_cluster()
    kubectl = KubectlSession(cluster)
    kubectl.run("run web --image=nginx --port=80")
    result = kubectl.run("port-forward web 8080:80")
    assert result.stderr == (
        "error: unable to forward port because pod is not running. Current status=Pending\n"
    )
    assert cluster.network.forwards == {}


def test_the_pod_running_timeout_must_be_positive(kubectl):
    assert kubectl.run("port-forward web 8080:80 --pod-running-timeout=0s").stderr == (
        "error: --pod-running-timeout must be higher than zero\n"
        "See 'kubectl port-forward -h' for help and examples\n"
    )


# -- listening -------------------------------------------------------------------------------


def test_a_local_port_another_forward_holds_is_in_use(cluster, kubectl):
    kubectl.run("port-forward web 8080:80")
    again = kubectl.run("port-forward svc/web 8080:8000")
    assert (again.exit_code, again.stdout, again.stderr) == (1, "", in_use(8080, 80))
    several = kubectl.run("port-forward web 8080:80 8081:80")
    assert several.stdout == lines(8081, 80)
    assert several.stderr == in_use(8080, 80).split("error:")[0]
    assert several.exit_code == 0
    assert forwarded(cluster) == {8080: ("web", 80), 8081: ("web", 80)}


def test_a_random_local_port_is_drawn_from_the_seed():
    picked = []
    for _ in range(2):
        cluster = new_cluster(seed=5)
        cluster.create(named_pod())
        cluster.run_for(30)
        result = KubectlSession(cluster).run("port-forward web :80")
        port = int(result.stdout.split(":", 2)[1].split(" ")[0])
        assert result.stdout == lines(port, 80)
        assert EPHEMERAL_PORTS[0] <= port <= EPHEMERAL_PORTS[1]
        picked.append(port)
    assert picked[0] == picked[1]


def test_explicit_addresses_each_get_a_line_in_the_order_of_their_text(kubectl):
    result = kubectl.run("port-forward web 8080:80 --address ::1,192.168.49.1 --address 127.0.0.2")
    assert result.stdout == lines(8080, 80, ("127.0.0.2", "192.168.49.1", "[::1]"))


def test_a_wildcard_holds_the_port_for_the_other_addresses_of_its_family(cluster, kubectl):
    result = kubectl.run("port-forward web 8080:80 --address 0.0.0.0,127.0.0.2")
    assert result.stdout == lines(8080, 80, ("0.0.0.0",))
    assert result.stderr == (
        "Unable to listen on port 8080: Listeners failed to create with the following errors: "
        "[unable to create listener: Error listen tcp4 127.0.0.2:8080: bind: address already "
        "in use]\n"
        "error: unable to listen on any of the requested ports: [{8080 80}]\n"
    )
    assert cluster.network.forwards == {}


def test_localhost_s_addresses_may_fail_while_one_of_them_listens(kubectl):
    # 0.0.0.0 holds every IPv4 address: 127.0.0.1 fails quietly, ::1 listens.
    result = kubectl.run("port-forward web 8080:80 --address localhost,0.0.0.0")
    assert (result.stdout, result.stderr) == (lines(8080, 80, ("0.0.0.0", "[::1]")), "")


def test_an_address_the_machine_does_not_have_cannot_be_listened_on(cluster, kubectl):
    result = kubectl.run("port-forward web 8080:80 --address 127.0.0.1,10.19.21.23")
    assert result.stdout == lines(8080, 80, ("127.0.0.1",))
    assert result.stderr == (
        "Unable to listen on port 8080: Listeners failed to create with the following errors: "
        "[unable to create listener: Error listen tcp4 10.19.21.23:8080: bind: cannot assign "
        "requested address]\n"
        "error: unable to listen on any of the requested ports: [{8080 80}]\n"
    )
    assert cluster.network.forwards == {}


@pytest.mark.parametrize(
    ("flag", "error"),
    [
        ("--address foo", "foo is not a valid IP"),
        ("--address=", "you must specify at least 1 address"),
    ],
)
def test_address_errors(kubectl, flag, error):
    assert kubectl.run(f"port-forward web 8080:80 {flag}").stderr == f"error: {error}\n"


# -- services and workloads -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("ports", "expected"),
    [
        ("8000", lines(8000, 80)),  # the Service port listens, its target is forwarded to
        ("9000:8000", lines(9000, 80)),
        ("front", lines(8000, 80)),  # a bare name listens on the Service port's number
        ("9000:named", lines(9000, 80)),  # a named targetPort is the container's port
        ("80", lines(80, 80)),  # no targetPort: the same number
    ],
)
def test_a_service_port_becomes_its_target_port(kubectl, ports, expected):
    assert kubectl.run(f"port-forward svc/web {ports}").stdout == expected


@pytest.mark.parametrize(
    ("ports", "error"),
    [
        ("81", "Service web does not have a service port 81"),
        ("8080:nope", "Service 'web' does not have a named port 'nope'"),
        ("53", "UDP protocol is not supported for 53"),
        ("9443", "Pod 'web' does not have a named port 'https'"),
    ],
)
def test_service_port_errors(kubectl, ports, error):
    assert kubectl.run(f"port-forward service/web {ports}").stderr == f"error: {error}\n"


def test_a_headless_service_forwards_its_own_port_number(cluster, kubectl):
    svc = web_service()
    svc["metadata"]["name"] = "direct"
    svc["spec"]["clusterIP"] = "None"
    cluster.create(svc)
    assert kubectl.run("port-forward svc/direct 8000").stdout == lines(8000, 8000)


def test_a_service_without_a_selector_has_no_pod(cluster, kubectl):
    svc = web_service()
    svc["metadata"]["name"] = "plain"
    del svc["spec"]["selector"]
    cluster.create(svc)
    assert kubectl.run("port-forward svc/plain 8000").stderr == (
        "error: cannot attach to *v1.Service: invalid service 'plain': Service is defined "
        "without a selector\n"
    )


def test_a_deployment_forwards_to_its_most_active_pod():
    cluster = new_cluster()
    cluster.create(deployment("api", replicas=3, image="nginx"))
    cluster.run_for(30)
    kubectl = KubectlSession(cluster)
    pods = cluster.api.list("Pod", "default")
    best = min(pods, key=most_active_first)["metadata"]["name"]
    assert kubectl.run("port-forward deploy/api 7000:80").stdout == lines(7000, 80)
    assert kubectl.run("port-forward rs/" + best.rsplit("-", 1)[0] + " 7001:80").exit_code == 0
    assert forwarded(cluster) == {7000: (best, 80), 7001: (best, 80)}


def test_a_workload_without_pods_is_waited_for_until_the_timeout():
    cluster = new_cluster()
    cluster.create(deployment("api", replicas=0, image="nginx"))
    cluster.run_for(5)
    start = cluster.now
    result = KubectlSession(cluster).run("port-forward deploy/api 7000:80")
    assert result.stderr == "error: timed out waiting for the condition\n"
    assert cluster.now - start == pytest.approx(60)


def test_the_most_active_pod_is_scheduled_running_ready_and_older():
    def pod(name, node="n", phase="Running", ready_at=None, created=0, restarts=0):
        conditions = []
        if ready_at is not None:
            stamp = f"2025-01-01T00:00:{ready_at:02d}Z"
            conditions = [{"type": "Ready", "status": "True", "lastTransitionTime": stamp}]
        return {
            "metadata": {"name": name, "creationTimestamp": f"2025-01-01T00:00:{created:02d}Z"},
            "spec": {"nodeName": node},
            "status": {
                "phase": phase,
                "conditions": conditions,
                "containerStatuses": [{"restartCount": restarts}],
            },
        }

    pods = [
        pod("unscheduled", node=""),
        pod("pending", phase="Pending"),
        pod("not-ready"),
        pod("ready-late", ready_at=30),
        pod("ready-early-restarted", ready_at=10, restarts=2),
        pod("ready-early", ready_at=10, created=5),
        pod("ready-early-older", ready_at=10, created=1),
    ]
    order = [p["metadata"]["name"] for p in sorted(pods, key=most_active_first)]
    assert order == [
        "ready-early-older",
        "ready-early",
        "ready-early-restarted",
        "ready-late",
        "not-ready",
        "pending",
        "unscheduled",
    ]


# -- through the forward -----------------------------------------------------------------------


def test_curl_on_the_player_s_machine_reaches_the_pod_through_the_forward():
    cluster = new_cluster()
    kubectl = KubectlSession(cluster)
    assert kubectl.run("run web --image=nginx --port=80").exit_code == 0
    cluster.run_for(30)
    assert kubectl.run("port-forward web 8080:80 &").stdout == lines(8080, 80)
    page = run_host_line(cluster, "curl -s http://localhost:8080/", "en")
    assert page.exit_code == 0 and "<title>Welcome to nginx!</title>" in page.stdout
    assert kubectl.run("port-forward web 8081:81").exit_code == 0
    empty = run_host_line(cluster, "curl -sS http://127.0.0.1:8081/", "en")
    assert (empty.exit_code, empty.stdout) == (52, "curl: (52) Empty reply from server\n")
    # kubectl ends that forward on the error: the port is closed from then on.
    again = run_host_line(cluster, "curl -sS http://127.0.0.1:8081/", "en")
    assert again.exit_code == 7
    assert 8081 not in cluster.network.forwards
    kubectl.run("delete pod web")
    gone = run_host_line(cluster, "curl -sS http://localhost:8080/", "en")
    assert gone.exit_code == 7
    assert "Failed to connect to localhost port 8080" in gone.stdout


def test_a_forward_whose_pod_was_replaced_frees_its_port():
    cluster = new_cluster()
    kubectl = KubectlSession(cluster)
    kubectl.run("run web --image=nginx --port=80")
    cluster.run_for(30)
    kubectl.run("port-forward web 8080:80")
    kubectl.run("delete pod web")
    kubectl.run("run web --image=nginx --port=80")
    cluster.run_for(30)
    assert kubectl.run("port-forward web 8080:80").stdout == lines(8080, 80)
    uid = cluster.get("Pod", "web")["metadata"]["uid"]
    assert cluster.network.forwards[8080].uid == uid
    page = run_host_line(cluster, "curl -s http://localhost:8080/", "en")
    assert "Welcome to nginx!" in page.stdout


# -- the verb in levels and at the prompt ----------------------------------------------------


def test_the_verb_waits_rather_than_writes_and_completes_pod_names():
    verb = VERBS["port-forward"]
    assert (verb.effect, verb.args) == (Effect.WAITS, Args.POD)
    snapshot = Snapshot(names={"pods": ("web",)})
    assert complete("port-forward w", snapshot).line == "port-forward web "


def test_a_replay_starts_the_same_forwards():
    run = LevelRun(sandbox_level(), seed=3, language="en")
    for line in ("run web --image=nginx --port=80", "sleep 30s"):
        assert run.run_line(line).exit_code == 0
    result = run.run_line("kubectl port-forward web :80 8080:80 &")
    assert result.exit_code == 0 and run.tally.changes == 1  # only the run counts
    forwards = dict(run.cluster.network.forwards)
    assert len(forwards) == 2
    for skip_reads in (False, True):
        copy = replay(sandbox_level(), 3, list(run.log), run.cluster.now, "en", skip_reads)
        assert copy.cluster.network.forwards == forwards


def test_ports_after_a_double_dash_are_ports_too():
    cluster = new_cluster()
    kubectl = KubectlSession(cluster)
    kubectl.run("run web --image=nginx --port=80")
    cluster.run_for(30)
    assert kubectl.run("port-forward web -- 8085:80").stdout == lines(8085, 80)
