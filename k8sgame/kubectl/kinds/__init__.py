"""How kubectl shows each kind: one module per kind declares its table columns and its
describer (``KindView``). A new kind adds its module here."""

from __future__ import annotations

from k8sgame.kubectl.describers.generic import describe_generic
from k8sgame.kubectl.describers.registry import Describer
from k8sgame.kubectl.kinds import (
    config_map,
    cron_job,
    daemon_set,
    deployment,
    endpoint_slice,
    endpoints,
    event,
    horizontal_pod_autoscaler,
    ingress,
    ingress_class,
    job,
    lease,
    namespace,
    network_policy,
    node,
    persistent_volume,
    persistent_volume_claim,
    pod,
    pod_disruption_budget,
    rbac,
    replica_set,
    replication_controller,
    secret,
    service,
    service_account,
    stateful_set,
    storage_class,
)
from k8sgame.kubectl.tables import KindView, TableSpec

VIEWS: dict[str, KindView] = {
    module.VIEW.kind: module.VIEW
    for module in (
        pod,
        node,
        namespace,
        config_map,
        secret,
        service_account,
        event,
        replica_set,
        deployment,
        daemon_set,
        stateful_set,
        job,
        cron_job,
        lease,
        persistent_volume,
        persistent_volume_claim,
        storage_class,
        pod_disruption_budget,
        horizontal_pod_autoscaler,
        replication_controller,
        service,
        endpoints,
        endpoint_slice,
        ingress_class,
        ingress,
        network_policy,
    )
}
VIEWS.update({view.kind: view for view in rbac.VIEWS})


def table_for(kind: str) -> TableSpec | None:
    """The kind's table, or None (kubectl then prints NAME and AGE)."""
    view = VIEWS.get(kind)
    return view.table if view else None


def describer_for(kind: str) -> Describer:
    """The kind's describer, else the generic one (as kubectl's ``describerMap``)."""
    view = VIEWS.get(kind)
    return view.describer if view and view.describer else describe_generic
