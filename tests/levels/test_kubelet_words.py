"""The game's stop-kubelet and start-kubelet words at a level's prompt: the node goes quiet,
the words are logged, and a replay of the log reaches the same cluster."""

from __future__ import annotations

from k8sgame.levels.pack import default_pack_dir, load_pack
from k8sgame.levels.play import LevelRun, replay


def _level():
    return next(level for level in load_pack(default_pack_dir()) if level.id == "bad-rollout-undo")


def test_stop_kubelet_makes_the_node_not_ready_and_replays_the_same():
    run = LevelRun(_level())
    said = run.run_line("stop-kubelet node-1")
    assert said.exit_code == 0 and "node-1" in said.stdout
    run.run_line("sleep 70s")
    assert run.run_line("get nodes node-1").stdout.splitlines()[1].split()[1] == "NotReady"
    copy = replay(run.level, run.seed, run.log, until=run.cluster.now)
    assert copy.run_line("get nodes node-1").stdout == run.run_line("get nodes node-1").stdout
    assert run.run_line("start-kubelet node-1").exit_code == 0
    run.run_line("sleep 10s")
    assert run.run_line("get nodes node-1").stdout.splitlines()[1].split()[1] == "Ready"


def test_the_words_say_what_is_wrong_in_the_players_language():
    run = LevelRun(_level(), language="ko")
    assert run.run_line("stop-kubelet").stderr.startswith("error: stop-kubelet에는 노드 이름")
    assert "nope" in run.run_line("start-kubelet nope").stderr
