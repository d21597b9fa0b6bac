"""A level run (``levels/play.py``): the action log replays to the same cluster, the prompt's
own lines (``answer``, ``hint``, ``sleep``, a ``kubectl`` prefix) work, player files resolve,
only writes count against par, and wins are scored in stars."""

from __future__ import annotations

from k8sgame.levels.checker import MET, NOT_MET, check
from k8sgame.levels.pack import find_level
from k8sgame.levels.play import LevelRun, WinRecord, replay

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


def test_the_prompt_words_say_their_errors_in_the_players_language():
    run = LevelRun(find_level("crashloop-timing"), language="ko")
    assert run.run_line("sleep").stderr == "error: sleep에는 시간 하나를 주세요 (30s, 2m)\n"
    assert run.run_line("answer nope a").stderr.startswith(
        'error: 이 레벨에는 "nope" 질문이 없습니다'
    )
    assert (
        run.run_line("answer next-delay z").stderr == 'error: "z"는 보기가 아닙니다 (a부터 d까지)\n'
    )
