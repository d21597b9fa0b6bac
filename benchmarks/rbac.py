"""RBAC speed figures (issue: who may do what).

Prints p50/p99 wall time of ``kubectl auth can-i --list --as=jane`` for a user with 20
bindings (RoleBindings in five namespaces to Roles and ClusterRoles, some through her group,
and ClusterRoleBindings) — target p99 < 16 ms — and of one ``kubectl auth can-i`` request,
the first asked after each change of a binding (RBAC's remembered decisions are dropped on
every change, so this is the cold path).

Usage: python benchmarks/rbac.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import percentile

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.cluster import Cluster
from k8sgame.kubectl.session import KubectlSession

RBAC = "rbac.authorization.k8s.io"
NAMESPACES = ("shop", "dev", "payments", "ops", "web")
CLUSTER_ROLES = ("view", "edit", "admin")


def _binding(index: int, namespace: str | None, role_kind: str, role: str) -> dict[str, Any]:
    subject = (
        {"kind": "User", "name": "jane", "apiGroup": RBAC}
        if index % 3
        else {"kind": "Group", "name": "team", "apiGroup": RBAC}
    )
    md: dict[str, Any] = {"name": f"jane-{index:02d}"}
    if namespace:
        md["namespace"] = namespace
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": "RoleBinding" if namespace else "ClusterRoleBinding",
        "metadata": md,
        "roleRef": {"apiGroup": RBAC, "kind": role_kind, "name": role},
        "subjects": [subject],
    }


def cluster_with_bindings() -> Cluster:
    """The default cluster, five namespaces, a Role in each, and 20 bindings for jane."""
    cluster = Cluster(load_default_catalog(), seed=1)
    for namespace in NAMESPACES:
        cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})
        cluster.create(
            {
                "apiVersion": f"{RBAC}/v1",
                "kind": "Role",
                "metadata": {"name": "pod-logs", "namespace": namespace},
                "rules": [
                    {"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list"]}
                ],
            }
        )
    index = 0
    for namespace in NAMESPACES:
        for role_kind, role in (
            ("Role", "pod-logs"),
            ("ClusterRole", "view"),
            ("ClusterRole", "edit"),
        ):
            cluster.create(_binding(index, namespace, role_kind, role))
            index += 1
    while index < 20:
        cluster.create(_binding(index, None, "ClusterRole", CLUSTER_ROLES[index % 3]))
        index += 1
    return cluster


def timed(session: KubectlSession, command: str, rounds: int, before: Any = None) -> list[float]:
    samples = []
    for round_ in range(rounds):
        if before is not None:
            before(round_)
        start = time.perf_counter()
        result = session.run(command)
        samples.append((time.perf_counter() - start) * 1000)
        if result.exit_code not in (0, 1):
            raise SystemExit(f"{command!r} failed: {result.stderr}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    cluster = cluster_with_bindings()
    session = KubectlSession(cluster)
    bindings = len(cluster.api.view("RoleBinding")) + len(cluster.api.view("ClusterRoleBinding"))
    listed = session.run("auth can-i --list --as=jane --as-group=team -n shop")
    print(
        f"cluster: {bindings} bindings in all; jane's --list has {listed.stdout.count(chr(10)) - 1} rows"
    )
    samples = timed(session, "auth can-i --list --as=jane --as-group=team -n shop", args.rounds)
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    verdict = "ok" if p99 < 16 else "OVER TARGET"
    print(
        f"auth can-i --list (20 bindings)   p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   (target p99 < 16 ms: {verdict})"
    )

    def touch(round_: int) -> None:
        # A change to any RBAC object drops RBAC's remembered decisions.
        binding = cluster.api.get("RoleBinding", "jane-00", "shop")
        binding["metadata"].setdefault("labels", {})["round"] = str(round_)
        cluster.api.update(binding)

    samples = timed(session, "auth can-i delete pods --as=jane -n shop", args.rounds, touch)
    p50, p99 = percentile(samples, 0.5), percentile(samples, 0.99)
    print(f"auth can-i after a change         p50 {p50:6.2f} ms   p99 {p99:6.2f} ms")


if __name__ == "__main__":
    main()
