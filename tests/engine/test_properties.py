"""Engine invariants under random inputs (hypothesis)."""

import copy

from hypothesis import given, settings
from hypothesis import strategies as st
from sched_helpers import node, scheduling_store
from store_helpers import bare_store, pod

from k8sgame.engine.errors import ApiError
from k8sgame.engine.quantity import cpu_millis, memory_bytes

CPU = st.sampled_from(["0", "50m", "100m", "250m", "500m", "1", "1500m", "2", "3"])
MEMORY = st.sampled_from(["0", "64Mi", "128Mi", "512Mi", "1Gi", "3Gi", "6Gi"])


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["1", "2", "4"]),
            st.sampled_from(["2Gi", "4Gi", "8Gi"]),
            st.integers(1, 6),
        ),
        min_size=1,
        max_size=4,
    ),
    st.lists(st.tuples(CPU, MEMORY, st.booleans()), min_size=1, max_size=25),
)
def test_scheduler_never_overcommits_a_node(nodes, pods):
    store, _ = scheduling_store(
        *(node(f"n{i}", cpu=c, memory=m, pods=str(p)) for i, (c, m, p) in enumerate(nodes))
    )
    for index, (cpu, memory, with_requests) in enumerate(pods):
        resources = {"requests": {"cpu": cpu, "memory": memory}} if with_requests else {}
        manifest = pod(
            f"p{index}", containers=[{"name": "c", "image": "nginx", "resources": resources}]
        )
        store.create(manifest)
        store.clock.settle()
    for stored in store.list("Node"):
        name = stored["metadata"]["name"]
        bound = [p for p in store.list("Pod") if p["spec"].get("nodeName") == name]
        allocatable = stored["status"]["allocatable"]
        assert len(bound) <= int(allocatable["pods"])
        cpu = sum(
            cpu_millis(p["spec"]["containers"][0]["resources"].get("requests", {}).get("cpu", "0"))
            for p in bound
        )
        mem = sum(
            memory_bytes(
                p["spec"]["containers"][0]["resources"].get("requests", {}).get("memory", "0")
            )
            for p in bound
        )
        assert cpu <= cpu_millis(allocatable["cpu"])
        assert mem <= memory_bytes(allocatable["memory"])


JSONISH = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-5, 70000)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = st.sampled_from(
    [
        "name",
        "image",
        "ports",
        "command",
        "args",
        "env",
        "resources",
        "livenessProbe",
        "readinessProbe",
        "imagePullPolicy",
        "restartPolicy",
        "volumeMounts",
        "bogus",
    ]
)


@settings(max_examples=200)
@given(
    st.dictionaries(FIELDS, JSONISH, max_size=4),
    st.dictionaries(
        st.sampled_from(
            ["restartPolicy", "nodeSelector", "tolerations", "volumes", "hostNetwork", "nope"]
        ),
        JSONISH,
        max_size=3,
    ),
)
def test_random_manifests_give_an_api_error_or_an_object_never_a_crash(
    container_fields, spec_fields
):
    store = bare_store()
    before = store.revision
    manifest = pod()
    manifest["spec"]["containers"][0].update(container_fields)
    manifest["spec"].update(spec_fields)
    original = copy.deepcopy(manifest)
    try:
        created = store.create(manifest)
    except ApiError as error:
        assert error.message
        assert store.revision == before
        assert store.peek("Pod", "web", "default") is None
    else:
        assert created["metadata"]["name"] == "web"
    assert manifest == original


@settings(max_examples=100)
@given(st.dictionaries(st.text(max_size=8), JSONISH, max_size=5))
def test_random_top_level_documents(document):
    store = bare_store()
    document = dict(document)
    document.setdefault("kind", "ConfigMap")
    try:
        store.create(document)
    except ApiError as error:
        assert error.reason in ("BadRequest", "Invalid", "NotFound", "AlreadyExists", "Forbidden")


def _placements(vectorized, nodes, pods):
    from k8sgame.engine.controllers.manager import shared_informer
    from k8sgame.engine.controllers.node_lifecycle import NodeLifecycleController
    from k8sgame.engine.events import EventRecorder
    from k8sgame.engine.scheduler.scheduler import Scheduler

    store = bare_store()
    NodeLifecycleController(store, shared_informer(store), store.clock)
    Scheduler(store, store.clock, EventRecorder(store, store.clock), vectorized=vectorized)
    for manifest in nodes:
        store.create(copy.deepcopy(manifest))
    store.clock.settle()
    for manifest in pods:
        store.create(copy.deepcopy(manifest))
        store.clock.settle()
    return {p["metadata"]["name"]: p["spec"].get("nodeName") for p in store.list("Pod")}, [
        e["message"] for e in store.list("Event")
    ]


TAINTS = st.sampled_from(
    [
        [],
        [],
        [{"key": "spot", "effect": "PreferNoSchedule"}],
        [{"key": "gpu", "effect": "NoSchedule"}],
    ]
)


@settings(max_examples=40)
@given(
    st.lists(
        st.tuples(st.sampled_from(["1", "2", "4"]), st.sampled_from(["1Gi", "4Gi"]), TAINTS),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.tuples(CPU, MEMORY, st.booleans(), st.booleans()), min_size=1, max_size=20),
)
def test_array_fast_path_places_pods_exactly_like_the_scalar_loop(nodes, pods):
    node_manifests = [node(f"n{i}", cpu=c, memory=m, taints=t) for i, (c, m, t) in enumerate(nodes)]
    pod_manifests = []
    for index, (cpu, memory, with_requests, tolerate) in enumerate(pods):
        resources = {"requests": {"cpu": cpu, "memory": memory}} if with_requests else {}
        extra = {"tolerations": [{"key": "gpu", "operator": "Exists"}]} if tolerate else {}
        pod_manifests.append(
            pod(
                f"p{index}",
                containers=[{"name": "c", "image": "nginx", "resources": resources}],
                **extra,
            )
        )
    assert _placements(True, node_manifests, pod_manifests) == _placements(
        False, node_manifests, pod_manifests
    )


def test_array_fast_path_agrees_with_sampling_in_a_big_cluster():
    nodes = [node(f"n{i:03d}", cpu=str(1 + i % 4), memory="8Gi") for i in range(150)]
    pods = [
        pod(
            f"p{i}",
            containers=[
                {"name": "c", "image": "nginx", "resources": {"requests": {"cpu": "300m"}}}
            ],
        )
        for i in range(120)
    ]
    fast, _ = _placements(True, nodes, pods)
    slow, _ = _placements(False, nodes, pods)
    assert fast == slow
    assert len(set(fast.values())) > 50
