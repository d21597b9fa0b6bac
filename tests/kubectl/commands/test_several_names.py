"""Verbs that take several names, and their messages, as kubectl 1.35 prints them: taint,
label, annotate and get (issue "fidelity fixes", items 1–3 and 7)."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster

from k8sgame.kubectl.session import KubectlSession

NODES = """\
apiVersion: v1
kind: Node
metadata: {name: worker-1, labels: {pool: a}}
status: {conditions: [{type: Ready, status: "True"}]}
---
apiVersion: v1
kind: Node
metadata: {name: worker-2, labels: {pool: b}}
status: {conditions: [{type: Ready, status: "True"}]}
"""


@pytest.fixture
def session():
    files = {"nodes.yaml": NODES}

    def source(path):
        return [(path, files[path])]

    session = KubectlSession(new_cluster(nodes=[]), files=source)
    assert session.run("apply -f nodes.yaml").exit_code == 0
    return session


def run(session, command):
    result = session.run(command)
    return result.exit_code, result.stdout, result.stderr


def taints(session, node):
    return session.cluster.get("Node", node, "").get("spec", {}).get("taints")


def test_taint_several_nodes_and_remove_from_both(session):
    assert run(session, "taint nodes worker-1 worker-2 game=on:NoSchedule") == (
        0,
        "node/worker-1 tainted\nnode/worker-2 tainted\n",
        "",
    )
    for node in ("worker-1", "worker-2"):
        assert taints(session, node) == [{"key": "game", "value": "on", "effect": "NoSchedule"}]
    assert run(session, "taint nodes worker-1 worker-2 game-") == (
        0,
        "node/worker-1 untainted\nnode/worker-2 untainted\n",
        "",
    )
    assert taints(session, "worker-1") is None and taints(session, "worker-2") is None


def test_taint_new_taints_come_first_and_overwrite_says_modified(session):
    run(session, "taint nodes worker-1 a=1:NoSchedule")
    run(session, "taint nodes worker-1 b=2:NoExecute")
    # reorganizeTaints: the taints being added, then the node's other taints.
    assert [t["key"] for t in taints(session, "worker-1")] == ["b", "a"]
    assert run(session, "taint nodes worker-1 a=9:NoSchedule --overwrite") == (
        0,
        "node/worker-1 modified\n",
        "",
    )
    assert taints(session, "worker-1")[0] == {"key": "a", "value": "9", "effect": "NoSchedule"}


def test_taint_errors_come_after_the_nodes_that_worked(session):
    code, out, err = run(session, "taint nodes worker-1 nope worker-2 x=y:NoSchedule")
    assert code == 1
    assert out == "node/worker-1 tainted\nnode/worker-2 tainted\n"
    assert err == 'Error from server (NotFound): nodes "nope" not found\n'


def test_taint_errors_on_several_nodes_print_a_line_each(session):
    assert run(session, "taint nodes worker-1 worker-2 game-") == (
        1,
        "",
        'taint "game" not found\ntaint "game" not found\n',
    )
    assert run(session, "taint nodes worker-1 game-") == (1, "", 'error: taint "game" not found\n')
    run(session, "taint nodes --all x=y:NoSchedule")
    assert run(session, "taint nodes worker-1 worker-2 x=z:NoSchedule")[2] == (
        "node worker-1 already has x taint(s) with same effect(s) and --overwrite is false\n"
        "node worker-2 already has x taint(s) with same effect(s) and --overwrite is false\n"
    )


def test_taint_by_selector_and_all(session):
    assert (
        run(session, "taint nodes -l pool=b z=1:PreferNoSchedule")[1] == "node/worker-2 tainted\n"
    )
    assert run(session, "taint nodes --all z-")[1:] == (
        "node/worker-2 untainted\n",
        'error: taint "z" not found\n',
    )
    assert run(session, "taint nodes --all -l pool=a z=1:NoSchedule")[2] == (
        "error: setting 'all' parameter with a non empty selector is prohibited\n"
    )


@pytest.mark.parametrize(
    ("command", "error"),
    [
        (
            "taint nodes worker-1 x=y:NoSchedule worker-2",
            "all resources must be specified before taint changes: worker-2",
        ),
        (
            "taint nodes x=y:NoSchedule",
            "at least one resource name must be specified since 'all' parameter is not set",
        ),
        ("taint nodes worker-1", "at least one taint update is required"),
        (
            "taint pods web x=y:NoSchedule",
            "invalid resource type pods, only node types are supported",
        ),
        (
            "taint nodes worker-1 x=y:NoSchedule x:NoSchedule-",
            "can not both modify and remove the following taint(s) in the same command: x=NoSchedule",
        ),
    ],
)
def test_taint_argument_errors(session, command, error):
    assert run(session, command) == (1, "", f"error: {error}\n")


def test_taint_with_a_type_slash_name_is_no_resource_type(session):
    # explain.SplitAndParseResourceRequest's NoResourceMatchError: CheckErr adds no "error: ".
    assert run(session, "taint node/worker-1 x=y:NoSchedule") == (
        1,
        "",
        'the server doesn\'t have a resource type "node/worker-1"\n',
    )


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("x=y:Bad", "invalid taint effect: Bad, unsupported taint effect"),
        ("x=y=z:NoSchedule", "invalid taint spec: x=y=z:NoSchedule"),
        ("a:b:c", "invalid taint spec: a:b:c"),
        (
            "x:NoSchedule x=2:NoSchedule",
            "duplicated taints with the same key and effect: {x 2 NoSchedule <nil>}",
        ),
    ],
)
def test_taint_spec_errors_are_usage_errors(session, spec, error):
    assert run(session, f"taint nodes worker-1 {spec}") == (
        1,
        "",
        f"error: {error}\nSee 'kubectl taint -h' for help and examples\n",
    )


def test_taint_dry_run_changes_nothing(session):
    assert run(session, "taint nodes worker-1 k=v:NoSchedule --dry-run=client")[1] == (
        "node/worker-1 tainted\n"
    )
    assert taints(session, "worker-1") is None


@pytest.fixture
def pods(session):
    for name in ("lbl", "two"):
        assert session.run(f"run {name} --image=nginx").exit_code == 0
    return session


def test_annotate_says_annotated_even_when_removing(pods):
    # Only label has "unlabeled": annotate.go prints its one operation word.
    assert run(pods, "annotate pod lbl note=hi")[1] == "pod/lbl annotated\n"
    assert run(pods, "annotate pod lbl note-")[1] == "pod/lbl annotated\n"
    assert run(pods, "annotate pod lbl note-")[1] == "pod/lbl annotated\n"
    assert "note" not in (pods.cluster.get("Pod", "lbl")["metadata"].get("annotations") or {})


def test_label_words(pods):
    assert run(pods, "label pod lbl a=1")[1] == "pod/lbl labeled\n"
    assert run(pods, "label pod lbl a=1")[1] == "pod/lbl not labeled\n"
    assert run(pods, "label pod lbl a-")[1] == "pod/lbl unlabeled\n"
    assert run(pods, "label pod lbl a-")[1] == 'label "a" not found.\npod/lbl not labeled\n'
    # With --overwrite a shorter object is still "labeled" (updateDataChangeMsg).
    run(pods, "label pod lbl b=1")
    assert run(pods, "label pod lbl b- --overwrite")[1] == "pod/lbl labeled\n"


def test_label_several_objects_some_missing(pods):
    assert run(pods, "label pods lbl nope two tier=web") == (
        1,
        "pod/lbl labeled\npod/two labeled\n",
        'Error from server (NotFound): pods "nope" not found\n',
    )
    assert run(pods, "label pods lbl two run=x") == (
        1,
        "",
        "'run' already has a value (lbl), and --overwrite is false\n"
        "'run' already has a value (two), and --overwrite is false\n",
    )
    assert run(pods, "label pod/lbl pod/two run=x --overwrite")[1] == (
        "pod/lbl labeled\npod/two labeled\n"
    )


def test_annotate_overwrite_error_names_every_key(pods):
    run(pods, "annotate pod lbl a=1 b=2")
    assert run(pods, "annotate pod lbl a=3 b=4")[2] == (
        "error: --overwrite is false but found the following declared annotation(s): "
        "'a' already has a value (1); 'b' already has a value (2)\n"
    )


def test_label_all_gives_way_to_names(pods):
    assert run(pods, "label pods lbl --all tier=x") == (0, "pod/lbl labeled\n", "")


def test_get_names_the_kind_only_when_several_kinds_are_printed(pods):
    pods.run("create configmap app --from-literal=a=1")
    code, out, err = run(pods, "get pod/lbl cm/nope")
    assert out.splitlines()[1].split()[0] == "lbl" and code == 1
    assert err == 'Error from server (NotFound): configmaps "nope" not found\n'
    assert run(pods, "get pod lbl --show-kind")[1].splitlines()[1].startswith("pod/lbl ")
    both = run(pods, "get pod/lbl cm/app")[1]
    assert "pod/lbl" in both and "configmap/app" in both


def test_label_list_and_dry_run(pods):
    run(pods, "label pod lbl tier=web")
    assert run(pods, "label pod lbl --list")[1] == "run=lbl\ntier=web\n"
    assert run(pods, "label pods -l run=two c=3 --dry-run=client")[1] == (
        "pod/two labeled (dry run)\n"
    )
    assert "c" not in pods.cluster.get("Pod", "two")["metadata"]["labels"]


@pytest.mark.parametrize(
    ("command", "error"),
    [
        ("label pod lbl bad=x=y", "invalid label spec: bad=x=y"),
        ("label pod lbl c=3 c-", "can not both modify and remove a label in the same command"),
        (
            "annotate pod lbl k=1 k-",
            "can not both modify and remove the following annotation(s) in the same command: k",
        ),
        ("label pod lbl x=y two", "all resources must be specified before label changes: two"),
        ("label pods x=y", "resource(s) were provided, but no name was specified"),
        ("label pods lbl -l run=lbl x=y", "name cannot be provided when a selector is specified"),
        ("label pod lbl", "at least one label update is required"),
    ],
)
def test_label_and_annotate_argument_errors(pods, command, error):
    assert run(pods, command) == (1, "", f"error: {error}\n")


def test_get_ignore_not_found(pods):
    assert run(pods, "get pod nope -o yaml --ignore-not-found") == (0, "", "")
    assert run(pods, "get pod nope --ignore-not-found") == (0, "", "")
    code, out, err = run(pods, "get pod lbl nope --ignore-not-found -o name")
    assert (code, out, err) == (0, "pod/lbl\n", "")
    assert run(pods, "get pod nope") == (
        1,
        "",
        'Error from server (NotFound): pods "nope" not found\n',
    )


def test_get_lists_every_found_object_and_then_the_errors(pods):
    code, out, err = run(pods, "get pod lbl nope -o yaml")
    assert code == 1 and out.startswith("apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Pod\n")
    assert out.endswith('kind: List\nmetadata:\n  resourceVersion: ""\n')
    assert err == 'Error from server (NotFound): pods "nope" not found\n'


def test_get_with_nothing_prints_an_empty_list(session):
    assert run(session, "get pods -o yaml") == (
        0,
        'apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: ""\n',
        "",
    )
    assert run(session, "get pods") == (0, "", "No resources found in default namespace.\n")


def test_get_label_columns(pods):
    run(pods, "label pod lbl app.kubernetes.io/name=shop")
    out = run(pods, "get pods -L app.kubernetes.io/name -L run,x --show-labels")[1]
    header, first = out.splitlines()[:2]
    assert header.split() == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "NAME",
        "RUN",
        "X",
        "LABELS",
    ]
    assert first.split()[-3:] == ["shop", "lbl", "app.kubernetes.io/name=shop,run=lbl"]


def test_config_subcommands(session):
    assert run(session, "config current-context") == (0, "k8sgame\n", "")
    assert run(session, "config set-context --current --namespace=dev") == (
        0,
        'Context "k8sgame" modified.\n',
        "",
    )
    assert session.namespace == "dev"
    assert run(session, "config get-contexts")[1].splitlines()[1].split() == [
        "*",
        "k8sgame",
        "k8sgame",
        "admin",
        "dev",
    ]
    assert "    namespace: dev\n" in run(session, "config view --minify")[1]
    assert run(session, "config use-context other") == (
        1,
        "",
        'error: no context exists with the name: "other"\n',
    )
    assert run(session, "config get-contexts other")[2] == "error: context other not found\n"
    assert run(session, "config view -o jsonpath={.current-context}")[1] == "k8sgame"


def test_delete_several_names_some_missing(pods):
    code, out, err = run(pods, "delete pods lbl nope two --wait=false")
    assert code == 1
    assert out == (
        'pod "lbl" deleted from default namespace\npod "two" deleted from default namespace\n'
    )
    assert err == 'Error from server (NotFound): pods "nope" not found\n'
    # delete.go returns on the error without waiting: both are still Terminating.
    assert pods.cluster.store.peek("Pod", "lbl", "default")["metadata"]["deletionTimestamp"]


def test_delete_reports_no_resources_on_stdout(pods):
    assert run(pods, "delete pods -l app=none") == (0, "No resources found\n", "")
    assert run(pods, "delete pod nope --ignore-not-found") == (0, "", "")
    assert run(pods, "delete pods lbl --all")[2] == (
        "error: name cannot be provided when a selector is specified\n"
    )
    assert run(pods, "delete pod nope -l run=lbl --ignore-not-found=false")[2] == (
        "error: name cannot be provided when a selector is specified\n"
    )


def test_delete_dry_run_names_and_cluster_scope_warning(pods):
    assert run(pods, "delete pod lbl --dry-run=client") == (
        0,
        'pod "lbl" deleted from default namespace (dry run)\n',
        "",
    )
    assert pods.cluster.store.peek("Pod", "lbl", "default") is not None
    assert run(pods, "delete pod lbl two -o name --wait=false")[1] == "pod/lbl\npod/two\n"
    pods.run("create namespace scratch")
    assert run(pods, "delete namespace scratch -n default --wait=false") == (
        0,
        'namespace "scratch" deleted\n',
        "Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n",
    )


def test_delete_argument_errors(pods):
    assert run(pods, "delete pod lbl -o yaml")[2] == (
        "error: unexpected -o output mode: yaml. We only support '-o name'\n"
    )
    assert run(pods, "delete pod lbl --force --grace-period=5")[2] == (
        "error: --force and --grace-period greater than 0 cannot be specified together\n"
    )
    assert run(pods, "delete pod lbl --now --grace-period=5")[2] == (
        "error: --now and --grace-period cannot be specified together\n"
    )
    assert run(pods, "delete pods")[2] == (
        "error: resource(s) were provided, but no name was specified\n"
    )


def test_delete_timeout_gives_up_waiting(pods):
    pods.run("run sleepy --image=busybox:1.36 -- sleep 3600")
    pods.cluster.run_for(20)
    code, out, err = run(pods, "delete pod sleepy --timeout=5s")
    assert code == 1 and out == 'pod "sleepy" deleted from default namespace\n'
    assert err == "error: timed out waiting for the condition on pods/sleepy\n"


def test_a_warning_comes_before_the_lines_after_it(pods):
    result = pods.run("delete pod lbl --grace-period=0 --force")
    assert [stream for stream, _ in result.pieces()] == ["stderr", "stdout"]
    assert result.stdout == 'pod "lbl" force deleted from default namespace\n'


TYPO = """\
apiVersion: v1
kind: Pod
metadata:
  name: typo
spec:
  containers:
  - name: web
    imagee: nginx
    image: nginx
"""


@pytest.mark.parametrize(
    ("flag", "stderr", "created"),
    [
        (
            "",
            'Error from server (BadRequest): error when creating "typo.yaml": Pod in version "v1"'
            " cannot be handled as a Pod: strict decoding error: unknown field"
            ' "spec.containers[0].imagee"\n',
            False,
        ),
        ("--validate=warn", 'Warning: unknown field "spec.containers[0].imagee"\n', True),
        ("--validate=false", "", True),
        ("--validate=ignore", "", True),
    ],
)
def test_validate_decides_what_an_unknown_field_does(flag, stderr, created):
    files = {"typo.yaml": TYPO}
    session = KubectlSession(new_cluster(), files=lambda path: [(path, files[path])])
    result = session.run(f"apply -f typo.yaml {flag}")
    assert result.stderr == stderr
    assert (result.stdout == "pod/typo created\n") is created
    if created:
        container = session.cluster.get("Pod", "typo")["spec"]["containers"][0]
        assert "imagee" not in container and container["image"] == "nginx"


def test_a_bad_validate_value_is_kubectls_error(session):
    assert session.run("apply -f nodes.yaml --validate=bogus").stderr == (
        'error: invalid - validate option "bogus"; must be one of: strict (or true), warn, '
        "ignore (or false)\n"
    )
