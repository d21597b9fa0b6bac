"""The RBAC authorizer (engine/rbac): rule matching as evaluation_helpers.go, which bindings
apply, and the API server's Forbidden message; hypothesis for RBAC's own guarantees."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.engine.apiserver.authorizer import Attributes, forbidden_message
from k8sgame.engine.apiserver.identity import UserInfo
from k8sgame.engine.rbac.authorizer import Policy, RbacDecision, authorize
from k8sgame.engine.rbac.rules import rule_allows


def rule(verbs, resources=(), groups=("",), names=(), urls=()):
    out = {"verbs": list(verbs)}
    if resources:
        out["apiGroups"] = list(groups)
        out["resources"] = list(resources)
    if names:
        out["resourceNames"] = list(names)
    if urls:
        out["nonResourceURLs"] = list(urls)
    return out


def ask(
    verb, resource="", sub="", name="", ns="default", group="", path="", user="jane", groups=()
):
    return Attributes(UserInfo(user, tuple(groups)), verb, ns, group, resource, sub, name, path)


@pytest.mark.parametrize(
    ("the_rule", "request_", "allowed"),
    [
        (rule(["get"], ["pods"]), ask("get", "pods"), True),
        (rule(["*"], ["pods"]), ask("delete", "pods"), True),
        (rule(["Get"], ["pods"]), ask("get", "pods"), False),  # verbs are case-sensitive
        (rule(["get"], ["pods"]), ask("get", "pods", "log"), False),  # pods is not pods/log
        (rule(["get"], ["pods/log"]), ask("get", "pods", "log"), True),
        (rule(["get"], ["*/status"]), ask("get", "deployments", "status", group="apps"), False),
        (
            rule(["get"], ["*/status"], groups=["*"]),
            ask("get", "deployments", "status", group="apps"),
            True,
        ),
        (rule(["get"], ["*"]), ask("get", "pods", "exec"), True),
        (rule(["get"], ["pods"], names=["web"]), ask("get", "pods", name="web"), True),
        (rule(["list"], ["pods"], names=["web"]), ask("list", "pods"), False),
        (rule(["get"], ["deployments"]), ask("get", "deployments", group="apps"), False),
        (rule(["get"], urls=["/healthz"]), ask("get", path="/healthz"), True),
        (rule(["get"], urls=["/apis/*"]), ask("get", path="/apis/v1"), True),
        (rule(["get"], urls=["/apis/*"]), ask("get", path="/apis"), False),
        (rule(["get"], urls=["*"]), ask("get", path="/version"), True),
    ],
)
def test_a_rule_allows_a_request_as_evaluation_helpers_decide(the_rule, request_, allowed):
    assert rule_allows(request_, the_rule) is allowed


def role(name, rules, namespace=None, kind="Role"):
    md = {"name": name}
    if namespace:
        md["namespace"] = namespace
    return {"kind": kind, "metadata": md, "rules": rules}


def binding(name, ref_kind, ref_name, subjects, namespace=None):
    kind = "RoleBinding" if namespace else "ClusterRoleBinding"
    md = {"name": name}
    if namespace:
        md["namespace"] = namespace
    return {
        "kind": kind,
        "metadata": md,
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": ref_kind, "name": ref_name},
        "subjects": subjects,
    }


USER = [{"kind": "User", "name": "jane", "apiGroup": "rbac.authorization.k8s.io"}]
POLICY = Policy.of(
    [
        role("pod-reader", [rule(["get", "list"], ["pods"])], "dev"),
        role("view-all", [rule(["get"], ["*"], groups=["*"])], kind="ClusterRole"),
        role("node-reader", [rule(["list"], ["nodes"])], kind="ClusterRole"),
        binding("jane-pods", "Role", "pod-reader", USER, "dev"),
        binding("jane-nodes-in-dev", "ClusterRole", "node-reader", USER, "dev"),
        binding("ops", "ClusterRole", "view-all", [{"kind": "Group", "name": "ops"}]),
        binding(
            "ci", "ClusterRole", "view-all", [{"kind": "ServiceAccount", "name": "ci"}], "build"
        ),
        binding("ghost", "Role", "missing", [{"kind": "User", "name": "bob"}], "dev"),
    ]
)


def test_a_role_binding_grants_in_its_namespace_only():
    assert authorize(POLICY, ask("list", "pods", ns="dev")).allowed
    assert not authorize(POLICY, ask("list", "pods", ns="prod")).allowed


def test_a_role_binding_to_a_cluster_role_never_grants_cluster_scoped_resources():
    assert not authorize(POLICY, ask("list", "nodes", ns="")).allowed


def test_groups_and_service_accounts_in_the_bindings_namespace():
    assert authorize(POLICY, ask("get", "secrets", ns="prod", user="amy", groups=["ops"])).allowed
    sa = "system:serviceaccount:build:ci"
    assert authorize(POLICY, ask("get", "pods", ns="build", user=sa)).allowed
    assert not authorize(POLICY, ask("get", "pods", ns="dev", user=sa)).allowed
    other = "system:serviceaccount:dev:ci"
    assert not authorize(POLICY, ask("get", "pods", ns="build", user=other)).allowed


def test_the_refusal_is_the_api_servers_message():
    request = ask("list", "pods", ns="default")
    assert forbidden_message(request) == (
        'pods is forbidden: User "jane" cannot list resource "pods" in API group "" in the'
        ' namespace "default"'
    )
    request = ask("get", "deployments", "scale", "web", group="apps")
    assert forbidden_message(request) == (
        'deployments.apps "web" is forbidden: User "jane" cannot get resource'
        ' "deployments/scale" in API group "apps" in the namespace "default"'
    )
    assert forbidden_message(ask("list", "nodes", ns="")).endswith(
        'cannot list resource "nodes" in API group "" at the cluster scope'
    )
    assert forbidden_message(ask("get", path="/healthz")) == (
        'forbidden: User "jane" cannot get path "/healthz"'
    )


def test_a_missing_role_is_named_in_the_refusal():
    request = ask("get", "pods", ns="dev", user="bob")
    decision = authorize(POLICY, request)
    assert decision == RbacDecision(
        False, 'RBAC: role.rbac.authorization.k8s.io "missing" not found'
    )
    assert forbidden_message(request, decision.reason).endswith(
        ': RBAC: role.rbac.authorization.k8s.io "missing" not found'
    )


VERBS = st.sampled_from(["get", "list", "create", "delete", "*"])
RESOURCES = st.sampled_from(["pods", "pods/log", "secrets", "deployments", "*", "*/status"])
RULES = st.builds(
    lambda verbs, resources, groups: rule(verbs, resources, groups=groups),
    st.lists(VERBS, min_size=1, max_size=2),
    st.lists(RESOURCES, min_size=1, max_size=2),
    st.sampled_from([[""], ["apps"], ["*"]]),
)
REQUESTS = st.builds(
    lambda verb, res, ns, group: ask(
        verb, res.split("/")[0], res.split("/")[1] if "/" in res else "", ns=ns, group=group
    ),
    st.sampled_from(["get", "list", "create", "delete"]),
    st.sampled_from(["pods", "pods/log", "secrets", "deployments", "deployments/status"]),
    st.sampled_from(["dev", "prod", ""]),
    st.sampled_from(["", "apps"]),
)


@st.composite
def policies(draw):
    objects = []
    for index in range(draw(st.integers(0, 3))):
        rules = draw(st.lists(RULES, max_size=2))
        if draw(st.booleans()):
            objects.append(role(f"r{index}", rules, kind="ClusterRole"))
            ns = draw(st.sampled_from([None, "dev"]))
            objects.append(binding(f"b{index}", "ClusterRole", f"r{index}", USER, ns))
        else:
            objects.append(role(f"r{index}", rules, "dev"))
            objects.append(binding(f"b{index}", "Role", f"r{index}", USER, "dev"))
    return objects


@settings(max_examples=200, deadline=None)
@given(policies(), REQUESTS)
def test_nothing_is_allowed_without_a_rule_in_a_role_that_applies(objects, request_):
    decision = authorize(Policy.of(objects), request_)
    granting = []
    for obj in objects:
        if obj["kind"] not in ("RoleBinding", "ClusterRoleBinding"):
            continue
        scope = obj["metadata"].get("namespace")
        if scope and scope != request_.namespace:
            continue
        ref = obj["roleRef"]["name"]
        role_obj = next(o for o in objects if o["metadata"]["name"] == ref and "rules" in o)
        granting += role_obj["rules"]
    assert decision.allowed == any(rule_allows(request_, r) for r in granting)


@settings(max_examples=200, deadline=None)
@given(policies(), policies(), REQUESTS)
def test_adding_bindings_never_takes_a_permission_away(first, more, request_):
    renamed = []
    for obj in more:
        copy = {**obj, "metadata": {**obj["metadata"], "name": "x-" + obj["metadata"]["name"]}}
        if "roleRef" in copy:
            copy["roleRef"] = {**copy["roleRef"], "name": "x-" + copy["roleRef"]["name"]}
        renamed.append(copy)
    if authorize(Policy.of(first), request_).allowed:
        assert authorize(Policy.of(first + renamed), request_).allowed
