"""The ``k8sgame`` command: usage on --help, the game with no arguments, never a crash."""

import subprocess
import sys

from k8sgame.cli import main


def test_help_prints_usage(capsys):
    assert main(["--help"]) == 0
    assert "usage: k8sgame" in capsys.readouterr().out


def test_no_arguments_opens_the_game(monkeypatch):
    opened = []
    monkeypatch.setattr("k8sgame.tui.app.GameApp.run", lambda self: opened.append(self.start))
    assert main([]) == 0
    assert main(["sandbox"]) == 0
    assert opened == [None, "sandbox"]


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("k8sgame ")


def test_unknown_command_is_a_clean_error(capsys):
    assert main(["fly"]) == 2
    assert "unknown command 'fly'" in capsys.readouterr().err


def test_console_entry_point_runs_as_a_module():
    result = subprocess.run(
        [sys.executable, "-m", "k8sgame", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "usage: k8sgame" in result.stdout
