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
