"""/etc/resolv.conf and /etc/hosts as the kubelet writes them (engine/network/pod_files.py)."""

from k8sgame.engine.network.pod_files import hosts_file, resolv_conf


def pod(name="web", namespace="default", **spec):
    return {"metadata": {"name": name, "namespace": namespace}, "spec": spec}


def test_cluster_first_is_the_default():
    assert resolv_conf(pod(namespace="shop")) == (
        "search shop.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n"
    )
    assert resolv_conf(pod(dnsPolicy="ClusterFirstWithHostNet", hostNetwork=True)).startswith(
        "search default.svc.cluster.local"
    )


def test_default_and_host_network_use_the_nodes_resolver():
    node = "nameserver 192.168.49.1\noptions ndots:0\n"
    assert resolv_conf(pod(dnsPolicy="Default")) == node
    assert resolv_conf(pod(dnsPolicy="ClusterFirst", hostNetwork=True)) == node


def test_dns_config_is_appended_and_overrides_options():
    config = {
        "nameservers": ["10.96.0.10", "1.1.1.1"],
        "searches": ["svc.cluster.local", "corp.example"],
        "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}],
    }
    assert resolv_conf(pod(dnsConfig=config)) == (
        "search default.svc.cluster.local svc.cluster.local cluster.local corp.example\n"
        "nameserver 10.96.0.10\nnameserver 1.1.1.1\n"
        "options edns0 ndots:2\n"
    )
    assert resolv_conf(pod(dnsPolicy="None", dnsConfig={"nameservers": ["1.1.1.1"]})) == (
        "nameserver 1.1.1.1\n"
    )


def test_hosts_file_names_the_pod_and_its_aliases():
    header = (
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
        "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
    )
    assert hosts_file(pod(), "10.244.1.5") == header + "10.244.1.5\tweb\n"
    stateful = pod("db-0", hostname="db-0", subdomain="db")
    assert hosts_file(stateful, "10.244.1.6") == (
        header + "10.244.1.6\tdb-0.db.default.svc.cluster.local\tdb-0\n"
    )
    aliased = pod(hostAliases=[{"ip": "10.1.2.3", "hostnames": ["foo.local", "bar.local"]}])
    assert hosts_file(aliased, "10.244.1.7").endswith(
        "10.244.1.7\tweb\n\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n"
    )
