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
    path: str = ""  # a non-resource request's URL path (``/healthz``)

    @property
    def resource_request(self) -> bool:
        return not self.path

    @property
    def combined_resource(self) -> str:
        """``pods`` or ``pods/log``."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource


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
