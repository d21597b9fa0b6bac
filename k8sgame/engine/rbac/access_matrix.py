"""What a user may do, as ``kubectl auth can-i`` would find it request by request: one
request (``can``), and the whole matrix of requests over the kinds the cluster serves
(``allowed_requests``), for goals that judge a binding by what it grants and for the quiz.

A request is written as kubectl takes it: ``VERB RESOURCE [NAME]`` with ``-n NAMESPACE``
or ``-A``, the resource as ``pods``, ``deployments.apps`` or ``pods/log``. Every request is
decided by the API server's own authorizer chain.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from k8sgame.engine.apiserver.authorizer import Attributes, Decision, UserRules, Verdict
from k8sgame.engine.apiserver.identity import MASTERS_GROUP, Impersonation, UserInfo
from k8sgame.engine.rbac.rules import rule_allows

# The subresources in the matrix, with the verbs kubectl uses on them (logs, exec, scale,
# port-forward, eviction by drain, status writes by controllers).
SUBRESOURCE_VERBS: dict[str, dict[str, tuple[str, ...]]] = {
    "pods": {
        "log": ("get",),
        "exec": ("create", "get"),
        "portforward": ("create", "get"),
        "attach": ("create", "get"),
        "eviction": ("create",),
        "status": ("get", "patch", "update"),
    },
    "deployments": {"scale": ("get", "patch", "update"), "status": ("get", "patch", "update")},
    "replicasets": {"scale": ("get", "patch", "update"), "status": ("get", "patch", "update")},
    "statefulsets": {"scale": ("get", "patch", "update"), "status": ("get", "patch", "update")},
    "services": {"status": ("get", "patch", "update")},
    "nodes": {"status": ("get", "patch", "update")},
}


class Authorizing(Protocol):
    @property
    def registry(self) -> Any: ...

    def authorize(self, attrs: Attributes) -> Verdict: ...


@dataclass(frozen=True, order=True)
class AccessRequest:
    """One request: ``namespace`` "" is the cluster scope (``-A`` for a namespaced kind)."""

    verb: str
    resource: str  # pods, deployments.apps, pods/log
    namespace: str = ""
    name: str = ""

    def text(self, home: str) -> str:
        """As ``kubectl auth can-i`` takes it, ``-n`` left out for ``home``."""
        words = [self.verb, self.resource]
        if self.name:
            words.append(self.name)
        if self.namespace and self.namespace != home:
            words.append(f"-n {self.namespace}")
        elif not self.namespace and self.scoped:
            words.append("-A")
        return " ".join(words)

    # Set by ``parse`` and ``allowed_requests``: whether the kind is namespaced.
    scoped: bool = True


class RequestError(ValueError):
    """A request that names no kind the cluster serves, or is not ``VERB RESOURCE``."""


def parse(server: Authorizing, text: str, home: str) -> AccessRequest:
    """``VERB RESOURCE [NAME] [-n NS | -A]`` as a request (``home``: the default namespace)."""
    words = text.split()
    namespace = home
    rest: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word == "-A":
            namespace = ""
        elif word == "-n" and index + 1 < len(words):
            index += 1
            namespace = words[index]
        else:
            rest.append(word)
        index += 1
    if len(rest) not in (2, 3):
        raise RequestError(f"{text!r}: expected VERB RESOURCE [NAME]")
    verb, word = rest[0], rest[1]
    base, _, sub = word.partition("/")
    info = server.registry.resolve(base)
    if info is None:
        raise RequestError(f'{text!r}: the server doesn\'t have a resource type "{base}"')
    resource = f"{info.plural}.{info.group}" if info.group else info.plural
    if sub:
        resource += f"/{sub}"
    return AccessRequest(
        verb,
        resource,
        namespace if info.namespaced else "",
        rest[2] if len(rest) == 3 else "",
        info.namespaced,
    )


def attributes(user: UserInfo, request: AccessRequest) -> Attributes:
    """The authorizer's attributes of ``request`` made by ``user``."""
    base, _, sub = request.resource.partition("/")
    plural, _, group = base.partition(".")
    return Attributes(user, request.verb, request.namespace, group, plural, sub, request.name)


def can(server: Authorizing, user: UserInfo, request: AccessRequest) -> bool:
    """Whether the authorizer chain allows ``request`` for ``user``."""
    verdict = server.authorize(attributes(user, request))
    return verdict.decision is Decision.ALLOW


def universe(server: Authorizing, namespaces: tuple[str, ...]) -> list[AccessRequest]:
    """Every request of the matrix: each verb of each stored kind and its subresources, in
    each of ``namespaces`` and at the cluster scope (``-A`` for namespaced kinds)."""
    out: list[AccessRequest] = []
    for info in server.registry.stored():
        resource = f"{info.plural}.{info.group}" if info.group else info.plural
        subresources = (
            SUBRESOURCE_VERBS.get(info.plural, {}) if not info.group or info.group == "apps" else {}
        )
        scopes = (*namespaces, "") if info.namespaced else ("",)
        for scope in scopes:
            for verb in info.verbs:
                out.append(AccessRequest(verb, resource, scope, "", info.namespaced))
            for sub, verbs in subresources.items():
                for verb in verbs:
                    out.append(AccessRequest(verb, f"{resource}/{sub}", scope, "", info.namespaced))
    return out


def allowed_requests(
    server: Authorizing, user: UserInfo, namespaces: tuple[str, ...]
) -> list[AccessRequest]:
    """The requests of the matrix over ``namespaces`` that ``user`` may make, sorted.

    When the chain can list the user's rules completely (RBAC can; the privileged group and
    the Node authorizer cannot), each request is matched against those rules directly:
    the same decision as asking the chain, without walking the bindings per request."""
    requests = universe(server, namespaces)
    rules_by_scope = _complete_rules(server, user, (*namespaces, ""))
    if rules_by_scope is None:
        return sorted(r for r in requests if can(server, user, r))
    indexed = {scope: _by_resource(rules) for scope, rules in rules_by_scope.items()}
    found = []
    for request in requests:
        attrs = attributes(user, request)
        exact, wildcard = indexed[request.namespace]
        candidates = exact.get((attrs.api_group, attrs.combined_resource), ())
        if any(rule_allows(attrs, rule) for rule in (*candidates, *wildcard)):
            found.append(request)
    return sorted(found)


def _by_resource(
    rules: list[Any],
) -> tuple[dict[tuple[str, str], list[Any]], list[Any]]:
    """Rules by the (group, resource) pairs they name, and the rules with a wildcard (``*``
    groups or resources, ``*/sub``) that must be tried for every request: a request is
    matched only against rules that could match it."""
    exact: dict[tuple[str, str], list[Any]] = {}
    wildcard: list[Any] = []
    for rule in rules:
        groups = [str(g) for g in rule.get("apiGroups") or []]
        resources = [str(r) for r in rule.get("resources") or []]
        if "*" in groups or any(r == "*" or r.startswith("*/") for r in resources):
            wildcard.append(rule)
            continue
        for group in groups:
            for resource in resources:
                exact.setdefault((group, resource), []).append(rule)
    return exact, wildcard


def _complete_rules(
    server: Authorizing, user: UserInfo, scopes: tuple[str, ...]
) -> dict[str, list[Any]] | None:
    """The user's rules in each scope, or None when they cannot be listed completely."""
    resolve = getattr(server, "rules_for", None)
    if resolve is None or MASTERS_GROUP in user.groups:
        return None
    found: dict[str, list[Any]] = {}
    for scope in scopes:
        rules = resolve(user, scope)
        if rules.incomplete:
            return None
        found[scope] = [*rules.resource_rules, *rules.non_resource_rules]
    return found


class ApiAccess:
    """The authorizer as a client of the API server reaches it, for the boxes outside the
    engine: a SubjectAccessReview per question, and a SelfSubjectRulesReview made as the
    user (impersonated) for its rules. ``client`` must be allowed to create those reviews
    and to impersonate (the cluster's admin is)."""

    def __init__(self, client: Any) -> None:
        self.client = client

    @property
    def registry(self) -> Any:
        return self.client.registry

    def authorize(self, attrs: Attributes) -> Verdict:
        spec: dict[str, Any] = {"user": attrs.user.name, "groups": list(attrs.user.groups)}
        if attrs.resource_request:
            spec["resourceAttributes"] = {
                key: value
                for key, value in (
                    ("namespace", attrs.namespace),
                    ("verb", attrs.verb),
                    ("group", attrs.api_group),
                    ("resource", attrs.resource),
                    ("subresource", attrs.subresource),
                    ("name", attrs.name),
                )
                if value
            }
        else:
            spec["nonResourceAttributes"] = {"path": attrs.path, "verb": attrs.verb}
        review = self.client.create(
            {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview", "spec": spec}
        )
        status = review.get("status") or {}
        if status.get("allowed"):
            decision = Decision.ALLOW
        elif status.get("denied"):
            decision = Decision.DENY
        else:
            decision = Decision.NO_OPINION
        return Verdict(decision, str(status.get("reason") or ""))

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        as_user = self.client.impersonating(Impersonation(user.name, user.groups))
        review = as_user.create(
            {
                "apiVersion": "authorization.k8s.io/v1",
                "kind": "SelfSubjectRulesReview",
                "spec": {"namespace": namespace},
            }
        )
        status = review.get("status") or {}
        error = str(status.get("evaluationError") or "")
        return UserRules(
            tuple(status.get("resourceRules") or ()),
            tuple(status.get("nonResourceRules") or ()),
            bool(status.get("incomplete")),
            (error,) if error else (),
        )
