"""Escalation prevention: writing a role with rules one does not hold, or a binding to a role
one does not hold, is refused with the API server's message, unless ``escalate``/``bind``
allows it; the comparison (``Covers``) is sound against the authorizer's own matching."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.apiserver.authorizer import Attributes
from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import UserInfo
from k8sgame.engine.errors import ApiError
from k8sgame.engine.rbac.escalation import breakdown, escalation_error, rule_covers
from k8sgame.engine.rbac.rules import rule_allows

JANE = UserInfo("jane", ("system:authenticated",))
RBAC = "rbac.authorization.k8s.io"


def _role(name, rules, namespace="default", kind="Role"):
    md = {"name": name, **({"namespace": namespace} if kind == "Role" else {})}
    return {"apiVersion": f"{RBAC}/v1", "kind": kind, "metadata": md, "rules": rules}


def _binding(name, role_kind, role, namespace="default"):
    return {
        "apiVersion": f"{RBAC}/v1",
        "kind": "RoleBinding",
        "metadata": {"name": name, "namespace": namespace},
        "roleRef": {"apiGroup": RBAC, "kind": role_kind, "name": role},
        "subjects": [{"kind": "User", "name": "jane"}],
    }


@pytest.fixture
def jane():
    """A cluster where jane may edit in default and write Roles and RoleBindings there,
    but not escalate or bind."""
    cluster = new_cluster()
    cluster.create(_binding("jane-edit", "ClusterRole", "edit"))
    cluster.create(
        _role(
            "rbac-writer",
            [
                {
                    "apiGroups": [RBAC],
                    "resources": ["roles", "rolebindings"],
                    "verbs": ["create", "update", "patch", "get", "list"],
                }
            ],
        )
    )
    cluster.create(_binding("jane-rbac", "Role", "rbac-writer"))
    return cluster, Client(cluster.apiserver, JANE)


def test_a_role_with_rules_one_does_not_hold_is_refused(jane):
    _, client = jane
    wanted = [
        {"apiGroups": [""], "resources": ["nodes"], "verbs": ["get", "list"]},
        {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
    ]
    with pytest.raises(ApiError) as refused:
        client.create(_role("node-reader", wanted))
    assert refused.value.code == 403
    assert refused.value.message == (
        'roles.rbac.authorization.k8s.io "node-reader" is forbidden: user "jane" '
        '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not '
        'currently held:\n{APIGroups:[""], Resources:["nodes"], Verbs:["get" "list"]}'
    )
    # Rules jane holds (edit reads and writes pods) are fine.
    created = client.create(_role("pod-reader", [wanted[1]]))
    assert created["metadata"]["name"] == "pod-reader"


def test_binding_a_role_one_does_not_hold_is_refused_and_a_missing_role_is_not_found(jane):
    _, client = jane
    with pytest.raises(ApiError) as refused:
        client.create(_binding("jane-admin", "ClusterRole", "admin"))
    assert refused.value.message.startswith(
        'rolebindings.rbac.authorization.k8s.io "jane-admin" is forbidden: user "jane" '
        '(groups=["system:authenticated"]) is attempting to grant RBAC permissions not '
        "currently held:\n"
    )
    assert '{APIGroups:["authorization.k8s.io"], Resources:["localsubjectaccessreviews"], ' in (
        refused.value.message
    )
    with pytest.raises(ApiError) as missing:
        client.create(_binding("ghost", "Role", "nope"))
    assert (missing.value.code, missing.value.message) == (
        404,
        'roles.rbac.authorization.k8s.io "nope" not found',
    )
    # view's rules are all in edit: binding it is no escalation.
    assert client.create(_binding("jane-view", "ClusterRole", "view"))["roleRef"]["name"] == "view"


def test_bind_and_escalate_verbs_allow_it(jane):
    cluster, client = jane
    cluster.create(
        _role(
            "delegator",
            [
                {
                    "apiGroups": [RBAC],
                    "resources": ["clusterroles"],
                    "verbs": ["bind"],
                    "resourceNames": ["admin"],
                },
                {"apiGroups": [RBAC], "resources": ["roles"], "verbs": ["escalate"]},
            ],
        )
    )
    cluster.create(_binding("jane-delegator", "Role", "delegator"))
    assert client.create(_binding("jane-admin", "ClusterRole", "admin"))
    rules = [{"apiGroups": [""], "resources": ["nodes"], "verbs": ["get"]}]
    assert client.create(_role("node-reader", rules))


def test_the_admin_is_never_held_back():
    cluster = new_cluster()
    made = cluster.api.create(
        _role("all", [{"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]}], kind="ClusterRole")
    )
    assert made["metadata"]["name"] == "all"


def test_only_a_full_authority_may_set_an_aggregation_rule(jane):
    cluster, client = jane
    cluster.create(
        {
            "apiVersion": f"{RBAC}/v1",
            "kind": "ClusterRoleBinding",
            "metadata": {"name": "jane-cr"},
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "cr-writer"},
            "subjects": [{"kind": "User", "name": "jane"}],
        }
    )
    cluster.create(
        _role(
            "cr-writer",
            [{"apiGroups": [RBAC], "resources": ["clusterroles"], "verbs": ["create"]}],
            kind="ClusterRole",
        )
    )
    aggregated = _role("mine", [], kind="ClusterRole")
    aggregated["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {"a": "b"}}]}
    with pytest.raises(ApiError) as refused:
        client.create(aggregated)
    assert refused.value.message == (
        'clusterroles.rbac.authorization.k8s.io "mine" is forbidden: must have cluster-admin '
        "privileges to use the aggregationRule"
    )


VERBS = st.sampled_from(["get", "list", "create", "*"])
RESOURCES = st.sampled_from(["pods", "pods/log", "secrets", "*", "*/log"])
RULES = st.builds(
    lambda verbs, resources, groups, names: {
        "verbs": verbs,
        "apiGroups": groups,
        "resources": resources,
        **({"resourceNames": names} if names else {}),
    },
    st.lists(VERBS, min_size=1, max_size=2, unique=True),
    st.lists(RESOURCES, min_size=1, max_size=2, unique=True),
    st.sampled_from([[""], ["apps"], ["*"]]),
    st.sampled_from([[], ["web"]]),
)
REQUESTS = st.builds(
    lambda verb, res, group, name: Attributes(
        JANE, verb, "default", group, res.split("/")[0], res.partition("/")[2], name
    ),
    st.sampled_from(["get", "list", "create"]),
    st.sampled_from(["pods", "pods/log", "secrets"]),
    st.sampled_from(["", "apps"]),
    st.sampled_from(["", "web", "db"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(RULES, max_size=3))
def test_ones_own_rules_never_escalate(rules):
    assert escalation_error("jane", ["g"], rules, rules) == ""


@settings(max_examples=300, deadline=None)
@given(st.lists(RULES, max_size=3), RULES, REQUESTS)
def test_what_a_covered_rule_allows_the_owner_already_may(owner, wanted, request_):
    # Soundness: if no part of ``wanted`` is left uncovered, then every request it allows
    # is allowed by some owner rule.
    covered = all(any(rule_covers(o, sub) for o in owner) for sub in breakdown(wanted))
    if covered and rule_allows(request_, wanted):
        assert any(rule_allows(request_, o) for o in owner)
