"""Game screen speed figures (issue: the game screen).

1. Start-up: time from launching a fresh Python process to the first interactive frame of
   ``k8sgame`` (the home screen painted with its menu, progress read from the database), as a
   ratio to a bare one-widget Textual app launched the same way in the same run. Target:
   ratio <= 1.3. The level pack loads on a thread after that frame; the time until it has
   loaded (and the home screen shows the level count) is printed too.
   Both run headless in a new interpreter; each round launches the two back to back, so a
   round's ratio shares the machine's noise, and the median of the rounds' ratios is the
   figure (with its quartiles, since a shared VM's timings wander by a fifth or more).
2. Frames while time runs at x60: a level is played headless with its clock running at x60;
   every clock step (advance the engine, re-check the goal, redraw the views) runs on the UI's
   event loop, so its duration is how long input can wait behind it. Target: p99 < 50 ms.

Usage: python benchmarks/startup.py [--rounds N] [--seconds S]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from engine import percentile

BARE = """
import sys, time
from textual.app import App
from textual.widgets import Static

class Bare(App):
    def compose(self):
        yield Static("hello")

    def on_ready(self):
        self.call_after_refresh(self.done)

    def done(self):
        sys.stdout.write(f"{time.perf_counter()}\\n")
        self.exit()

Bare().run(headless=True)
"""

GAME = """
import asyncio, sys, time
from k8sgame.tui.app import GameApp

class Timed(GameApp):
    def on_ready(self):
        self.call_after_refresh(self.done)

    def done(self):
        sys.stdout.write(f"{time.perf_counter()}\\n")
        self.run_worker(self.wait_for_pack())

    async def wait_for_pack(self):
        while not self.pack_loaded:
            await asyncio.sleep(0.005)
        sys.stdout.write(f"{time.perf_counter()}\\n")
        self.exit()

Timed().run(headless=True)
"""


def launch(code: str, data_dir: str) -> list[float]:
    """Seconds from spawning the interpreter to each moment the program prints (the first
    painted frame, then for the game the level pack loaded)."""
    # Bytecode is cached as on a player's machine (pip compiles an installed package; an
    # editable one caches on first run), even where PYTHONDONTWRITEBYTECODE is set; the cache
    # goes to a temporary directory, not the checkout.
    environment = dict(os.environ, K8SGAME_DATA_DIR=data_dir, PYTHONPYCACHEPREFIX=data_dir)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    # perf_counter is CLOCK_MONOTONIC on Linux, shared by parent and child.
    start = time.perf_counter()
    output = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=environment
    ).stdout
    return [float(line) - start for line in output.strip().splitlines()]


def startup(rounds: int) -> None:
    bare, game, pack = [], [], []
    with tempfile.TemporaryDirectory() as data_dir:
        # Warm the OS file cache and the bytecode cache, and create the database.
        launch(BARE, data_dir)
        launch(GAME, data_dir)
        for _ in range(rounds):
            bare.append(launch(BARE, data_dir)[0])
            first_frame, pack_loaded = launch(GAME, data_dir)
            game.append(first_frame)
            pack.append(pack_loaded)
    bare_ms = statistics.median(bare) * 1000
    game_ms = statistics.median(game) * 1000
    pack_ms = statistics.median(pack) * 1000
    ratios = sorted(g / b for g, b in zip(game, bare, strict=True))
    print(f"start-up to first frame over {rounds} rounds (median)")
    print(f"  bare one-widget Textual app: {bare_ms:7.1f} ms")
    print(f"  k8sgame home screen:         {game_ms:7.1f} ms")
    print(
        f"  ratio: {statistics.median(ratios):.2f} (target <= 1.3; "
        f"quartiles {percentile(ratios, 0.25):.2f}-{percentile(ratios, 0.75):.2f})"
    )
    print(f"  level pack loaded (on a thread, after the first frame): {pack_ms:7.1f} ms")


async def frames(seconds: float) -> None:
    from k8sgame.levels.pack import find_level
    from k8sgame.progress.store import in_memory
    from k8sgame.tui.app import GameApp
    from k8sgame.tui.screens import play as play_module

    steps: list[float] = []
    original = play_module.PlayScreen.tick

    def timed_tick(self) -> None:
        begin = time.perf_counter()
        original(self)
        steps.append(time.perf_counter() - begin)

    play_module.PlayScreen.tick = timed_tick
    app = GameApp(store=in_memory(), language="en", seed=0)
    async with app.run_test(size=(120, 40)) as pilot:
        app.play(find_level("liveness-wrong-port"))
        await pilot.pause()
        screen = app.screen
        screen.speed = 60
        await asyncio.sleep(seconds)
        cluster_seconds = screen.game.run.cluster.now - screen.game.run.start
    play_module.PlayScreen.tick = original
    print(
        f"\nclock at x60 for {seconds:.0f} s of wall time ({cluster_seconds:.0f} s of cluster time)"
    )
    print(
        f"  clock step (engine + checks + views): {len(steps)} steps, "
        f"p50 {percentile(steps, 0.5) * 1000:.1f} ms, p99 {percentile(steps, 0.99) * 1000:.1f} ms, "
        f"max {max(steps) * 1000:.1f} ms (target p99 < 50 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--seconds", type=float, default=10.0)
    options = parser.parse_args()
    startup(options.rounds)
    asyncio.run(frames(options.seconds))


if __name__ == "__main__":
    main()
