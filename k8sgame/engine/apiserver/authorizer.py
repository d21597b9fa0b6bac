"""Authorization: may this user do this verb on this resource?

An ``Authorizer`` sees the request's attributes (``apiserver/pkg/authorization/authorizer``
``Attributes``) and says allow, deny or no opinion. The cluster starts with one that allows
everything; RBAC plugs in behind the same interface. The denial text is the API server's
(``responsewriters/errors.go`` ``ForbiddenStatusError``), as K8S-FACTS §5.4 gives it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Protocol

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


class Authorizer(Protocol):
    # True only for an authorizer that allows every request whatever its attributes: the
    # API server then skips building them (the simulation's hottest path is reads).
    allows_everything: bool

    def authorize(self, attrs: Attributes) -> Decision:
        """Allow, deny, or leave the request to the next authorizer."""
        ...


class AlwaysAllow:
    """``--authorization-mode=AlwaysAllow``: every request is allowed."""

    allows_everything = True

    def authorize(self, attrs: Attributes) -> Decision:
        return Decision.ALLOW


def forbidden_message(attrs: Attributes) -> str:
    """The message of a 403 for a resource request."""
    resource = attrs.resource
    qualified = f"{resource}.{attrs.api_group}" if attrs.api_group else resource
    subject = f'{qualified} "{attrs.name}"' if attrs.name else qualified
    wanted = f"{resource}/{attrs.subresource}" if attrs.subresource else resource
    where = f'in the namespace "{attrs.namespace}"' if attrs.namespace else "at the cluster scope"
    return (
        f'{subject} is forbidden: User "{attrs.user.name}" cannot {attrs.verb} resource '
        f'"{wanted}" in API group "{attrs.api_group}" {where}'
    )
