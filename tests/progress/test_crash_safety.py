"""A write killed half-way loses nothing that was committed and corrupts nothing."""

import sqlite3
import subprocess
import sys
import textwrap

from k8sgame.progress import open_progress

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from k8sgame.progress import SavedGame, open_progress

    store, _ = open_progress(Path(sys.argv[1]))
    store.record_win("first-pod", 3, 7, 0, 1)
    log = tuple({"time": float(i), "kind": "command", "text": "get pods " * 50} for i in range(200))
    number = 0
    while True:
        number += 1
        store.save_game(SavedGame("image-typo", number, float(number), log))
        store.add_history(f"line {number}")
        if number == 1:
            print("committed", flush=True)
    """
)


def test_killing_a_writer_half_way_loses_nothing_committed(tmp_path):
    path = tmp_path / "progress.db"
    kept_before: list[str] = []
    for delay in (0.05, 0.2, 0.4):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert writer.stdout.readline().strip() == "committed"
        try:
            writer.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            writer.kill()  # SIGKILL: no cleanup, possibly inside a transaction
        writer.wait()
        writer.stdout.close()

        store, notice = open_progress(path)
        assert notice is None, notice
        assert store.results()["first-pod"].stars == 3
        history = store.history()
        # Every line committed by earlier writers is still there, in order.
        assert history[: len(kept_before)] == kept_before
        saved = store.saved_game()
        assert saved is not None and len(saved.log) == 200
        # Save N then history line N are separate transactions: the kill falls between two
        # of them, and each one is whole.
        newest = int(history[-1].split()[1]) if len(history) > len(kept_before) else 0
        assert saved.seed in (newest, newest + 1)
        kept_before = history
        store.close()
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.close()
