"""Traffic through ingress-nginx: host and path rules, nginx's error pages, the Ingress's
published address, and NetworkPolicy on the controller's onward connection."""

import pytest
from cluster_helpers import new_cluster
from network_helpers import deployment, service

from k8sgame.engine.network.metallb import Pool
from k8sgame.engine.network.setup import NetworkSetup
from k8sgame.host_prompt import run_host_line
from k8sgame.kubectl.session import KubectlSession
from k8sgame.levels.start import ingress_controller_manifests

LB = "192.168.49.200"


def ingress(name, rules, **spec):
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"ingressClassName": "nginx", "rules": rules, **spec},
    }


def http_rule(host, *paths):
    return {
        "host": host,
        "http": {
            "paths": [
                {
                    "path": path,
                    "pathType": kind,
                    "backend": {"service": {"name": svc, "port": {"number": 80}}},
                }
                for path, kind, svc in paths
            ]
        },
    }


@pytest.fixture(scope="module")
def cluster():
    cluster = new_cluster(seed=6, network=NetworkSetup(pools=(Pool("p", (f"{LB}/32",)),)))
    for manifest in ingress_controller_manifests(load_balancer=True):
        cluster.create(manifest)
    for manifest in (
        deployment("web", 2),
        service("web"),
        deployment("api", 1),
        service("api"),
        service("empty", selector={"app": "nothing"}),
        ingress(
            "shop",
            [
                http_rule(
                    "shop.example",
                    ("/", "Prefix", "web"),
                    ("/api", "Prefix", "api"),
                    ("/empty", "Exact", "empty"),
                    ("/gone", "Prefix", "gone"),
                )
            ],
        ),
    ):
        cluster.create(manifest)
    cluster.run_for(60)
    return cluster


def curl(cluster, args):
    result = run_host_line(cluster, f"curl {args}", "en")
    return result.exit_code, result.stdout


def test_the_ingress_gets_the_controller_services_address_and_a_sync_event(cluster):
    status = cluster.get("Ingress", "shop")["status"]["loadBalancer"]
    assert status == {"ingress": [{"ip": LB}]}
    table = KubectlSession(cluster).run("get ingress shop").stdout.splitlines()
    assert table[1].split()[:5] == ["shop", "nginx", "shop.example", LB, "80"]
    events = [
        (e["reason"], e["message"], e["source"]["component"])
        for e in cluster.api.list("Event", "default")
        if e["involvedObject"]["kind"] == "Ingress"
    ]
    assert events == [("Sync", "Scheduled for sync", "nginx-ingress-controller")]


def test_host_and_path_rules_pick_the_backend(cluster):
    code, out = curl(
        cluster, f"-s -o /dev/null -w '%{{http_code}}' -H 'Host: shop.example' http://{LB}/"
    )
    assert (code, out) == (0, "200")
    # The path is passed on unchanged: the api pods have /healthz, not /api/healthz.
    code, out = curl(
        cluster,
        f"-s -o /dev/null -w '%{{http_code}}' -H 'Host: shop.example' http://{LB}/api/healthz",
    )
    assert (code, out) == (0, "404")


def test_nginx_answers_itself_when_no_backend_can(cluster):
    code, out = curl(cluster, f"-si http://{LB}/")
    assert code == 0
    # (What the terminal shows: nginx's CRLF line ends as plain lines.)
    assert out.startswith("HTTP/1.1 404 Not Found\n")
    assert out.endswith(
        "<html>\n<head><title>404 Not Found</title></head>\n<body>\n"
        "<center><h1>404 Not Found</h1></center>\n<hr><center>nginx</center>\n"
        "</body>\n</html>\n"
    )
    for path in ("/empty", "/gone"):
        code, out = curl(cluster, f"-si -H 'Host: shop.example' http://{LB}{path}")
        assert out.startswith("HTTP/1.1 503 Service Temporarily Unavailable\n"), path
    result = cluster.run_outside(f"curl -sS -f -H 'Host: shop.example' http://{LB}/empty")
    assert result.output == "curl: (22) The requested URL returned error: 503\n"


def test_a_name_in_the_players_hosts_file_reaches_the_ingress():
    setup = NetworkSetup(pools=(Pool("p", (f"{LB}/32",)),), outside_hosts={"shop.example": LB})
    fresh = new_cluster(seed=2, network=setup)
    for manifest in (
        *ingress_controller_manifests(load_balancer=True),
        deployment("web", 1),
        service("web"),
        ingress("shop", [http_rule("shop.example", ("/", "Prefix", "web"))]),
    ):
        fresh.create(manifest)
    fresh.run_for(60)
    result = fresh.run_outside("curl -s -o /dev/null -w '%{http_code}' http://shop.example/")
    assert (result.exit_code, result.output) == (0, "200")
    # A default-deny policy in the app's namespace stops the controller too: 504 after 5 s.
    fresh.create(
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "deny", "namespace": "default"},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress"]},
        }
    )
    start = fresh.now
    result = fresh.run_outside("curl -s -o /dev/null -w '%{http_code}' http://shop.example/")
    assert (result.exit_code, result.output) == (0, "504")
    assert fresh.now - start == pytest.approx(5.001)


def test_tls_hosts_redirect_and_https_needs_k_for_the_self_signed_certificate():
    fresh = new_cluster(seed=2, network=NetworkSetup(pools=(Pool("p", (f"{LB}/32",)),)))
    secure = ingress("shop", [http_rule("shop.example", ("/", "Prefix", "web"))])
    secure["spec"]["tls"] = [{"hosts": ["shop.example"], "secretName": "shop-tls"}]
    for manifest in (
        *ingress_controller_manifests(load_balancer=True),
        deployment("web", 1),
        service("web"),
        secure,
    ):
        fresh.create(manifest)
    fresh.run_for(60)
    code, out = curl(fresh, f"-si -H 'Host: shop.example' http://{LB}/")
    assert out.startswith("HTTP/1.1 308 Permanent Redirect\n")
    # Another host has no TLS: served over plain HTTP (here: no rule, the 404).
    code, out = curl(fresh, f"-s -o /dev/null -w '%{{http_code}}' http://{LB}/")
    assert (code, out) == (0, "404")
    result = fresh.run_outside(f"curl -sS https://{LB}/")
    assert result.exit_code == 60
    assert result.output == (
        "curl: (60) SSL certificate problem: self-signed certificate\n"
        "More details here: https://curl.se/docs/sslcerts.html\n\n"
        "curl failed to verify the legitimacy of the server and therefore could not\n"
        "establish a secure connection to it. To learn more about this situation and\n"
        "how to fix it, please visit the webpage mentioned above.\n"
    )
    code, out = curl(
        fresh, f"-k -s -o /dev/null -w '%{{http_code}}' -H 'Host: shop.example' https://{LB}/"
    )
    assert (code, out) == (0, "200")
    # TLS anywhere else is not modelled, and the client says so.
    result = fresh.run_outside(f"curl -sk https://{LB}:80/")
    assert result.exit_code == 2
    assert "not supported by the k8sgame simulator" in result.output
