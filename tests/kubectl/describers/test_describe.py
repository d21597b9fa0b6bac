"""``kubectl describe pod`` layout and content."""

from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.describers.pod import probe_text
from k8sgame.kubectl.session import KubectlSession


def test_describe_pod_reads_like_kubectl():
    cluster = new_cluster()
    spec = {
        "name": "web",
        "image": "nginx:1.27",
        "ports": [{"containerPort": 80}],
        "livenessProbe": {"httpGet": {"path": "/", "port": 8080}},
        "env": [{"name": "MODE", "value": "fast"}],
    }
    cluster.create(pod("live", [spec]))
    cluster.run_for(75)
    text = KubectlSession(cluster).run("describe pod live").stdout
    lines = text.splitlines()
    assert lines[0] == "Name:             live"
    assert "Node:             node-1/192.168.49.3" in lines
    assert "Start Time:       Mon, 05 Jan 2026 09:00:00 +0000" in lines
    assert "    Port:           80/TCP" in lines
    assert "    Last State:     Terminated" in lines
    assert "      Reason:       Completed" in lines
    assert "    Restart Count:  2" in lines
    assert (
        "    Liveness:       http-get http://:8080/ delay=0s timeout=1s period=10s #success=1 #failure=3"
        in lines
    )
    assert "      MODE:  fast" in lines
    assert "  PodReadyToStartContainers   True " in lines
    assert "QoS Class:                   BestEffort" in lines
    assert (
        "Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s"
        in lines
    )
    events = lines[lines.index("Events:") :]
    assert events[1].split() == ["Type", "Reason", "Age", "From", "Message"]
    assert (
        events[3]
        == "  Normal   Scheduled  75s                default-scheduler  Successfully assigned default/live to node-1"
    )
    unhealthy = next(line for line in events if "Unhealthy" in line)
    assert "5s (x7 over 65s)" in unhealthy
    assert unhealthy.endswith(
        'spec.containers{web}: Liveness probe failed: Get "http://10.244.1.2:8080/": dial tcp 10.244.1.2:8080: connect: connection refused'
    )


def test_probe_lines():
    assert probe_text(
        {
            "exec": {"command": ["cat", "/tmp/healthy"]},
            "initialDelaySeconds": 5,
            "timeoutSeconds": 1,
            "periodSeconds": 5,
            "successThreshold": 1,
            "failureThreshold": 3,
        }
    ) == ("exec [cat /tmp/healthy] delay=5s timeout=1s period=5s #success=1 #failure=3")
    assert probe_text(
        {
            "tcpSocket": {"port": 6379},
            "timeoutSeconds": 1,
            "periodSeconds": 10,
            "successThreshold": 1,
            "failureThreshold": 3,
        }
    ) == ("tcp-socket :6379 delay=0s timeout=1s period=10s #success=1 #failure=3")


def test_describe_pending_pod_shows_failed_scheduling_and_no_node():
    cluster = new_cluster()
    cluster.create(
        pod("hungry", [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "16"}}}])
    )
    cluster.run_for(5)
    text = KubectlSession(cluster).run("describe pod hungry").stdout
    assert "Node:             <none>" in text
    assert "IPs:              <none>" in text
    assert "  Warning  FailedScheduling  5s    default-scheduler  0/3 nodes are available:" in text
