"""Replays what a real kubectl (v1.35.2) printed for each case of
``fixtures/side_by_side/recorded.yaml`` against the sandbox's kubectl, from the same cluster
state: the same stdout, stderr, exit code, and the two streams in the same order.

The recording is made by ``fixtures/side_by_side/compare.py`` (docs/sandbox.md, "Checked
transcripts"); this test needs no kubectl."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from cluster_helpers import new_cluster

from k8sgame.kubectl.files import directory_source
from k8sgame.kubectl.session import KubectlSession
from k8sgame.sandbox import parse_sleep

RECORDED = Path(__file__).parent / "fixtures" / "side_by_side" / "recorded.yaml"
DATA = yaml.safe_load(RECORDED.read_text(encoding="utf-8"))
CASES = DATA["cases"]


def test_the_recording_is_from_kubectl_1_35():
    assert DATA["recorded_with"].startswith("kubectl v1.35.")
    assert len(CASES) >= 150


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_the_sandbox_prints_what_kubectl_printed(case, tmp_path):
    for name, text in (case.get("files") or {}).items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    cluster = new_cluster(seed=DATA["seed"])
    session = KubectlSession(cluster, files=directory_source(tmp_path))
    for line in case["setup"]:
        if line.startswith("sleep "):
            cluster.run_for(parse_sleep(line.split(" ", 1)[1]))
            continue
        assert session.run(line).exit_code == 0, line
    result = session.run(case["command"])
    assert result.stdout == case["stdout"]
    assert result.stderr == case["stderr"]
    assert result.exit_code == case["exit"]
    if "combined" in case:
        assert "".join(text for _, text in result.pieces()) == case["combined"]
