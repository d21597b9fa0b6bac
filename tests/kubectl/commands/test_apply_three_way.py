"""Client-side apply's three-way patch: what the last apply set and the manifest now drops is
deleted, keyed lists item by item; dry runs change nothing."""

from cluster_helpers import new_cluster

from k8sgame.kubectl.commands.apply import three_way_patch
from k8sgame.kubectl.session import KubectlSession

GATED = """apiVersion: v1
kind: Pod
metadata:
  name: gated
  labels: {app: web, tier: front}
spec:
  schedulingGates:
  - name: example.com/quota
  - name: example.com/review
  containers:
  - name: web
    image: nginx
"""


def _session(cluster, files):
    return KubectlSession(cluster, files=lambda path: [(path, files[path])])


def test_dropped_keyed_items_get_delete_directives():
    last = {"spec": {"containers": [{"name": "a", "image": "x", "args": ["1"]}, {"name": "b"}]}}
    new = {"spec": {"containers": [{"name": "a", "image": "y"}]}}
    assert three_way_patch(last, new) == {
        "spec": {
            "containers": [
                {"name": "a", "image": "y", "args": None},
                {"name": "b", "$patch": "delete"},
            ]
        }
    }


def test_removing_a_gate_and_a_label_by_apply_lets_the_pod_schedule():
    cluster = new_cluster()
    files = {"pod.yaml": GATED}
    session = _session(cluster, files)
    assert session.run("apply -f pod.yaml").stdout == "pod/gated created\n"
    cluster.run_for(5)
    assert session.run("get pod gated").stdout.splitlines()[1].split()[2] == "SchedulingGated"
    files["pod.yaml"] = (
        GATED.replace("  - name: example.com/quota\n", "")
        .replace("  - name: example.com/review\n", "")
        .replace("  schedulingGates:\n", "")
        .replace(", tier: front", "")
    )
    assert session.run("apply -f pod.yaml").stdout == "pod/gated configured\n"
    stored = cluster.store.get("Pod", "gated", "default")
    assert "schedulingGates" not in stored["spec"]
    assert stored["metadata"]["labels"] == {"app": "web"}
    cluster.run_for(30)
    assert session.run("get pod gated").stdout.splitlines()[1].split()[2] == "Running"


def test_dropping_a_container_is_refused_by_the_server_not_ignored():
    two = GATED.replace(
        "  - name: web\n    image: nginx\n",
        "  - name: web\n    image: nginx\n  - name: side\n    image: busybox\n",
    )
    cluster = new_cluster()
    files = {"pod.yaml": two}
    session = _session(cluster, files)
    session.run("apply -f pod.yaml")
    files["pod.yaml"] = GATED
    result = session.run("apply -f pod.yaml")
    assert result.exit_code == 1
    assert result.stderr == (
        'The Pod "gated" is invalid: spec.containers: Forbidden: '
        "pod updates may not add or remove containers\n"
    )
    assert len(cluster.store.get("Pod", "gated", "default")["spec"]["containers"]) == 2


def test_apply_dry_runs_change_nothing_and_say_so():
    cluster = new_cluster()
    session = _session(cluster, {"pod.yaml": GATED})
    before = cluster.dump_state()
    assert session.run("apply -f pod.yaml --dry-run=client").stdout == (
        "pod/gated created (dry run)\n"
    )
    assert session.run("apply -f pod.yaml --dry-run=server").stdout == (
        "pod/gated created (server dry run)\n"
    )
    shown = session.run("create -f pod.yaml --dry-run=server -o yaml").stdout
    assert "dnsPolicy: ClusterFirst" in shown  # the server's defaults are in the answer
    assert cluster.dump_state() == before


def test_unexpected_arguments():
    result = KubectlSession(new_cluster()).run("apply web.yaml")
    assert result.stderr == (
        "error: Unexpected args: [web.yaml]\nSee 'kubectl apply -h' for help and examples\n"
    )


def test_a_service_s_ports_merge_by_port_number_and_keep_their_node_ports():
    """Service ports are keyed by ``port`` (a container's by ``containerPort``): applying
    the manifest again with a second port keeps the first one's allocated node port."""
    cluster = new_cluster()
    manifest = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n"
        "  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n"
    )
    files = {"svc.yaml": manifest}
    session = _session(cluster, files)
    assert session.run("apply -f svc.yaml").stdout == "service/web created\n"
    first = cluster.get("Service", "web")["spec"]["ports"][0]["nodePort"]
    assert session.run("apply -f svc.yaml").stdout == "service/web unchanged\n"
    files["svc.yaml"] = manifest + "  - name: https\n    port: 443\n"
    assert session.run("apply -f svc.yaml").stdout == "service/web configured\n"
    ports = cluster.get("Service", "web")["spec"]["ports"]
    assert [p["name"] for p in ports] == ["http", "https"]
    assert ports[0]["nodePort"] == first
    assert ports[1]["nodePort"] not in (0, first)
