"""The ``Cluster`` facade: wires the store, clock, controllers, scheduler and kubelets.

It holds no Kubernetes logic of its own. Everything is driven by one simulated clock and one
``random.Random(seed)``, so the same seed and the same calls give the same event log.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from random import Random
from typing import Any

from k8sgame.engine.apiserver.bootstrap import KubernetesServiceController
from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import (
    ADMIN,
    API_SERVER,
    SCHEDULER,
    UserInfo,
    controller_user,
    node_user,
    service_account_user,
)
from k8sgame.engine.apiserver.server import ApiServer
from k8sgame.engine.availability import AvailabilityLog
from k8sgame.engine.clock import PRIORITY_CONTROLLER, SimClock
from k8sgame.engine.controllers.base import KIND_NAMESPACE_INDEX, Informer, kind_namespace_index
from k8sgame.engine.controllers.hpa import HorizontalPodAutoscalerController
from k8sgame.engine.controllers.manager import ControllerManager
from k8sgame.engine.controllers.volume.local_path import LocalPathProvisioner, default_storage_class
from k8sgame.engine.events import EventRecorder
from k8sgame.engine.host_shell import (
    NODE_IMAGE,
    WORKSTATION_IMAGE,
    WORKSTATION_NAME,
    node_files,
    run_on_host,
    workstation_files,
)
from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.images.process import ExecResult
from k8sgame.engine.kinds import builtin_registry
from k8sgame.engine.kinds.namespace import SYSTEM_NAMESPACES
from k8sgame.engine.kinds.node import is_ready
from k8sgame.engine.kubelet.kubelet import Kubelet
from k8sgame.engine.labels import Selector
from k8sgame.engine.metrics import MetricsServer, NodeMetrics, PodMetrics
from k8sgame.engine.network.fabric import Network
from k8sgame.engine.network.ingress_nginx import IngressStatusSync
from k8sgame.engine.network.metallb import MetalLbController
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.engine.nodes import default_nodes
from k8sgame.engine.rbac.api_authorizer import cluster_authorizer
from k8sgame.engine.rbac.bootstrap import bootstrap_objects
from k8sgame.engine.scheduler.scheduler import Scheduler
from k8sgame.engine.storage.disks import Disks
from k8sgame.engine.store import ADDED, DELETED, Store, WatchEvent
from k8sgame.engine.trace import Tracer


class Cluster:
    """A simulated Kubernetes cluster."""

    def __init__(
        self,
        catalog: Catalog,
        seed: int = 0,
        nodes: Iterable[dict[str, Any]] | None = None,
        run_kubelets: bool = True,
        network: NetworkSetup | None = None,
    ) -> None:
        """Build a cluster; ``nodes`` are Node manifests (None: the default sandbox nodes);
        ``network`` the CNI plugin, load balancer and outside names (default: Calico, no
        load balancer)."""
        self.seed = seed
        self.network_setup = network or NetworkSetup()
        self.workstation_hosts = dict(self.network_setup.outside_hosts)
        self.rng = Random(seed)
        self.clock = SimClock()
        self.registry = builtin_registry()
        self.store = Store(self.registry, self.clock, self.rng)
        self.catalog = catalog
        self.run_kubelets = run_kubelets
        self.kubelets: dict[str, Kubelet] = {}
        # What volumes hold: each node's disk and the network storage.
        self.disks = Disks(self.clock)
        # Authorization as kubeadm sets it up: system:masters, then Node, then RBAC.
        self.apiserver = ApiServer(
            self.store, self.kubelets, authorizer=cluster_authorizer(self.store)
        )
        # What each component wrote since the last kubectl command (the game's ``trace``).
        self.tracer = Tracer(self.store)
        # Each Deployment's available replicas over time (the levels' "no downtime" goals).
        self.availability = AvailabilityLog(self.store)
        # The API server makes its own namespaces and the bootstrap RBAC policy; kubeadm
        # and the add-ons' manifests add theirs (all before any component starts).
        loopback = self.client(API_SERVER)
        for name in SYSTEM_NAMESPACES:
            loopback.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        for obj in bootstrap_objects(metallb=bool(self.network_setup.pools)):
            loopback.create(obj, trusted=True)
        # What kubectl and the levels box talk as: the admin user of admin.conf.
        self.api = Client(self.apiserver, ADMIN)
        self.controller_manager = ControllerManager(self.client, self.clock)
        scheduler_api = self.client(SCHEDULER)
        self.scheduler = Scheduler(
            scheduler_api, self.clock, EventRecorder(scheduler_api, self.clock)
        )
        self.metrics = MetricsServer(
            self.client(service_account_user("kube-system", "metrics-server")),
            self.kubelets,
            self.clock,
        )
        self.controller_manager.add(
            HorizontalPodAutoscalerController(
                self.client(controller_user("horizontal-pod-autoscaler")),
                self.controller_manager.informer,
                self.clock,
                self.metrics,
            )
        )
        # The storage provisioner a kind cluster runs, with the default StorageClass it serves.
        provisioner_api = self.client(
            service_account_user("local-path-storage", "local-path-provisioner-service-account")
        )
        self.provisioner = LocalPathProvisioner(
            provisioner_api,
            Informer(
                provisioner_api,
                ("PersistentVolumeClaim", "PersistentVolume", "StorageClass"),
                {KIND_NAMESPACE_INDEX: kind_namespace_index},
            ),
            self.clock,
            wipe=self.disks.wipe,
        )
        # CoreDNS and kube-proxy: what a connection from a pod reaches (``engine/network``).
        self.network = Network(
            self.client(service_account_user("kube-system", "coredns")),
            self.client(service_account_user("kube-system", "kube-proxy")),
            loopback,
            self.kubelets,
            seed,
            enforce_policy=self.network_setup.enforces_policy,
        )
        if self.network_setup.pools:
            metallb_api = self.client(service_account_user("metallb-system", "controller"))
            self.metallb: MetalLbController | None = MetalLbController(
                metallb_api,
                Informer(metallb_api, ("Service",), {}),
                self.clock,
                self.network_setup.pools,
            )
        else:
            self.metallb = None
        # ingress-nginx's status updater, for the controllers a level installs.
        ingress_api = self.client(service_account_user("ingress-nginx", "ingress-nginx"))
        self.ingress_status = IngressStatusSync(
            ingress_api,
            # Its cache is filled (and read) through the loopback client: the controller's
            # own list and watch would be refused until a level installs ingress-nginx and
            # its RBAC. Its writes are its own.
            Informer(loopback, IngressStatusSync.kinds, {}),
            self.clock,
            self.network.ingress_controllers,
            reader=loopback,
        )
        self.api.watch(self._on_node, ("Node",))
        self.kubernetes_service = KubernetesServiceController(loopback, self.clock)
        self.api.create(default_storage_class())
        for manifest in default_nodes() if nodes is None else nodes:
            self.api.create(manifest)
        self.kubernetes_service.start()
        self.settle()

    def client(self, user: UserInfo) -> Client:
        """A component's client: requests as ``user``, its cache reads authorized as the
        list and watch that fill an informer."""
        return Client(self.apiserver, user, cache_reads=True)

    def client_for(self, user: UserInfo) -> Client:
        """kubectl's client for a kubeconfig user: its reads are real GETs and LISTs."""
        return Client(self.apiserver, user)

    # -- wiring ----------------------------------------------------------------------------

    def _on_node(self, event: WatchEvent) -> None:
        name = event.obj["metadata"]["name"]
        if event.type == DELETED:
            kubelet = self.kubelets.pop(name, None)
            if kubelet is not None:
                kubelet.stopped = True
            return
        if (
            event.type == ADDED
            and self.run_kubelets
            and is_ready(event.obj)
            and name not in self.kubelets
        ):
            node_api = self.client(node_user(name))
            kubelet = Kubelet(
                name,
                node_api,
                self.clock,
                EventRecorder(node_api, self.clock),
                self.catalog,
                self.rng,
                self.disks.node(name),
                self.disks.network,
                self.network,
            )
            self.kubelets[name] = kubelet
            self.clock.call_soon(kubelet.register, PRIORITY_CONTROLLER)

    def stop_kubelet(self, node: str) -> bool:
        """Stop a node's kubelet (``systemctl stop kubelet``); False when it has none."""
        kubelet = self.kubelets.get(node)
        if kubelet is None:
            return False
        kubelet.halt()
        return True

    def start_kubelet(self, node: str) -> bool:
        """Start a stopped kubelet again; False when the node has none."""
        kubelet = self.kubelets.get(node)
        if kubelet is None:
            return False
        kubelet.resume()
        self.settle()
        return True

    # -- time ------------------------------------------------------------------------------

    @property
    def now(self) -> float:
        return self.clock.now

    def settle(self) -> None:
        """Let every component react to what just happened (no simulated time passes)."""
        self.clock.settle()

    def run_for(self, seconds: float) -> None:
        """Advance simulated time by ``seconds``, running everything due on the way."""
        self.clock.run_until_time(self.clock.now + seconds)

    def run_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        """Advance until ``predicate()`` holds (True) or ``timeout`` seconds pass (False)."""
        return self.clock.run_until(predicate, timeout)

    # -- API convenience -------------------------------------------------------------------

    def create(self, manifest: dict[str, Any]) -> dict[str, Any]:
        created = self.api.create(manifest)
        self.settle()
        return created

    def get(self, kind: str, name: str, namespace: str = "default") -> dict[str, Any]:
        info = self.api.kind_info(kind)
        return self.api.get(kind, name, namespace if info.namespaced else "")

    def delete(
        self, kind: str, name: str, namespace: str = "default", **options: Any
    ) -> dict[str, Any]:
        info = self.api.kind_info(kind)
        deleted = self.api.delete(kind, name, namespace if info.namespaced else "", **options)
        self.settle()
        return deleted

    def logs(
        self,
        name: str,
        namespace: str = "default",
        container: str | None = None,
        previous: bool = False,
    ) -> list[tuple[float, str, str]]:
        """``(time, stream, line)`` for a pod's container (the first one when not named)."""
        return self.api.logs(name, namespace, container, previous)

    def exec(
        self,
        name: str,
        argv: list[str],
        namespace: str = "default",
        container: str | None = None,
        api: Client | None = None,
    ) -> Any:
        """Run a command in a pod's container (the first one when not named), asked through
        ``api`` (default: the admin's client). The call returns when the command ends:
        simulated time moves on by its duration (a command that never ends returns at once)."""
        result = (api or self.api).exec(name, namespace, argv, container)
        self.settle()
        if 0 < result.duration < math.inf:
            self.run_for(result.duration)
        return result

    def run_on_node(self, node: str, line: str) -> ExecResult | None:
        """Run a shell line on ``node`` itself (``ssh NODE``); None when there is no such
        node. Simulated time moves on by the command's duration, as with ``exec``."""
        address = self.network.node_address(node)
        if address is None:
            return None
        link = self.network.for_node(node)
        files = node_files(node, address)
        return self._run_host(NODE_IMAGE, link, files, node, line)

    def run_outside(self, line: str) -> ExecResult:
        """Run a shell line on the player's machine, outside the cluster."""
        link = self.network.outside()
        files = workstation_files(self.workstation_hosts)
        return self._run_host(WORKSTATION_IMAGE, link, files, WORKSTATION_NAME, line)

    def _run_host(
        self, image: str, link: Any, files: dict[str, str], hostname: str, line: str
    ) -> ExecResult:
        self.settle()
        result = run_on_host(self.catalog, image, link, files, hostname, line, self.now)
        if 0 < result.duration < math.inf:
            self.run_for(result.duration)
        return result

    def pod_metrics(
        self, namespace: str | None = None, selector: Selector | None = None
    ) -> list[PodMetrics]:
        """metrics-server's pod metrics now (``kubectl top pod``); see ``engine/metrics.py``."""
        return self.metrics.list_pods(namespace, selector)

    def node_metrics(self, selector: Selector | None = None) -> list[NodeMetrics]:
        """metrics-server's node metrics now (``kubectl top node``)."""
        return self.metrics.list_nodes(selector)

    # -- canonical dumps -------------------------------------------------------------------

    def dump_state(self) -> str:
        """Every object, sorted by kind, namespace and name, as canonical JSON lines."""
        lines = []
        for info in self.registry.all():
            for obj in self.store.iter(info.kind):
                lines.append(json.dumps(obj, sort_keys=True, separators=(",", ":")))
        return "\n".join(lines) + "\n"

    def dump_log(self) -> str:
        """The audit log: one line per write, ``time verb kind namespace/name rv user``."""
        return "\n".join(self.store.audit) + "\n"
