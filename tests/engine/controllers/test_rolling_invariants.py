"""Properties of every rolling update (hypothesis): while the pods change over, available
pods never drop below replicas − maxUnavailable and pods never number more than replicas +
maxSurge; the rollout ends with every pod on the new template."""

from __future__ import annotations

from cluster_helpers import new_cluster
from deployment_helpers import deployment, live_pods, set_image, sizes
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from k8sgame.engine.controllers.deployment.fenceposts import resolve_fenceposts
from k8sgame.engine.controllers.replicaset import pod_ready_since
from k8sgame.engine.intstr import int_or_percent_value

AMOUNTS = st.one_of(st.integers(0, 3), st.sampled_from(["0%", "10%", "25%", "50%", "100%"]))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    replicas=st.integers(1, 7),
    surge=AMOUNTS,
    unavailable=AMOUNTS,
    min_ready=st.sampled_from([0, 5]),
)
def test_a_rolling_update_stays_within_its_bounds(replicas, surge, unavailable, min_ready):
    assume(int_or_percent_value(surge) or int_or_percent_value(unavailable))
    max_surge, max_unavailable = resolve_fenceposts(surge, unavailable, replicas)
    max_unavailable = min(max_unavailable, replicas)
    strategy = {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": surge, "maxUnavailable": unavailable},
    }
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=replicas, strategy=strategy, minReadySeconds=min_ready))
    cluster.run_for(40)
    seen = {"most": 0, "fewest_available": replicas}

    def available(pod):
        since = pod_ready_since(pod)
        return since is not None and since + min_ready <= cluster.now

    def watch(event):
        pods = live_pods(cluster)
        seen["most"] = max(seen["most"], len(pods))
        seen["fewest_available"] = min(seen["fewest_available"], sum(map(available, pods)))

    cluster.store.watch(watch, ("Pod",))
    set_image(cluster, "nginx:1.27")
    cluster.run_for(150 + 10 * replicas * (1 + min_ready))
    assert seen["most"] <= replicas + max_surge
    assert seen["fewest_available"] >= replicas - max_unavailable
    assert [size for _, size in sizes(cluster)] == [0, replicas]
    assert {p["spec"]["containers"][0]["image"] for p in live_pods(cluster)} == {"nginx:1.27"}
    status = cluster.get("Deployment", "web")["status"]
    assert status["updatedReplicas"] == status["availableReplicas"] == replicas


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(0, 6), end=st.integers(0, 6))
def test_a_deployment_converges_to_its_replicas_after_scaling(start, end):
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=start))
    cluster.run_for(30)
    cluster.api.patch("Deployment", "web", "default", {"spec": {"replicas": end}})
    cluster.run_for(60)
    assert len(live_pods(cluster)) == end
    assert [size for _, size in sizes(cluster)] == [end]
