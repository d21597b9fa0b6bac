"""``kubectl describe rs``: kubectl 1.35's ``describeReplicaSet`` and ``DescribePodTemplate``
(``pkg/describe/describe.go``), byte for byte.

The settled three-replica text is the real 1.35 output recorded in the ReplicaSet research
notes (section 5), with the pod names this seed generates; the layout of the other cases
follows from the same code and Go's tabwriter rules (``tabbedString``: padding 2, columns
aligned over runs of lines that hold a tab).
"""

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.describers.registry import DescribeContext
from k8sgame.kubectl.describers.replica_set import describe_replica_set
from k8sgame.kubectl.describers.text import format_label_selector
from k8sgame.kubectl.session import KubectlSession


def replica_set(name="web", replicas=3, containers=None, **template_spec):
    return {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "containers": containers or [{"name": name, "image": "nginx"}],
                    **template_spec,
                },
            },
        },
    }


@pytest.fixture(scope="module")
def settled():
    cluster = new_cluster()
    cluster.create(replica_set())
    cluster.run_for(12)
    return KubectlSession(cluster)


def test_describe_a_settled_replica_set(settled):
    pods = [line.split()[0] for line in settled.run("get pods").stdout.splitlines()[1:]]
    assert sorted(pods) == ["web-2rxbc", "web-qhzdk", "web-s8rwl"]
    result = settled.run("describe rs web")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "Name:         web\n"
        "Namespace:    default\n"
        "Selector:     app=web\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Replicas:     3 current / 3 desired\n"
        "Pods Status:  3 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:         nginx\n"
        "    Port:          <none>\n"
        "    Host Port:     <none>\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:\n"
        "  Type    Reason            Age   From                   Message\n"
        "  ----    ------            ----  ----                   -------\n"
        "  Normal  SuccessfulCreate  12s   replicaset-controller  Created pod: web-s8rwl\n"
        "  Normal  SuccessfulCreate  12s   replicaset-controller  Created pod: web-2rxbc\n"
        "  Normal  SuccessfulCreate  12s   replicaset-controller  Created pod: web-qhzdk\n"
    )
    # The short name, the kind and the group-qualified plural reach the same describer.
    for word in ("replicaset web", "replicasets.apps web", "ReplicaSet web"):
        assert settled.run(f"describe {word}").stdout == result.stdout
    assert settled.run("describe rs").stdout == result.stdout


def test_show_events_false_leaves_the_section_out(settled):
    text = settled.run("describe rs web --show-events=false").stdout
    assert text.endswith("  Node-Selectors:  <none>\n  Tolerations:     <none>\n")


def test_no_events_joins_the_template_block_and_a_port_shows_host_port_zero():
    cluster = new_cluster()
    cluster.create(
        replica_set(
            replicas=0,
            containers=[{"name": "web", "image": "nginx", "ports": [{"containerPort": 80}]}],
        )
    )
    cluster.run_for(3)
    assert KubectlSession(cluster).run("describe rs web").stdout == (
        "Name:         web\n"
        "Namespace:    default\n"
        "Selector:     app=web\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Replicas:     0 current / 0 desired\n"
        "Pods Status:  0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:  app=web\n"
        "  Containers:\n"
        "   web:\n"
        "    Image:         nginx\n"
        "    Port:          80/TCP\n"
        "    Host Port:     0/TCP\n"
        "    Environment:   <none>\n"
        "    Mounts:        <none>\n"
        "  Volumes:         <none>\n"
        "  Node-Selectors:  <none>\n"
        "  Tolerations:     <none>\n"
        "Events:            <none>\n"
    )


def test_pending_pods_count_as_waiting_and_the_template_shows_everything():
    cluster = new_cluster()
    rs = replica_set(
        "api",
        2,
        [
            {
                "name": "api",
                "image": "nginx:1.25",
                "ports": [{"containerPort": 80}, {"containerPort": 8443}],
                "env": [{"name": "MODE", "value": "prod"}],
                "volumeMounts": [{"name": "cfg", "mountPath": "/etc/api", "readOnly": True}],
                "resources": {
                    "limits": {"cpu": "500m", "memory": "128Mi"},
                    "requests": {"cpu": "250m", "memory": "64Mi"},
                },
                "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
            }
        ],
        nodeSelector={"disk": "ssd"},
        tolerations=[
            {"key": "dedicated", "operator": "Equal", "value": "api", "effect": "NoSchedule"}
        ],
        volumes=[{"name": "cfg", "configMap": {"name": "api-config"}}],
    )
    rs["metadata"]["labels"] = {"tier": "backend", "app": "api"}
    rs["metadata"]["annotations"] = {"team": "core"}
    rs["spec"]["selector"]["matchExpressions"] = [
        {"key": "tier", "operator": "In", "values": ["web", "backend"]}
    ]
    rs["spec"]["template"]["metadata"] = {
        "labels": {"app": "api", "tier": "backend"},
        "annotations": {"note": "x"},
    }
    cluster.create(rs)
    cluster.run_for(5)
    text = KubectlSession(cluster).run("describe rs api --show-events=false").stdout
    assert text == (
        "Name:         api\n"
        "Namespace:    default\n"
        "Selector:     app=api,tier in (backend,web)\n"
        "Labels:       app=api\n"
        "              tier=backend\n"
        "Annotations:  team: core\n"
        "Replicas:     2 current / 2 desired\n"
        "Pods Status:  0 Running / 2 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
        "  Labels:       app=api\n"
        "                tier=backend\n"
        "  Annotations:  note: x\n"
        "  Containers:\n"
        "   api:\n"
        "    Image:       nginx:1.25\n"
        "    Ports:       80/TCP, 8443/TCP\n"
        "    Host Ports:  0/TCP, 0/TCP\n"
        "    Limits:\n"
        "      cpu:     500m\n"
        "      memory:  128Mi\n"
        "    Requests:\n"
        "      cpu:      250m\n"
        "      memory:   64Mi\n"
        "    Readiness:  http-get http://:80/ delay=0s timeout=1s period=10s #success=1 #failure=3\n"
        "    Environment:\n"
        "      MODE:  prod\n"
        "    Mounts:\n"
        "      /etc/api from cfg (ro)\n"
        "  Volumes:\n"
        "   cfg:\n"
        "    Type:          ConfigMap (a volume populated by a ConfigMap)\n"
        "    Name:          api-config\n"
        "    Optional:      false\n"
        "  Node-Selectors:  disk=ssd\n"
        "  Tolerations:     dedicated=api:NoSchedule\n"
    )


def test_controlled_by_conditions_and_pods_of_other_owners():
    """Pods Status counts only the pods whose controller reference has the ReplicaSet's uid;
    ``Controlled By`` widens the header block; Conditions print with upstream's space after
    the type."""
    cluster = new_cluster()
    session = KubectlSession(cluster)
    created = cluster.create(replica_set(replicas=1))
    cluster.run_for(5)
    rs = {
        **created,
        "metadata": {
            **created["metadata"],
            "ownerReferences": [
                {
                    "apiVersion": "apps/v1",
                    "kind": "Deployment",
                    "name": "web",
                    "uid": "d-uid",
                    "controller": True,
                }
            ],
        },
        "status": {
            "replicas": 1,
            "conditions": [{"type": "ReplicaFailure", "status": "True", "reason": "FailedCreate"}],
        },
    }
    text = describe_replica_set(rs, DescribeContext(session, show_events=False))
    assert text.startswith(
        "Name:           web\n"
        "Namespace:      default\n"
        "Selector:       app=web\n"
        "Labels:         <none>\n"
        "Annotations:    <none>\n"
        "Controlled By:  Deployment/web\n"
        "Replicas:       1 current / 1 desired\n"
        "Pods Status:    1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"
        "Pod Template:\n"
    )
    assert text.endswith(
        "  Tolerations:     <none>\n"
        "Conditions:\n"
        "  Type             Status  Reason\n"
        "  ----             ------  ------\n"
        "  ReplicaFailure   True    FailedCreate\n"
    )
    other = {**rs, "metadata": {**rs["metadata"], "uid": "another"}}
    assert "Pods Status:    0 Running / 0 Waiting" in describe_replica_set(
        other, DescribeContext(session, show_events=False)
    )


@pytest.mark.parametrize(
    ("selector", "text"),
    [
        (None, "<none>"),
        ({}, "<none>"),
        ({"matchLabels": {"b": "2", "a": "1"}}, "a=1,b=2"),
        (
            {
                "matchLabels": {"tier": "web"},
                "matchExpressions": [
                    {"key": "env", "operator": "NotIn", "values": ["qa", "dev"]},
                    {"key": "app", "operator": "In", "values": ["web"]},
                    {"key": "zone", "operator": "Exists"},
                    {"key": "canary", "operator": "DoesNotExist"},
                ],
            },
            "app in (web),canary,env notin (dev,qa),tier=web,zone",
        ),
        ({"matchExpressions": [{"key": "a", "operator": "Bad", "values": ["x"]}]}, "<error>"),
        ({"matchExpressions": [{"key": "a", "operator": "In"}]}, "<error>"),
    ],
)
def test_format_label_selector(selector, text):
    """``metav1.FormatLabelSelector``: requirements sorted by key, set values sorted, and
    ``DoesNotExist`` as ``!key``."""
    expected = text.replace("canary,", "!canary,")
    assert format_label_selector(selector) == expected
