"""The sandbox's kubeconfig: clusters, users, contexts and the current context, as
client-go's ``clientcmd/api`` Config holds them.

Each user stands for a client certificate: the API server authenticates it as the
certificate's CN (the user name) and O (its groups), so a user here maps to the ``UserInfo``
the engine's API server sees. The default is what a kubeadm (or kind) cluster's
``admin.conf`` gives: one cluster, one user ``admin`` (``kubernetes-admin`` in group
``kubeadm:cluster-admins``) and one context, ``k8sgame``. A level adds users and contexts
with ``add_user`` and ``add_context``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from k8sgame.engine.apiserver.identity import ADMIN, UserInfo

CONTEXT = "k8sgame"
CLUSTER = "k8sgame"
USER = "admin"
SERVER = "https://127.0.0.1:6443"


@dataclass
class Context:
    """A context: which cluster, as which user, in which namespace ("" for none)."""

    cluster: str
    user: str
    namespace: str = ""


class KubeConfig:
    """Named clusters (their servers), users (their identities) and contexts."""

    def __init__(self) -> None:
        self.clusters: dict[str, str] = {}
        self.users: dict[str, UserInfo] = {}
        self.contexts: dict[str, Context] = {}
        self.current_context = ""

    @classmethod
    def default(cls, namespace: str = "") -> KubeConfig:
        """admin.conf: the ``k8sgame`` context, its namespace ``namespace`` ("" for none)."""
        config = cls()
        config.clusters[CLUSTER] = SERVER
        config.users[USER] = ADMIN
        config.contexts[CONTEXT] = Context(CLUSTER, USER, namespace)
        config.current_context = CONTEXT
        return config

    def add_user(self, name: str, identity: UserInfo) -> None:
        """A user whose client certificate authenticates as ``identity``."""
        self.users[name] = identity

    def add_cluster(self, name: str, server: str = SERVER) -> None:
        self.clusters[name] = server

    def add_context(
        self, name: str, user: str, namespace: str = "", cluster: str = CLUSTER
    ) -> None:
        """A context for an existing user and cluster."""
        if user not in self.users:
            raise ValueError(f"no user {user!r} in the kubeconfig")
        if cluster not in self.clusters:
            raise ValueError(f"no cluster {cluster!r} in the kubeconfig")
        self.contexts[name] = Context(cluster, user, namespace)

    def use_context(self, name: str) -> None:
        if name not in self.contexts:
            raise ValueError(f"no context {name!r} in the kubeconfig")
        self.current_context = name

    def context(self, name: str = "") -> Context | None:
        """The context ``name`` (the current one when empty), or None."""
        return self.contexts.get(name or self.current_context)

    def copy(self) -> KubeConfig:
        return copy.deepcopy(self)
