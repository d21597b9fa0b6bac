"""``kubectl describe`` for Node, Namespace, ConfigMap, Secret and Event, dispatch, errors.

Confirmed with real kubectl (v1.32.4 against a fake API server serving these very objects,
dumped from the engine with ``get -o json``): every expected text in this file, byte for
byte; kubectl 1.35.2 (tests/kubectl/fixtures/side_by_side) prints the same empty
``Kube-Proxy Version:`` line. The Lease line is what kubectl printed for a 404 on
``kube-node-lease/leases/<node>`` (the engine has no Leases).
"""

import base64

import pytest
from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.describers.generic import describe_generic, smart_label
from k8sgame.kubectl.describers.pod import describe_pod
from k8sgame.kubectl.describers.quantity import format_quantity, quantity
from k8sgame.kubectl.kinds import VIEWS, describer_for
from k8sgame.kubectl.session import KubectlSession


def _with_requests(cpu_mem_limits):
    requests, limits = cpu_mem_limits
    return {"requests": requests, "limits": limits}


@pytest.fixture(scope="module")
def scene():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(
        pod(
            "web",
            [
                {
                    "name": "web",
                    "image": "nginx",
                    "resources": _with_requests(
                        ({"cpu": "250m", "memory": "64Mi"}, {"memory": "128Mi"})
                    ),
                }
            ],
            nodeName="node-1",
        )
    )
    cluster.create(
        pod(
            "api",
            [
                {
                    "name": "a",
                    "image": "nginx",
                    "resources": _with_requests(
                        ({"cpu": "100m", "memory": "128Mi"}, {"cpu": "500m", "memory": "1G"})
                    ),
                },
                {
                    "name": "b",
                    "image": "nginx",
                    "resources": _with_requests(
                        ({"cpu": "1", "memory": "100M"}, {"cpu": "1", "memory": "200M"})
                    ),
                },
            ],
            nodeName="node-1",
        )
    )
    cluster.create(pod("idle", [{"name": "c", "image": "nginx"}], nodeName="node-1"))
    # Succeeded pods are not "non-terminated": left out of the node's table and totals.
    cluster.create(
        pod(
            "done",
            [
                {
                    "name": "c",
                    "image": "busybox",
                    "command": ["true"],
                    "resources": {"requests": {"cpu": "1"}},
                }
            ],
            nodeName="node-1",
            restartPolicy="Never",
        )
    )
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": "team-a",
                "labels": {"team": "a"},
                "annotations": {"owner": "alice"},
            },
        }
    )
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "app-config", "namespace": "default", "labels": {"app": "web"}},
            "data": {"app.properties": "color=blue\nsize=10\n", "mode": "fast"},
            "binaryData": {"blob": base64.b64encode(bytes(range(16))).decode()},
        }
    )
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {
                "name": "db-creds",
                "namespace": "default",
                "annotations": {"note": "rotated"},
            },
            "stringData": {"username": "admin", "password": "s3cr3t!"},
        }
    )
    cluster.run_for(75)
    assert session.run("cordon node-2").exit_code == 0
    assert session.run("taint nodes node-2 dedicated=gpu:NoSchedule").exit_code == 0
    cluster.run_for(5)
    return cluster, session


NODE_HEAD = """\
Name:               {name}
Roles:              <none>
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname={name}
                    kubernetes.io/os=linux
Annotations:        <none>
CreationTimestamp:  Mon, 05 Jan 2026 09:00:00 +0000
"""
NODE_MIDDLE = """\
Lease:
  HolderIdentity:  {name}
  AcquireTime:     <unset>
  RenewTime:       Mon, 05 Jan 2026 09:01:20 +0000
Conditions:
  Type             Status  LastHeartbeatTime                 LastTransitionTime                Reason                       Message
  ----             ------  -----------------                 ------------------                ------                       -------
  MemoryPressure   False   Mon, 05 Jan 2026 09:00:00 +0000   Mon, 05 Jan 2026 09:00:00 +0000   KubeletHasSufficientMemory   kubelet has sufficient memory available
  DiskPressure     False   Mon, 05 Jan 2026 09:00:00 +0000   Mon, 05 Jan 2026 09:00:00 +0000   KubeletHasNoDiskPressure     kubelet has no disk pressure
  PIDPressure      False   Mon, 05 Jan 2026 09:00:00 +0000   Mon, 05 Jan 2026 09:00:00 +0000   KubeletHasSufficientPID      kubelet has sufficient PID available
  Ready            True    Mon, 05 Jan 2026 09:00:00 +0000   Mon, 05 Jan 2026 09:00:00 +0000   KubeletReady                 kubelet is posting ready status
Addresses:
  InternalIP:  192.168.49.{ip}
  Hostname:    {name}
Capacity:
  cpu:                4
  ephemeral-storage:  20Gi
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             8Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  20Gi
  hugepages-1Gi:      0
  hugepages-2Mi:      0
  memory:             8Gi
  pods:               110
System Info:
{ids}  Kernel Version:             6.8.0-sim
  OS Image:                   k8sgame simulated node
  Operating System:           linux
  Architecture:               amd64
  Container Runtime Version:  containerd://2.1.4
  Kubelet Version:            v1.35.0
{proxy}PodCIDR:                      10.244.{index}.0/24
PodCIDRs:                     10.244.{index}.0/24
"""
# Empty machine ids: the cell is padded to the column (trailing spaces, as kubectl prints).
PROXY = "  Kube-Proxy Version:".ljust(30) + "\n"
IDS = "".join(f"  {label}:".ljust(30) + "\n" for label in ("Machine ID", "System UUID", "Boot ID"))
NODE_1 = (
    NODE_HEAD.format(name="node-1")
    + "Taints:             <none>\nUnschedulable:      false\n"
    + NODE_MIDDLE.format(name="node-1", ip=3, index=1, ids=IDS, proxy=PROXY)
    + """\
Non-terminated Pods:          (3 in total)
  Namespace                   Name    CPU Requests  CPU Limits   Memory Requests  Memory Limits  Age
  ---------                   ----    ------------  ----------   ---------------  -------------  ---
  default                     api     1100m (27%)   1500m (37%)  234217728 (2%)   1200M (13%)    80s
  default                     idle    0 (0%)        0 (0%)       0 (0%)           0 (0%)         80s
  default                     web     250m (6%)     0 (0%)       64Mi (0%)        128Mi (1%)     80s
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests        Limits
  --------           --------        ------
  cpu                1350m (33%)     1500m (37%)
  memory             301326592 (3%)  1334217728 (15%)
  ephemeral-storage  0 (0%)          0 (0%)
  hugepages-1Gi      0 (0%)          0 (0%)
  hugepages-2Mi      0 (0%)          0 (0%)
Events:              <none>
"""
)
NODE_2 = (
    NODE_HEAD.format(name="node-2")
    + """\
Taints:             dedicated=gpu:NoSchedule
                    node.kubernetes.io/unschedulable:NoSchedule
Unschedulable:      true
"""
    + NODE_MIDDLE.format(name="node-2", ip=4, index=2, ids=IDS, proxy=PROXY)
    + """\
Non-terminated Pods:          (0 in total)
  Namespace                   Name    CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----    ------------  ----------  ---------------  -------------  ---
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests  Limits
  --------           --------  ------
  cpu                0 (0%)    0 (0%)
  memory             0 (0%)    0 (0%)
  ephemeral-storage  0 (0%)    0 (0%)
  hugepages-1Gi      0 (0%)    0 (0%)
  hugepages-2Mi      0 (0%)    0 (0%)
Events:              <none>
"""
)


def test_node_with_pods_shows_requests_limits_and_percentages(scene):
    _, session = scene
    result = session.run("describe node node-1")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout == NODE_1
    # Same object through every spelling of the type.
    assert session.run("describe nodes node-1").stdout == NODE_1
    assert session.run("describe no/node-1").stdout == NODE_1


def test_cordoned_tainted_node(scene):
    _, session = scene
    assert session.run("describe no/node-2").stdout == NODE_2


def test_control_plane_role_and_taint(scene):
    _, session = scene
    lines = session.run("describe node control-plane").stdout.splitlines()
    assert lines[1] == "Roles:              control-plane"
    assert "Taints:             node-role.kubernetes.io/control-plane:NoSchedule" in lines
    assert "                    node.kubernetes.io/exclude-from-external-load-balancers=" in lines


def test_all_nodes_are_separated_by_two_blank_lines(scene):
    _, session = scene
    text = session.run("describe nodes").stdout
    assert text.count("\n\n\nName:") == 2
    assert text.split("\n\n\n")[1] + "\n" == NODE_1


NAMESPACE = """\
Name:         team-a
Labels:       kubernetes.io/metadata.name=team-a
              team=a
Annotations:  owner: alice
Status:       Active

No resource quota.

No LimitRange resource.
"""


def test_namespace(scene):
    _, session = scene
    assert session.run("describe ns team-a").stdout == NAMESPACE
    assert session.run("describe namespace -l team=a").stdout == NAMESPACE


CONFIG_MAP = """\
Name:         app-config
Namespace:    default
Labels:       app=web
Annotations:  <none>

Data
====
app.properties:
----
color=blue
size=10


mode:
----
fast


BinaryData
====
blob: 16 bytes

Events:  <none>
"""
SECRET = """\
Name:         db-creds
Namespace:    default
Labels:       <none>
Annotations:  note: rotated

Type:  Opaque

Data
====
password:  7 bytes
username:  5 bytes
"""


def test_config_map_data_and_binary_data(scene):
    _, session = scene
    assert session.run("describe cm app-config").stdout == CONFIG_MAP
    assert session.run("describe configmap -l app=web").stdout == CONFIG_MAP


def test_config_map_without_events_section(scene):
    _, session = scene
    text = session.run("describe cm app-config --show-events=false").stdout
    assert text == CONFIG_MAP.replace("Events:  <none>\n", "")


def test_secret_sizes_not_values(scene):
    _, session = scene
    assert session.run("describe secret db-creds").stdout == SECRET


def test_event_uses_the_generic_describer(scene):
    cluster, session = scene
    event = next(
        e
        for e in cluster.store.list("Event", "default")
        if e["involvedObject"]["name"] == "api" and e["reason"] == "Pulling"
    )
    name = event["metadata"]["name"]
    lines = session.run(f"describe event {name}").stdout.splitlines()
    assert lines[:9] == [
        f"Name:             {name}",
        "Namespace:        default",
        "Labels:           <none>",
        "Annotations:      <none>",
        "API Version:      v1",
        "Count:            1",
        "Event Time:       <nil>",
        "First Timestamp:  2026-01-05T09:00:01Z",
        "Involved Object:",
    ]
    assert "  Field Path:        spec.containers{a}" in lines
    assert lines[lines.index("Kind:                Event") :][:3] == [
        "Kind:                Event",
        "Last Timestamp:      2026-01-05T09:00:01Z",
        'Message:             Pulling image "nginx"',
    ]
    assert lines[-7:] == [
        "Reporting Component:   kubelet",
        "Reporting Instance:    node-1",
        "Source:",
        "  Component:  kubelet",
        "  Host:       node-1",
        "Type:         Normal",
        "Events:       <none>",
    ]


def test_not_found_and_empty_lists(scene):
    _, session = scene
    missing = session.run("describe node nope")
    assert (missing.stdout, missing.exit_code) == ("", 1)
    assert missing.stderr == 'Error from server (NotFound): nodes "nope" not found\n'
    assert (
        session.run("describe secret nope").stderr
        == 'Error from server (NotFound): secrets "nope" not found\n'
    )
    # kubectl describe names the namespace even for cluster-scoped kinds.
    empty = session.run("describe nodes -l nope=x")
    assert (empty.stdout, empty.stderr, empty.exit_code) == (
        "",
        "No resources found in default namespace.\n",
        0,
    )
    assert session.run("describe cm -A -l nope=x").stderr == "No resources found\n"


def test_found_objects_then_errors(scene):
    _, session = scene
    result = session.run("describe cm app-config nope")
    assert result.stdout == CONFIG_MAP
    assert result.stderr == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert result.exit_code == 1


def test_missing_name_falls_back_to_prefix_match(scene):
    _, session = scene
    # DescribeMatchingResources: each match followed by a blank line.
    assert session.run("describe cm app").stdout == CONFIG_MAP + "\n"
    assert session.run("describe secret db").stdout == SECRET + "\n"
    nothing = session.run("describe cm zzz")
    assert nothing.stderr == 'Error from server (NotFound): configmaps "zzz" not found\n'


def test_all_namespaces_and_mixed_kinds(scene):
    _, session = scene
    texts = session.run("describe cm -A").stdout.split("\n\n\nName:")
    # app-config and a kube-root-ca.crt in each of the 6 namespaces (with local-path-storage)
    assert len(texts) == 7
    both = session.run("describe cm/app-config secret/db-creds").stdout
    assert both == CONFIG_MAP + "\n\n" + SECRET
    kinds = session.run("describe cm,secret").stdout
    assert [line for line in kinds.splitlines() if line.startswith("Name:")] == [
        "Name:         app-config",
        "Name:         kube-root-ca.crt",
        "Name:         db-creds",
    ]
    bad = session.run("describe cm app-config -A")
    assert bad.stderr == "error: a resource cannot be retrieved by name across all namespaces\n"
    selector = session.run("describe cm app-config -l app=web")
    assert selector.stderr == "error: name cannot be provided when a selector is specified\n"


def test_registry_dispatch():
    described = {kind for kind, view in VIEWS.items() if view.describer is not None}
    assert described == {
        "Pod",
        "Node",
        "Namespace",
        "ConfigMap",
        "Secret",
        "ServiceAccount",
        "ReplicaSet",
        "Deployment",
        "DaemonSet",
        "Job",
        "CronJob",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "StorageClass",
        "StatefulSet",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "ReplicationController",
        "Service",
        "Endpoints",
        "EndpointSlice",
        "Ingress",
        "IngressClass",
        "NetworkPolicy",
        "Role",
        "ClusterRole",
        "RoleBinding",
        "ClusterRoleBinding",
    }
    # Event has no describer of its own in kubectl either.
    assert describer_for("Event") is describe_generic
    assert smart_label("apiVersion") == "API Version"
    assert smart_label("involvedObject") == "Involved Object"
    assert smart_label("uid") == "UID"
    assert smart_label("kubernetes.io/name") == "kubernetes.io/name"


def test_quantities_print_like_quantity_string():
    assert [
        format_quantity(q) for q in ("4", "1000m", "1.5", "1.5Gi", "0.5Ki", "8025264Ki", "1e3", "0")
    ] == ["4", "1", "1500m", "1536Mi", "512", "8025264Ki", "1e3", "0"]
    # Quantity.Add keeps the first non-zero term's format.
    assert str(quantity("128Mi").add(quantity("100M"))) == "234217728"
    assert str(quantity("1G").add(quantity("200M"))) == "1200M"
    assert str(quantity("0").add(quantity("64Mi"))) == "64Mi"


def test_annotations_layout_and_escaping():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": "noisy",
                "namespace": "default",
                "annotations": {
                    "kubectl.kubernetes.io/last-applied-configuration": "{}",
                    "long": "x" * 150,
                    "multi": "line one\nline two\n",
                    "esc": "a\x1bb",
                },
            },
            "data": {"tabbed": "a\tb\nccc\td"},
        }
    )
    assert session.run("describe cm noisy").stdout.splitlines()[:10] == [
        "Name:         noisy",
        "Namespace:    default",
        "Labels:       <none>",
        "Annotations:  esc: a^[b",
        "              long:",
        "                " + "x" * 138 + "...",
        "              multi:",
        "                line one",
        "                line two",
        "",
    ]


def test_pod_without_events_aligns_events_line_with_the_body(scene):
    cluster, _ = scene
    text = describe_pod(cluster.get("Pod", "idle"), [], cluster.now)
    assert text.splitlines()[-2:] == [
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s",
        "Events:                      <none>",
    ]
