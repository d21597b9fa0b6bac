"""What the API server keeps for itself: the ``kubernetes`` Service in ``default``, at the
first address of the service CIDR, through which pods reach the API server (``https``, 443
→ the API server's 6443), and its endpoints. It has no selector: the API server writes the
endpoints itself. Its controllers look every 10 seconds and put back what is missing
(``controlplane/controller/kubernetesservice``, ``DefaultEndpointReconcilerInterval``), so
``kubectl delete svc kubernetes`` is undone shortly after."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.service_allocation import API_SERVER_SERVICE_IP

if TYPE_CHECKING:
    from k8sgame.engine.apiserver.client import Client

API_SERVER_PORT = 6443
RECONCILE_INTERVAL = 10.0


def kubernetes_service() -> dict[str, Any]:
    """The ``default/kubernetes`` Service as the API server creates it."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "type": "ClusterIP",
            "clusterIP": API_SERVER_SERVICE_IP,
            "ports": [
                {"name": "https", "port": 443, "protocol": "TCP", "targetPort": API_SERVER_PORT}
            ],
            "sessionAffinity": "None",
        },
    }


# The API server's address when no node is marked as the control plane: the first default
# node's (node addresses are 192.168.49.2 onwards).
DEFAULT_ADVERTISE_ADDRESS = "192.168.49.2"
CONTROL_PLANE_LABEL = "node-role.kubernetes.io/control-plane"
SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror"


def kubernetes_endpoints(node_ip: str) -> list[dict[str, Any]]:
    """The ``default/kubernetes`` Endpoints and EndpointSlice as the API server's endpoint
    reconciler writes them (``pkg/controlplane/reconcilers``: the lease reconciler through
    its EndpointsAdapter): the API server's address, port ``https`` 6443. The Endpoints is
    labelled ``endpointslice.kubernetes.io/skip-mirror: "true"`` so the mirroring controller
    leaves it alone; the slice has only the ``kubernetes.io/service-name`` label (no
    managed-by: no controller owns it) and one endpoint with just the ready condition."""
    port = {"name": "https", "port": API_SERVER_PORT, "protocol": "TCP"}
    endpoints = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {SKIP_MIRROR_LABEL: "true"},
        },
        "subsets": [{"addresses": [{"ip": node_ip}], "ports": [dict(port)]}],
    }
    endpoint_slice = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"kubernetes.io/service-name": "kubernetes"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": [node_ip], "conditions": {"ready": True}}],
        "ports": [dict(port)],
    }
    return [endpoints, endpoint_slice]


def advertise_address(nodes: list[dict[str, Any]]) -> str:
    """The API server's address: the InternalIP of the control-plane node (kubeadm
    advertises the node's own address), else of the first node by name."""
    ordered = sorted(
        nodes,
        key=lambda n: (
            CONTROL_PLANE_LABEL not in (n["metadata"].get("labels") or {}),
            n["metadata"]["name"],
        ),
    )
    for node in ordered:
        for address in (node.get("status") or {}).get("addresses") or []:
            if address.get("type") == "InternalIP" and address.get("address"):
                return str(address["address"])
    return DEFAULT_ADVERTISE_ADDRESS


def publish_kubernetes_endpoints(api: Client, address: str | None = None) -> None:
    """Make the ``kubernetes`` Endpoints and EndpointSlice say where the API server is, as
    its endpoint reconciler does (create what is missing, put back what differs). ``api`` is
    the API server's own client; call it once the nodes exist."""
    if address is None:
        address = advertise_address(api.view("Node"))
    for manifest in kubernetes_endpoints(address):
        md = manifest["metadata"]
        live = api.peek(manifest["kind"], md["name"], md["namespace"])
        if live is None:
            api.create(manifest)
            continue
        fields = ("subsets",) if manifest["kind"] == "Endpoints" else ("endpoints", "ports")
        if all(live.get(f) == manifest.get(f) for f in fields) and (
            live["metadata"].get("labels") == md["labels"]
        ):
            continue
        md["resourceVersion"] = live["metadata"]["resourceVersion"]
        api.update(manifest)


class KubernetesServiceController:
    """Keeps ``default/kubernetes`` and its endpoints in place, looking every 10 seconds."""

    def __init__(self, api: Client, clock: SimClock) -> None:
        self.api = api
        self.clock = clock
        self.address = ""

    def start(self) -> None:
        """Publish now (the nodes exist) and keep watching."""
        self.address = advertise_address(self.api.view("Node"))
        self._sync()

    def _sync(self) -> None:
        api = self.api
        try:
            if api.peek("Service", "kubernetes", "default") is None:
                api.create(kubernetes_service())
            if (
                api.peek("EndpointSlice", "kubernetes", "default") is None
                or api.peek("Endpoints", "kubernetes", "default") is None
            ):
                publish_kubernetes_endpoints(api, self.address)
        except ApiError:
            pass  # a race with a deletion in progress: the next look tries again
        self.clock.call_later(RECONCILE_INTERVAL, self._sync, PRIORITY_CONTROLLER)
