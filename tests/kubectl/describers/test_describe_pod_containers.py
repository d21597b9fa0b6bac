"""``kubectl describe pod``'s container blocks, checked line for line against kubectl 1.35's
``describeContainers`` and the writers it calls (``pkg/describe/describe.go``):
``describeContainerBasicInfo`` (ports with their names, SeccompProfile),
``describeContainerCommand``, ``describeContainerEnvFrom``, ``describeContainerEnvVars``
(``EnvValueRetriever``, ``ExtractContainerResourceValue``), ``describeContainerVolumes``,
``describeStatus``, and the sorted ``printTolerationsMultilineWithIndent``.

Go's tabwriter aligns a column over a run of lines that all have a cell in it; a line with
no tab (``Command:``, ``Environment:``, ``Mounts:``) ends the run, so each block below is
aligned on its own.
"""

from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.describers.pod import probe_text
from k8sgame.kubectl.session import KubectlSession


def block(text, first, stop):
    """The lines from the one equal to ``first`` up to (not including) the next line that
    starts with ``stop``."""
    lines = text.splitlines()
    start = lines.index(first)
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith(stop))
    return "\n".join(lines[start:end]) + "\n"


def describe(containers, seconds=5, **spec):
    cluster = new_cluster()
    cluster.create(pod("x", containers, **spec))
    cluster.run_for(seconds)
    result = KubectlSession(cluster).run("describe pod x")
    assert (result.exit_code, result.stderr) == (0, "")
    return result.stdout


def test_named_ports_show_their_names():
    # describeContainerPorts / describeContainerHostPorts: "%d/%s (%s)" for a named port;
    # "Ports:"/"Host Ports:" when the text holds a comma.
    text = describe(
        [
            {"name": "one", "image": "nginx", "ports": [{"name": "https", "containerPort": 443}]},
            {
                "name": "two",
                "image": "nginx",
                "ports": [
                    {"name": "http", "containerPort": 80},
                    {"containerPort": 9090, "hostPort": 9090, "protocol": "UDP"},
                ],
            },
        ]
    )
    lines = text.splitlines()
    assert "    Port:           443/TCP (https)" in lines
    assert "    Host Port:      0/TCP (https)" in lines
    assert "    Ports:          80/TCP (http), 9090/UDP" in lines
    assert "    Host Ports:     0/TCP (http), 9090/UDP" in lines


def test_key_refs_say_in_secret_and_of_config_map():
    text = describe(
        [
            {
                "name": "web",
                "image": "nginx",
                "env": [
                    {
                        "name": "PASSWORD",
                        "valueFrom": {"secretKeyRef": {"name": "db", "key": "pw"}},
                    },
                    {
                        "name": "MODE",
                        "valueFrom": {
                            "configMapKeyRef": {"name": "cfg", "key": "mode", "optional": True}
                        },
                    },
                ],
            }
        ]
    )
    assert block(text, "    Environment:", "    Mounts:") == (
        "    Environment:\n"
        "      PASSWORD:  <set to the key 'pw' in secret 'db'>         Optional: false\n"
        "      MODE:      <set to the key 'mode' of config map 'cfg'>  Optional: true\n"
    )


DOWNWARD = [
    {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
    {"name": "POD_NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
    {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}},
    {
        "name": "CPU_MILLIS",
        "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu", "divisor": "1m"}},
    },
    {"name": "CPU", "valueFrom": {"resourceFieldRef": {"resource": "limits.cpu"}}},
    {
        "name": "MEM_MI",
        "valueFrom": {"resourceFieldRef": {"resource": "requests.memory", "divisor": "1Mi"}},
    },
    {"name": "MEM_LIMIT", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory"}}},
]


def test_field_and_resource_refs_show_resolved_values():
    # EnvValueRetriever converts the field path through kubectl's scheme, which has no Pod
    # field label conversions: only metadata.name and metadata.namespace resolve, anything
    # else shows empty. ExtractContainerResourceValue rounds up over the divisor; an unset
    # cpu or memory limit reads "node allocatable".
    text = describe(
        [
            {
                "name": "web",
                "image": "nginx",
                "resources": {"limits": {"cpu": "250m"}, "requests": {"memory": "100Mi"}},
                "env": DOWNWARD,
            }
        ]
    )
    assert block(text, "    Environment:", "    Mounts:") == (
        "    Environment:\n"
        "      POD_NAME:    x (v1:metadata.name)\n"
        "      POD_NS:      default (v1:metadata.namespace)\n"
        "      POD_IP:       (v1:status.podIP)\n"
        "      CPU_MILLIS:  250 (limits.cpu)\n"
        "      CPU:         1 (limits.cpu)\n"
        "      MEM_MI:      100 (requests.memory)\n"
        "      MEM_LIMIT:   node allocatable (limits.memory)\n"
    )


def test_a_template_has_no_pod_to_resolve_field_refs():
    # DescribePodTemplate passes no resolver: every fieldRef reads " (v1:path)".
    cluster = new_cluster()
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 0,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {
                                "name": "web",
                                "image": "nginx",
                                "resources": {"limits": {"cpu": "2"}},
                                "env": DOWNWARD[:1] + DOWNWARD[3:5],
                            }
                        ]
                    },
                },
            },
        }
    )
    cluster.run_for(1)
    text = KubectlSession(cluster).run("describe rs web").stdout
    assert block(text, "    Environment:", "    Mounts:") == (
        "    Environment:\n"
        "      POD_NAME:     (v1:metadata.name)\n"
        "      CPU_MILLIS:  2000 (limits.cpu)\n"
        "      CPU:         2 (limits.cpu)\n"
    )


def test_multi_line_values_and_arguments_are_split_onto_lines():
    text = describe(
        [
            {
                "name": "web",
                "image": "nginx",
                "command": ["sh", "-c", "echo one\necho two"],
                "args": ["a\nb"],
                "env": [{"name": "CONFIG", "value": "x=1\ny=2"}, {"name": "N", "value": "3"}],
            }
        ]
    )
    assert block(text, "    Command:", "    State:") == (
        "    Command:\n      sh\n      -c\n      echo one\n      echo two\n    Args:\n      a\n      b\n"
    )
    assert block(text, "    Environment:", "    Mounts:") == (
        "    Environment:\n      CONFIG:  x=1\n               y=2\n      N:       3\n"
    )


def test_env_from_is_one_heading_with_prefixes():
    text = describe(
        [
            {
                "name": "web",
                "image": "nginx",
                "envFrom": [
                    {"configMapRef": {"name": "settings"}},
                    {"prefix": "DB_", "secretRef": {"name": "db", "optional": True}},
                ],
            }
        ]
    )
    assert block(text, "    Environment Variables from:", "    Mounts:") == (
        "    Environment Variables from:\n"
        "      settings    ConfigMap                 Optional: false\n"
        "      db          Secret with prefix 'DB_'  Optional: true\n"
        "    Environment:  <none>\n"
    )


def test_mounts_and_tolerations_are_sorted():
    text = describe(
        [
            {
                "name": "web",
                "image": "nginx",
                "volumeMounts": [
                    {"name": "data", "mountPath": "/srv/data"},
                    {"name": "cache", "mountPath": "/cache", "subPath": "web"},
                ],
            }
        ],
        volumes=[{"name": "data", "emptyDir": {}}, {"name": "cache", "emptyDir": {}}],
        tolerations=[{"key": "zone", "operator": "Exists"}, {"key": "gpu", "operator": "Exists"}],
    )
    assert block(text, "    Mounts:", "Conditions:") == (
        "    Mounts:\n"
        '      /cache from cache (rw,path="web")\n'
        "      /srv/data from data (rw)\n"
        "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-l7d4s (ro)\n"
    )
    assert block(text, "QoS Class:                   BestEffort", "Events:") == (
        "QoS Class:                   BestEffort\n"
        "Node-Selectors:              <none>\n"
        "Tolerations:                 gpu op=Exists\n"
        "                             node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "                             zone op=Exists\n"
    )


def test_seccomp_profiles_of_the_pod_and_container():
    text = describe(
        [
            {
                "name": "web",
                "image": "nginx",
                "securityContext": {
                    "seccompProfile": {"type": "Localhost", "localhostProfile": "p.json"}
                },
            }
        ],
        securityContext={"seccompProfile": {"type": "RuntimeDefault"}},
    )
    lines = text.splitlines()
    assert "SeccompProfile:   RuntimeDefault" in lines
    assert block(text, "    Port:                <none>", "    State:") == (
        "    Port:                <none>\n"
        "    Host Port:           <none>\n"
        "    SeccompProfile:      Localhost\n"
        "      LocalhostProfile:  p.json\n"
    )


def test_probe_urls_escape_their_paths():
    # DescribeProbe builds a url.URL: the path is escaped (EscapedPath) and gets a slash.
    attrs = "delay=0s timeout=1s period=10s #success=1 #failure=3"
    probe = {"timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1}
    probe["failureThreshold"] = 3
    assert (
        probe_text({**probe, "httpGet": {"path": "/ready?full=1 now", "port": "http"}})
        == f"http-get http://:http/ready%3Ffull=1%20now {attrs}"
    )
    assert (
        probe_text({**probe, "httpGet": {"path": "healthz", "port": 80, "host": "::1"}})
        == f"http-get http://[::1]:80/healthz {attrs}"
    )


def test_pod_fields_around_the_containers():
    # describePod: Priority Class Name, Readiness Gates and Topology Spread Constraints.
    text = describe(
        [{"name": "web", "image": "nginx"}],
        priorityClassName="system-node-critical",
        readinessGates=[{"conditionType": "example.com/ready"}],
        topologySpreadConstraints=[
            {
                "maxSkew": 1,
                "topologyKey": "zone",
                "whenUnsatisfiable": "ScheduleAnyway",
                "labelSelector": {"matchLabels": {"app": "web"}},
            },
            {"maxSkew": 2, "topologyKey": "host", "whenUnsatisfiable": "DoNotSchedule"},
        ],
    )
    lines = text.splitlines()
    assert lines[3].startswith("Priority Class Name:  system-node-critical")
    assert block(text, "Readiness Gates:", "Conditions:") == (
        "Readiness Gates:\n  Type                Status\n  example.com/ready   <none> \n"
    )
    assert block(text, "Node-Selectors:               <none>", "Events:") == (
        "Node-Selectors:               <none>\n"
        "Tolerations:                  node.kubernetes.io/not-ready:NoExecute op=Exists for 300s\n"
        "                              node.kubernetes.io/unreachable:NoExecute op=Exists for 300s\n"
        "Topology Spread Constraints:  host:DoNotSchedule when max skew 2 is exceeded\n"
        "                              zone:ScheduleAnyway when max skew 1 is exceeded for selector app=web\n"
    )
