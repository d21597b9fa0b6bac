"""The checker (``levels/checker.py``): met / not yet / not met with the engine's reason, read
on a copy of the cluster run ahead so the live one never moves, and a finished run's win."""

from __future__ import annotations

from k8sgame.levels.checker import MET, NOT_MET, NOT_YET, check, finish, observe
from k8sgame.levels.pack import find_level
from k8sgame.levels.play import LevelRun, WinRecord, perform

PROBE = find_level("liveness-wrong-port")


def _fixed_manifest() -> str:
    return PROBE.solution.files["web.yaml"]


def test_check_does_not_move_the_live_cluster():
    run = LevelRun(PROBE)
    before = run.cluster.now
    check(run)
    assert run.cluster.now == before


def test_fix_is_not_yet_met_then_met_as_time_passes():
    run = LevelRun(PROBE)
    run.write_file("web.yaml", _fixed_manifest())
    run.run_line("replace --force -f web.yaml")
    report = check(run)
    states = {line.id: line.state for line in report.lines}
    assert states == {"web-ready": NOT_YET, "no-restarts": NOT_YET, "probe-kept": MET}
    assert not report.won
    run.advance(70)
    assert observe(run).line("web-ready").state == MET
    assert observe(run).line("no-restarts").state == NOT_MET
    run.advance(115)
    assert observe(run).won


def test_not_met_reason_quotes_the_probe_failure():
    run = LevelRun(PROBE)
    line = check(run).line("no-restarts")
    assert line.state == NOT_MET
    text = line.reason.render()
    assert text.startswith("restarts still climbing: container web of pod web has restarted ")
    assert "Liveness probe failed" in text and ":8080/" in text and "connection refused" in text
    assert "재시작이 계속 늘고 있습니다" in line.reason.render("ko")


def test_recreating_the_same_pod_shows_the_future_crash_loop():
    run = LevelRun(PROBE)
    run.run_line("delete pod web")
    run.run_line("apply -f web.yaml")
    line = check(run).line("web-ready")
    assert line.state == NOT_MET
    assert line.reason.render().startswith("5m0s from now, if nothing else changes: pod web:")


def test_win_records_changes_commands_and_hints():
    run = LevelRun(PROBE)
    assert run.take_hint() == PROBE.hints[0]
    perform(run, PROBE.solution)
    report = finish(run)
    assert report.win == WinRecord(report.win.time, 2, 1, 1, 1)
    assert report.win.stars == 2
    assert report.win.time > 180
