"""``kubectl set image|env|resources`` and ``kubectl create deployment``."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from deployment_helpers import deployment

from k8sgame.kubectl.session import KubectlSession


@pytest.fixture
def session():
    cluster = new_cluster()
    cluster.api.create(deployment(replicas=2))
    cluster.run_for(20)
    return KubectlSession(cluster)


def run(session, command):
    result = session.run(command)
    return result.stdout, result.stderr, result.exit_code


def container(session):
    return session.cluster.get("Deployment", "web")["spec"]["template"]["spec"]["containers"][0]


def test_set_image_changes_the_template_and_starts_a_rollout(session):
    assert run(session, "set image deployment/web nginx=nginx:1.27") == (
        "deployment.apps/web image updated\n",
        "",
        0,
    )
    assert container(session)["image"] == "nginx:1.27"
    # The same image again changes nothing and prints nothing.
    assert run(session, "set image deploy/web nginx=nginx:1.27") == ("", "", 0)
    assert run(session, "set image deploy/web app=nginx") == (
        "",
        'error: unable to find container named "app"\n',
        1,
    )
    assert (
        run(session, "set image deploy/web")[1] == "error: at least one image update is required\n"
    )
    assert run(session, "set image nginx=x")[1] == (
        "error: one or more resources must be specified as <resource> <name> or <resource>/<name>\n"
    )
    assert run(session, "set image deploy/web '*=nginx:1.28' --dry-run=client") == (
        "deployment.apps/web image updated (dry run)\n",
        "",
        0,
    )
    assert container(session)["image"] == "nginx:1.27"


def test_set_env_adds_lists_and_removes_variables(session):
    assert run(session, "set env deploy/web MODE=blue LEVEL=3") == (
        "deployment.apps/web env updated\n",
        "",
        0,
    )
    assert run(session, "set env deploy/web --list") == (
        "# Deployment web, container nginx\nMODE=blue\nLEVEL=3\n",
        "",
        0,
    )
    assert run(session, "set env deploy/web MODE=green LEVEL=4 --overwrite=false")[1] == (
        "error: deployments/web 'MODE' already has a value (blue), and --overwrite is false\n"
    )
    # The whole object was left alone, and the same value again is no overwrite.
    assert run(session, "set env deploy/web MODE=blue --overwrite=false") == ("", "", 0)
    assert run(session, "set env deploy/web A=1 A-")[1] == (
        "error: can not both modify and remove the same environment variable in the same command\n"
    )
    assert (
        run(session, "set env deploy/web -e FOO")[1] == "error: unknown environment variable: FOO\n"
    )
    assert run(session, "set env deploy/web 1A=x")[1].startswith(
        'error: "1A" is not a valid key name: a valid environment variable name must consist of'
    )
    assert run(session, "set env deploy/web MODE-") == ("deployment.apps/web env updated\n", "", 0)
    assert container(session)["env"] == [{"name": "LEVEL", "value": "3"}]
    assert (
        run(session, "set env deploy/web")[1]
        == "error: at least one environment variable must be provided\n"
    )


def test_set_resources_merges_limits_and_requests(session):
    assert run(
        session, "set resources deploy/web --limits=cpu=200m,memory=256Mi --requests=cpu=100m"
    ) == (
        "deployment.apps/web resource requirements updated\n",
        "",
        0,
    )
    assert container(session)["resources"] == {
        "limits": {"cpu": "200m", "memory": "256Mi"},
        "requests": {"cpu": "100m"},
    }
    assert run(session, "set resources deploy/web -c db --limits=cpu=1")[1] == (
        "error: unable to find container named db\n"
    )
    assert run(session, "set resources deploy/web")[1] == (
        "error: you must specify an update to requests or limits (in the form of --requests/--limits)\n"
    )


DRY_RUN_YAML = """apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: api
  name: api
spec:
  replicas: 1
  selector:
    matchLabels:
      app: api
  strategy: {}
  template:
    metadata:
      labels:
        app: api
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""


def test_create_deployment_dry_run_prints_what_kubectl_prints(session):
    assert run(session, "create deployment api --image=nginx --dry-run=client -o yaml") == (
        DRY_RUN_YAML,
        "",
        0,
    )
    out, _, _ = run(
        session, "create deploy api --image=nginx --port=80 --dry-run=client -o yaml -- sleep 3600"
    )
    assert '      - command:\n        - sleep\n        - "3600"\n        image: nginx\n' in out
    assert "        ports:\n        - containerPort: 80\n" in out


def test_create_deployment_creates_and_runs_it(session):
    assert run(session, "create deployment api --image=nginx:1.25 --replicas=2") == (
        "deployment.apps/api created\n",
        "",
        0,
    )
    session.cluster.run_for(20)
    assert session.run("get deploy api").stdout.splitlines()[1].split()[:4] == [
        "api",
        "2/2",
        "2",
        "2",
    ]
    assert run(session, "create deployment api --image=nginx")[1] == (
        'error: failed to create deployment: deployments.apps "api" already exists\n'
    )
    assert run(session, "create deployment api")[1] == 'error: required flag(s) "image" not set\n'
    assert run(session, "create deployment x --image=a --image=b -- sleep 1")[1] == (
        "error: cannot specify multiple --image options and command\n"
    )


def test_create_deployment_names_containers_after_their_images(session):
    out, _, _ = run(
        session,
        "create deployment tools --image=registry.k8s.io/pause:3.9 --image=busybox@sha256:abababababababababababababababababababababababababababababababab --dry-run=client -o yaml",
    )
    assert "name: pause\n" in out and "name: busybox\n" in out
    out, _, _ = run(session, "create deployment tools --image=my_app.v2 --dry-run=client -o yaml")
    assert "        name: my-app-v2-" in out
