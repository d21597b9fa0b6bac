"""The progress database: what is kept, migrations, and what happens to a bad file."""

import shutil
import sqlite3
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.progress import SavedGame, open_progress
from k8sgame.progress.migrations import VERSION
from k8sgame.progress.saves import SaveError, decode_log, encode_log
from k8sgame.progress.store import HISTORY_LIMIT


def test_a_new_database_keeps_wins_settings_history_and_the_saved_game(tmp_path):
    path = tmp_path / "progress.db"
    store, notice = open_progress(path)
    assert notice is None
    store.record_win("first-pod", stars=2, commands=9, hints=1, changes=2)
    store.record_win("first-pod", stars=3, commands=12, hints=0, changes=1)
    store.set_setting("language", "ko")
    store.add_history("get pods")
    store.add_history("describe pod web")
    log = ({"time": 0.0, "kind": "command", "text": "get pods"},)
    store.save_game(SavedGame("image-typo", 7, 42.5, log))
    store.close()

    again, notice = open_progress(path)
    assert notice is None
    result = again.results()["first-pod"]
    # Each figure is the best over both wins.
    assert (result.stars, result.best_commands, result.fewest_hints, result.best_changes) == (
        3,
        9,
        0,
        1,
    )
    assert result.wins == 2
    assert again.setting("language") == "ko"
    assert again.setting("theme", "textual-dark") == "textual-dark"
    assert again.history() == ["get pods", "describe pod web"]
    assert again.saved_game() == SavedGame("image-typo", 7, 42.5, log)
    again.clear_saved_game()
    assert again.saved_game() is None


def test_history_keeps_only_the_newest_lines(tmp_path):
    store, _ = open_progress(tmp_path / "p.db")
    for number in range(HISTORY_LIMIT + 5):
        store.add_history(f"get pod p{number}")
    history = store.history()
    assert len(history) == HISTORY_LIMIT
    assert history[0] == "get pod p5"
    assert history[-1] == f"get pod p{HISTORY_LIMIT + 4}"


def test_an_old_schema_is_migrated_and_a_newer_one_is_left_alone(tmp_path):
    path = tmp_path / "p.db"
    sqlite3.connect(path).close()  # version 0: an empty database
    store, notice = open_progress(path)
    assert notice is None
    store.set_setting("theme", "nord")
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
        db.execute(f"PRAGMA user_version = {VERSION + 1}")
    db.close()
    store, notice = open_progress(path)
    assert notice is not None and notice.key == "progress.newer"
    # Played without saving: the newer game's file keeps its data.
    store.set_setting("theme", "dracula")
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT value FROM settings").fetchall() == [("nord",)]
    db.close()


@pytest.mark.parametrize(
    "content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000]
)
def test_a_corrupt_file_is_moved_aside_and_the_game_starts_fresh(tmp_path, content):
    path = tmp_path / "progress.db"
    path.write_bytes(content)
    store, notice = open_progress(path)
    assert notice is not None and notice.key == "progress.moved_aside"
    assert notice.detail == str(tmp_path / "progress.db.unreadable-1")
    assert (tmp_path / "progress.db.unreadable-1").read_bytes() == content
    assert store.results() == {}
    store.record_win("first-pod", 3, 5, 0, 1)
    store.close()
    again, notice = open_progress(path)
    assert notice is None
    assert list(again.results()) == ["first-pod"]


def test_a_directory_that_cannot_be_made_plays_without_saving(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store, notice = open_progress(blocker / "sub" / "progress.db")
    assert notice is not None and notice.key == "progress.unwritable"
    store.add_history("get pods")
    assert store.history() == ["get pods"]


def test_an_unreadable_saved_log_means_no_game_to_continue(tmp_path):
    path = tmp_path / "p.db"
    store, _ = open_progress(path)
    store.save_game(SavedGame("first-pod", 0, 1.0, ()))
    store.close()
    with sqlite3.connect(path) as db:
        db.execute('UPDATE saved_game SET log = \'[{"kind": "launch-missiles"}]\'')
    db.close()
    again, _ = open_progress(path)
    assert again.saved_game() is None


def test_decode_log_checks_every_field():
    good = ({"time": 1.0, "kind": "edit", "text": "a", "name": "pod/web", "base": "b"},)
    assert decode_log(encode_log(good)) == good
    for bad in (
        "{",
        "{}",
        '[{"time": "soon", "kind": "command"}]',
        '[{"time": 1, "kind": "command", "extra": 1}]',
        '[{"time": 2, "kind": "command"}, {"time": 1, "kind": "hint"}]',
    ):
        with pytest.raises(SaveError):
            decode_log(bad)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_decode_log_never_crashes_on_any_text(text):
    try:
        decode_log(text)
    except SaveError:
        pass


def test_a_database_of_the_previous_release_keeps_everything_and_gains_review_cards(tmp_path):
    # Written by the release with schema 1 (before quiz answers and review cards).
    path = tmp_path / "progress.db"
    shutil.copy(Path(__file__).parent / "fixtures" / "progress-v1.db", path)
    store, notice = open_progress(path)
    assert notice is None
    assert store.results()["image-typo"].stars == 3
    assert store.results()["liveness-wrong-port"].fewest_hints == 1
    assert store.setting("language") == "ko"
    assert store.history() == ["get pods", "describe pod web"]
    saved = store.saved_game()
    assert saved is not None and (saved.level_id, saved.seed, saved.time) == ("image-typo", 7, 42.5)
    store.record_answer("iv-etcd", "2026-12-07T09:00:00.000000Z", False, 0.0, "quiz")
    store.save_review_card("iv-etcd", store.next_card_id(), "{}", "2026-12-07T09:01:00.000000Z")
    store.close()
    store, _ = open_progress(path)
    assert [a.item_id for a in store.answers()] == ["iv-etcd"]
    assert store.due_items("2026-12-07T10:00:00.000000Z") == ["iv-etcd"]
    store.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION == 2
    db.close()
