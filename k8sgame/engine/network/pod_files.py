"""The files the kubelet writes into every container of a pod: ``/etc/resolv.conf`` and
``/etc/hosts`` (``/etc/hostname`` comes with the process plan itself).

``/etc/resolv.conf`` follows ``pkg/kubelet/network/dns/dns.go`` ``GetPodDNS`` and
containerd's ``parseDNSOptions`` (``search``, then ``nameserver`` lines, then ``options``):

* ``ClusterFirst`` (the default; ``ClusterFirstWithHostNet`` too): the cluster's DNS, the
  search list ``<ns>.svc.cluster.local svc.cluster.local cluster.local`` and ``ndots:5``;
  on a ``hostNetwork`` pod ``ClusterFirst`` falls back to ``Default``;
* ``Default``: the node's own resolver settings (kind's nodes: the Docker network's
  resolver and ``ndots:0``);
* ``None``: nothing but the pod's ``dnsConfig``;
* ``dnsConfig`` is appended to the others: its nameservers and searches after theirs
  without duplicates, its options overriding theirs by name. The kubelet merges options
  through a Go map, so their real order varies; the simulator sorts them. Its limits
  (3 nameservers, 32 search domains) are not enforced.

``/etc/hosts`` is ``managedHostsFileContent`` (``pkg/kubelet/kubelet_pods.go``): localhost
lines, the pod's address with its hostname (and FQDN when ``subdomain`` is set), then the
``hostAliases``. A ``hostNetwork`` pod gets the same file (upstream copies the node's).
"""

from __future__ import annotations

from typing import Any

from k8sgame.engine.network.dns import CLUSTER_DNS, CLUSTER_DOMAIN, UPSTREAM_DNS

RESOLV_CONF = "/etc/resolv.conf"
HOSTS = "/etc/hosts"
# The resolver settings of a kind node (Docker's embedded DNS, reached at the gateway).
NODE_NAMESERVERS = (UPSTREAM_DNS,)
NODE_OPTIONS = ("ndots:0",)
CLUSTER_OPTIONS = ("ndots:5",)  # defaultDNSOptions
_HOSTS_HEADER = "# Kubernetes-managed hosts file.\n"
_HOSTS_LOCAL = (
    "127.0.0.1\tlocalhost\n"
    "::1\tlocalhost ip6-localhost ip6-loopback\n"
    "fe00::0\tip6-localnet\n"
    "fe00::0\tip6-mcastprefix\n"
    "fe00::1\tip6-allnodes\n"
    "fe00::2\tip6-allrouters\n"
)


def pod_files(pod: dict[str, Any], pod_ip: str) -> dict[str, str]:
    """``/etc/resolv.conf`` and ``/etc/hosts`` for a container of ``pod`` (at ``pod_ip``)."""
    return {RESOLV_CONF: resolv_conf(pod), HOSTS: hosts_file(pod, pod_ip)}


def _omit_duplicates(items: list[str]) -> list[str]:
    """``omitDuplicates``: the first of each, in order."""
    return list(dict.fromkeys(items))


def _merge_options(existing: list[str], extra: list[dict[str, Any]]) -> list[str]:
    """``mergeDNSOptions``: the pod's options override the policy's by name."""
    options: dict[str, str] = {}
    for option in existing:
        name, _, value = option.partition(":")
        options[name] = value
    for pod_option in extra:
        options[str(pod_option.get("name") or "")] = str(pod_option.get("value") or "")
    return [f"{name}:{value}" if value else name for name, value in sorted(options.items())]


def resolv_conf(pod: dict[str, Any]) -> str:
    """The pod's ``/etc/resolv.conf``."""
    spec = pod.get("spec") or {}
    namespace = pod["metadata"].get("namespace") or "default"
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "ClusterFirst" and spec.get("hostNetwork"):
        policy = "Default"
    servers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        servers = [CLUSTER_DNS]
        searches = [f"{namespace}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]
        options = list(CLUSTER_OPTIONS)
    elif policy == "Default":
        servers, options = list(NODE_NAMESERVERS), list(NODE_OPTIONS)
    config = spec.get("dnsConfig")
    if config:
        servers = _omit_duplicates([*servers, *(str(s) for s in config.get("nameservers") or [])])
        searches = _omit_duplicates([*searches, *(str(s) for s in config.get("searches") or [])])
        options = _merge_options(options, list(config.get("options") or []))
    text = ""
    if searches:
        text += f"search {' '.join(searches)}\n"
    text += "".join(f"nameserver {server}\n" for server in servers)
    if options:
        text += f"options {' '.join(options)}\n"
    return text


def hosts_file(pod: dict[str, Any], pod_ip: str) -> str:
    """The pod's ``/etc/hosts``."""
    spec = pod.get("spec") or {}
    md = pod["metadata"]
    hostname = str(spec.get("hostname") or md["name"])[:63]
    text = _HOSTS_HEADER + _HOSTS_LOCAL
    if pod_ip:
        subdomain = spec.get("subdomain")
        if subdomain:
            domain = f"{subdomain}.{md.get('namespace') or 'default'}.svc.{CLUSTER_DOMAIN}"
            text += f"{pod_ip}\t{hostname}.{domain}\t{hostname}\n"
        else:
            text += f"{pod_ip}\t{hostname}\n"
    aliases = spec.get("hostAliases") or []
    if aliases:
        text += "\n# Entries added by HostAliases.\n"
        for alias in aliases:
            names = "\t".join(str(h) for h in alias.get("hostnames") or [])
            text += f"{alias.get('ip', '')}\t{names}\n"
    return text
