"""The kinds every simulated cluster serves from the start."""

from __future__ import annotations

from k8sgame.engine.api.registry import KindRegistry
from k8sgame.engine.kinds.access_review import ACCESS_REVIEW_KINDS
from k8sgame.engine.kinds.config_map import CONFIG_MAP_KIND
from k8sgame.engine.kinds.cron_job import CRON_JOB_KIND
from k8sgame.engine.kinds.daemon_set import DAEMON_SET_KIND
from k8sgame.engine.kinds.deployment import DEPLOYMENT_KIND
from k8sgame.engine.kinds.endpoint_slice import ENDPOINT_SLICE_KIND
from k8sgame.engine.kinds.endpoints import ENDPOINTS_KIND
from k8sgame.engine.kinds.event import EVENT_KIND
from k8sgame.engine.kinds.horizontal_pod_autoscaler import HORIZONTAL_POD_AUTOSCALER_KIND
from k8sgame.engine.kinds.ingress import INGRESS_KIND
from k8sgame.engine.kinds.ingress_class import INGRESS_CLASS_KIND
from k8sgame.engine.kinds.job import JOB_KIND
from k8sgame.engine.kinds.lease import LEASE_KIND
from k8sgame.engine.kinds.namespace import NAMESPACE_KIND
from k8sgame.engine.kinds.network_policy import NETWORK_POLICY_KIND
from k8sgame.engine.kinds.node import NODE_KIND
from k8sgame.engine.kinds.persistent_volume import PERSISTENT_VOLUME_KIND
from k8sgame.engine.kinds.persistent_volume_claim import PERSISTENT_VOLUME_CLAIM_KIND
from k8sgame.engine.kinds.pod import POD_KIND
from k8sgame.engine.kinds.pod_disruption_budget import POD_DISRUPTION_BUDGET_KIND
from k8sgame.engine.kinds.rbac import (
    CLUSTER_ROLE_BINDING_KIND,
    CLUSTER_ROLE_KIND,
    ROLE_BINDING_KIND,
    ROLE_KIND,
)
from k8sgame.engine.kinds.replica_set import REPLICA_SET_KIND
from k8sgame.engine.kinds.replication_controller import REPLICATION_CONTROLLER_KIND
from k8sgame.engine.kinds.secret import SECRET_KIND
from k8sgame.engine.kinds.service import SERVICE_KIND
from k8sgame.engine.kinds.service_account import SERVICE_ACCOUNT_KIND
from k8sgame.engine.kinds.stateful_set import STATEFUL_SET_KIND
from k8sgame.engine.kinds.storage_class import STORAGE_CLASS_KIND


def builtin_registry() -> KindRegistry:
    """A registry holding every kind the simulator serves (see the list below)."""
    registry = KindRegistry()
    for info in (
        NAMESPACE_KIND,
        NODE_KIND,
        POD_KIND,
        CONFIG_MAP_KIND,
        SECRET_KIND,
        SERVICE_ACCOUNT_KIND,
        EVENT_KIND,
        PERSISTENT_VOLUME_KIND,
        PERSISTENT_VOLUME_CLAIM_KIND,
        REPLICA_SET_KIND,
        REPLICATION_CONTROLLER_KIND,
        DEPLOYMENT_KIND,
        DAEMON_SET_KIND,
        STATEFUL_SET_KIND,
        JOB_KIND,
        CRON_JOB_KIND,
        LEASE_KIND,
        STORAGE_CLASS_KIND,
        POD_DISRUPTION_BUDGET_KIND,
        HORIZONTAL_POD_AUTOSCALER_KIND,
        SERVICE_KIND,
        ENDPOINTS_KIND,
        ENDPOINT_SLICE_KIND,
        INGRESS_CLASS_KIND,
        INGRESS_KIND,
        NETWORK_POLICY_KIND,
        ROLE_KIND,
        CLUSTER_ROLE_KIND,
        ROLE_BINDING_KIND,
        CLUSTER_ROLE_BINDING_KIND,
        *ACCESS_REVIEW_KINDS,
    ):
        registry.register(info)
    return registry
