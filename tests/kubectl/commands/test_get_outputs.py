"""``kubectl get`` with -o jsonpath, custom-columns and --sort-by, on the simulated cluster."""

from cluster_helpers import new_cluster, pod

from k8sgame.kubectl.session import KubectlSession


def _session():
    cluster = new_cluster()
    for name, cpu in (("b-web", "250m"), ("a-api", "1"), ("c-db", "100m")):
        cluster.create(
            pod(name, [{"name": "c", "image": "nginx", "resources": {"requests": {"cpu": cpu}}}])
        )
        cluster.run_for(5)
    cluster.run_for(30)
    return cluster, KubectlSession(cluster)


def test_jsonpath_over_a_list_and_one_object():
    _, session = _session()
    names = session.run("get pods -o jsonpath='{.items[*].metadata.name}'")
    assert names.stdout == "a-api b-web c-db"
    phases = session.run(
        'get pods -o jsonpath=\'{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}\''
    )
    assert phases.stdout == "a-api\tRunning\nb-web\tRunning\nc-db\tRunning\n"
    ready = session.run(
        "get pod a-api -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}'"
    )
    assert ready.stdout == "True"


def test_custom_columns():
    _, session = _session()
    out = session.run(
        "get pods -o custom-columns=NAME:.metadata.name,CPU:.spec.containers[*].resources.requests.cpu,GATES:.spec.schedulingGates"
    ).stdout
    assert out.splitlines() == [
        "NAME    CPU    GATES",
        "a-api   1      <none>",
        "b-web   250m   <none>",
        "c-db    100m   <none>",
    ]


def test_sort_by_creation_time_and_quantity():
    _, session = _session()
    by_age = session.run("get pods --sort-by=.metadata.creationTimestamp -o name").stdout
    assert by_age == "pod/b-web\npod/a-api\npod/c-db\n"
    table = session.run("get pods --sort-by=.spec.containers[0].resources.requests.cpu").stdout
    assert [line.split()[0] for line in table.splitlines()[1:]] == ["c-db", "b-web", "a-api"]


def test_output_errors():
    _, session = _session()
    assert session.run("get pods -o jsonpath").stderr == (
        "error: template format specified but no template given\n"
    )
    assert session.run("get pods -o custom-columns=").stderr == (
        "error: custom-columns format specified but no custom columns given\n"
    )
    missing = session.run("get pods --sort-by=.spec.nothing -o name")
    assert missing.stderr == (
        'error: couldn\'t find any field with path "{.spec.nothing}" in the list of objects\n'
    )
    template = session.run("get pods -o go-template='{{.kind}}'")
    assert template.exit_code == 1 and "jsonpath" in template.stderr
