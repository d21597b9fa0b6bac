"""Helpers for tests of Deployments: a manifest, image changes, and what the cluster holds."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.objcopy import clone


def deployment(
    replicas: int = 3,
    image: str = "nginx:1.25",
    name: str = "web",
    strategy: dict[str, Any] | None = None,
    **spec: Any,
) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "nginx", "image": image}]},
            },
            **spec,
        },
    }
    if strategy is not None:
        manifest["spec"]["strategy"] = strategy
    return manifest


def set_image(cluster: Any, image: str, name: str = "web") -> None:
    current = clone(cluster.get("Deployment", name))
    current["spec"]["template"]["spec"]["containers"][0]["image"] = image
    cluster.api.update(current)


def replica_sets(cluster: Any) -> list[dict[str, Any]]:
    """The namespace's ReplicaSets, oldest first."""
    found = cluster.store.list("ReplicaSet", "default")
    return sorted(
        found, key=lambda rs: (rs["metadata"]["creationTimestamp"], rs["metadata"]["name"])
    )


def sizes(cluster: Any) -> list[tuple[str, int]]:
    return [(rs["metadata"]["name"], rs["spec"]["replicas"]) for rs in replica_sets(cluster)]


def scaling_events(cluster: Any) -> list[str]:
    events = cluster.store.list("Event", "default")
    events.sort(key=lambda e: (e["firstTimestamp"], e["metadata"]["name"]))
    return [e["message"] for e in events if e["reason"] == "ScalingReplicaSet"]


def condition(cluster: Any, kind: str, name: str = "web") -> dict[str, Any]:
    status = cluster.get("Deployment", name)["status"]
    return next(c for c in status["conditions"] if c["type"] == kind)


def live_pods(cluster: Any) -> list[dict[str, Any]]:
    return [
        p
        for p in cluster.store.list("Pod", "default")
        if not p["metadata"].get("deletionTimestamp")
    ]
