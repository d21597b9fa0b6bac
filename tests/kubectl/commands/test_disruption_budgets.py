"""PodDisruptionBudgets through kubectl: create pdb (its dry run and client-side errors),
get and describe pdb, and drain retrying an eviction the budget refuses."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    session.run("create deployment web --image=nginx:1.27 --replicas=3")
    cluster.run_for(30)
    return session


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def test_create_pdb_and_its_errors(session):
    assert run(
        session,
        "create pdb web-pdb --selector=app=web --max-unavailable=50% --dry-run=client -o yaml",
    )[0] == (
        "apiVersion: policy/v1\n"
        "kind: PodDisruptionBudget\n"
        "metadata:\n"
        "  name: web-pdb\n"
        "spec:\n"
        "  maxUnavailable: 50%\n"
        "  selector:\n"
        "    matchLabels:\n"
        "      app: web\n"
        "status:\n"
        "  currentHealthy: 0\n"
        "  desiredHealthy: 0\n"
        "  disruptionsAllowed: 0\n"
        "  expectedPods: 0\n"
    )
    for command, error in (
        ("create pdb x --min-available=1", "a selector must be specified"),
        (
            "create pdb x --selector=app=web",
            "one of min-available or max-unavailable must be specified",
        ),
        (
            "create pdb x --selector=app=web --min-available=1 --max-unavailable=1",
            "min-available and max-unavailable cannot be both specified",
        ),
        (
            "create pdb x --selector=app=web --min-available=one",
            "invalid format specified for min-available",
        ),
    ):
        assert run(session, command)[1] == f"error: {error}\n", command


def test_get_describe_and_a_drain_the_budget_holds_back(session):
    assert run(session, "create pdb web-pdb --selector=app=web --min-available=3")[0] == (
        "poddisruptionbudget.policy/web-pdb created\n"
    )
    session.cluster.run_for(1)
    assert run(session, "get pdb")[0] == (
        "NAME      MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\n"
        "web-pdb   3               N/A               0                     1s\n"
    )
    assert run(session, "describe pdb web-pdb")[0] == (
        "Name:           web-pdb\n"
        "Namespace:      default\n"
        "Min available:  3\n"
        "Selector:       app=web\n"
        "Status:\n"
        "    Allowed disruptions:  0\n"
        "    Current:              3\n"
        "    Desired:              3\n"
        "    Total:                3\n"
        "Events:                   <none>\n"
    )
    node = session.cluster.store.list("Pod", "default")[0]["spec"]["nodeName"]
    result = session.run(f"drain {node} --timeout=12s")
    assert result.exit_code == 1
    refusals = [line for line in result.stderr.splitlines() if "will retry after 5s" in line]
    # Tried at 0 s, 5 s and 10 s for each of the node's pods, then the timeout at 12 s.
    on_node = [
        p["metadata"]["name"]
        for p in session.cluster.store.list("Pod", "default")
        if p["spec"].get("nodeName") == node
    ]
    assert len(refusals) == 3 * len(on_node)
    assert refusals[0].endswith(
        "(will retry after 5s): Cannot evict pod as it would violate the pod's disruption budget."
    )
    assert '"default": global timeout reached: 12s' in result.stderr
    # Lowering the budget lets the drain finish.
    run(session, 'patch pdb web-pdb --type=merge -p \'{"spec":{"minAvailable":1}}\'')
    stdout, _, code = run(session, f"drain {node}")
    assert code == 0 and stdout.endswith(f"node/{node} drained\n")
