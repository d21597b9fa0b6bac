"""The controller manager: the shared informer and the controllers it runs.

kube-controller-manager lists and watches through shared informers under its own identity
(``system:kube-controller-manager``) and runs each controller with its own service account
(``--use-service-account-credentials``), so every write names the controller that made it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import UserInfo, controller_user
from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import (
    NODE_NAME_INDEX,
    ORPHAN_INDEX,
    OWNER_INDEX,
    Informer,
    kind_namespace_index,
    namespace_index,
    node_name_index,
    orphan_index,
    owner_uid_index,
)
from k8sgame.engine.controllers.clusterrole_aggregation import ClusterRoleAggregationController
from k8sgame.engine.controllers.cronjob import CronJobController
from k8sgame.engine.controllers.daemonset import DaemonSetController
from k8sgame.engine.controllers.deployment.controller import DeploymentController
from k8sgame.engine.controllers.disruption_budget import DisruptionController
from k8sgame.engine.controllers.endpoints import EndpointsController
from k8sgame.engine.controllers.endpointslice import EndpointSliceController
from k8sgame.engine.controllers.garbage_collector import GarbageCollector
from k8sgame.engine.controllers.job import JobController
from k8sgame.engine.controllers.namespace_controller import NAMESPACE_INDEX, NamespaceController
from k8sgame.engine.controllers.node_lifecycle import NodeLifecycleController
from k8sgame.engine.controllers.pod_gc import PodGCController
from k8sgame.engine.controllers.replicaset import (
    KIND_NAMESPACE_INDEX,
    ReplicaSetController,
    ReplicationControllerManager,
)
from k8sgame.engine.controllers.root_ca_publisher import RootCAPublisher
from k8sgame.engine.controllers.serviceaccounts import ServiceAccountsController
from k8sgame.engine.controllers.statefulset import StatefulSetController
from k8sgame.engine.controllers.taint_eviction import TaintEvictionController
from k8sgame.engine.controllers.ttl_after_finished import TTLAfterFinishedController
from k8sgame.engine.controllers.volume.binder import PersistentVolumeController
from k8sgame.engine.controllers.volume.protection import (
    PVCProtectionController,
    PVProtectionController,
)

CONTROLLER_MANAGER = UserInfo("system:kube-controller-manager", ("system:authenticated",))


class Controller(Protocol):
    """A control loop the manager runs."""

    name: str

    def stop(self) -> None: ...


def shared_informer(api: Client) -> Informer:
    """One informer over every kind, indexed by namespace, by kind and namespace, by owner
    uid, and of orphans by kind and namespace."""
    return Informer(
        api,
        None,
        {
            NAMESPACE_INDEX: namespace_index,
            KIND_NAMESPACE_INDEX: kind_namespace_index,
            OWNER_INDEX: owner_uid_index,
            ORPHAN_INDEX: orphan_index,
            NODE_NAME_INDEX: node_name_index,
        },
    )


class ControllerManager:
    """The running controllers, by name (``kube-controller-manager --controllers``)."""

    def __init__(self, client_for: Callable[[UserInfo], Client], clock: SimClock) -> None:
        self.informer = shared_informer(client_for(CONTROLLER_MANAGER))
        self.controllers: dict[str, Controller] = {}
        # Service account names are the upstream ones (``pkg/controller/*`` and the
        # ``system:controller:*`` bootstrap roles).
        for account, build in (
            ("namespace-controller", NamespaceController),
            ("root-ca-cert-publisher", RootCAPublisher),
            ("service-account-controller", ServiceAccountsController),
            ("clusterrole-aggregation-controller", ClusterRoleAggregationController),
            ("generic-garbage-collector", GarbageCollector),
            ("node-controller", NodeLifecycleController),
            # kube-controller-manager runs it with the node controller's account ("taint-
            # manager uses existing cluster role from node-controller").
            ("node-controller", TaintEvictionController),
            ("pod-garbage-collector", PodGCController),
            ("replicaset-controller", ReplicaSetController),
            ("replication-controller", ReplicationControllerManager),
            ("deployment-controller", DeploymentController),
            ("job-controller", JobController),
            ("cronjob-controller", CronJobController),
            ("daemon-set-controller", DaemonSetController),
            ("statefulset-controller", StatefulSetController),
            ("disruption-controller", DisruptionController),
            ("ttl-after-finished-controller", TTLAfterFinishedController),
            ("persistent-volume-binder", PersistentVolumeController),
            ("pvc-protection-controller", PVCProtectionController),
            ("pv-protection-controller", PVProtectionController),
            ("endpointslice-controller", EndpointSliceController),
            ("endpoint-controller", EndpointsController),
        ):
            controller = build(client_for(controller_user(account)), self.informer, clock)
            self.controllers[controller.name] = controller

    def add(self, controller: Controller) -> None:
        """A controller that needs more than a client (the HPA controller reads metrics)."""
        self.controllers[controller.name] = controller

    def stop(self) -> None:
        """Stop every controller and the informer (no more reconciles)."""
        self.informer.stop()
        for name in sorted(self.controllers):
            self.controllers[name].stop()
