"""Who makes a request: user names and groups as the real components authenticate.

Sources: ``apiserver/pkg/authentication/user/user.go`` (built-in groups),
``apiserver/pkg/authentication/serviceaccount/util.go`` (service account user names),
``cmd/kubeadm/app/phases/kubeconfig/kubeconfig.go`` (the ``kubernetes-admin`` user of
``admin.conf``, in group ``kubeadm:cluster-admins`` since v1.29), and the identities in the
control-plane kubeconfigs (``system:kube-scheduler``, ``system:node:<name>``).
"""

from __future__ import annotations

from dataclasses import dataclass

AUTHENTICATED = "system:authenticated"
NODES_GROUP = "system:nodes"
SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts"
MASTERS_GROUP = "system:masters"
KUBEADM_ADMINS_GROUP = "kubeadm:cluster-admins"


@dataclass(frozen=True, slots=True)
class UserInfo:
    """An authenticated user: a name and the groups it belongs to."""

    name: str
    groups: tuple[str, ...] = ()


# The user kubectl talks as: admin.conf of a kubeadm (or kind) cluster.
ADMIN = UserInfo("kubernetes-admin", (KUBEADM_ADMINS_GROUP, AUTHENTICATED))
SCHEDULER = UserInfo("system:kube-scheduler", (AUTHENTICATED,))
# The API server's loopback client (its own controllers: the ``kubernetes`` Service).
API_SERVER = UserInfo("system:apiserver", (MASTERS_GROUP, AUTHENTICATED))


def node_user(node_name: str) -> UserInfo:
    """A kubelet's identity (the Node authorizer and NodeRestriction key on it)."""
    return UserInfo(f"system:node:{node_name}", (NODES_GROUP, AUTHENTICATED))


def service_account_user(namespace: str, name: str) -> UserInfo:
    """A service account's user name and its groups."""
    return UserInfo(
        f"system:serviceaccount:{namespace}:{name}",
        (SERVICE_ACCOUNTS_GROUP, f"{SERVICE_ACCOUNTS_GROUP}:{namespace}", AUTHENTICATED),
    )


def controller_user(controller_account: str) -> UserInfo:
    """A kube-controller-manager loop run with ``--use-service-account-credentials``: each
    acts as its own service account in ``kube-system`` (``generic-garbage-collector``,
    ``namespace-controller``, ``node-controller``, ``root-ca-cert-publisher``...)."""
    return service_account_user("kube-system", controller_account)


ANONYMOUS = "system:anonymous"
UNAUTHENTICATED = "system:unauthenticated"


@dataclass(frozen=True, slots=True)
class Impersonation:
    """Who a request asks to act as (``Impersonate-User`` and ``Impersonate-Group``
    headers: kubectl's ``--as`` and ``--as-group``)."""

    user: str
    groups: tuple[str, ...] = ()


def split_service_account(name: str) -> tuple[str, str] | None:
    """``system:serviceaccount:<ns>:<name>`` as (namespace, name), else None
    (``serviceaccount.SplitUsername``)."""
    prefix = "system:serviceaccount:"
    if not name.startswith(prefix):
        return None
    parts = name[len(prefix) :].split(":")
    if len(parts) != 2 or not all(parts):
        return None
    return parts[0], parts[1]


def impersonated_user(impersonation: Impersonation) -> UserInfo:
    """The user a request acts as once impersonation is allowed (the impersonation
    filter): the groups asked for (a service account's own when none are), plus
    ``system:authenticated`` unless one of the two all-users groups is already there."""
    groups = list(impersonation.groups)
    account = split_service_account(impersonation.user)
    if account is not None and not groups:
        groups = [SERVICE_ACCOUNTS_GROUP, f"{SERVICE_ACCOUNTS_GROUP}:{account[0]}"]
    if impersonation.user == ANONYMOUS:
        if UNAUTHENTICATED not in groups:
            groups.append(UNAUTHENTICATED)
    elif AUTHENTICATED not in groups and UNAUTHENTICATED not in groups:
        groups.append(AUTHENTICATED)
    return UserInfo(impersonation.user, tuple(groups))
