"""``apply -f`` / ``create -f`` and the headless sandbox contract (DESIGN.md)."""

import json
import subprocess
import sys
from pathlib import Path

from k8sgame.sandbox import parse_sleep, run_script

SCRIPT = Path(__file__).resolve().parents[2] / "sandbox" / "script.txt"


def test_sandbox_lines_outputs_and_errors():
    results = run_script(SCRIPT, seed=3)
    by_command = [
        (r.command, r.result.exit_code, r.result.stdout, r.result.stderr) for r in results
    ]
    assert by_command[0] == ("apply -f web.yaml", 0, "pod/web created\n", "")
    assert by_command[1] == ("apply -f web.yaml", 0, "pod/web unchanged\n", "")
    assert by_command[2] == (
        "create -f web.yaml",
        1,
        "",
        'Error from server (AlreadyExists): error when creating "web.yaml": pods "web" already exists\n',
    )
    assert by_command[3][3] == (
        'Error from server (BadRequest): error when creating "bad.yaml": Pod in version "v1" cannot be handled as a Pod: '
        'strict decoding error: unknown field "spec.containers[0].imagee"\n'
    )
    assert by_command[4][3] == (
        "error: error parsing broken.yaml: error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context\n"
    )
    assert by_command[5][2] == "pod/hungry created\n"
    table = by_command[7][2].splitlines()
    assert table[0] == "NAME     READY   STATUS    RESTARTS   AGE"
    assert table[1] == "hungry   0/1     Pending   0          30s"
    assert table[2] == "web      1/1     Running   0          30s"
    assert results[-1].time == 90.0
    assert by_command[-1] == ("kubectl get pod web -o name", 0, "pod/web\n", "")


def test_sandbox_command_line_json_and_exit_status():
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "k8sgame",
            "sandbox",
            "--script",
            str(SCRIPT),
            "--json",
            "--seed",
            "3",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    records = [json.loads(line) for line in completed.stdout.splitlines()]
    assert completed.returncode == 1
    assert [r["command"] for r in records][:2] == ["apply -f web.yaml", "apply -f web.yaml"]
    assert set(records[0]) == {"command", "exit_code", "stdout", "stderr", "time"}
    assert records[6] == {
        "command": "sleep 30s",
        "exit_code": 0,
        "stdout": "",
        "stderr": "",
        "time": 30.0,
    }


def test_same_seed_same_output():
    first = [(r.command, r.result.stdout, r.result.stderr) for r in run_script(SCRIPT, seed=9)]
    assert first == [
        (r.command, r.result.stdout, r.result.stderr) for r in run_script(SCRIPT, seed=9)
    ]


def test_sleep_durations():
    assert [parse_sleep(t) for t in ("30", "30s", "2m", "1h30m", "1.5s", "500ms", "1m30s")] == [
        30,
        30,
        120,
        5400,
        1.5,
        0.5,
        90,
    ]
    assert parse_sleep("soon") is None
