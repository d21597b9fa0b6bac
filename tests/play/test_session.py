"""The play session (``k8sgame/play/session.py``): what a person playing a level adds to the
run, without a screen — skipping to the next event, the working directory's ls and cat."""

import pytest

from k8sgame.progress import open_progress


@pytest.fixture
def store(tmp_path):
    store, notice = open_progress(tmp_path / "progress.db")
    assert notice is None
    yield store
    store.close()


def test_skip_to_next_event_stops_at_the_next_event_or_the_limit(store):
    from k8sgame.levels.pack import find_level
    from k8sgame.levels.sandbox_level import sandbox_level
    from k8sgame.play.session import SKIP_LIMIT, PlaySession

    quiet = PlaySession(sandbox_level(), 0, "en", store, sandbox=True)
    assert quiet.skip_to_next_event() == SKIP_LIMIT
    # The crash-looping pod's next back-off event comes well within the limit.
    busy = PlaySession(find_level("liveness-wrong-port"), 0, "en", store)

    def events():
        return sorted(
            (e["metadata"]["name"], e.get("count", 1))
            for e in busy.run.cluster.store.iter("Event", "default")
        )

    before = events()
    waited = busy.skip_to_next_event()
    assert 0 < waited < SKIP_LIMIT
    assert events() != before  # a new event, or a repeat counted on an old one


def test_ls_and_cat_answer_as_a_shell_does(store):
    from k8sgame.levels.pack import find_level
    from k8sgame.play.session import PlaySession

    game = PlaySession(find_level("liveness-wrong-port"), 0, "en", store)
    assert game.shell(["ls"]).stdout == "web.yaml"
    assert "port: 8080" in game.shell(["cat", "web.yaml"]).stdout
    missing = game.shell(["cat", "nope.yaml"])
    assert (missing.stderr, missing.exit_code) == ("cat: nope.yaml: No such file or directory", 1)
    assert game.shell(["get", "pods"]) is None


def test_leaving_a_level_with_a_line_not_met_makes_it_a_review_and_a_win_recalls_it(store):
    from datetime import UTC, datetime, timedelta

    from k8sgame.levels.checker import NOT_MET
    from k8sgame.levels.pack import find_level
    from k8sgame.play.session import PlaySession
    from k8sgame.quiz.reviews import stamp

    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    level = find_level("liveness-wrong-port")
    game = PlaySession(level, 0, "en", store)
    game.after_action()
    assert any(line.state == NOT_MET for line in game.checklist())
    assert game.leave(now)
    assert store.due_items(stamp(now + timedelta(minutes=1))) == ["level:liveness-wrong-port"]
    # Played again and won: the card is recalled, due after fsrs' next learning step.
    again = PlaySession(level, 0, "en", store)
    for name, text in level.solution.files.items():
        again.write_file(name, text)
    for line in level.solution.commands:
        again.submit(line)
    again.advance(300)
    again.after_action()
    assert again.won and again.record_win(now + timedelta(minutes=5))
    assert store.due_items(stamp(now + timedelta(minutes=14))) == []
    assert store.due_items(stamp(now + timedelta(minutes=15))) == ["level:liveness-wrong-port"]
    assert not again.leave(now)  # a won level is no review


def test_the_sandbox_and_a_level_with_every_line_met_make_no_review(store):
    from datetime import UTC, datetime

    from k8sgame.levels.sandbox_level import sandbox_level
    from k8sgame.play.session import PlaySession

    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    assert not PlaySession(sandbox_level(), 0, "en", store, sandbox=True).leave(now)
    assert store.review_cards() == []
