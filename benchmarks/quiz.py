"""Quiz generator speed figures (issue: the quiz box).

For every registered generator, makes and grades one question for each seed 0..N-1 (a fresh
simulated cluster and a short run per question for the engine-backed ones) and prints p50/p99
per generator and overall — target p99 < 50 ms. One question per generator is made first and
timed on its own ("first ms"): it pays one-off imports and caches (the image catalog, the
kubectl layer), as the game does once at start-up; then the long-lived data is frozen out of
the garbage collector's way, as the game does once it is loaded (``k8sgame/heap.py``).

Usage: python benchmarks/quiz.py [--seeds N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import percentile

from k8sgame.heap import freeze_startup_data
from k8sgame.quiz.generators import GENERATORS, generate
from k8sgame.quiz.grading import Response, grade
from k8sgame.quiz.model import Question


def right_response(question: Question) -> Response:
    if question.kind == "numeric":
        return question.number
    if question.kind == "multiple":
        return frozenset(i for i, option in enumerate(question.options) if option.correct)
    return next(i for i, option in enumerate(question.options) if option.correct)


def sample(name: str, seed: int) -> float:
    """Milliseconds to generate and grade the question of ``seed``."""
    start = time.perf_counter()
    question = generate(name, seed)
    result = grade(question, right_response(question))
    elapsed = (time.perf_counter() - start) * 1000
    if not result.correct:
        raise AssertionError(f"{question.id}: the right answer is graded wrong")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=200)
    options = parser.parse_args()
    everything = []
    worst = 0.0
    print(
        f"{'generator':<22} {'first ms':>8} {'items':>6} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    )
    firsts = {name: sample(name, options.seeds) for name in sorted(GENERATORS)}
    # As the game does once its data is loaded (see k8sgame/heap.py).
    freeze_startup_data()
    for name in sorted(GENERATORS):
        first = firsts[name]
        samples = [sample(name, seed) for seed in range(options.seeds)]
        everything += samples
        p99 = percentile(samples, 0.99)
        worst = max(worst, p99)
        print(
            f"{name:<22} {first:>8.1f} {len(samples):>6} {percentile(samples, 0.5):>8.1f} "
            f"{p99:>8.1f} {max(samples):>8.1f}"
        )
    print(
        f"{'all generators':<22} {'':>8} {len(everything):>6} "
        f"{percentile(everything, 0.5):>8.1f} {percentile(everything, 0.99):>8.1f} "
        f"{max(everything):>8.1f}"
    )
    print(f"worst generator p99: {worst:.1f} ms (target < 50 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
