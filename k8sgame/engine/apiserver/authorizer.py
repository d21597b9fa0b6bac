"""Authorization: may this user do this verb on this resource?

An ``Authorizer`` sees the request's attributes (``apiserver/pkg/authorization/authorizer``
``Attributes``) and says allow, deny or no opinion, with a reason. The API server asks a
``Union`` of them in turn (``authorizerfactory`` union): the first that allows or denies
decides, and a request nobody allows is refused with the reasons given on the way. A
cluster's chain is the privileged-group authorizer (``system:masters`` may do anything), the
Node authorizer and RBAC (``pkg/kubeapiserver/authorizer/config.go``). The denial text is
the API server's (``responsewriters/errors.go`` ``ForbiddenStatusError``), as K8S-FACTS §5.4
gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Protocol

from k8sgame.engine.apiserver.identity import UserInfo


class Decision(Enum):
    ALLOW = "allow"
    DENY = "deny"
    NO_OPINION = "no-opinion"


@dataclass(frozen=True, slots=True)
class Attributes:
    """A resource request as an authorizer sees it."""

    user: UserInfo
    verb: str
    namespace: str
    api_group: str
    resource: str
    subresource: str = ""
    name: str = ""
    path: str = ""  # a non-resource request's URL path (``/healthz``)

    @property
    def resource_request(self) -> bool:
        return not self.path

    @property
    def combined_resource(self) -> str:
        """``pods`` or ``pods/log``."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource


@dataclass(frozen=True, slots=True)
class Verdict:
    """An authorizer's answer: the decision and why (empty when there is nothing to say)."""

    decision: Decision
    reason: str = ""


ALLOWED = Verdict(Decision.ALLOW)
NO_OPINION = Verdict(Decision.NO_OPINION)


@dataclass(frozen=True)
class UserRules:
    """What a rule resolver says a user may do in a namespace (``RulesFor``): resource
    rules, non-resource rules, whether the list may be short (``incomplete``) and the
    errors met (a binding to a missing role)."""

    resource_rules: tuple[dict[str, Any], ...] = ()
    non_resource_rules: tuple[dict[str, Any], ...] = ()
    incomplete: bool = False
    errors: tuple[str, ...] = ()

    def __add__(self, other: UserRules) -> UserRules:
        return UserRules(
            self.resource_rules + other.resource_rules,
            self.non_resource_rules + other.non_resource_rules,
            self.incomplete or other.incomplete,
            self.errors + other.errors,
        )


class Authorizer(Protocol):
    # True only for an authorizer that allows every request whatever its attributes: the
    # API server then skips building them (the simulation's hottest path is reads).
    allows_everything: bool

    def authorize(self, attrs: Attributes) -> Verdict:
        """Allow, deny, or leave the request to the next authorizer."""
        ...


class RuleResolver(Protocol):
    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        """Everything ``user`` may do in ``namespace``, as far as this authorizer knows."""
        ...


class AlwaysAllow:
    """``--authorization-mode=AlwaysAllow``: every request is allowed."""

    allows_everything = True

    def authorize(self, attrs: Attributes) -> Verdict:
        return ALLOWED

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        return UserRules(
            ({"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]},),
            ({"verbs": ["*"], "nonResourceURLs": ["*"]},),
        )


class PrivilegedGroups:
    """Members of these groups may do anything (``authorizerfactory.NewPrivilegedGroups``
    with ``system:masters``, first in every API server's chain)."""

    allows_everything = False

    def __init__(self, *groups: str) -> None:
        self.groups = frozenset(groups)

    def authorize(self, attrs: Attributes) -> Verdict:
        if self.groups.intersection(attrs.user.groups):
            return ALLOWED
        return NO_OPINION


class Union:
    """Authorizers asked in order (``union.New``): the first to allow or deny decides; when
    none does, no opinion, with every reason given joined by newlines."""

    allows_everything = False

    def __init__(self, *authorizers: Authorizer) -> None:
        self.authorizers = authorizers

    def authorize(self, attrs: Attributes) -> Verdict:
        reasons: list[str] = []
        for authorizer in self.authorizers:
            verdict = authorizer.authorize(attrs)
            if verdict.decision is not Decision.NO_OPINION:
                return verdict
            if verdict.reason:
                reasons.append(verdict.reason)
        return Verdict(Decision.NO_OPINION, "\n".join(reasons))

    def rules_for(self, user: UserInfo, namespace: str) -> UserRules:
        """The rules of every member that resolves rules (the privileged-group authorizer
        does not: a ``system:masters`` user sees only what RBAC grants it)."""
        combined = UserRules()
        for authorizer in self.authorizers:
            resolve = getattr(authorizer, "rules_for", None)
            if resolve is not None:
                combined = combined + resolve(user, namespace)
        return combined


def forbidden_message(attrs: Attributes, reason: str = "") -> str:
    """The message of a 403 (``ForbiddenStatusError`` with ``apierrors.NewForbidden``);
    ``reason`` is what the authorizer said (``RBAC: role... not found``)."""
    user = attrs.user.name
    if not attrs.resource_request:
        detail = f'User "{user}" cannot {attrs.verb} path "{attrs.path}"'
    else:
        where = (
            f'in the namespace "{attrs.namespace}"' if attrs.namespace else "at the cluster scope"
        )
        detail = (
            f'User "{user}" cannot {attrs.verb} resource "{attrs.combined_resource}" '
            f'in API group "{attrs.api_group}" {where}'
        )
    if reason:
        detail = f"{detail}: {reason}"
    if not attrs.resource_request or not attrs.resource:
        return f"forbidden: {detail}"
    qualified = f"{attrs.resource}.{attrs.api_group}" if attrs.api_group else attrs.resource
    subject = f'{qualified} "{attrs.name}"' if attrs.name else qualified
    return f"{subject} is forbidden: {detail}"
