"""The simulated shell: scripts in pod commands, with each image's own error texts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.catalog_loader import load_default_catalog
from k8sgame.engine.images.process import MAX_LOG_LINES, Process, plan_process
from k8sgame.engine.images.reference import pull

CATALOG = load_default_catalog()


def sh(
    script: str, image: str = "busybox", env: dict[str, str] | None = None, **extra: object
) -> Process:
    spec = pull(CATALOG, image).spec
    assert spec is not None
    return plan_process(spec, ["sh", "-c", script], None, env or {}, {}, **extra)  # type: ignore[arg-type]


def out(process: Process, until: float = 100.0) -> list[str]:
    return [line.text for line in process.logs(until)]


def test_echo_sleep_exit() -> None:
    p = sh("echo hi; sleep 5; exit 3")
    assert [(line.at, line.stream, line.text) for line in p.logs(10)] == [(0.0, "stdout", "hi")]
    assert p.exit_at == (5.0, 3)


def test_while_loop_logs_lazily_and_periodically() -> None:
    p = sh("while true; do echo hello; sleep 10; done")
    assert p.exit_at is None
    lines = p.logs(60)
    assert len(lines) == 7
    assert [line.at for line in lines] == [0, 10, 20, 30, 40, 50, 60]
    year = p.logs(365 * 86400)
    assert len(year) == MAX_LOG_LINES
    assert year[-1].at == 365 * 86400
    assert year[0].at == 365 * 86400 - (MAX_LOG_LINES - 1) * 10


def test_a_busy_loop_burns_a_cpu() -> None:
    p = sh("while true; do echo spin; done")
    assert p.exit_at is None
    assert len(p.logs(1)) == 101
    assert p.cpu_millis_at(5) == 1000
    assert sh("while true; do sleep 1; done").cpu_millis_at(5) == 0


def test_exit_status_is_the_last_command() -> None:
    assert sh("true; false").exit_at == (0.0, 1)
    assert sh("false; true").exit_at == (0.0, 0)
    assert sh("exit").exit_at == (0.0, 0)
    assert sh("false; exit").exit_at == (0.0, 1)
    assert sh("exit 300").exit_at == (0.0, 44)


def test_and_or_if_for_and_set_e() -> None:
    assert out(sh("false && echo no || echo yes")) == ["yes"]
    assert out(sh("if [ -f /etc/passwd ]; then echo yes; else echo no; fi")) == ["yes"]
    assert out(sh("if [ -d /nope ]; then echo a; elif true; then echo b; fi")) == ["b"]
    assert out(sh("for i in 1 2 3; do echo n$i; done")) == ["n1", "n2", "n3"]
    p = sh("set -e; echo start; false; echo never")
    assert out(p) == ["start"] and p.exit_at == (0.0, 1)
    assert out(sh("set -e; false || echo rescued; ! false; echo end")) == ["rescued", "end"]
    assert out(sh("for i in a b c; do [ $i = b ] && break; echo $i; done")) == ["a"]


def test_words_quotes_and_expansions() -> None:
    p = sh(
        'echo "a  b" c\'  \'d; echo ${MISSING:-fallback} ${NAME}; echo "$?"; echo $$; '
        "X=1; echo x$X; Y=$(echo sub) ; echo $Y `echo tick`",
        env={"NAME": "web"},
    )
    assert out(p) == ["a  b c  d", "fallback web", "0", "1", "x1", "sub tick"]
    assert out(sh('V="one two"; for w in $V; do echo [$w]; done')) == ["[one]", "[two]"]
    assert out(sh("echo '$HOME' \"$HOME\"")) == ["$HOME /root"]


def test_env_and_printenv() -> None:
    p = sh("export EXTRA=1; printenv EXTRA; printenv NOPE; echo $?; env", env={"A": "b"})
    lines = out(p)
    assert lines[:2] == ["1", "1"]
    assert "A=b" in lines and "EXTRA=1" in lines
    assert any(line.startswith("PATH=") for line in lines)


def test_redirections_and_files() -> None:
    p = sh(
        "echo a > /tmp/x; echo b >> /tmp/x; cat /tmp/x; echo err >&2; echo gone 2>/dev/null >/dev/null"
    )
    assert [(line.stream, line.text) for line in p.logs(1)] == [
        ("stdout", "a"),
        ("stdout", "b"),
        ("stderr", "err"),
    ]
    assert p.file_at("/tmp/x", 1) == "a\nb\n"
    assert out(sh("touch /tmp/t; ls /tmp; rm /tmp/t; ls /tmp; mkdir -p /tmp/a/b; ls /tmp/a")) == [
        "t",
        "b",
    ]


def test_unknown_commands_per_shell_flavour() -> None:
    busybox = sh("foo; echo $?")
    assert out(busybox) == ["sh: foo: not found", "127"]
    assert busybox.logs(1)[0].stream == "stderr"
    assert out(sh("foo", image="nginx")) == ["sh: 1: foo: not found"]
    assert out(sh("foo", image="mysql")) == ["sh: line 1: foo: command not found"]
    assert out(sh("bash -c 'foo'", image="postgres")) == ["bash: line 1: foo: command not found"]
    assert out(sh("bash -c 'echo x'")) == ["sh: bash: not found"]
    assert sh("foo").exit_at == (0.0, 127)


def test_utility_errors_per_flavour() -> None:
    script = "cat /nope; ls /nope; rm /nope; touch /nope/x; sleep abc"
    assert out(sh(script)) == [
        "cat: can't open '/nope': No such file or directory",
        "ls: /nope: No such file or directory",
        "rm: can't remove '/nope': No such file or directory",
        "touch: /nope/x: No such file or directory",
        "sleep: invalid number 'abc'",
    ]
    assert out(sh(script, image="nginx")) == [
        "cat: /nope: No such file or directory",
        "ls: cannot access '/nope': No such file or directory",
        "rm: cannot remove '/nope': No such file or directory",
        "touch: cannot touch '/nope/x': No such file or directory",
        "sleep: invalid time interval 'abc'",
        "Try 'sleep --help' for more information.",
    ]


def test_syntax_errors_and_unsupported_features() -> None:
    p = sh("echo 'open")
    assert out(p) == ["sh: syntax error: unterminated quoted string"] and p.exit_at == (0.0, 2)
    assert out(sh("echo 'open", image="nginx")) == [
        "sh: 1: Syntax error: Unterminated quoted string"
    ]
    assert out(sh("echo x; done")) == ['sh: syntax error: unexpected "done"']
    # Verified against dash 0.5.12, bash 5.2 and BusyBox 1.35 ash.
    assert out(sh("if true; then echo x", image="nginx")) == [
        'sh: 1: Syntax error: end of file unexpected (expecting "fi")'
    ]
    assert out(sh("if true; then echo x")) == [
        'sh: syntax error: unexpected end of file (expecting "fi")'
    ]
    assert out(sh("echo x; done", image="mysql")) == [
        "sh: -c: line 1: syntax error near unexpected token `done'",
        "sh: -c: line 1: `echo x; done'",
    ]
    background = sh("sleep 5 &")
    assert background.exit_at == (0.0, 2)
    assert out(background) == [
        "sh: background jobs (&): not supported by the k8sgame simulated shell"
    ]
    assert "not supported" in out(sh("f() { echo x; }"))[0]


def test_pipes_arithmetic_and_read() -> None:
    assert out(sh("printf 'b\\na\\n' | grep a")) == ["a"]
    assert out(sh("echo x | exit 3; echo $?; false | true; echo $?")) == ["3", "0"]
    assert out(sh("i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done")) == ["0", "1", "2"]
    assert out(sh("echo $((7/2)) $((-7/2)) $((-7%3)) $(( (1+2)*3 )) $((0x10)) $((2>1))")) == [
        "3 -3 -1 9 16 1"
    ]
    assert out(sh("echo $((1/0))")) == ["sh: divide by zero"]
    assert out(sh("echo $((1/0))", image="nginx")) == [
        'sh: 1: arithmetic expression: division by zero: "1/0"'
    ]
    script = "printf 'l1\\nl2\\n' > /tmp/r; while read l; do echo \"<$l>\"; done < /tmp/r"
    assert out(sh(script)) == ["<l1>", "<l2>"]
    assert out(sh("echo a b | { read x y; echo $y$x; }")) == ["ba"]


def test_sleep_forms() -> None:
    assert sh("sleep 1.5").exit_at == (1.5, 0)
    assert sh("sleep 2m").exit_at == (120.0, 0)
    assert sh("sleep 1 2").exit_at == (3.0, 0)
    assert sh("sleep infinity").exit_at is None
    assert sh("tail -f /dev/null").exit_at is None


def test_exec_of_the_image_program_from_a_script() -> None:
    p = sh("echo configuring; exec redis-server --port 7000", image="redis")
    assert out(p, 1)[0] == "configuring"
    assert p.listening(7000, 1)
    assert p.stop.exits_on_signal and p.stop.exit_code == 0
    # Not exec'd and not last: the shell stays PID 1 and ignores the signal.
    q = sh("redis-server; echo after", image="redis")
    assert not q.stop.exits_on_signal


def test_script_files_from_a_configmap() -> None:
    spec = pull(CATALOG, "busybox").spec
    assert spec is not None
    files = {"/scripts/run.sh": "#!/bin/sh\necho from script $1\nexit 4\n"}
    p = plan_process(spec, ["sh", "/scripts/run.sh", "arg"], None, {}, files)
    assert out(p) == ["from script arg"] and p.exit_at == (0.0, 4)
    direct = plan_process(spec, ["/scripts/run.sh"], None, {}, files)
    assert direct.exit_at == (0.0, 4)


# -- properties ---------------------------------------------------------------------------------

WORDS = st.sampled_from(["hi", "a b", "$X", "${Y:-d}", "'q'", '"$?"', "x\\ y", "$(echo s)"])
SIMPLE = st.one_of(
    st.builds("echo {}".format, WORDS),
    st.builds("sleep {}".format, st.sampled_from(["0", "1", "2.5", "1m", "abc", "infinity"])),
    st.builds("exit {}".format, st.integers(0, 300)),
    st.sampled_from(
        [
            "true",
            "false",
            ":",
            "touch /tmp/f",
            "rm -f /tmp/f",
            "rm /tmp/f",
            "cat /tmp/f",
            "env",
            "printenv X",
            "printenv",
            "ls /tmp",
            "[ -f /tmp/f ]",
            "test -e /nope",
            "foo",
            "X=1",
            "export Y=2",
            "echo x > /tmp/f",
            "echo y >> /tmp/f",
            "break",
            "continue",
            "date",
            "set -e",
            "cd /tmp",
            "mkdir -p /tmp/d",
        ]
    ),
)


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.builds("{}; {}".format, inner, inner),
        st.builds("{} && {}".format, inner, inner),
        st.builds("{} || {}".format, inner, inner),
        st.builds("while true; do {}; sleep 1; done".format, inner),
        st.builds("while {}; do {}; done".format, inner, inner),
        st.builds("until {}; do {}; sleep 2; done".format, inner, inner),
        st.builds("if {}; then {}; else {}; fi".format, inner, inner, inner),
        st.builds("for v in a b; do {}; done".format, inner),
        st.builds("sh -c '{}'".format, inner.filter(lambda s: "'" not in s)),
        st.builds("{{ {}; }}".format, inner),
        st.builds("( {} )".format, inner),
    )


SCRIPTS = st.recursive(SIMPLE, _compound, max_leaves=6)


@settings(max_examples=150)
@given(SCRIPTS, st.sampled_from(["busybox", "nginx", "mysql"]))
def test_random_scripts_never_raise(script: str, image: str) -> None:
    p = sh(script, image=image)
    assert p.start_error is None
    exit_at = p.exit_at
    if exit_at is not None:
        assert exit_at[0] >= 0 and 0 <= exit_at[1] <= 255
    p.logs(50)
    p.exec(["cat", "/tmp/f"], 3)
    p.exec(["sh", "-c", script], 4, timeout=30)
    p.memory_at(10)
    p.cpu_millis_at(10)
    p.stop  # noqa: B018 (resolving it must not raise either)


@settings(max_examples=100)
@given(SCRIPTS, st.floats(0, 500), st.floats(0, 500))
def test_logs_are_monotonic_in_until(script: str, a: float, b: float) -> None:
    early, late = sorted((a, b))
    p = sh(script)
    first = p.logs(early)
    second = p.logs(late)
    if len(second) < MAX_LOG_LINES:
        assert second[: len(first)] == first
    # Times within a microsecond of the bound count as reached (float sums of sleeps).
    assert all(line.at <= late + 1e-6 for line in second)
    assert [line.at for line in second] == sorted(line.at for line in second)
    # Asking again, in any order, gives the same answer.
    assert sh(script).logs(late) == second


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(codec="ascii"), max_size=40))
def test_arbitrary_text_never_crashes_the_shell(script: str) -> None:
    p = sh(script)
    p.logs(20)
    assert p.exit_at is None or p.exit_at[1] in range(256)
