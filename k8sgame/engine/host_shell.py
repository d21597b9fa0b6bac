"""Shells on the machines that are not pods: a node (the game prompt's ``ssh NODE``) and
the player's own machine outside the cluster (``curl`` at the game prompt).

Each runs a command line in bash on the catalog's host image (``k8sgame/node-host``, a kind
node's Debian with curl; ``k8sgame/workstation``) with the host's own files and the
network as that host reaches it (``network.fabric.HostLink``):

* a node resolves names through its own resolver (the Docker network's, which knows no
  cluster names: ``curl web.default.svc.cluster.local`` fails there as on a real node), but
  reaches cluster IPs, pod addresses and node ports;
* the player's machine asks its local stub resolver (offline too) and reads
  ``/etc/hosts``, to which a level may add names (an Ingress host pointing at a
  load-balancer address, as a reader of the docs would add it). It reaches only the nodes'
  link: node addresses and announced load-balancer addresses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from k8sgame.engine.images.catalog import Catalog
from k8sgame.engine.images.process import ExecResult, plan_process
from k8sgame.engine.network.fabric import WORKSTATION_RESOLVER, PodLink
from k8sgame.engine.network.pod_files import HOSTS, NODE_NAMESERVERS, NODE_OPTIONS, RESOLV_CONF

NODE_IMAGE = "k8sgame/node-host:latest"
WORKSTATION_IMAGE = "k8sgame/workstation:latest"
WORKSTATION_NAME = "workstation"
_LOCALHOST = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"


def node_files(name: str, ip: str) -> dict[str, str]:
    """A kind node's ``/etc/resolv.conf`` and ``/etc/hosts`` (Docker writes both)."""
    resolv = "".join(f"nameserver {server}\n" for server in NODE_NAMESERVERS)
    resolv += "options " + " ".join(NODE_OPTIONS) + "\n"
    hosts = _LOCALHOST + (f"{ip}\t{name}\n" if ip else "")
    return {RESOLV_CONF: resolv, HOSTS: hosts}


def workstation_files(extra_hosts: Mapping[str, str]) -> dict[str, str]:
    """The player's machine's files: systemd-resolved's stub and ``/etc/hosts`` with the
    level's names (``name -> address``)."""
    resolv = f"nameserver {WORKSTATION_RESOLVER}\noptions edns0 trust-ad\nsearch .\n"
    hosts = _LOCALHOST + "".join(f"{ip}\t{name}\n" for name, ip in sorted(extra_hosts.items()))
    return {RESOLV_CONF: resolv, HOSTS: hosts}


def run_on_host(
    catalog: Catalog,
    image_name: str,
    link: PodLink,
    files: dict[str, str],
    hostname: str,
    line: str,
    at: float,
) -> ExecResult:
    """Run ``line`` with ``bash -c`` on a host at ``at``; the result says how long it took."""
    image = catalog.image_for(image_name)
    env: dict[str, Any] = {}
    process = plan_process(
        image,
        None,
        None,
        env,
        {},
        started_at=at,
        pod_ip=link.source.ip,
        hostname=hostname,
        etc_files=files,
    )
    # The prompt is a terminal: what the command writes to it is shown as a terminal would.
    result = process.exec(["/bin/bash", "-c", line], 0.0, net=link, terminal=True)
    return replace(result, output=as_terminal_shows(result.output))


def as_terminal_shows(text: str) -> str:
    """Carriage returns done as a terminal does them: the rest of the line is written over
    from its first column (curl's progress meter redrawing itself)."""
    lines = []
    for line in text.split("\n"):
        shown = ""
        for part in line.split("\r"):
            shown = part + shown[len(part) :]
        lines.append(shown)
    return "\n".join(lines)
