"""Helpers for tests that run the whole simulated cluster."""

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster


def new_cluster(seed=1, nodes=None, network=None):
    return Cluster(load_default_catalog(), seed=seed, nodes=nodes, network=network)


def pod(name, containers, **spec):
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"containers": containers, **spec},
    }


def container_status(cluster, name, index=0, init=False):
    status = cluster.get("Pod", name)["status"]
    return status["initContainerStatuses" if init else "containerStatuses"][index]


def condition(cluster, name, kind):
    return next(c for c in cluster.get("Pod", name)["status"]["conditions"] if c["type"] == kind)


def events(cluster, name, reason=None):
    found = [e for e in cluster.store.list("Event") if e["involvedObject"]["name"] == name]
    return [e for e in found if reason is None or e["reason"] == reason]


def messages(cluster, name, reason):
    return [e["message"] for e in events(cluster, name, reason)]


def restart_timeline(cluster, name, until):
    """(startedAt seconds, finishedAt seconds) of every instance seen up to ``until``."""
    from k8sgame.engine.timefmt import parse_rfc3339

    runs = {}

    def watch(event):
        if event.kind != "Pod" or event.obj["metadata"]["name"] != name:
            return
        for status in (event.obj.get("status") or {}).get("containerStatuses") or []:
            for state in (status["state"], status["lastState"]):
                if "terminated" in state:
                    t = state["terminated"]
                    runs[t["containerID"]] = (
                        parse_rfc3339(t["startedAt"]),
                        parse_rfc3339(t["finishedAt"]),
                    )
                elif "running" in state:
                    runs.setdefault(
                        status["containerID"], (parse_rfc3339(state["running"]["startedAt"]), None)
                    )

    cluster.store.watch(watch, ("Pod",))
    cluster.run_for(until - cluster.now)
    return sorted(runs.values())


def memory_hog():
    """A demo-web container that uses 300 MiB under a 128Mi limit (OOMKilled)."""
    return {
        "name": "app",
        "image": "k8sgame/demo-web",
        "env": [{"name": "MEMORY_MB", "value": "300"}],
        "resources": {"limits": {"memory": "128Mi"}},
    }
