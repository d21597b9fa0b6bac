"""What kubectl may use of a cluster: its API (a client with the user kubectl talks as),
the metrics API, the simulated clock, the pods' log and exec streams, and the network
(``kubectl port-forward`` adds its forwards to it).

This is the kubectl box's boundary with the engine, as a Protocol: anything with these
parts can stand behind kubectl (the engine's ``Cluster`` does).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from k8sgame.engine.apiserver.client import Client
from k8sgame.engine.apiserver.identity import UserInfo
from k8sgame.engine.metrics import MetricsServer
from k8sgame.engine.network.fabric import Network


class ClusterView(Protocol):
    api: Client
    metrics: MetricsServer
    network: Network

    @property
    def now(self) -> float: ...

    def settle(self) -> None: ...

    def client_for(self, user: UserInfo) -> Client:
        """A client that talks as ``user`` (a kubeconfig user's identity)."""
        ...

    def run_for(self, seconds: float) -> None: ...

    def run_until(self, predicate: Callable[[], bool], timeout: float) -> bool: ...

    def logs(
        self,
        name: str,
        namespace: str = "default",
        container: str | None = None,
        previous: bool = False,
    ) -> list[tuple[float, str, str]]: ...

    def exec(
        self,
        name: str,
        argv: list[str],
        namespace: str = "default",
        container: str | None = None,
        api: Client | None = None,
    ) -> Any: ...
