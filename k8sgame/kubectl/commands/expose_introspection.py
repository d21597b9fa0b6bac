"""What ``kubectl expose`` reads off the object it exposes (kubectl's
``polymorphichelpers``: ``canbeexposed.go``, ``mapbasedselectorforobject.go``,
``portsforobject.go``, ``multiprotocolsforobject.go``): which kinds it exposes, the pod
selector as ``k=v,...``, the port numbers and each one's protocols."""

from __future__ import annotations

from typing import Any

from k8sgame.kubectl.errors import KubectlError

# canbeexposed.go: the group kinds kubectl exposes.
EXPOSABLE = {
    ("", "ReplicationController"),
    ("", "Service"),
    ("", "Pod"),
    ("apps", "Deployment"),
    ("apps", "ReplicaSet"),
}


def make_labels(labels: dict[str, Any] | None) -> str:
    """``MakeLabels``: ``k=v`` joined with ``,`` (upstream's order is a map's, so any)."""
    if not isinstance(labels, dict):
        return ""  # a malformed file's labels: none to use
    return ",".join(f"{key}={value}" for key, value in sorted(labels.items()))


def _expressions_text(expressions: list[dict[str, Any]]) -> str:
    """Go's ``%+v`` of ``[]LabelSelectorRequirement``."""
    parts = [
        f"{{Key:{e.get('key', '')} Operator:{e.get('operator', '')} "
        f"Values:[{' '.join(str(v) for v in e.get('values') or [])}]}}"
        for e in expressions
    ]
    return "[" + " ".join(parts) + "]"


def map_based_selector(kind: str, obj: dict[str, Any]) -> str:
    """``mapBasedSelectorForObject``."""
    spec = _mapping(obj.get("spec"))
    if kind == "ReplicationController":
        return make_labels(spec.get("selector"))
    if kind == "Pod":
        labels = _mapping(obj.get("metadata")).get("labels")
        if not labels or not isinstance(labels, dict):
            raise KubectlError("the pod has no labels and cannot be exposed")
        return make_labels(labels)
    if kind == "Service":
        # An empty selector does not survive the API server's encoding (omitempty): nil.
        if not spec.get("selector"):
            raise KubectlError("the service has no pod selector set")
        return make_labels(spec["selector"])
    selector = _mapping(spec.get("selector"))
    if not selector.get("matchLabels"):
        word = "deployment" if kind == "Deployment" else "replicaset"
        raise KubectlError(f"invalid {word}: no selectors, therefore cannot be exposed")
    if selector.get("matchExpressions"):
        raise KubectlError(
            f'couldn\'t convert expressions - "{_expressions_text(selector["matchExpressions"])}"'
            " to map-based selector format"
        )
    return make_labels(selector["matchLabels"])


def _mapping(value: Any) -> dict[str, Any]:
    """A field that should hold an object: an empty one when a file has something else."""
    return value if isinstance(value, dict) else {}


def _pod_spec(kind: str, obj: dict[str, Any]) -> dict[str, Any]:
    spec = _mapping(obj.get("spec"))
    if kind == "Pod":
        return spec
    return _mapping(_mapping(spec.get("template")).get("spec"))


def _object_ports(kind: str, obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(port, protocol) of every container port, or of every Service port, in order;
    protocols default to TCP."""
    if kind == "Service":
        return [
            (str(p.get("port") or 0), str(p.get("protocol") or "TCP"))
            for p in _list(_mapping(obj.get("spec")).get("ports"))
            if isinstance(p, dict)
        ]
    return [
        (str(p.get("containerPort") or 0), str(p.get("protocol") or "TCP"))
        for container in _list(_pod_spec(kind, obj).get("containers"))
        if isinstance(container, dict)
        for p in _list(container.get("ports"))
        if isinstance(p, dict)
    ]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def ports_for_object(kind: str, obj: dict[str, Any]) -> list[str]:
    """``portsForObject``: the distinct port numbers, in order."""
    return list(dict.fromkeys(port for port, _ in _object_ports(kind, obj)))


def protocols_for_object(kind: str, obj: dict[str, Any]) -> dict[str, list[str]]:
    """``multiProtocolsForObject``: each port number's protocols, one entry per port seen."""
    protocols: dict[str, list[str]] = {}
    for port, protocol in _object_ports(kind, obj):
        protocols.setdefault(port, []).append(protocol)
    return protocols
