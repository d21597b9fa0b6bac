"""Playing a level: the action log replays to the same cluster, the checker says met / not
yet / not met with the engine's reason, and wins are scored on par and hints."""

from __future__ import annotations

from k8sgame.levels.checker import MET, NOT_MET, NOT_YET, check, finish, observe
from k8sgame.levels.pack import find_level
from k8sgame.levels.play import LevelRun, WinRecord, perform, replay

PROBE = find_level("liveness-wrong-port")


def _fixed_manifest() -> str:
    return PROBE.solution.files["web.yaml"]


def test_same_seed_and_log_give_the_same_cluster():
    first = LevelRun(PROBE, seed=3)
    first.run_line("get pods")
    first.run_line("describe pod web")
    first.run_line("logs web")
    first.advance(12.5)
    first.write_file("web.yaml", _fixed_manifest())
    first.run_line("replace --force -f web.yaml")
    first.run_line("get pods -o wide")
    first.advance(40)
    copy = replay(PROBE, 3, first.log, until=first.cluster.now)
    assert copy.cluster.dump_log() == first.cluster.dump_log()
    assert copy.cluster.dump_state() == first.cluster.dump_state()
    assert first.fork().cluster.dump_log() == first.cluster.dump_log()


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


def test_stars():
    assert WinRecord(0, 5, 1, 0, 1).stars == 3
    assert WinRecord(0, 5, 2, 0, 1).stars == 2
    assert WinRecord(0, 5, 2, 2, 1).stars == 1


def test_what_counts_as_a_change():
    """A command counts against par when it wrote to the cluster: not a dry run, a read, a
    refused write or a typo, nor a write that would change nothing."""
    run = LevelRun(find_level("first-pod"), seed=1)

    def counted(line):
        before = run.tally.changes
        run.run_line(line)
        return run.tally.changes - before

    assert counted("run web --image=nginx --dry-run=client") == 0
    assert counted("run web --image=nginx --dry-run=server") == 0
    assert counted("get pods") == 0
    assert counted("describe pod web") == 0
    assert counted("bogus") == 0
    assert counted("run web --image=nginx") == 1
    assert counted("run web --image=nginx") == 0  # AlreadyExists: nothing written
    assert counted("label pod web tier=front") == 1
    assert counted("delete pod web --wait=false") == 1
    assert counted("delete pod nothing-here") == 0


def test_answer_and_hint_lines():
    level = find_level("crashloop-timing")
    run = LevelRun(level)
    assert run.run_line("answer next-delay z").exit_code == 1
    assert run.run_line("answer nope a").stderr.startswith('error: no choice "nope"')
    assert run.run_line("answer next-delay c").stdout == "answer to next-delay: c\n"
    assert check(run).line("next-delay").state == MET
    run.run_line("answer next-delay b")
    assert check(run).line("next-delay").state == NOT_MET
    assert run.run_line("hint").stdout.startswith("hint 1: ")
    for _ in level.hints[1:]:
        run.run_line("hint")
    assert run.run_line("hint").stdout == "no more hints for this level\n"
    assert run.tally.hints == len(level.hints)


def test_kubectl_prefix_and_sleep_lines():
    run = LevelRun(PROBE)
    start = run.cluster.now
    assert run.run_line("kubectl get pods").stdout.startswith("NAME")
    assert run.run_line("sleep 1m30s").exit_code == 0
    assert run.cluster.now == start + 90
    assert run.run_line("sleep later").exit_code == 1


def test_player_files_resolve_by_name_and_directory():
    run = LevelRun(PROBE)
    run.write_file("fixes/web.yaml", _fixed_manifest())
    assert (
        run.run_line("apply -f ./web.yaml --dry-run=client").stdout
        == "pod/web configured (dry run)\n"
    )
    # The directory is read too; the API server then refuses a probe change on a live pod.
    refused = run.run_line("apply -f fixes --dry-run=server")
    # The level created the pod without apply, so kubectl first warns that its
    # last-applied annotation is missing.
    warning, _, refusal = refused.stderr.partition("\n")
    assert warning.startswith("Warning: resource pods/web is missing the kubectl.kubernetes.io/")
    assert refusal.startswith(
        'The Pod "web" is invalid: spec: Forbidden: pod updates may not change fields'
    )
    missing = run.run_line("apply -f nope.yaml")
    assert missing.stderr == 'error: the path "nope.yaml" does not exist\n'


def test_commands_options_are_judged_by_playing_them():
    import yaml

    from k8sgame.levels.choices import truth
    from k8sgame.levels.loader import load_level_text
    from k8sgame.levels.pack import default_pack_dir

    data = yaml.safe_load((default_pack_dir() / "pods" / "image-typo.yaml").read_text("utf-8"))
    patch = 'patch pod shop -p \'{"spec":{"containers":[{"name":"shop","image":"%s"}]}}\''
    data["choices"] = [
        {
            "id": "which-fix",
            "question": {
                "en": "Which command fixes the shop?",
                "ko": "어떤 명령이 shop을 고치나요?",
            },
            "lines": ["shop-ready"],
            "options": [
                {"commands": [patch % "nginx:1.999"]},
                {"commands": [patch % "nginx:1.27"]},
                {"commands": ["delete pod shop"]},
            ],
        }
    ]
    level = load_level_text(yaml.safe_dump(data, allow_unicode=True), "<text>")
    assert truth(level, 0)["which-fix"] == (False, True, False)
