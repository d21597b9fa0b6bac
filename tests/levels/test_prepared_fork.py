"""A look-ahead copy made ahead of time (``prepare_fork``) and caught up later is the same
cluster as a full replay of the log: same objects, same audit log, same verdicts — with the
clock running between actions, as in the game."""

from __future__ import annotations

import pytest

from k8sgame.levels.checker import check
from k8sgame.levels.pack import default_pack_dir, load_pack
from k8sgame.levels.play import LevelRun, replay

LEVELS = {level.id: level for level in load_pack(default_pack_dir())}
# A chapter-one level, and chapter-two levels with warmup, node failure, CronJobs, storage.
CHOSEN = ["crashloop-timing", "node-dies", "cronjob-forbid", "statefulset-pvc", "hpa-no-requests"]


def _fingerprint(run: LevelRun) -> tuple[str, str, float]:
    return run.cluster.dump_state(), run.cluster.dump_log(), run.cluster.now


@pytest.mark.parametrize("level_id", CHOSEN)
def test_a_prepared_fork_equals_a_full_replay(level_id):
    level = LEVELS[level_id]
    run = LevelRun(level)
    run.prepare_fork()
    for name, text in sorted(level.solution.files.items()):
        run.write_file(name, text)
    for line in level.solution.commands:
        run.advance(7.5)  # the running clock between two commands
        run.run_line(line)
        run.advance(2.5)
        fresh = replay(level, run.seed, run.log, until=run.cluster.now)
        prepared = run.fork()
        assert _fingerprint(prepared) == _fingerprint(fresh)
        # The next fork is prepared again after this check, as the game does.
        run.prepare_fork()
    assert check(run).won == check(replay(level, run.seed, run.log, until=run.cluster.now)).won


def test_fork_without_a_prepared_copy_replays_and_a_copy_is_used_once():
    level = LEVELS["first-pod"]
    run = LevelRun(level)
    run.prepare_fork()
    first = run.fork()
    second = run.fork()
    assert first is not second
    assert _fingerprint(first) == _fingerprint(second)
