"""The prompt's ``curl`` (the player's machine) and ``ssh NODE`` lines in a level run: what
they print, that they take simulated time, and that a replay of the log gives the same."""

from k8sgame.levels.play import LevelRun, replay
from k8sgame.levels.sandbox_level import sandbox_level

LINES = [
    "create deployment web --image=nginx --replicas=2",
    "expose deployment web --port=80 --type=NodePort",
    "sleep 20s",
]


def _run() -> LevelRun:
    run = LevelRun(sandbox_level(), seed=7, language="en")
    for line in LINES:
        assert run.run_line(line).exit_code == 0
    return run


def test_curl_at_the_prompt_runs_outside_and_is_logged_for_replays():
    run = _run()
    port = run.cluster.get("Service", "web")["spec"]["ports"][0]["nodePort"]
    line = f"curl -s -o /dev/null -w '%{{http_code}}\\n' http://192.168.49.3:{port}/"
    result = run.run_line(line)
    assert (result.exit_code, result.stdout) == (0, "200\n")
    timeout = run.run_line("curl -sS --max-time 4 http://10.96.0.1/")
    assert timeout.exit_code == 28
    assert timeout.stdout == "curl: (28) Connection timed out after 4001 milliseconds\n"
    ssh = run.run_line("ssh node-2 curl -sS http://web/")
    assert (ssh.exit_code, ssh.stdout) == (6, "curl: (6) Could not resolve host: web\n")
    assert [a.kind for a in run.log[-3:]] == ["host", "host", "host"]
    copy = replay(sandbox_level(), 7, list(run.log), until=run.cluster.now, language="en")
    assert copy.cluster.now == run.cluster.now
    assert copy.cluster.dump_state() == run.cluster.dump_state()


def test_a_look_from_inside_a_pod_costs_no_par_but_a_file_written_by_exec_does():
    run = _run()
    run.run_line("run client --image=busybox --command -- sleep 3600")
    run.run_line("sleep 10s")
    look = run.run_line("exec client -- wget -qO- http://web/")
    assert look.exit_code == 0
    assert look.changed is False
    edit = run.run_line("exec client -- sh -c 'echo fixed > /tmp/config'")
    assert (edit.exit_code, edit.changed) == (0, True)


def test_kubectl_curl_is_kubectls_unknown_command_not_the_players_curl():
    run = LevelRun(sandbox_level(), seed=7, language="en")
    result = run.run_line("kubectl curl -s http://192.168.49.3/")
    assert result.exit_code == 1
    assert result.stderr.startswith('error: unknown command "curl" for "kubectl"')
