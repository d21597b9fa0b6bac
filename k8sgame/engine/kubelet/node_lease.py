"""The kubelet's node lease (``pkg/kubelet/nodelease``, K8S-FACTS §10): a Lease named after
the node in ``kube-node-lease``, owned by the Node, held by the node for 40 s and renewed every
10 s — the heartbeat the node lifecycle controller watches."""

from __future__ import annotations

from typing import Any

from k8sgame.engine.clock import PRIORITY_DEFAULT
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kubelet.context import NodeContext
from k8sgame.engine.timefmt import rfc3339_micro

LEASE_NAMESPACE = "kube-node-lease"
LEASE_DURATION_SECONDS = 40
RENEW_INTERVAL = LEASE_DURATION_SECONDS * 0.25


class NodeLease:
    """Keeps this node's Lease fresh while the kubelet runs."""

    def __init__(self, ctx: NodeContext) -> None:
        self.ctx = ctx
        self.running = False

    def start(self) -> None:
        """Renew now and every ``RENEW_INTERVAL`` seconds until stopped."""
        if self.running:
            return
        self.running = True
        self._renew()

    def stop(self) -> None:
        self.running = False

    def _renew(self) -> None:
        if not self.running:
            return
        ctx = self.ctx
        now = rfc3339_micro(ctx.clock.now)
        lease = ctx.api.peek("Lease", ctx.node_name, LEASE_NAMESPACE)
        try:
            if lease is None:
                ctx.api.create(self._new_lease(now))
            else:
                renewed = dict(lease)
                renewed["spec"] = {**(lease.get("spec") or {}), "renewTime": now}
                # The kubelet's own well-formed write of one field: no decoding needed.
                ctx.api.update(renewed, trusted=True)
        except ApiError:
            pass  # a lost race: the next renewal tries again
        ctx.clock.call_later(RENEW_INTERVAL, self._renew, PRIORITY_DEFAULT)

    def _new_lease(self, now: str) -> dict[str, Any]:
        ctx = self.ctx
        node = ctx.node()
        meta: dict[str, Any] = {"name": ctx.node_name, "namespace": LEASE_NAMESPACE}
        if node is not None:
            meta["ownerReferences"] = [
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "name": ctx.node_name,
                    "uid": node["metadata"]["uid"],
                }
            ]
        return {
            "apiVersion": "coordination.k8s.io/v1",
            "kind": "Lease",
            "metadata": meta,
            "spec": {
                "holderIdentity": ctx.node_name,
                "leaseDurationSeconds": LEASE_DURATION_SECONDS,
                "renewTime": now,
            },
        }
