"""What a level chooses about the cluster's network: its CNI plugin, a load balancer and
the names the player's machine knows.

The plugin decides whether NetworkPolicy is enforced: Calico enforces it, Flannel gives pods
a network and nothing else (the study notes' point; ``kubectl`` accepts the policies either
way, and they do nothing). The default is Calico, so policies act as readers of the docs
expect. ``pools`` installs MetalLB with those address pools (``metallb.Pool``); without
any, LoadBalancer Services stay ``<pending>``. ``outside_hosts`` are lines of the player's
``/etc/hosts`` (name to address).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from k8sgame.engine.network.metallb import Pool

# CNI plugin name -> whether it enforces NetworkPolicy.
PLUGINS = {"calico": True, "flannel": False}
DEFAULT_PLUGIN = "calico"


@dataclass(frozen=True)
class NetworkSetup:
    plugin: str = DEFAULT_PLUGIN
    pools: tuple[Pool, ...] = ()
    outside_hosts: Mapping[str, str] = field(default_factory=dict)

    @property
    def enforces_policy(self) -> bool:
        return PLUGINS.get(self.plugin, True)
