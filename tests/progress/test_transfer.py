"""Progress export and import: a JSON file carries everything, importing merges without losing
either side (twice changes nothing), and a bad file changes nothing and says where."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from k8sgame.cli import main
from k8sgame.progress import SavedGame
from k8sgame.progress.store import in_memory
from k8sgame.progress.transfer import TransferError, export_progress, import_progress
from k8sgame.quiz.grading import Grade
from k8sgame.quiz.reviews import record_review

START = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _played():
    store = in_memory()
    store.record_win("image-typo", 2, 6, 1, 2)
    store.set_setting("language", "ko")
    store.add_history("get pods")
    store.save_game(
        SavedGame("first-pod", 3, 12.0, ({"time": 1.0, "kind": "command", "text": "get pods"},))
    )
    store.record_answer("iv-etcd", "2026-12-07T09:00:00.000000Z", False, 0.0, "quiz")
    record_review(store, "iv-etcd", Grade(False, 0.0), START)
    return store


def _everything(store):
    return (
        store.results(),
        store.settings(),
        store.history(),
        store.saved_game(),
        store.answers(),
        store.review_cards(),
    )


def test_an_export_imported_into_a_new_database_carries_everything_and_twice_changes_nothing():
    source = _played()
    text = export_progress(source)
    target = in_memory()
    import_progress(target, text)
    assert _everything(target) == _everything(source)
    import_progress(target, text)
    assert _everything(target) == _everything(source)


def test_merging_keeps_the_best_of_both_sides():
    here = in_memory()
    here.record_win("image-typo", 3, 9, 0, 3)
    here.add_history("describe pod web")
    here.save_game(SavedGame("image-typo", 1, 5.0, ()))
    record_review(here, "other", Grade(False, 0.0), START)  # card 1 here
    # The same item reviewed later on the other machine wins; a new item gets a free number.
    there = _played()
    record_review(there, "iv-etcd", Grade(True, 1.0), START + timedelta(minutes=1))
    record_review(there, "ct-pod", Grade(False, 0.0), START)
    record_review(here, "iv-etcd", Grade(False, 0.0), START)
    import_progress(here, export_progress(there))
    result = here.results()["image-typo"]
    assert (result.stars, result.best_commands, result.fewest_hints, result.best_changes) == (
        3,
        6,
        0,
        2,
    )
    assert here.history() == ["describe pod web", "get pods"]
    assert here.saved_game().level_id == "image-typo"  # the one here stays
    assert here.setting("language") == "ko"
    cards = {item: (card_id, json.loads(card)) for item, card_id, card, _ in here.review_cards()}
    assert cards["iv-etcd"][1]["last_review"].startswith("2026-12-07T09:01")
    assert cards["iv-etcd"][0] == cards["iv-etcd"][1]["card_id"] == 2
    assert cards["ct-pod"][0] == cards["ct-pod"][1]["card_id"] == 3
    assert sorted(card_id for card_id, _ in cards.values()) == [1, 2, 3]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"format": "k8sgame-progress",\n  "version": 1,, }',
            "2:16: not JSON: Expecting property name",
        ),
        ("[]", 'not a k8sgame progress file (no "format": "k8sgame-progress")'),
        ('{"format": "k8sgame-progress", "version": 9}', "progress file version 9"),
        (
            '{"format": "k8sgame-progress", "version": 1, "results": [{"level_id": "x"}],'
            ' "settings": {}, "answers": [], "review_cards": []}',
            'results[0]: missing required field "stars"',
        ),
    ],
)
def test_a_bad_file_is_refused_and_changes_nothing(text, message):
    store = _played()
    before = _everything(store)
    with pytest.raises(TransferError) as caught:
        import_progress(store, text)
    assert message in str(caught.value)
    assert _everything(store) == before


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_text_is_imported_or_refused_with_a_transfer_error(text):
    try:
        import_progress(in_memory(), text)
    except TransferError as error:
        assert str(error)


def test_the_command_line_exports_and_imports(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("K8SGAME_DATA_DIR", str(tmp_path / "a"))
    target = tmp_path / "progress.json"
    assert main(["progress", "export", str(target)]) == 0
    assert capsys.readouterr().out.startswith(f"Progress written to {target}: 0 level result(s)")
    monkeypatch.setenv("K8SGAME_DATA_DIR", str(tmp_path / "b"))
    assert main(["progress", "import", str(target), "--lang", "ko"]) == 0
    assert capsys.readouterr().out.startswith(f"{target}의 진행 상황을 합쳤습니다")
    target.write_text("{}", encoding="utf-8")
    assert main(["progress", "import", str(target)]) == 1
    assert capsys.readouterr().err == (
        f'error: {target}: not a k8sgame progress file (no "format": "k8sgame-progress") '
        "(nothing was changed)\n"
    )
    assert main(["progress", "import", str(tmp_path / "missing.json")]) == 1
    assert "No such file or directory (nothing was changed)" in capsys.readouterr().err
