"""The endpoint controllers write their updates the trusted way (no decoding or validation):
the cluster must end up exactly as with the full write path, objects and history alike."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import deployment, service

from k8sgame.engine.controllers import endpoints, endpointslice


def scenario(trusted: bool, monkeypatch) -> str:
    monkeypatch.setattr(endpointslice, "TRUSTED_WRITES", trusted)
    monkeypatch.setattr(endpoints, "TRUSTED_WRITES", trusted)
    cluster = new_cluster(seed=11)
    probe = {"httpGet": {"path": "/ready", "port": 8080}, "periodSeconds": 1}
    cluster.create(deployment("web", 6, readiness=probe))
    cluster.create(service("web", port_name="http"))
    cluster.create(service("all", selector={}, publishNotReadyAddresses=True))
    cluster.run_for(20)
    web = cluster.get("Deployment", "web")
    web["spec"]["template"]["spec"]["containers"][0]["env"] = [{"name": "MESSAGE", "value": "v2"}]
    cluster.api.update(web)
    cluster.run_for(30)
    svc = cluster.get("Service", "web")
    svc["metadata"]["labels"] = {"tier": "front"}
    cluster.api.update(svc)
    cluster.api.delete("Deployment", "web", "default")
    cluster.run_for(30)
    return cluster.dump_state()


def test_trusted_and_full_writes_store_the_same(monkeypatch):
    trusted = scenario(True, monkeypatch)
    full = scenario(False, monkeypatch)
    assert trusted == full
    assert '"kind":"EndpointSlice"' in trusted


@pytest.mark.parametrize("module", [endpoints, endpointslice])
def test_the_controllers_write_the_trusted_way(module):
    assert module.TRUSTED_WRITES is True
