"""The authorizers a cluster's API server asks, wired as kubeadm configures it
(``--authorization-mode=Node,RBAC``, after the ``system:masters`` group authorizer):

* ``RbacAuthorizer`` decides from the stored Roles, ClusterRoles and bindings. Like the
  real one it reads them from a watch (its informers), so a new binding counts from the
  next request. Decisions are remembered until any RBAC object changes: the simulated
  components ask the same questions thousands of times.
* ``NodeAuthorizer`` lets kubelets (``system:node:<name>`` in ``system:nodes``) do what
  the ``system:node`` role's rules allow (``plugin/pkg/auth/authorizer/node``,
  ``NodeRules``). The real one also limits a kubelet's reads of Secrets, ConfigMaps and
  volumes to those its own pods use, through a graph of pods and nodes; that graph is not
  modelled, so here every kubelet may read what any kubelet may.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from k8sgame.engine.apiserver.authorizer import (
    ALLOWED,
    NO_OPINION,
    Attributes,
    Decision,
    PrivilegedGroups,
    Union,
    UserRules,
    Verdict,
)
from k8sgame.engine.apiserver.identity import MASTERS_GROUP, NODES_GROUP, UserInfo
from k8sgame.engine.rbac.authorizer import Policy, authorize, rules_for, visit_rules
from k8sgame.engine.rbac.bootstrap_policy import api_server_policy
from k8sgame.engine.rbac.rules import rule_allows
from k8sgame.engine.store import Store, WatchEvent

RBAC_KINDS = ("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding")
NODE_USER_PREFIX = "system:node:"
# Remembered decisions are dropped wholesale past this many (names make the keys many).
DECISION_CACHE_LIMIT = 50_000


class RbacAuthorizer:
    """RBAC over the objects in ``store``: allows when a rule does, else no opinion with
    the ``RBAC: ... not found`` reason when a binding names a missing role."""

    allows_everything = False

    def __init__(self, store: Store) -> None:
        self._store = store
        self._policy: Policy | None = None
        self._decisions: dict[Any, Verdict] = {}
        self._named: dict[tuple[UserInfo, str], bool] = {}
        store.watch(self._forget, RBAC_KINDS)

    def _forget(self, event: WatchEvent) -> None:
        self._policy = None
        self._decisions.clear()
        self._named.clear()

    @property
    def policy(self) -> Policy:
        """The Roles, ClusterRoles and bindings as they are now."""
        if self._policy is None:
            self._policy = Policy.of(obj for kind in RBAC_KINDS for obj in self._store.view(kind))
        return self._policy

    def _names_matter(self, user: UserInfo, namespace: str) -> bool:
        """Whether a rule the user holds in ``namespace`` lists ``resourceNames``: only then
        does a request's name change the decision (most requests name a new object each
        time, and would otherwise never meet a remembered decision)."""
        key = (user, namespace)
        found = self._named.get(key)
        if found is None:
            found = self._named[key] = any(
                visited.rule is not None and bool(visited.rule.get("resourceNames"))
                for visited in visit_rules(self.policy, user.name, user.groups, namespace)
            )
        return found

    def authorize(self, attrs: Attributes) -> Verdict:
        verdict = self._decisions.get(attrs)
        if verdict is not None:
            return verdict
        key: Any = attrs
        if attrs.name and not self._names_matter(attrs.user, attrs.namespace):
            key = _nameless(attrs)
            verdict = self._decisions.get(key)
        if verdict is None:
            decision = authorize(self.policy, attrs)
            verdict = Verdict(
                Decision.ALLOW if decision.allowed else Decision.NO_OPINION, decision.reason
            )
            if len(self._decisions) >= DECISION_CACHE_LIMIT:
                self._decisions.clear()
            self._decisions[key] = verdict
        return verdict

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        """``RBACAuthorizer.RulesFor``: each rule held, split into resource rules and
        non-resource rules (a rule with both counts in both)."""
        rules, errors = rules_for(self.policy, user.name, user.groups, namespace)
        resource_rules: list[dict[str, Any]] = []
        non_resource_rules: list[dict[str, Any]] = []
        for rule in rules:
            if rule.get("resources"):
                resource_rules.append(
                    {
                        key: list(rule.get(key) or [])
                        for key in ("verbs", "apiGroups", "resources", "resourceNames")
                        if rule.get(key) or key != "resourceNames"
                    }
                )
            if rule.get("nonResourceURLs"):
                non_resource_rules.append(
                    {key: list(rule.get(key) or []) for key in ("verbs", "nonResourceURLs")}
                )
        return UserRules(tuple(resource_rules), tuple(non_resource_rules), False, tuple(errors))


def _nameless(attrs: Attributes) -> tuple[Any, ...]:
    """A decision's key without the request's name (a tuple: cheaper than a copy)."""
    return (
        attrs.user,
        attrs.verb,
        attrs.namespace,
        attrs.api_group,
        attrs.resource,
        attrs.subresource,
        attrs.path,
    )


def _node_rules() -> tuple[Mapping[str, Any], ...]:
    for obj in api_server_policy():
        if obj["kind"] == "ClusterRole" and obj["metadata"]["name"] == "system:node":
            return tuple(obj.get("rules") or ())
    raise LookupError("the bootstrap policy has no system:node role")


class NodeAuthorizer:
    """Kubelets' requests, by the ``system:node`` rules (compiled in, whatever the stored
    role says); no opinion on anyone else's."""

    allows_everything = False

    def __init__(self, rules: Sequence[Mapping[str, Any]] | None = None) -> None:
        self.rules = tuple(rules) if rules is not None else _node_rules()
        # The rules never change: each decision is remembered (by request without its
        # name unless a rule lists names).
        self._names_matter = any(rule.get("resourceNames") for rule in self.rules)
        self._decisions: dict[Any, Verdict] = {}

    def authorize(self, attrs: Attributes) -> Verdict:
        user = attrs.user
        if NODES_GROUP not in user.groups or not user.name.startswith(NODE_USER_PREFIX):
            return NO_OPINION
        key = attrs if self._names_matter else _nameless(attrs)
        verdict = self._decisions.get(key)
        if verdict is None:
            allowed = any(rule_allows(attrs, rule) for rule in self.rules)
            verdict = ALLOWED if allowed else NO_OPINION
            if len(self._decisions) >= DECISION_CACHE_LIMIT:
                self._decisions.clear()
            self._decisions[key] = verdict
        return verdict

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        """Nodes' permissions are not enumerated (the Node authorizer says so)."""
        if NODES_GROUP in user.groups and user.name.startswith(NODE_USER_PREFIX):
            return UserRules(
                incomplete=True, errors=("node authorizer does not support user rule resolution",)
            )
        return UserRules()


def cluster_authorizer(store: Store) -> Union:
    """The chain a kubeadm API server runs: ``system:masters``, Node, RBAC."""
    return Union(PrivilegedGroups(MASTERS_GROUP), NodeAuthorizer(), RbacAuthorizer(store))
