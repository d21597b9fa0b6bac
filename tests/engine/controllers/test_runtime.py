"""The controller runtime: work queue order, de-duplication, requeue and back-off; informer
indexes; stopping."""

from k8sgame.engine.clock import SimClock
from k8sgame.engine.controllers.base import (
    Informer,
    Result,
    WorkQueue,
    label_index,
    node_name_index,
    owner_uid_index,
)
from k8sgame.engine.controllers.manager import shared_informer
from k8sgame.engine.errors import ApiError
from tests.store_helpers import bare_store, pod


def test_keys_added_before_a_run_are_reconciled_once_each_in_sorted_order():
    clock = SimClock()
    seen = []
    queue = WorkQueue(clock, lambda key: seen.append(key))
    for key in [("b",), ("a",), ("b",), ("c",), ("a",)]:
        queue.add(key)
    assert len(queue) == 3
    clock.settle()
    assert seen == [("a",), ("b",), ("c",)]


def test_requeue_after_runs_the_key_again_at_that_simulated_time():
    clock = SimClock()
    runs = []

    def reconcile(key):
        runs.append(clock.now)
        return Result(requeue_after=2.5) if len(runs) < 3 else None

    queue = WorkQueue(clock, reconcile)
    queue.add(("ns",))
    clock.run_until_time(100)
    assert runs == [0.0, 2.5, 5.0]


def test_a_failing_reconcile_retries_with_doubling_back_off_and_success_resets_it():
    clock = SimClock()
    runs = []

    def reconcile(key):
        runs.append(round(clock.now, 3))
        if len(runs) < 4:
            raise ApiError("Conflict", "the object has been modified", 409)
        return None

    queue = WorkQueue(clock, reconcile)
    queue.add(("x",))
    clock.run_until_time(10)
    # 5 ms, then 10 ms, then 20 ms after each failure.
    assert runs == [0.0, 0.005, 0.015, 0.035]
    assert queue._failures == {}


def test_the_earliest_of_two_delayed_adds_wins_and_a_stopped_queue_runs_nothing():
    clock = SimClock()
    runs = []
    queue = WorkQueue(clock, lambda key: runs.append((key, clock.now)))
    queue.add_after(("k",), 5)
    queue.add_after(("k",), 2)
    clock.run_until_time(10)
    assert runs == [(("k",), 2.0)]
    queue.add_after(("k",), 1)
    queue.stop()
    queue.add(("j",))
    clock.run_until_time(20)
    assert runs == [(("k",), 2.0)]


def test_informer_indexes_follow_changes_and_deletions():
    api = bare_store()
    informer = Informer(
        api, ("Pod",), {"node": node_name_index, "labels": label_index, "owner": owner_uid_index}
    )
    web = pod("web")
    web["metadata"]["labels"] = {"app": "web"}
    api.create(web)
    assert [key for key, _ in informer.by_index("labels", "app=web")] == [("Pod", "default", "web")]
    assert informer.by_index("node", "n1") == []
    api.bind("web", "default", "n1")
    assert [key for key, _ in informer.by_index("node", "n1")] == [("Pod", "default", "web")]
    api.patch("Pod", "web", "default", {"metadata": {"labels": {"app": "db"}}}, "merge")
    assert informer.by_index("labels", "app=web") == []
    api.delete("Pod", "web", "default", grace_period=0)
    assert informer.by_index("node", "n1") == [] and informer.get(("Pod", "default", "web")) is None


def test_an_informer_lists_what_exists_before_it_starts_and_a_stopped_one_hears_nothing():
    api = bare_store()
    api.create(pod("early"))
    informer = shared_informer(api)
    assert informer.get(("Pod", "default", "early")) is not None
    heard, namespaces = [], []
    informer.add_handler(lambda event: heard.append(event.obj["metadata"]["name"]))
    informer.add_handler(
        lambda event: namespaces.append(event.obj["metadata"]["name"]), ("Namespace",)
    )
    api.create(pod("one"))
    api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    informer.stop()
    api.create(pod("two"))
    assert heard == ["one", "team"] and namespaces == ["team"]
    assert [key[2] for key, _ in informer.by_index("namespace", "default")] == ["early", "one"]
