"""The network client programs against a scripted network: curl, wget, nslookup, nc."""

from __future__ import annotations

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.images.process import plan_process
from k8sgame.engine.images.reference import pull
from k8sgame.engine.images.shell.curl import meter_line
from k8sgame.engine.images.shell.interpreter import binary_table
from k8sgame.engine.images.shell.wget import progress_line, smart_ulltoa5
from k8sgame.engine.network.client import (
    NOERROR,
    NXDOMAIN,
    OPEN,
    REFUSED,
    UNREACHABLE,
    Connection,
    HttpAnswer,
    Record,
    Reply,
)

CATALOG = load_default_catalog()
RESOLV = "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
HOSTS = "127.0.0.1\tlocalhost\n10.244.1.9\tclient\n"


class FakeNet:
    """``web`` is 10.96.0.5: port 80 open (an HTTP server), 81 refused; 10.96.0.6 has no
    route; 10.96.0.7:6379 speaks another protocol; everything else is dropped."""

    def __init__(self, status=200, body="hello\n", latency=0.002):
        self.answer = HttpAnswer(status, latency, body)
        self.asked = []

    def query(self, server, name, qtype, at):
        self.asked.append((server, name, qtype))
        if server != "10.96.0.10":
            return None
        if name == "web.default.svc.cluster.local":
            records = (Record(name, "A", "10.96.0.5"),) if qtype == "A" else ()
            return Reply(NOERROR, records)
        return Reply(NXDOMAIN)

    def connect(self, ip, port, at):
        if (ip, port) in (("10.96.0.5", 80), ("10.96.0.7", 6379)):
            return Connection(OPEN, 0.0, f"{ip}:{port}", port=port)
        if ip == "10.96.0.6":
            return Connection(UNREACHABLE, 3.0)
        if port == 81:
            return Connection(REFUSED)
        return Connection("timed out", 127.0)

    def http_get(self, connection, path, at, host=""):
        return self.answer if connection.address.endswith(":80") else HttpAnswer(None)


def run(image, argv, net=None):
    spec = pull(CATALOG, image).spec
    process = plan_process(
        spec,
        ["sleep", "3600"],
        None,
        {},
        {},
        etc_files={"/etc/resolv.conf": RESOLV, "/etc/hosts": HOSTS},
    )
    result = process.exec(argv, 10.0, net=net if net is not None else FakeNet())
    return result.exit_code, result.output, round(result.duration, 3)


def test_which_images_have_which_programs():
    def tools(image):
        table = binary_table(pull(CATALOG, image).spec)
        return sorted(
            path.rsplit("/", 1)[1] for path, (kind, _) in table.items() if kind == "net_tool"
        )

    assert set(tools("busybox")) == {"nc", "nslookup", "wget"}
    assert tools("nginx") == ["curl"]
    assert set(tools("nginx:alpine")) == {"curl", "nc", "nslookup", "wget"}
    assert "curl" not in tools("nginx:alpine-slim")
    assert tools("redis") == []
    assert pull(CATALOG, "nginx:1.27").spec.curl == "7.88.1"


def test_without_a_network_the_programs_say_so():
    spec = pull(CATALOG, "busybox").spec
    process = plan_process(spec, ["sleep", "3600"], None, {}, {})
    result = process.exec(["wget", "-qO-", "web"], 5.0)
    assert (result.exit_code, result.output) == (
        2,
        "wget: the network outside kubectl exec: not supported by the k8sgame simulator\n",
    )


def test_curl_messages_follow_the_version():
    assert run("nginx", ["curl", "-sS", "web:81"])[:2] == (
        7,
        "curl: (7) Failed to connect to web port 81 after 0 ms: Could not connect to server\n",
    )
    assert run("nginx:1.27", ["curl", "-sS", "web:81"])[:2] == (
        7,
        "curl: (7) Failed to connect to web port 81 after 0 ms: Couldn't connect to server\n",
    )


def test_curl_time_limits_and_errors():
    assert run("nginx", ["curl", "-sS", "-m", "2", "10.96.0.6"]) == (
        28,
        "curl: (28) Connection timed out after 2001 milliseconds\n",
        2.001,
    )
    assert run("nginx", ["curl", "-sS", "10.96.0.6"]) == (
        7,
        "curl: (7) Failed to connect to 10.96.0.6 port 80 after 3000 ms: Could not connect to server\n",
        3.0,
    )
    slow = FakeNet(latency=5.0)
    assert run("nginx", ["curl", "-sS", "-m", "1", "web"], slow) == (
        28,
        "curl: (28) Operation timed out after 1001 milliseconds with 0 bytes received\n",
        1.001,
    )
    assert run("nginx", ["curl", "-sS", "10.96.0.7:6379"])[:2] == (
        52,
        "curl: (52) Empty reply from server\n",
    )
    assert run("nginx", ["curl", "-sSf", "web"], FakeNet(status=404, body="gone\n"))[:2] == (
        22,
        "curl: (22) The requested URL returned error: 404\n",
    )
    assert run("nginx", ["curl", "-s", "web"], FakeNet(status=404, body="gone\n"))[:2] == (
        0,
        "gone\n",
    )


def test_curl_output_options():
    assert run(
        "nginx", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{remote_ip}", "web"]
    )[:2] == (
        0,
        "200 10.96.0.5",
    )
    assert run("nginx", ["curl", "-sI", "web"])[:2] == (
        0,
        "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\n",
    )
    assert run("nginx", ["curl", "-s", "-w", "%{http_code}\\n", "nosuch"])[:2] == (6, "000\n")
    assert run("nginx", ["curl", "-s", "localhost:81"])[:2] == (7, "")  # /etc/hosts
    assert run("nginx", ["curl"])[:2] == (
        2,
        "curl: try 'curl --help' or 'curl --manual' for more information\n",
    )
    assert run("nginx", ["curl", "-s"])[:2] == (
        2,
        "curl: (2) no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
    )
    assert run("nginx", ["curl", "web", "-o"])[:2] == (
        2,
        "curl: option -o: requires parameter\ncurl: try 'curl --help' or 'curl --manual' for more information\n",
    )
    assert run("nginx", ["curl", "-m", "x", "web"])[1].startswith(
        "curl: option -m: expected a proper numerical parameter\n"
    )
    assert run("nginx", ["curl", "-s", "web:abc"])[:2] == (3, "")
    assert run("nginx", ["curl", "-sS", "web:abc"])[1] == (
        "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n"
    )
    assert run("nginx", ["curl", "--data", "x=1", "web"])[:2] == (
        2,
        "curl: sending data (--data): not supported by the k8sgame simulator\n",
    )


def test_the_progress_meter_columns():
    assert meter_line(0, 0, 0.0) == (
        "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
    )
    assert meter_line(615, 615, 0.001) == (
        "100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k"
    )
    assert meter_line(0, 0, 127.0) == (
        "  0     0    0     0    0     0      0      0 --:--:--  0:02:07 --:--:--     0"
    )


def test_wget_progress_and_sizes():
    assert progress_line("-", 615) == (
        "-                    100% |********************************|   615  0:00:00 ETA\n"
    )
    assert progress_line("/tmp/page.html", 0) == "page.html                0 --:--:-- ETA\n"
    assert [smart_ulltoa5(n) for n in (0, 99999, 123456, 9_600_000, 150_000_000)] == [
        "    0",
        "99999",
        " 120k",
        "9375k",
        " 143M",
    ]


def test_wget_errors():
    assert run("busybox", ["wget", "-q", "web:81"])[:2] == (
        1,
        "wget: can't connect to remote host (10.96.0.5): Connection refused\n",
    )
    assert run("busybox", ["wget", "-q", "10.96.0.6"]) == (
        1,
        "wget: can't connect to remote host (10.96.0.6): No route to host\n",
        3.0,
    )
    assert run("busybox", ["wget", "-q", "web:8080"]) == (
        1,
        "wget: can't connect to remote host (10.96.0.5): Connection timed out\n",
        127.0,
    )
    assert run("busybox", ["wget", "-qO-", "web"], FakeNet(status=503))[:2] == (
        1,
        "wget: server returned error: HTTP/1.1 503 Service Unavailable\n",
    )
    assert run("busybox", ["wget", "-q", "-O", "/etc/x/y", "web"])[:2] == (
        1,
        "wget: can't open '/etc/x/y': No such file or directory\n",
    )
    assert run("busybox", ["wget", "-q", "ftp://web/x"])[0] == 2
    assert run("busybox", ["wget", "-q", "gopher://web/x"])[:2] == (
        1,
        "wget: not an http or ftp url: gopher://web/x\n",
    )
    assert run("busybox", ["wget", "--spider", "web"])[:2] == (
        0,
        "Connecting to web (10.96.0.5:80)\nremote file exists\n",
    )
    code, output, _ = run("busybox", ["wget"])
    assert code == 1 and output.startswith("BusyBox v1.37.0") and "Usage: wget" in output


def test_nslookup_options_and_servers():
    net = FakeNet()
    assert run("busybox", ["nslookup", "web.default.svc.cluster.local", "8.8.8.8"], net) == (
        1,
        ";; connection timed out; no servers could be reached\n\n",
        5.0,
    )
    assert run("busybox", ["nslookup", "-type=aaaa", "web.default.svc.cluster.local"])[:2] == (
        0,
        "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n\n",
    )
    assert run("busybox", ["nslookup", "-type=srv", "web"])[:2] == (
        2,
        "nslookup: -type=srv: not supported by the k8sgame simulator\n",
    )
    assert run("busybox", ["nslookup", "-type=bogus", "web"])[:2] == (
        1,
        'nslookup: invalid query type "bogus"\n',
    )


def test_nc_verbosity():
    assert run("busybox", ["nc", "-z", "web", "80"])[:2] == (0, "")
    assert run("busybox", ["nc", "-zv", "web", "81"])[:2] == (1, "")
    assert run("busybox", ["nc", "-zvv", "web", "81"])[:2] == (
        1,
        "nc: web (10.96.0.5:81): Connection refused\n",
    )
    assert run("busybox", ["nc", "-zv", "-w", "1", "10.96.0.6", "80"]) == (
        1,
        "nc: 10.96.0.6 (10.96.0.6:80): Connection timed out\n",
        1.0,
    )
    assert run("busybox", ["nc", "web", "80"])[:2] == (
        2,
        "nc: sending data (use -z): not supported by the k8sgame simulator\n",
    )
    assert run("busybox", ["nc", "-z", "web", "http"])[:2] == (1, "nc: bad port 'http'\n")


def test_the_catalog_names_a_curl_version():
    import pytest

    from k8sgame.engine.images.catalog import CatalogError
    from k8sgame.engine.images.catalog_parser import parse_catalog

    image = {"tags": ["latest"], "cmd": ["/app"], "curl": "8.14.1"}
    assert parse_catalog({"images": {"web": image}}).entries[0].base.curl == "8.14.1"
    with pytest.raises(CatalogError) as info:
        parse_catalog({"images": {"web": {**image, "curl": 8.1}}})
    assert str(info.value) == 'image "web": curl: must be a string, got the number 8.1'
    with pytest.raises(CatalogError) as info:
        parse_catalog({"images": {"web": {**image, "curl": "latest"}}})
    assert str(info.value) == (
        "image \"web\": curl: must be a version such as 8.14.1, got the string 'latest'"
    )
