"""Level checking speed figures (issue: levels, the checker and chapter one).

For every shipped level, plays the reference solution and every known wrong answer line by
line and times ``check`` after each player action: the goal lines on the live cluster, plus a
copy of the cluster (rebuilt by replaying the action log) run ahead by the level's horizon.
Prints p50/p99 per level and overall — target p99 < 50 ms for every level.

The look-ahead copy is made ahead of time, as the game does: once an answer is on screen the
play screen calls ``prepare_fork`` (a replay of the log so far), and the next check only
catches that copy up with the new action; the idle moment also takes the full garbage
collection that a check defers. The "prepare ms" column times that idle work (p99), which
the player does not wait for; the check figures include the catching up.
The right answers of a level's choices are worked out once per level and seed (when the level
starts, the game can do it while the player reads the briefing); that one-off cost is timed
on its own in the "choices ms" column and is not part of the per-check figures.

Usage: python benchmarks/levels.py [--rounds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import percentile

from k8sgame.heap import collect_while_idle, freeze_startup_data
from k8sgame.levels.checker import check
from k8sgame.levels.choices import truth
from k8sgame.levels.pack import default_pack_dir, load_pack
from k8sgame.levels.play import LevelRun
from k8sgame.levels.start import level_catalog


def level_samples(level, rounds: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each check after each action of each answer, ``rounds`` times; and
    of each preparation of the next check's copy."""
    samples = []
    preparations = []
    answers = [level.solution, *(wrong.answer for wrong in level.wrong)]
    for _ in range(rounds):
        for answer in answers:
            run = LevelRun(level)
            for name, text in sorted(answer.files.items()):
                run.write_file(name, text)
            for line in answer.commands:
                # What the play screen does once the last answer is on screen.
                start = time.perf_counter()
                run.prepare_fork()
                collect_while_idle()
                preparations.append((time.perf_counter() - start) * 1000)
                run.run_line(line)
                start = time.perf_counter()
                check(run)
                samples.append((time.perf_counter() - start) * 1000)
    return samples, preparations


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    everything = []
    worst = 0.0
    print(
        f"{'level':<28} {'choices ms':>10} {'checks':>6} {'p50 ms':>8} {'p99 ms':>8} "
        f"{'prepare ms':>10}"
    )
    levels = load_pack(default_pack_dir())
    for level in levels:
        level_catalog(level)
    # As the game does once its data is loaded (see k8sgame/heap.py).
    freeze_startup_data()
    for level in levels:
        start = time.perf_counter()
        truth(level, 0)
        choices = (time.perf_counter() - start) * 1000
        samples, preparations = level_samples(level, options.rounds)
        everything += samples
        p99 = percentile(samples, 0.99)
        worst = max(worst, p99)
        print(
            f"{level.id:<28} {choices:>10.1f} {len(samples):>6} "
            f"{percentile(samples, 0.5):>8.1f} {p99:>8.1f} {percentile(preparations, 0.99):>10.1f}"
        )
    print(
        f"{'all levels':<28} {'':>10} {len(everything):>6} "
        f"{percentile(everything, 0.5):>8.1f} {percentile(everything, 0.99):>8.1f}"
    )
    print(f"worst level p99: {worst:.1f} ms (target < 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
