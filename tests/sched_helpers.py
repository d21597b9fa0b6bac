"""A store with the scheduler and node lifecycle controller, but no kubelets."""

from store_helpers import bare_store

from k8sgame.engine.controllers.manager import shared_informer
from k8sgame.engine.controllers.node_lifecycle import NodeLifecycleController
from k8sgame.engine.events import EventRecorder
from k8sgame.engine.nodes import node_manifest
from k8sgame.engine.scheduler.scheduler import Scheduler


def scheduling_store(*nodes):
    store = bare_store()
    recorder = EventRecorder(store, store.clock)
    NodeLifecycleController(store, shared_informer(store), store.clock)
    scheduler = Scheduler(store, store.clock, recorder)
    for node in nodes:
        store.create(node)
    store.clock.settle()
    return store, scheduler


def node(name, **kwargs):
    return node_manifest(name, **kwargs)


def placed(store, name, namespace="default"):
    return store.get("Pod", name, namespace)["spec"].get("nodeName")


def events(store, reason):
    return [e for e in store.list("Event") if e["reason"] == reason]
