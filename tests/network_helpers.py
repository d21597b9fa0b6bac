"""Manifests for tests of the network box: Deployments, Services and client pods."""

from __future__ import annotations

from typing import Any


def deployment(
    name: str,
    replicas: int = 2,
    image: str = "k8sgame/demo-web",
    namespace: str = "default",
    env: dict[str, str] | None = None,
    ports: list[dict[str, Any]] | None = None,
    readiness: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A Deployment whose pods are labelled ``app: <name>``."""
    container: dict[str, Any] = {"name": "app", "image": image}
    if env:
        container["env"] = [{"name": k, "value": v} for k, v in env.items()]
    if ports:
        container["ports"] = ports
    if readiness:
        container["readinessProbe"] = readiness
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [container]},
            },
        },
    }


def service(
    name: str,
    port: int = 80,
    target: int | str = 8080,
    namespace: str = "default",
    selector: dict[str, str] | None = None,
    port_name: str | None = None,
    **spec: Any,
) -> dict[str, Any]:
    """A ClusterIP Service for the pods labelled ``app: <name>`` (or ``selector``)."""
    service_port: dict[str, Any] = {"port": port, "targetPort": target}
    if port_name:
        service_port["name"] = port_name
    body: dict[str, Any] = {
        "selector": selector if selector is not None else {"app": name},
        "ports": [service_port],
    }
    body.update(spec)
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": body,
    }


def client_pod(
    name: str = "client",
    image: str = "busybox",
    namespace: str = "default",
    node: str | None = None,
    **spec: Any,
) -> dict[str, Any]:
    """A pod that sleeps, to ``kubectl exec`` client programs in."""
    body: dict[str, Any] = {
        "containers": [{"name": "client", "image": image, "command": ["sleep", "3600"]}]
    }
    if node:
        body["nodeName"] = node
    body.update(spec)
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": body,
    }


def namespace(name: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def cluster_ip(cluster: Any, name: str, ns: str = "default") -> str:
    return str(cluster.get("Service", name, ns)["spec"]["clusterIP"])


def pod_ips(cluster: Any, app: str, ns: str = "default") -> dict[str, str]:
    """Pod name -> IP of the pods labelled ``app``."""
    from k8sgame.engine.labels import parse

    return {
        p["metadata"]["name"]: p["status"].get("podIP", "")
        for p in cluster.api.list("Pod", ns, selector=parse(f"app={app}"))
    }
