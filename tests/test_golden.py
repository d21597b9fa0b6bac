"""Golden sandbox scripts: each ``tests/golden/*.txt`` runs headlessly and its whole
transcript must equal the checked-in ``.out`` file. After an intended change, regenerate with
``K8SGAME_UPDATE_GOLDEN=1 python -m pytest tests/test_golden.py`` and review the diff."""

import os
from pathlib import Path

import pytest

from k8sgame.sandbox import run_script

GOLDEN = Path(__file__).parent / "golden"
SCRIPTS = sorted(GOLDEN.glob("*.txt"))


def transcript(script: Path) -> str:
    """Each command as a prompt line, then its stdout, stderr lines marked ``! ``, and a
    non-zero exit code; the simulated time is on the prompt line."""
    parts = []
    for line in run_script(script, seed=7):
        parts.append(f"$ {line.command}    # t={line.time:g}s\n")
        for stream, text in line.result.pieces():
            if stream == "stdout":
                parts.append(text)
            else:
                parts.extend(f"! {err}\n" for err in text.splitlines())
        if line.result.exit_code:
            parts.append(f"[exit {line.result.exit_code}]\n")
    return "".join(parts)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_golden_transcript(script):
    expected_file = script.with_suffix(".out")
    actual = transcript(script)
    if os.environ.get("K8SGAME_UPDATE_GOLDEN") == "1":
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.exists(), f"no golden output for {script.name}; regenerate it"
    assert actual == expected_file.read_text(encoding="utf-8")


def test_every_golden_script_is_run():
    assert {p.stem for p in SCRIPTS} >= {"crashloop", "unschedulable", "verbs"}
