"""Lease (coordination.k8s.io/v1): a holder's claim renewed in time. Each kubelet keeps one
in ``kube-node-lease`` named after its node and renews it every 10 s
(``nodeLeaseDurationSeconds`` 40, renewed at 0.25 of it; K8S-FACTS §10): the heartbeat the
node lifecycle controller watches."""

from __future__ import annotations

from k8sgame.engine.api.meta import OBJECT_META
from k8sgame.engine.api.registry import KindInfo
from k8sgame.engine.api.schema import INT32, MICRO_TIME, STRING, Struct

LEASE = Struct(
    "Lease",
    {
        "apiVersion": STRING,
        "kind": STRING,
        "metadata": OBJECT_META,
        "spec": Struct(
            "LeaseSpec",
            {
                "holderIdentity": STRING,
                "leaseDurationSeconds": INT32,
                "acquireTime": MICRO_TIME,
                "renewTime": MICRO_TIME,
                "leaseTransitions": INT32,
                "strategy": STRING,
                "preferredHolder": STRING,
            },
        ),
    },
)

LEASE_KIND = KindInfo(
    kind="Lease",
    group="coordination.k8s.io",
    version="v1",
    plural="leases",
    namespaced=True,
    schema=LEASE,
    status_subresource=False,
)
