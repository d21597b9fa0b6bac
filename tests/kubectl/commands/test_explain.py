"""kubectl explain: kubectl 1.35's OpenAPI v3 plaintext layout over the engine's schemas.

The layout (header, FIELD/ENUM/DESCRIPTION/FIELDS blocks, tabs, blank lines, 76/78-column
wrapping) was checked line for line against a real kubectl rendering an OpenAPI v3 document
built from the same schemas and descriptions; these tests pin it down.
"""

import unicodedata

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.assets import assets_dir
from k8sgame.engine.api.schema import Anything
from k8sgame.engine.kinds import builtin_registry
from k8sgame.kubectl.commands import explain
from k8sgame.kubectl.session import KubectlSession


@pytest.fixture(scope="module")
def session():
    return KubectlSession(new_cluster())


def run(session, command):
    result = session.run(command)
    return result.exit_code, result.stdout, result.stderr


def test_explain_pods(session):
    assert run(session, "explain pods") == (
        0,
        "KIND:       Pod\n"
        "VERSION:    v1\n"
        "\n"
        "DESCRIPTION:\n"
        "    A Pod is the smallest deployable unit: one or more containers scheduled\n"
        "    together onto one node, sharing a network namespace (one IP) and volumes.\n"
        "    Pods are usually created by controllers such as Deployments, Jobs and\n"
        "    DaemonSets rather than by hand.\n"
        "    \n"
        "FIELDS:\n"
        "  apiVersion\t<string>\n"
        '    The API group and version this object is written in, such as "v1" or\n'
        '    "apps/v1". The server converts objects between the versions it serves.\n'
        "\n"
        "  kind\t<string>\n"
        '    The kind of object, in CamelCase, such as "Pod". Together with apiVersion it\n'
        "    tells the server which schema the object follows. Set by the client; cannot\n"
        "    be changed.\n"
        "\n"
        "  metadata\t<ObjectMeta>\n"
        "    Standard object metadata: name, namespace, labels, annotations and the\n"
        "    fields the server fills in (uid, resourceVersion, creationTimestamp).\n"
        "\n"
        "  spec\t<PodSpec>\n"
        "    The desired state of the pod: its containers, volumes, scheduling\n"
        "    constraints and restart policy. Most of it cannot be changed after creation.\n"
        "\n"
        "  status\t<PodStatus>\n"
        "    The observed state of the pod, written by the kubelet and the scheduler:\n"
        "    phase, conditions, IPs and each container's state. Read-only for users.\n"
        "    (k8sgame does not model the structure of this field: its contents are not\n"
        "    checked against a schema.)\n"
        "\n"
        "\n",
        "",
    )


def test_explain_a_field_with_an_enum(session):
    assert run(session, "explain po.spec.restartPolicy") == (
        0,
        "KIND:       Pod\n"
        "VERSION:    v1\n"
        "\n"
        "FIELD: restartPolicy <string>\n"
        "ENUM:\n"
        "    Always\n"
        "    Never\n"
        "    OnFailure\n"
        "\n"
        "DESCRIPTION:\n"
        "    When the kubelet restarts containers that exit: Always (the default),\n"
        "    OnFailure (only after a non-zero exit) or Never. Restarts back off\n"
        "    exponentially, from 10s up to 5 minutes, which shows as CrashLoopBackOff.\n"
        "    \n"
        "\n",
        "",
    )


def test_explain_a_struct_field_appends_the_type_description(session):
    code, out, err = run(session, "explain pod.spec.containers.livenessProbe")
    assert (code, err) == (0, "")
    lines = out.split("\n")
    assert lines[:14] == [
        "KIND:       Pod",
        "VERSION:    v1",
        "",
        "FIELD: livenessProbe <Probe>",
        "",
        "",
        "DESCRIPTION:",
        "    A periodic check that the container is still healthy. After failureThreshold",
        "    failures in a row the kubelet kills the container and restarts it according",
        "    to the restart policy. Cannot be updated.",
        "    A Probe is a health check the kubelet runs against a container on a",
        "    schedule: exactly one of exec, httpGet, tcpSocket or grpc, plus timing and",
        "    thresholds.",
        "    ",
    ]
    assert lines[14:22] == [
        "FIELDS:",
        "  exec\t<ExecAction>",
        "    Run a command inside the container; exit code 0 is success, anything else is",
        "    failure.",
        "",
        "  failureThreshold\t<integer>",
        "    Consecutive failures after which the probe counts as failed; defaults to 3.",
        "    A liveness probe then restarts the container; a readiness probe marks the",
    ]
    # Fields come in sorted order (Go templates range over maps by key), as kubectl's do.
    names = [
        line.split("\t")[0].strip() for line in lines if line.startswith("  ") and "\t" in line
    ]
    assert (
        names
        == sorted(names)
        == [
            "exec",
            "failureThreshold",
            "grpc",
            "httpGet",
            "initialDelaySeconds",
            "periodSeconds",
            "successThreshold",
            "tcpSocket",
            "terminationGracePeriodSeconds",
            "timeoutSeconds",
        ]
    )
    assert out.endswith("    to 1.\n\n\n")


def test_types_required_and_short_enums(session):
    out = session.run("explain pods.spec.containers.livenessProbe.httpGet").stdout
    assert "  port\t<IntOrString> -required-\n" in out
    assert "  scheme\t<string>\n  enum: HTTP, HTTPS\n    HTTP (the default) or HTTPS;" in out
    assert "  httpHeaders\t<[]HTTPHeader>\n" in out
    limits = session.run("explain pods.spec.containers.resources").stdout
    assert "  limits\t<map[string]Quantity>\n" in limits
    meta = session.run("explain pods.metadata").stdout
    assert "  creationTimestamp\t<string>\n" in meta  # v1.Time is a string in OpenAPI v3
    assert "  labels\t<map[string]string>\n" in meta
    volume = session.run("explain pods.spec.volumes.hostPath").stdout
    # More than four values: the list view stops after four.
    assert '  type\t<string>\n  enum: "", BlockDevice, CharDevice, Directory, ....\n' in volume
    spec = session.run("explain pods.spec").stdout
    assert "  containers\t<[]Container> -required-\n" in spec
    assert "  ephemeralContainers\t<[]EphemeralContainer>\n" in spec


def test_recursive_head(session):
    code, out, _ = run(session, "explain pods --recursive")
    assert code == 0
    assert out.split("\n")[9:31] == [
        "FIELDS:",
        "  apiVersion\t<string>",
        "  kind\t<string>",
        "  metadata\t<ObjectMeta>",
        "    annotations\t<map[string]string>",
        "    creationTimestamp\t<string>",
        "    deletionGracePeriodSeconds\t<integer>",
        "    deletionTimestamp\t<string>",
        "    finalizers\t<[]string>",
        "    generateName\t<string>",
        "    generation\t<integer>",
        "    labels\t<map[string]string>",
        "    managedFields\t<[]ManagedFieldsEntry>",
        "    name\t<string>",
        "    namespace\t<string>",
        "    ownerReferences\t<[]OwnerReference>",
        "      apiVersion\t<string> -required-",
        "      blockOwnerDeletion\t<boolean>",
        "      controller\t<boolean>",
        "      kind\t<string> -required-",
        "      name\t<string> -required-",
        "      uid\t<string> -required-",
    ]
    # Enums stay in the recursive view, one line under the field.
    assert "      restartPolicy\t<string>\n" in out
    assert "    restartPolicy\t<string>\n    enum: Always, Never, OnFailure\n" in out
    assert out.endswith("\n\n")


def test_field_recursive_and_group_of_a_field(session):
    out = session.run("explain pods.spec.containers.livenessProbe --recursive").stdout
    assert out.split("\n")[14:21] == [
        "FIELDS:",
        "  exec\t<ExecAction>",
        "    command\t<[]string>",
        "  failureThreshold\t<integer>",
        "  grpc\t<GRPCAction>",
        "    port\t<integer> -required-",
        "    service\t<string>",
    ]


def test_errors(session):
    assert run(session, "explain foo") == (
        1,
        "",
        'the server doesn\'t have a resource type "foo"\n',
    )
    # The template has printed the header before it finds the field missing.
    assert run(session, "explain pods.foo") == (
        1,
        "KIND:       Pod\nVERSION:    v1\n\n",
        'error: field "foo" does not exist\n',
    )
    assert run(session, "explain pods.spec.foo.bar")[2] == 'error: field "bar" does not exist\n'
    assert run(session, "explain po.spec.restartPolicy.x")[2] == (
        'error: field "x" does not exist\n'
    )
    assert run(session, "explain") == (
        1,
        "",
        'error: You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.\n',
    )
    assert run(session, "explain pods nodes")[2] == (
        "error: We accept only this format: explain RESOURCE\n"
    )
    assert run(session, "explain pods --api-version=v2")[2] == (
        'error: couldn\'t find resource for "/v2, Resource=pods"\n'
    )
    assert run(session, "explain pods --api-version=a/b/c")[2] == (
        "error: unexpected GroupVersion string: a/b/c\n"
    )
    assert run(session, "explain pods -o yaml")[2] == "error: unrecognized format: yaml\n"
    assert run(session, "explain pods.spec.containers[0]")[2] == (
        "error: invalid jsonpath syntax, first node must be field node\n"
    )
    assert run(session, "explain pods --api-version=v1")[0] == 0
    assert run(session, "explain pods.")[1] == run(session, "explain pods")[1]


def test_output_openapiv2_is_said_plainly(session):
    code, out, err = run(session, "explain pods -o plaintext-openapiv2")
    assert (code, out) == (1, "")
    assert err.startswith("error: k8sgame renders only --output=plaintext")


def test_unmodelled_contents_are_said_plainly(session):
    out = session.run("explain pods.spec.containers.securityContext").stdout
    assert "FIELDS:" not in out
    assert "k8sgame does not model the fields of SecurityContext" in out
    code, out, err = run(session, "explain pods.spec.containers.securityContext.runAsUser")
    assert (code, out) == (1, "KIND:       Pod\nVERSION:    v1\n\n")
    assert err.startswith('error: field "runAsUser" is not modeled by k8sgame')
    spec = session.run("explain pods.spec.hostAliases").stdout
    assert "FIELD: hostAliases <[]HostAlias>\n" in spec
    assert "(k8sgame does not model the structure of this field" in spec


def test_korean(session):
    korean = KubectlSession(session.cluster, language="ko")
    code, out, _ = run(korean, "explain po.spec.restartPolicy")
    assert code == 0
    assert "    종료된 컨테이너를 kubelet이 언제 다시 시작할지 정합니다." in out
    # Kubectl's own words (headers, types, enums) stay as kubectl prints them.
    assert out.startswith(
        "KIND:       Pod\nVERSION:    v1\n\nFIELD: restartPolicy <string>\nENUM:\n"
    )
    # Wide (Hangul) characters count two columns, so lines stay inside kubectl's width.
    for command in ("explain pods", "explain pods.spec", "explain pods.spec.containers"):
        for line in korean.run(command).stdout.split("\n"):
            assert _columns(line.split("\t")[-1]) <= 80, line


def _columns(text):
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def test_wrap_is_go_wordwrap():
    assert explain.wrap("aaa bbb ccc", 7) == "aaa bbb\nccc"
    # A word longer than the limit stays whole; the space before it is dropped at the break.
    assert explain.wrap("a " + "x" * 12 + " b", 5) == "a\n" + "x" * 12 + "\nb"
    assert explain.wrap("one\n\ntwo three", 5) == "one\n\ntwo\nthree"
    assert explain.wrap("end  ", 10) == "end  "


def _schema_structs():
    """Every struct of every served version, by the key of its explain text."""
    seen = {}
    for info in builtin_registry().all():
        schemas = [info.schema, *(served.schema for served in info.other_versions)]
        for schema in schemas:
            for struct in explain.all_structs(schema):
                seen[struct.doc_key] = struct
    return seen


def test_every_schema_field_has_english_and_korean_text():
    """Later kinds must bring their descriptions: every struct and field, both languages."""
    data = yaml.safe_load((assets_dir() / explain.EXPLAIN_FILE).read_text(encoding="utf-8"))
    missing = []
    for struct in _schema_structs().values():
        keys = [struct.doc_key, *(f"{struct.doc_key}.{name}" for name in struct.fields)]
        for key in keys:
            entry = data.get(key) or {}
            for language in ("en", "ko"):
                if not str(entry.get(language) or "").strip():
                    missing.append(f"{key} ({language})")
        for name, schema in struct.fields.items():
            if isinstance(explain._innermost(schema), Anything):
                if not (data.get(f"{struct.doc_key}.{name}") or {}).get("type"):
                    missing.append(f"{struct.doc_key}.{name} (type)")
    assert missing == []
    for key in ("Quantity", "IntOrString", "Time", "MicroTime", *(data["_notes"])):
        entry = data.get(key) or data["_notes"].get(key)
        assert entry["en"].strip() and entry["ko"].strip(), key


def test_no_stale_descriptions():
    data = yaml.safe_load((assets_dir() / explain.EXPLAIN_FILE).read_text(encoding="utf-8"))
    structs = _schema_structs()
    stale = []
    for key in data:
        if key.startswith("_") or key in ("Quantity", "IntOrString", "Time", "MicroTime"):
            continue
        struct, _, field = key.partition(".")
        if struct not in structs or (field and field not in structs[struct].fields):
            stale.append(key)
    assert stale == []


def test_every_path_explains_in_both_languages(session):
    for language in ("en", "ko"):
        player = KubectlSession(session.cluster, language=language)
        for info in builtin_registry().all():
            for path in _paths(info.plural, info.schema, 0):
                result = player.run(["explain", path])
                assert (result.exit_code, result.stderr) == (0, ""), path
                assert "<no description>" not in result.stdout, path


def _paths(prefix, struct, depth):
    yield prefix
    for name, schema in struct.fields.items():
        target = explain._target(schema)
        if target is not None and depth < 8:
            yield from _paths(f"{prefix}.{name}", target, depth + 1)
        else:
            yield f"{prefix}.{name}"
