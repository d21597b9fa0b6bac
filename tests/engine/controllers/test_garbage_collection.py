"""ownerReferences and cascading deletion; namespace deletion."""

import pytest
from store_helpers import bare_store

from k8sgame.engine.controllers.garbage_collector import GarbageCollector
from k8sgame.engine.controllers.manager import shared_informer
from k8sgame.engine.controllers.namespace_controller import NamespaceController
from k8sgame.engine.controllers.root_ca_publisher import RootCAPublisher
from k8sgame.engine.errors import ApiError


def owner_and_dependents(store, count=2):
    owner = store.create({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "owner"}})
    ref = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "name": "owner",
        "uid": owner["metadata"]["uid"],
        "blockOwnerDeletion": True,
    }
    for index in range(count):
        store.create(
            {
                "apiVersion": "v1",
                "kind": "Secret",
                "metadata": {"name": f"dep-{index}", "ownerReferences": [ref]},
            }
        )
    return owner


def remaining_secrets(store):
    return [s["metadata"]["name"] for s in store.list("Secret", "default")]


@pytest.mark.parametrize("propagation", [None, "Background", "Foreground"])
def test_cascading_delete_removes_dependents(propagation):
    store = bare_store()
    GarbageCollector(store, shared_informer(store), store.clock)
    owner_and_dependents(store)
    store.delete("ConfigMap", "owner", "default", propagation=propagation)
    store.clock.run_until_time(5)
    assert remaining_secrets(store) == []
    assert store.peek("ConfigMap", "owner", "default") is None


def test_foreground_keeps_the_owner_until_dependents_are_gone():
    store = bare_store()
    GarbageCollector(store, shared_informer(store), store.clock)
    owner_and_dependents(store)
    deleted = store.delete("ConfigMap", "owner", "default", propagation="Foreground")
    assert deleted["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert deleted["metadata"]["deletionTimestamp"]
    store.clock.settle()
    assert store.peek("ConfigMap", "owner", "default") is None


def test_orphan_keeps_dependents_and_strips_the_reference():
    store = bare_store()
    GarbageCollector(store, shared_informer(store), store.clock)
    owner_and_dependents(store)
    store.delete("ConfigMap", "owner", "default", propagation="Orphan")
    store.clock.settle()
    assert remaining_secrets(store) == ["dep-0", "dep-1"]
    assert all("ownerReferences" not in s["metadata"] for s in store.list("Secret", "default"))
    assert store.peek("ConfigMap", "owner", "default") is None


def test_dependent_created_after_its_owner_is_gone_is_collected():
    store = bare_store()
    GarbageCollector(store, shared_informer(store), store.clock)
    ref = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "name": "ghost",
        "uid": "00000000-0000-4000-8000-000000000000",
    }
    store.create(
        {
            "apiVersion": "v1",
            "kind": "Secret",
            "metadata": {"name": "lonely", "ownerReferences": [ref]},
        }
    )
    store.clock.settle()
    assert remaining_secrets(store) == []


def test_namespace_deletion_empties_it_then_removes_it_and_refuses_new_content():
    store = bare_store()
    informer = shared_informer(store)
    NamespaceController(store, informer, store.clock)
    RootCAPublisher(store, informer, store.clock)
    store.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    store.clock.settle()
    assert store.peek("ConfigMap", "kube-root-ca.crt", "team") is not None
    store.create(
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cfg", "namespace": "team"}}
    )
    ns = store.delete("Namespace", "team")
    assert ns["status"]["phase"] == "Terminating"
    with pytest.raises(ApiError) as info:
        store.create(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": "late", "namespace": "team"},
            }
        )
    assert info.value.reason == "Forbidden"
    assert info.value.message == (
        'configmaps "late" is forbidden: unable to create new content in namespace team because it is being terminated'
    )
    store.clock.run_until_time(10)
    assert store.peek("Namespace", "team") is None
    assert store.list("ConfigMap", "team") == []
