"""``kubectl run`` and ``create namespace|configmap|secret generic`` against output recorded
from a real kubectl (``fixtures/generators.yaml``; see its ``recorded_with`` line)."""

from pathlib import Path

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

FIXTURE = yaml.safe_load((Path(__file__).parents[1] / "fixtures" / "generators.yaml").read_text())


def test_fixture_says_which_kubectl_recorded_it():
    assert FIXTURE["recorded_with"].startswith("kubectl v1.")


@pytest.mark.parametrize("case", FIXTURE["cases"], ids=lambda c: c["command"])
def test_generator_output_matches_real_kubectl(case):
    result = KubectlSession(new_cluster()).run(case["command"])
    assert (result.stdout, result.stderr, result.exit_code) == (
        case["stdout"],
        case["stderr"],
        case["exit"],
    )


def test_client_dry_run_changes_nothing():
    cluster = new_cluster()
    before = cluster.dump_state()
    session = KubectlSession(cluster)
    for command in (
        "run web --image=nginx --dry-run=client -o yaml",
        "create ns team-a --dry-run=client",
        "create cm app --from-literal=a=b --dry-run=client -o json",
    ):
        assert session.run(command).exit_code == 0
    assert cluster.dump_state() == before


def test_run_creates_a_pod_that_starts():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    result = session.run("run web --image=nginx:1.27 --labels=app=web --port=80")
    assert result.stdout == "pod/web created\n"
    cluster.run_for(30)
    lines = session.run("get pods --show-labels").stdout.splitlines()
    assert lines[1].split()[:3] == ["web", "1/1", "Running"]
    assert lines[1].split()[-1] == "app=web"


def test_run_in_another_namespace_and_server_validation():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    missing = session.run("run web --image=nginx -n dev")
    assert missing.stderr == 'Error from server (NotFound): namespaces "dev" not found\n'
    assert session.run("create namespace dev").stdout == "namespace/dev created\n"
    assert session.run("run web --image=nginx -n dev").stdout == "pod/web created\n"
    assert cluster.store.get("Pod", "web", "dev")["spec"]["restartPolicy"] == "Always"
    bad = session.run("run Web --image=nginx")
    assert bad.exit_code == 1
    assert '* metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain' in bad.stderr


def test_server_dry_run_validates_but_stores_nothing():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    assert session.run("run web --image=nginx --dry-run=server").stdout == (
        "pod/web created (server dry run)\n"
    )
    assert cluster.store.peek("Pod", "web", "default") is None
    shown = session.run("run web --image=nginx --dry-run=server -o yaml").stdout
    assert "terminationGracePeriodSeconds: 30" in shown  # defaulted by the server


def test_create_configmap_from_file_uses_the_file_name_as_key():
    files = {"conf/app.properties": "mode=fast\n"}
    cluster = new_cluster()
    session = KubectlSession(cluster, files=lambda path: [(path, files[path])])
    out = session.run(
        "create configmap app --from-file=conf/app.properties --from-file=alt=conf/app.properties"
    )
    assert out.stdout == "configmap/app created\n"
    data = cluster.store.get("ConfigMap", "app", "default")["data"]
    assert data == {"app.properties": "mode=fast\n", "alt": "mode=fast\n"}


def test_secret_types_the_sandbox_does_not_build_say_so():
    session = KubectlSession(new_cluster())
    result = session.run("create secret tls web --cert=a.crt --key=a.key")
    assert result.exit_code == 1
    assert "create secret generic" in result.stderr
    korean = KubectlSession(new_cluster())
    korean.language = "ko"
    assert "샌드박스" in korean.run("run web --image=nginx -it").stderr


def test_create_secret_alone_lists_its_subcommands():
    result = KubectlSession(new_cluster()).run("create secret")
    assert result.exit_code == 1
    assert "  generic           Create a secret" in result.stderr


def test_global_flag_before_the_verb():
    cluster = new_cluster()
    session = KubectlSession(cluster)
    session.run("create ns dev")
    assert session.run("-n dev run web --image=nginx").stdout == "pod/web created\n"
    assert cluster.store.peek("Pod", "web", "dev") is not None
