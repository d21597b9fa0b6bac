"""The sandbox's verbs and flags against the real kubectl 1.35 catalog
(``assets/kubectl-flags.yaml``): no invented verb or flag, the same shorthands and defaults,
and every real flag or command the sandbox does not model is named as such, never called
unknown."""

from __future__ import annotations

import pytest
from cluster_helpers import new_cluster
from hypothesis import given
from hypothesis import strategies as st

from k8sgame.kubectl import flag_catalog
from k8sgame.kubectl.parser import GLOBAL_FLAGS, parse
from k8sgame.kubectl.session import KubectlSession
from k8sgame.kubectl.verbs import ALIASES, VERBS

# Flags whose sandbox default is None on purpose: the command acts only when the flag is given
# (cobra's Changed), as api-resources --namespaced does.
CHANGED_TRACKING = {
    ("api-resources", "namespaced"),
    ("delete", "ignore-not-found"),
    ("logs", "tail"),
    ("scale", "replicas"),  # required: cobra checks that it was given
    ("autoscale", "max"),  # required too
    ("create service externalname", "external-name"),  # required too
}
KINDS = {"bool": "bool", "int": "int", "str": "string", "duration": "duration"}


def test_the_catalog_is_kubectl_1_35():
    assert flag_catalog.recorded_with().startswith("kubectl v1.35.")


@pytest.mark.parametrize("verb", sorted(VERBS))
def test_every_sandbox_verb_is_a_real_command(verb):
    assert flag_catalog.real_command(verb) is not None


@pytest.mark.parametrize("alias", sorted(ALIASES))
def test_every_alias_is_real(alias):
    real = flag_catalog.real_command(alias)
    assert real is not None and real.name == ALIASES[alias]


@pytest.mark.parametrize(
    ("verb", "flag"),
    [(name, flag) for name, verb in sorted(VERBS.items()) for flag in verb.flags],
    ids=lambda value: value if isinstance(value, str) else f"--{value.name}",
)
def test_every_sandbox_flag_matches_the_real_one(verb, flag):
    real = flag_catalog.real_command(verb).flags.get(flag.name)
    assert real is not None, f"kubectl {verb} has no --{flag.name}"
    assert flag.short == real.short
    kind = "list" if flag.repeat else KINDS[flag.kind]
    assert kind == real.type or (kind == "string" and real.type == "duration")
    assert flag.optional_value == real.optional_value
    if (verb, flag.name) in CHANGED_TRACKING:
        assert flag.default is None
    elif flag.kind == "bool":
        assert str(flag.default).lower() == real.default
    elif not flag.repeat:
        assert str(flag.default if flag.default is not None else "") == real.default


def test_global_flags_are_real():
    real = flag_catalog.global_flags()
    for flag in GLOBAL_FLAGS:
        assert flag.name in real and flag.short == real[flag.name].short


@pytest.fixture
def session():
    return KubectlSession(new_cluster())


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        ("get pods --chunk-size=100", "--chunk-size"),
        ("delete pod web --interactive", "--interactive"),
        ("apply -f x.yaml --server-side", "--server-side"),
    ],
)
def test_a_real_flag_the_sandbox_lacks_is_named(session, command, flag):
    result = session.run(command)
    assert result.exit_code == 1
    verb = command.split()[0]
    assert result.stderr == (
        f'error: {flag}: a real flag of "kubectl {verb}", but the sandbox does not model it;'
        " run the command without it\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize(
    ("command", "flag"),
    [("get pods --watch", "--watch"), ("get pods -w", "--watch"), ("logs web -f", "--follow")],
)
def test_a_streaming_flag_says_how_to_see_changes_instead(session, command, flag):
    result = session.run(command)
    verb = command.split()[0]
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {flag}: kubectl would keep printing until you")
    assert f'run "kubectl {verb}" again once time has passed' in result.stderr


@pytest.mark.parametrize(
    ("command", "flag"),
    [
        ("get pods --as-uid=1", "--as-uid"),
        ("get pods -v=6", "--v"),
        ("--kubeconfig=x get pods", "--kubeconfig"),
    ],
)
def test_a_global_option_the_sandbox_lacks_is_named(session, command, flag):
    result = session.run(command)
    assert result.exit_code == 1
    assert result.stderr.startswith(f'error: {flag}: a real kubectl option (see "kubectl options")')


def test_only_the_one_context_exists(session):
    assert session.run("--context=k8sgame get pods").exit_code == 0
    assert session.run("--context=prod get pods").stderr == (
        "Error in configuration: context was not found for specified context: prod\n"
    )


def test_the_notice_speaks_korean(session):
    session.language = "ko"
    assert session.run("get pods --chunk-size=9").stderr.startswith(
        'error: --chunk-size: "kubectl get"의 실제 플래그이지만, 샌드박스는'
    )
    assert "Ctrl-C를 누를 때까지" in session.run("get pods -w").stderr
    assert "실제 kubectl 명령이지만" in session.run("create quota q --hard=pods=1").stderr


@pytest.mark.parametrize(
    "command",
    ["get pods --chunk-size=500", "get pods --server-print=true", "get pods --watch=false"],
)
def test_a_real_flag_at_its_default_changes_nothing(session, command):
    result = session.run(command)
    assert (result.exit_code, result.stderr) == (0, "No resources found in default namespace.\n")


@pytest.mark.parametrize(
    ("command", "shown"),
    [
        ("create priorityclass high --value=1000", "create priorityclass"),
        ("create quota web --hard=pods=1", "create quota"),
        ("create token web", "create token"),
        ("config delete-context k8sgame", "config delete-context"),
        ("auth reconcile -f x.yaml", "auth reconcile"),
    ],
)
def test_a_real_command_the_sandbox_lacks_is_named(session, command, shown):
    result = session.run(command)
    assert result.exit_code == 1
    assert result.stderr == (
        f'error: "kubectl {shown}" is a real kubectl command, but the sandbox does not have'
        " it yet\n"
    )


def test_an_invented_command_or_flag_is_still_unknown(session):
    assert session.run("frob").stderr.startswith('error: unknown command "frob" for "kubectl"')
    assert session.run("get pods --bogus").stderr == (
        "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"
    )
    assert session.run("get pods -Z").stderr == (
        "error: unknown shorthand flag: 'Z' in -Z\nSee 'kubectl get --help' for usage.\n"
    )


@pytest.mark.parametrize(
    ("command", "line"),
    [
        # pflag names a flag with a shorthand "-w, --watch", however it was typed.
        ("get pods -w=maybe", '"maybe" for "-w, --watch" flag: strconv.ParseBool'),
        ("get pods --watch=maybe", '"maybe" for "-w, --watch" flag: strconv.ParseBool'),
        ("get pods -A=maybe", '"maybe" for "-A, --all-namespaces" flag: strconv.ParseBool'),
        ("logs web --tail=abc", '"abc" for "--tail" flag: strconv.ParseInt'),
        ("get pods --chunk-size=abc", '"abc" for "--chunk-size" flag: strconv.ParseInt'),
        ("delete pod web --timeout=abc", '"abc" for "--timeout" flag: time: invalid duration'),
    ],
)
def test_bad_flag_values_get_pflags_words(session, command, line):
    result = session.run(command)
    verb = command.split()[0]
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: invalid argument {line}")
    assert result.stderr.endswith(f"\nSee 'kubectl {verb} --help' for usage.\n")


@pytest.mark.parametrize("word", ["1", "t", "T", "TRUE", "true", "True"])
def test_bool_flags_take_strconv_true_words(word):
    assert parse(["get", "pods", f"-A={word}"]).flag("all-namespaces") is True


@pytest.mark.parametrize("word", ["0", "f", "F", "FALSE", "false", "False"])
def test_bool_flags_take_strconv_false_words(word):
    assert parse(["get", "pods", f"--show-labels={word}"]).flag("show-labels") is False


def test_a_bare_dry_run_takes_no_value(session):
    # helpers.go: NoOptDefVal "unchanged" is the deprecated client mode, and the next word
    # stays a word of its own.
    result = session.run("run web --image=nginx --dry-run -o name")
    assert (result.exit_code, result.stdout) == (0, "pod/web\n")
    assert session.run("get pods").stderr == "No resources found in default namespace.\n"
    assert parse(["delete", "pod", "x", "--cascade"]).flag("cascade") == "background"


@given(
    st.sampled_from(sorted(VERBS)),
    st.sampled_from(
        sorted({f.name for c in flag_catalog.real_commands().values() for f in c.flags.values()})
    ),
    st.text(alphabet="abc01=", max_size=4),
)
def test_any_real_flag_on_any_verb_gives_a_clean_answer(verb, flag, value):
    session = KubectlSession(new_cluster())
    line = [*verb.split(), f"--{flag}={value}" if value else f"--{flag}"]
    result = session.run(line)
    assert "Traceback" not in result.stderr
    assert result.exit_code in (0, 1)
