"""``k8sgame levels list|validate|check``: what a level author and a grader type."""

from __future__ import annotations

import json
from pathlib import Path

from k8sgame.cli import main
from k8sgame.levels.pack import default_pack_dir

LEVEL = default_pack_dir() / "pods" / "missing-configmap.yaml"


def test_list_shows_chapter_and_levels_in_both_languages(capsys):
    assert main(["levels", "list"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "chapter pods: Pods that won't behave"
    assert out[1] == "  1  first-pod                    Hello, pod  (difficulty 1, ~6 min)"
    assert main(["levels", "list", "--lang", "ko"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "챕터 pods: 말 안 듣는 파드"


def test_validate_the_shipped_pack(capsys):
    assert main(["levels", "validate"]) == 0
    count = len(list(default_pack_dir().glob("*/*.yaml")))
    assert capsys.readouterr().out == f"{count} level file(s) valid\n"


def test_validate_reports_file_line_column(tmp_path: Path, capsys):
    (tmp_path / "pods").mkdir()
    bad = tmp_path / "pods" / "missing-configmap.yaml"
    bad.write_text(
        LEVEL.read_text(encoding="utf-8").replace("difficulty: 2", "difficulty: 9"),
        encoding="utf-8",
    )
    assert main(["levels", "validate", str(bad)]) == 1
    line = next(
        i for i, text in enumerate(bad.read_text().splitlines(), 1) if text.startswith("difficulty")
    )
    assert capsys.readouterr().err == f"{bad}:{line}:13: difficulty: must be at most 5, got 9\n"


def test_validate_missing_path(capsys):
    assert main(["levels", "validate", "/nonexistent/dir"]) == 1
    assert capsys.readouterr().err == "/nonexistent/dir: no such file or directory\n"


def test_check_a_solution_script(tmp_path: Path, capsys):
    script = tmp_path / "fix.txt"
    script.write_text(
        "# find the cause\ndescribe pod greeter\n"
        'create configmap greeter-config --from-literal=MESSAGE="Welcome to the shop"\n',
        encoding="utf-8",
    )
    assert main(["levels", "check", "missing-configmap", "--script", str(script)]) == 0
    out = capsys.readouterr().out
    assert "configmap/greeter-config created\n" in out
    assert out.endswith(
        "level missing-configmap: Configuration not found\n"
        "  [met] Pod greeter is Ready\n"
        "  [met] greeter-config says MESSAGE: Welcome to the shop\n"
        "  [met] The pod still reads MESSAGE from greeter-config\n"
        "level won at 7.1s of cluster time: 1 change(s) (par 1), 2 command(s), 0 hint(s), 3 star(s)\n"
    )


def test_check_json_and_a_losing_script(tmp_path: Path, capsys):
    script = tmp_path / "wrong.txt"
    script.write_text(
        "create configmap greeter-config --from-literal=message=hi\n", encoding="utf-8"
    )
    code = main(["levels", "check", str(LEVEL), "--script", str(script), "--json", "--lang", "ko"])
    assert code == 3
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["command"] == "create configmap greeter-config --from-literal=message=hi"
    assert lines[0]["exit_code"] == 0
    assert {item["id"]: item["state"] for item in lines[0]["goal"]} == {
        "greeter-ready": "not_met",
        "greeting": "not_met",
        "still-from-configmap": "met",
    }
    verdict = lines[-1]
    assert verdict["won"] is False and "score" not in verdict
    ready = verdict["goal"][0]
    assert ready["text"] == "greeter 파드가 Ready"
    assert "couldn't find key MESSAGE in ConfigMap default/greeter-config" in ready["reason"]


def test_check_unknown_level_and_unreadable_script(tmp_path: Path, capsys):
    assert main(["levels", "check", "no-such-level", "--script", "x"]) == 1
    assert 'no level "no-such-level"' in capsys.readouterr().err
    assert main(["levels", "check", "first-pod", "--script", str(tmp_path / "none.txt")]) == 1
    assert "cannot read script" in capsys.readouterr().err


def test_unknown_levels_command(capsys):
    assert main(["levels", "fly"]) == 2
    assert "unknown levels command 'fly'" in capsys.readouterr().err
