"""The service account controller: a ``default`` ServiceAccount in every active namespace."""

import pytest

from k8sgame.engine.controllers.manager import shared_informer
from k8sgame.engine.controllers.namespace_controller import NamespaceController
from k8sgame.engine.controllers.serviceaccounts import ServiceAccountsController
from k8sgame.engine.errors import ApiError
from k8sgame.engine.kinds.namespace import SYSTEM_NAMESPACES
from tests.cluster_helpers import new_cluster
from tests.store_helpers import bare_store


def _accounts(store, namespace):
    return [sa["metadata"]["name"] for sa in store.list("ServiceAccount", namespace)]


def _running():
    store = bare_store()
    informer = shared_informer(store)
    NamespaceController(store, informer, store.clock)
    ServiceAccountsController(store, informer, store.clock)
    return store


def test_every_namespace_gets_a_default_service_account():
    store = _running()
    store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    store.clock.settle()
    for namespace in (*SYSTEM_NAMESPACES, "team"):
        assert _accounts(store, namespace) == ["default"]
    sa = store.peek("ServiceAccount", "default", "team")
    assert sa["apiVersion"] == "v1"
    assert "secrets" not in sa  # no token Secret since 1.24


def test_a_deleted_default_account_is_made_again():
    store = _running()
    store.clock.settle()
    old = store.peek("ServiceAccount", "default", "default")["metadata"]["uid"]
    store.delete("ServiceAccount", "default", "default")
    store.clock.settle()
    new = store.peek("ServiceAccount", "default", "default")
    assert new is not None and new["metadata"]["uid"] != old


def test_other_accounts_are_not_made_again():
    store = _running()
    store.create({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "builder"}})
    store.clock.settle()
    store.delete("ServiceAccount", "builder", "default")
    store.clock.settle()
    assert _accounts(store, "default") == ["default"]


def test_no_account_in_a_terminating_namespace():
    store = _running()
    store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    store.clock.settle()
    # A finalizer keeps the namespace terminating while something is left inside.
    store.create(
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": "held", "namespace": "team", "finalizers": ["example.com/x"]},
        }
    )
    store.delete("Namespace", "team")
    store.clock.run_until_time(5)
    assert store.peek("Namespace", "team")["status"]["phase"] == "Terminating"
    assert _accounts(store, "team") == []
    with pytest.raises(ApiError) as info:
        store.create(
            {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": "default", "namespace": "team"},
            }
        )
    assert info.value.reason == "Forbidden"


def test_the_controller_writes_as_its_own_service_account():
    cluster = new_cluster()
    cluster.run_for(1)
    writers = [
        line.split()[-1]
        for line in cluster.dump_log().splitlines()
        if line.split()[2] == "ServiceAccount"
    ]
    assert writers
    assert set(writers) == {"user=system:serviceaccount:kube-system:service-account-controller"}


def test_a_name_must_be_a_dns_subdomain():
    store = bare_store()
    with pytest.raises(ApiError) as info:
        store.create(
            {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "Bad_Name"}}
        )
    assert info.value.reason == "Invalid"
