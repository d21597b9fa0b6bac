"""``kubectl top pod`` / ``top node`` against the simulated metrics-server.

Expected layouts come from kubectl's own tests (``pkg/metricsutil/metrics_printer_test.go``,
tag v0.35.7): every cell is tab-terminated, so each line ends in padding.
"""

from __future__ import annotations

import itertools

import pytest
from cluster_helpers import container_status, new_cluster, pod
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.metrics import METRIC_RESOLUTION
from k8sgame.engine.timefmt import parse_rfc3339
from k8sgame.kubectl.commands.top import PodRow, Usage, print_node_metrics, print_pod_metrics
from k8sgame.kubectl.session import KubectlSession

GI = 1024**3
MI = 1024**2


def demo(name, cpu=5, memory_mb=20, leak=0, limit=None, namespace=None, extra=()):
    """A demo-web pod using ``cpu`` millicores and ``memory_mb`` MiB (plus a leak per minute)."""
    env = {"CPU_MILLICORES": cpu, "MEMORY_MB": memory_mb, "LEAK_MB_PER_MINUTE": leak}
    container = {
        "name": "app",
        "image": "k8sgame/demo-web",
        "env": [{"name": k, "value": str(v)} for k, v in env.items()],
    }
    if limit:
        container["resources"] = {"limits": {"memory": limit}}
    manifest = pod(name, [container, *extra])
    if namespace:
        manifest["metadata"]["namespace"] = namespace
    return manifest


def lines(text):
    return text.splitlines()


@pytest.fixture
def env():
    cluster = new_cluster()
    return cluster, KubectlSession(cluster)


# -- the printer against kubectl's own fixtures ----------------------------------------------


def test_node_table_matches_kubectl_fixtures():
    one = [("node1", Usage(1_000_000_000, GI))]
    available = {"node1": {"cpu": 10_000, "memory": 10 * GI * 1000}}
    assert print_node_metrics(one, available) == (
        "NAME    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node1   1000m        10%      1024Mi          10%         \n"
    )
    assert print_node_metrics(one, available, no_headers=True) == (
        "node1   1000m   10%   1024Mi   10%   \n"
    )
    both = {**available, "node2": available["node1"]}
    assert print_node_metrics(one, both) == (
        "NAME    CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   \n"
        "node1   1000m        10%         1024Mi          10%         \n"
        "node2   <unknown>    <unknown>   <unknown>       <unknown>   \n"
    )
    two = [*one, ("node2", Usage(2_000_000_000, 5 * GI))]
    assert print_node_metrics(two, both, sort_by="memory") == (
        "NAME    CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   \n"
        "node2   2000m        20%      5120Mi          50%         \n"
        "node1   1000m        10%      1024Mi          10%         \n"
    )


def test_pod_table_matches_kubectl_fixtures():
    half = Usage(200_000_000, GI)
    test = PodRow("test", "test", (("container1", half), ("container2", half)))
    test1 = PodRow(
        "test", "test-1", (("container1", half), ("container2", Usage(200_000_000, 4 * GI)))
    )
    assert print_pod_metrics([test]) == (
        "NAME   CPU(cores)   MEMORY(bytes)   \ntest   400m         2048Mi          \n"
    )
    assert print_pod_metrics([test], containers=True) == (
        "POD    NAME         CPU(cores)   MEMORY(bytes)   \n"
        "test   container1   200m         1024Mi          \n"
        "test   container2   200m         1024Mi          \n"
    )
    assert print_pod_metrics([test], no_headers=True) == "test   400m   2048Mi   \n"
    assert print_pod_metrics([test, test1], sort_by="memory") == (
        "NAME     CPU(cores)   MEMORY(bytes)   \n"
        "test-1   400m         5120Mi          \n"
        "test     400m         2048Mi          \n"
    )
    assert print_pod_metrics([test, test1], total=True) == (
        "NAME     CPU(cores)   MEMORY(bytes)   \n"
        "test     400m         2048Mi          \n"
        "test-1   400m         5120Mi          \n"
        "         ________     ________        \n"
        "         800m         7168Mi          \n"
    )


def test_cpu_rounds_up_to_a_millicore_and_memory_down_to_a_mebibyte():
    row = PodRow("default", "p", (("a", Usage(1_000_001, 2 * MI - 1)), ("b", Usage(1, 1))))
    # The containers are added up first (getPodMetrics), then rounded once.
    assert lines(print_pod_metrics([row], no_headers=True)) == ["p     2m    2Mi   "]


# -- timing: scrapes every 15 s, CPU needs two ------------------------------------------------


def test_a_fresh_pod_has_no_metrics_until_two_scrapes_then_shows_its_usage(env):
    cluster, kubectl = env
    cluster.run_for(20)
    cluster.create(demo("busy", cpu=400, memory_mb=820))
    assert kubectl.run("top pod").stderr == "error: metrics not available yet\n"
    cluster.run_until(lambda: "running" in container_status(cluster, "busy")["state"], 30)
    started = parse_rfc3339(container_status(cluster, "busy")["state"]["running"]["startedAt"])
    # Started at 22 s: the 30 s scrape is its first (8 s old, too young for the fresh-container
    # shortcut), so the rate needs the 45 s scrape.
    assert 20 < started < 30
    cluster.run_for(44.9 - cluster.now)
    result = kubectl.run("top pod busy")
    assert result.exit_code == 1
    assert result.stderr == (
        'Error from server (NotFound): podmetrics.metrics.k8s.io "default/busy" not found\n'
    )
    assert kubectl.run("top pods").stderr == "error: metrics not available yet\n"
    cluster.run_for(0.1)
    assert kubectl.run("top pod").stdout == (
        "NAME   CPU(cores)   MEMORY(bytes)   \nbusy   400m         820Mi           \n"
    )
    (metrics,) = cluster.pod_metrics("default")
    assert (metrics.timestamp, metrics.window) == (45.0, METRIC_RESOLUTION)


def test_a_container_started_10_to_15_s_before_a_scrape_gets_metrics_at_once(env):
    cluster, kubectl = env
    cluster.create(demo("quick"))
    cluster.run_for(15)
    started = parse_rfc3339(container_status(cluster, "quick")["state"]["running"]["startedAt"])
    assert 15 - started >= 10
    (metrics,) = cluster.pod_metrics("default")
    # pod.go: the start (CPU 0) stands in for the previous point, the window is the run so far.
    assert metrics.timestamp == 15.0
    assert 10 <= metrics.window < 15
    assert lines(kubectl.run("top po --no-headers").stdout) == ["quick   5m    20Mi   "]


def test_values_change_only_at_scrapes(env):
    cluster, kubectl = env
    cluster.create(demo("leaky", leak=60))
    cluster.run_for(31)
    first = kubectl.run("top pod").stdout
    cluster.run_for(13)  # 44 s: still the 30 s scrape
    assert kubectl.run("top pod").stdout == first
    cluster.run_for(1)  # 45 s: a new scrape, 15 more MiB
    assert kubectl.run("top pod").stdout != first


def test_leaking_memory_grows_in_top_until_oom_killed_then_the_pod_drops_out(env):
    cluster, kubectl = env
    cluster.create(demo("leaky", memory_mb=20, leak=60, limit="128Mi"))
    cluster.run_for(15)
    seen = []
    while cluster.now < 240:
        result = kubectl.run("top pod leaky --no-headers")
        seen.append((cluster.now, result.stdout or result.stderr))
        cluster.run_for(15)
    memory = [int(text.split()[2].removesuffix("Mi")) for _, text in seen if "Mi" in text]
    # 1 MiB more per second: +15 MiB per scrape, never over the 128Mi limit.
    assert memory[:7] == sorted(memory[:7])
    assert all(b - a == 15 for a, b in itertools.pairwise(memory[:7]))
    assert max(memory) < 128
    status = container_status(cluster, "leaky")
    assert status["restartCount"] >= 1
    assert status["lastState"]["terminated"]["reason"] == "OOMKilled"
    # Right after the restart the new run has no previous point: no metrics for the pod.
    gaps = [text for _, text in seen if "not found" in text]
    assert gaps
    assert gaps[0] == (
        'Error from server (NotFound): podmetrics.metrics.k8s.io "default/leaky" not found\n'
    )


def test_an_old_pod_without_metrics_is_named_with_its_age(env):
    cluster, kubectl = env
    hungry = pod(
        "hungry", [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "16"}}}]
    )
    cluster.create(hungry)
    cluster.run_for(100)
    assert kubectl.run("top pods").stderr == "error: metrics not available yet\n"
    cluster.run_for(25.5)
    assert kubectl.run("top pods").stderr == (
        "error: Metrics not available for pod default/hungry, age: 2m5.5s\n"
    )


def test_no_pods(env):
    _, kubectl = env
    result = kubectl.run("top pods -n kube-system")
    assert (result.stdout, result.stderr, result.exit_code) == (
        "",
        "No resources found in kube-system namespace.\n",
        0,
    )
    assert kubectl.run("top pod -A").stderr == "No resources found\n"


# -- layouts ----------------------------------------------------------------------------------


@pytest.fixture
def busy(env):
    cluster, kubectl = env
    side = {
        "name": "sidecar",
        "image": "k8sgame/demo-web",
        "env": [{"name": "PORT", "value": "9090"}],
    }
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}})
    cluster.create(demo("web", cpu=250, memory_mb=64, extra=[side]))
    cluster.create(demo("api", cpu=120, memory_mb=300, namespace="shop"))
    cluster.run_for(30)
    return cluster, kubectl


def test_containers_sum_and_all_namespaces_layout(busy):
    _, kubectl = busy
    assert lines(kubectl.run("top pod --containers").stdout) == [
        "POD   NAME      CPU(cores)   MEMORY(bytes)   ",
        "web   app       250m         64Mi            ",
        "web   sidecar   5m           20Mi            ",
    ]
    assert lines(kubectl.run("top pod --sum").stdout) == [
        "NAME   CPU(cores)   MEMORY(bytes)   ",
        "web    255m         84Mi            ",
        "       ________     ________        ",
        "       255m         84Mi            ",
    ]
    assert lines(kubectl.run("top pods -A").stdout) == [
        "NAMESPACE   NAME   CPU(cores)   MEMORY(bytes)   ",
        "default     web    255m         84Mi            ",
        "shop        api    120m         300Mi           ",
    ]
    assert lines(kubectl.run("top pods -A --sort-by=memory --sum --containers").stdout) == [
        "NAMESPACE   POD   NAME      CPU(cores)   MEMORY(bytes)   ",
        "shop        api   app       120m         300Mi           ",
        "default     web   app       250m         64Mi            ",
        "default     web   sidecar   5m           20Mi            ",
        "                            ________     ________        ",
        "                            375m         384Mi           ",
    ]
    # --no-headers keeps the header-less column count for the sum (upstream's quirk).
    assert lines(kubectl.run("top pods -A --sum --no-headers").stdout) == [
        "default   web        255m       84Mi    ",
        "shop      api        120m       300Mi   ",
        "          ________   ________   ",
        "          375m       384Mi      ",
    ]
    assert lines(kubectl.run("top pods -A --sort-by=cpu --no-headers").stdout) == [
        "default   web   255m   84Mi    ",
        "shop      api   120m   300Mi   ",
    ]


def test_label_selector_and_namespace(busy):
    _, kubectl = busy
    assert lines(kubectl.run("top pod -n shop").stdout)[1:] == [
        "api    120m         300Mi           "
    ]
    result = kubectl.run("top pod -l app=nothing")
    assert (result.stdout, result.stderr) == ("", "No resources found in default namespace.\n")


def test_top_nodes_percent_of_allocatable(busy):
    cluster, kubectl = busy
    placed = {p["metadata"]["name"]: p["spec"]["nodeName"] for p in cluster.store.list("Pod", None)}
    assert placed == {"web": "node-1", "api": "node-2"}
    assert lines(kubectl.run("top nodes").stdout) == [
        "NAME            CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ",
        "control-plane   0m           0%       0Mi             0%          ",
        "node-1          255m         6%       84Mi            1%          ",
        "node-2          120m         3%       300Mi           3%          ",
    ]
    assert lines(kubectl.run("top node --sort-by=memory --no-headers").stdout) == [
        "node-2          120m   3%    300Mi   3%    ",
        "node-1          255m   6%    84Mi    1%    ",
        "control-plane   0m     0%    0Mi     0%    ",
    ]
    assert lines(kubectl.run("top no node-1").stdout) == [
        "NAME     CPU(cores)   CPU(%)   MEMORY(bytes)   MEMORY(%)   ",
        "node-1   255m         6%       84Mi            1%          ",
    ]


def test_node_without_a_kubelet_is_unknown():
    from k8sgame.engine.nodes import node_manifest

    cluster = new_cluster(nodes=[node_manifest("a", cpu="1"), node_manifest("b", ready=False)])
    kubectl = KubectlSession(cluster)
    assert kubectl.run("top nodes").stderr == "error: metrics not available yet\n"
    cluster.create(demo("web", cpu=500, memory_mb=1024))
    cluster.run_for(30)
    assert lines(kubectl.run("top nodes").stdout) == [
        "NAME   CPU(cores)   CPU(%)      MEMORY(bytes)   MEMORY(%)   ",
        "a      500m         50%         1024Mi          25%         ",
        "b      <unknown>    <unknown>   <unknown>       <unknown>   ",
    ]
    assert kubectl.run("top node b").stderr == (
        'Error from server (NotFound): nodemetrics.metrics.k8s.io "b" not found\n'
    )


def test_errors(busy):
    _, kubectl = busy
    cases = {
        "top pod --sort-by=name": "error: --sort-by accepts only cpu or memory\n",
        "top node --sort-by=x": "error: --sort-by accepts only cpu or memory\n",
        "top pod nope": 'Error from server (NotFound): pods "nope" not found\n',
        "top node nope": 'Error from server (NotFound): node "nope" not found\n',
        "top pod web -l a=b": "error: only one of NAME or selector can be provided\n",
        "top node x -l a=b": "error: only one of NAME or --selector can be provided\n",
        "top pod a b": (
            "error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples\n"
        ),
        "top pods --foo": "error: unknown flag: --foo\nSee 'kubectl top pod --help' for usage.\n",
    }
    for command, stderr in cases.items():
        result = kubectl.run(command)
        assert (result.stderr, result.exit_code) == (stderr, 1), command
    assert kubectl.run("top").exit_code == 1


# -- determinism ------------------------------------------------------------------------------


def _scenario(seed):
    cluster = new_cluster(seed=seed)
    kubectl = KubectlSession(cluster)
    cluster.create(demo("a", cpu=33, leak=7, limit="64Mi"))
    cluster.create(demo("b", cpu=120, memory_mb=50))
    out = []
    for _ in range(12):
        cluster.run_for(10)
        out.append(kubectl.run("top pod --containers").stdout + kubectl.run("top node").stdout)
    return out, cluster.pod_metrics(), cluster.node_metrics()


@settings(max_examples=5, deadline=None)
@given(st.integers(min_value=0, max_value=2**16))
def test_same_seed_same_figures(seed):
    assert _scenario(seed) == _scenario(seed)


def test_node_usage_is_the_sum_of_its_pods(busy):
    cluster, _ = busy
    nodes = {n.name: n for n in cluster.node_metrics()}
    for pod_metrics in cluster.pod_metrics():
        node = cluster.get("Pod", pod_metrics.name, pod_metrics.namespace)["spec"]["nodeName"]
        assert nodes[node].memory_bytes == pod_metrics.memory_bytes
        assert nodes[node].cpu_nanocores == pod_metrics.cpu_nanocores
