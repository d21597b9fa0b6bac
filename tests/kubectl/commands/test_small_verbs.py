"""exec, label, annotate, cordon, uncordon, taint, version, cluster-info, api-resources,
api-versions, config."""

import pytest
from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.create(pod("web", [{"name": "web", "image": "nginx"}]))
    cluster.run_for(20)
    return KubectlSession(cluster)


def outputs(session, *commands):
    return [(r.exit_code, r.stdout + r.stderr) for r in (session.run(c) for c in commands)]


def test_exec(session):
    assert outputs(
        session, "exec web -- cat /etc/hostname", "exec web -- cat /nope", "exec web ls"
    ) == [
        (0, "web\n"),
        (1, "cat: /nope: No such file or directory\ncommand terminated with exit code 1\n"),
        (
            1,
            "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\n",
        ),
    ]


def test_labels_and_annotations(session):
    assert outputs(
        session,
        "label pod web app=web",
        "label pod web app=v2",
        "label pod web app=v2 --overwrite",
        "label pod web app-",
        "annotate pod web note=hi",
    ) == [
        (0, "pod/web labeled\n"),
        (1, "error: 'app' already has a value (web), and --overwrite is false\n"),
        (0, "pod/web labeled\n"),
        (0, "pod/web unlabeled\n"),
        (0, "pod/web annotated\n"),
    ]
    assert session.cluster.get("Pod", "web")["metadata"]["annotations"] == {"note": "hi"}


def test_node_verbs_change_scheduling(session):
    assert outputs(session, "cordon node-1", "cordon node-1", "uncordon node-1") == [
        (0, "node/node-1 cordoned\n"),
        (0, "node/node-1 already cordoned\n"),
        (0, "node/node-1 uncordoned\n"),
    ]
    assert outputs(
        session,
        "taint nodes node-2 dedicated=gpu:NoSchedule",
        "taint nodes node-2 dedicated=gpu:NoSchedule",
    ) == [
        (0, "node/node-2 tainted\n"),
        (
            1,
            "error: node node-2 already has dedicated taint(s) with same effect(s) and --overwrite is false\n",
        ),
    ]
    assert {"key": "dedicated", "value": "gpu", "effect": "NoSchedule"} in session.cluster.get(
        "Node", "node-2"
    )["spec"]["taints"]
    assert outputs(session, "taint nodes node-2 dedicated:NoSchedule-") == [
        (0, "node/node-2 untainted\n")
    ]


def test_info_verbs_and_namespace_context(session):
    assert (
        session.run("version").stdout
        == "Client Version: v1.35.0\nKustomize Version: v5.7.1\nServer Version: v1.35.0\n"
    )
    assert session.run("cluster-info").stdout.startswith(
        "Kubernetes control plane is running at https://127.0.0.1:6443\n"
    )
    resources = session.run("api-resources").stdout.splitlines()
    assert resources[0].split() == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    # The table is aligned by the tabwriter: the widest cell of each column sets its width.
    assert (
        "pods                        po           v1                             true         Pod"
        in resources
    )
    assert (
        "leases                                   coordination.k8s.io/v1         true         Lease"
        in resources
    )
    assert [line.split() for line in resources[1:]] == [
        ["configmaps", "cm", "v1", "true", "ConfigMap"],
        ["endpoints", "ep", "v1", "true", "Endpoints"],
        ["events", "ev", "v1", "true", "Event"],
        ["namespaces", "ns", "v1", "false", "Namespace"],
        ["nodes", "no", "v1", "false", "Node"],
        ["persistentvolumeclaims", "pvc", "v1", "true", "PersistentVolumeClaim"],
        ["persistentvolumes", "pv", "v1", "false", "PersistentVolume"],
        ["pods", "po", "v1", "true", "Pod"],
        ["replicationcontrollers", "rc", "v1", "true", "ReplicationController"],
        ["secrets", "v1", "true", "Secret"],
        ["serviceaccounts", "sa", "v1", "true", "ServiceAccount"],
        ["services", "svc", "v1", "true", "Service"],
        ["daemonsets", "ds", "apps/v1", "true", "DaemonSet"],
        ["deployments", "deploy", "apps/v1", "true", "Deployment"],
        ["replicasets", "rs", "apps/v1", "true", "ReplicaSet"],
        ["statefulsets", "sts", "apps/v1", "true", "StatefulSet"],
        ["selfsubjectreviews", "authentication.k8s.io/v1", "false", "SelfSubjectReview"],
        [
            "localsubjectaccessreviews",
            "authorization.k8s.io/v1",
            "true",
            "LocalSubjectAccessReview",
        ],
        ["selfsubjectaccessreviews", "authorization.k8s.io/v1", "false", "SelfSubjectAccessReview"],
        ["selfsubjectrulesreviews", "authorization.k8s.io/v1", "false", "SelfSubjectRulesReview"],
        ["subjectaccessreviews", "authorization.k8s.io/v1", "false", "SubjectAccessReview"],
        ["horizontalpodautoscalers", "hpa", "autoscaling/v2", "true", "HorizontalPodAutoscaler"],
        ["cronjobs", "cj", "batch/v1", "true", "CronJob"],
        ["jobs", "batch/v1", "true", "Job"],
        ["leases", "coordination.k8s.io/v1", "true", "Lease"],
        ["endpointslices", "discovery.k8s.io/v1", "true", "EndpointSlice"],
        ["ingressclasses", "networking.k8s.io/v1", "false", "IngressClass"],
        ["ingresses", "ing", "networking.k8s.io/v1", "true", "Ingress"],
        ["networkpolicies", "netpol", "networking.k8s.io/v1", "true", "NetworkPolicy"],
        ["poddisruptionbudgets", "pdb", "policy/v1", "true", "PodDisruptionBudget"],
        ["clusterrolebindings", "rbac.authorization.k8s.io/v1", "false", "ClusterRoleBinding"],
        ["clusterroles", "rbac.authorization.k8s.io/v1", "false", "ClusterRole"],
        ["rolebindings", "rbac.authorization.k8s.io/v1", "true", "RoleBinding"],
        ["roles", "rbac.authorization.k8s.io/v1", "true", "Role"],
        ["storageclasses", "sc", "storage.k8s.io/v1", "false", "StorageClass"],
    ]
    # Discovery lists each group/version the engine serves, sorted as strings.
    assert session.run("api-versions").stdout == (
        "apps/v1\nauthentication.k8s.io/v1\nauthorization.k8s.io/v1\nautoscaling/v1\nautoscaling/v2\nbatch/v1\ncoordination.k8s.io/v1\ndiscovery.k8s.io/v1\nnetworking.k8s.io/v1\npolicy/v1\nrbac.authorization.k8s.io/v1\nstorage.k8s.io/v1\nv1\n"
    )
    assert (
        session.run("config set-context --current --namespace=kube-system").stdout
        == 'Context "k8sgame" modified.\n'
    )
    assert session.run("get pods").stderr == "No resources found in kube-system namespace.\n"
